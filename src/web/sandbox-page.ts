import { htmlPage } from './layout';

/**
 * The sandbox page (README "Chat: the sandbox, …"): try the bot with no WeCom or Lark account. The HTML is a static
 * shell; `/sandbox/app.js` (src/web/sandbox-app.ts) asks for the API key, lists the people and
 * chats from `/sandbox/api`, and renders messages and cards with `textContent` only;
 * `/sandbox/previews.js` (src/web/sandbox-previews.ts) draws a card as Lark or WeCom would.
 */
const STYLE = `
.top{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin-bottom:8px}.top h1{margin:0;flex:1}
button{font:inherit;cursor:pointer;border-radius:6px;border:1px solid #d0d3d6;background:#fff;color:#1f2329;padding:5px 12px}
button:disabled{opacity:.5;cursor:default}input,select{font:inherit;padding:6px 8px;border:1px solid #d0d3d6;border-radius:6px;background:#fff;min-width:0}
.primary{background:#3370ff;border-color:#3370ff;color:#fff}.danger-btn{background:#fff;border-color:#f54a45;color:#d83931}
.signin form{display:flex;gap:8px;margin-top:8px}.signin input{flex:1}.error{color:#d83931;font-size:13px;margin:6px 0 0}
.layout{display:grid;grid-template-columns:240px 1fr;gap:10px;align-items:start}
.side{display:flex;flex-direction:column;gap:8px}.side label{display:block;color:#646a73;font-size:13px;margin-bottom:4px}.side select{width:100%}
.role{color:#646a73;font-size:13px;margin-top:4px}
.chats{display:flex;flex-direction:column;gap:4px}.chat-item{text-align:left;border:none;background:#fff;padding:8px 10px;border-radius:8px}
.chat-item.on{background:#e1eaff;color:#245bdb}.chat-item small{display:block;color:#8f959e;font-size:12px}
.pane{background:#fff;border-radius:8px;display:flex;flex-direction:column;height:calc(100vh - 96px);min-height:420px}
.pane-head{padding:10px 12px;border-bottom:1px solid #eff0f1;font-weight:600}.pane-head small{font-weight:400;color:#8f959e;margin-left:6px}
.messages{flex:1;overflow-y:auto;padding:12px;background:#f5f6f7;display:flex;flex-direction:column;gap:10px}
.msg-row{display:flex;flex-direction:column;align-items:flex-start;max-width:100%}.msg-row.mine{align-items:flex-end}
.who{font-size:12px;color:#8f959e;margin:0 4px 2px}
.bubble{background:#fff;border-radius:8px;padding:7px 10px;white-space:pre-wrap;word-break:break-word;max-width:86%}.mine .bubble{background:#cfe0ff}
.card{background:#fff;border-radius:8px;width:min(440px,100%);overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card-title{padding:8px 12px;font-weight:600;color:#fff;background:#3370ff}
.tone-success .card-title{background:#2ea121}.tone-warning .card-title{background:#f80}.tone-danger .card-title{background:#f54a45}.tone-neutral .card-title{background:#8f959e}
.card-body{padding:8px 12px;display:flex;flex-direction:column;gap:8px}.card-text{white-space:pre-wrap;word-break:break-word;margin:0}
.card table{border-collapse:collapse;width:100%;font-size:13px}.card th,.card td{border-bottom:1px solid #eff0f1;padding:3px 4px;text-align:left;vertical-align:top}
.card th{color:#646a73;font-weight:400}.table-title{font-weight:600;font-size:14px;margin:0 0 2px}.table-wrap{overflow-x:auto}
.status{color:#646a73;font-size:13px;border-top:1px solid #eff0f1;padding-top:6px}
.actions{display:flex;flex-wrap:wrap;gap:6px}.inputs{display:flex;flex-direction:column;gap:6px;padding:8px;background:#f5f6f7;border-radius:6px}
.inputs label{font-size:13px;color:#646a73}.inputs input{width:100%}.inputs .row{display:flex;gap:6px}
.edited{font-size:11px;color:#8f959e;margin:2px 4px 0}
.composer{display:flex;gap:8px;padding:8px;border-top:1px solid #eff0f1}.composer input{flex:1}
.hints{display:flex;flex-wrap:wrap;gap:6px;padding:0 8px 8px}.hints button{font-size:13px;padding:2px 8px;border-radius:12px;background:#f5f6f7;border-color:#eff0f1}
.empty{color:#8f959e;text-align:center;margin:auto}
.toast{position:fixed;left:50%;top:16px;transform:translateX(-50%);padding:8px 16px;border-radius:8px;background:#1f2329;color:#fff;z-index:10;max-width:90vw}
.toast.success{background:#2ea121}.toast.error{background:#d83931}
[hidden]{display:none!important}
.views{display:flex;flex-wrap:wrap;gap:4px;margin:4px 0 0}.views button{font-size:12px;padding:1px 8px;border-radius:10px;background:#f5f6f7;border-color:#eff0f1;color:#646a73}
.views button.on{background:#e1eaff;border-color:#e1eaff;color:#245bdb}
.preview{width:min(440px,100%)}.pv{background:#fff;border-radius:8px;overflow:hidden;box-shadow:0 1px 2px rgba(0,0,0,.08);margin-bottom:6px}
.pv-body{padding:8px 12px;display:flex;flex-direction:column;gap:8px}.pv-meta{font-size:11px;color:#8f959e;padding:4px 12px 6px;border-top:1px solid #eff0f1}
.pv-note{font-size:12px;color:#8f959e}.pv-btn{display:inline-block;padding:3px 12px;border:1px solid #d0d3d6;border-radius:6px;font-size:13px;margin:2px 4px 2px 0}
.pv-btn.primary,.pv-btn.s1{background:#3370ff;border-color:#3370ff;color:#fff}.pv-btn.danger,.pv-btn.s2{border-color:#f54a45;color:#d83931}
.pv-table{overflow-x:auto}.pv table{border-collapse:collapse;width:100%;font-size:13px}.pv th{background:#f5f6f7;font-weight:600}.pv th,.pv td{border-bottom:1px solid #eff0f1;padding:3px 4px;text-align:left}
.pv-input{display:flex;flex-direction:column;gap:2px}.pv-label{font-size:13px}.pv-box{border:1px solid #d0d3d6;border-radius:6px;padding:4px 8px;color:#8f959e;min-height:28px;font-size:13px}
.lk-head{padding:10px 12px;font-weight:600;color:#fff;background:#3370ff}.lk-head.green{background:#2ea121}.lk-head.orange{background:#ff8800}.lk-head.red{background:#f54a45}.lk-head.grey{background:#8f959e}
.lk-cols{display:flex;gap:12px}.lk-cols.flow{flex-wrap:wrap;gap:0}.lk-col{flex:1;min-width:0}.lk-cols.flow .lk-col{flex:none}
.lk-md,.lk-text{white-space:pre-wrap;word-break:break-word}.lk-form{display:flex;flex-direction:column;gap:6px;padding:8px;border:1px dashed #d0d3d6;border-radius:6px}
.wc{padding:10px 12px;display:flex;flex-direction:column;gap:4px}.wc .pv-meta{padding:4px 0 0;margin-top:4px}
.wc-source{font-size:12px;color:#8f959e}.wc-source.c2{color:#d83931}.wc-source.c3{color:#2ea121}
.wc-title{font-weight:600;font-size:16px}.wc-desc{color:#8f959e;font-size:13px}.wc-sub{white-space:pre-wrap;color:#646a73;font-size:14px}
.wc-kv{display:flex;gap:10px;font-size:14px}.wc-kv .k{color:#8f959e;min-width:5em}.wc-btns{display:flex;flex-wrap:wrap;margin-top:4px}
.wc-md{padding:8px 12px;font-size:14px}.wc-line{white-space:pre-wrap;word-break:break-word;min-height:1em}.wc-quote{border-left:3px solid #d0d3d6;padding-left:8px;color:#646a73}
.wc-info{color:#2ea121}.wc-warning{color:#ff8800}.wc-comment{color:#8f959e}.wc-link{color:#245bdb}
.pv-json summary{font-size:12px;color:#646a73;cursor:pointer}.pv-json pre{font-size:11px;background:#fff;padding:6px;border-radius:6px;max-height:240px;overflow:auto;white-space:pre-wrap;word-break:break-all}
@media (max-width:700px){.layout{grid-template-columns:1fr}.chats{flex-direction:row;overflow-x:auto}.chat-item{flex:none}
.pane{height:calc(100vh - 250px);min-height:360px}main{padding:8px}}
`;

const BODY = `
<div class="top"><h1>机器人沙盒</h1><button type="button" id="signout" hidden>退出</button></div>
<section class="box signin" id="signin">
<p>不用企业微信或飞书账号，在这里以演示组织里任何人的身份和机器人对话：发消息、点卡片按钮。</p>
<form id="signin-form"><input id="key" type="password" autocomplete="off" placeholder="API 密钥（npm start 启动时打印的 jxc_…）" aria-label="API 密钥"><button class="primary" type="submit">进入</button></form>
<p class="error" id="signin-error" hidden></p>
<p class="muted">密钥只保存在本浏览器（localStorage），点“退出”即清除。</p>
</section>
<div class="layout" id="app" hidden>
<aside class="side">
<div class="box"><label for="who">我是</label><select id="who"></select><div class="role" id="who-role"></div></div>
<div class="chats" id="chats"></div>
</aside>
<section class="pane">
<div class="pane-head" id="chat-title">选择一个聊天</div>
<div class="messages" id="messages"></div>
<div class="hints" id="hints"></div>
<form class="composer" id="composer"><input id="text" autocomplete="off" placeholder="输入消息，例如：库存 可乐" aria-label="消息"><button class="primary" type="submit" id="send">发送</button></form>
</section>
</div>
<div class="toast" id="toast" role="status" hidden></div>
`;

export function renderSandboxPage(): string {
  return htmlPage({ title: '机器人沙盒', body: BODY, style: STYLE, scripts: ['/sandbox/previews.js', '/sandbox/app.js'], wide: true });
}
