import { documentStatuses, documentTypes } from '../../db/schema';
import { documentStatusName, documentTypeName } from '../../cards/format';
import { escapeHtml, htmlPage, SCRIPT_PAGE_CSP } from './layout';

/**
 * The manager's dashboard (全局看板): a static page and its same-origin script. The page holds no
 * data and needs no key; the script asks for an API key once, keeps it in localStorage and reads
 * GET /api/v1/metrics/dashboard with it, so the API's scoping and scopes are the only gate.
 */

/** Only this origin's script and API; inline styles (the shared page shell) and nothing else. */
export const DASHBOARD_CSP = SCRIPT_PAGE_CSP;

const STYLE = `
header.bar{display:flex;align-items:center;gap:8px;flex-wrap:wrap}header.bar h1{flex:1;margin:4px 0}
button{font:inherit;padding:5px 12px;border:1px solid #d0d3d6;border-radius:6px;background:#fff;color:#1f2329;cursor:pointer}
button.primary{background:#245bdb;border-color:#245bdb;color:#fff}
input,select{font:inherit;padding:4px 6px;border:1px solid #d0d3d6;border-radius:6px;background:#fff;max-width:100%}
form.signin{display:flex;gap:8px;flex-wrap:wrap;align-items:center}form.signin input{flex:1;min-width:200px}
.filters{display:flex;gap:8px 14px;flex-wrap:wrap;align-items:center}.filters label{white-space:nowrap}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;margin-bottom:8px}
.tile{background:#fff;border-radius:8px;padding:10px 12px}.tile .label{color:#646a73;font-size:13px}
.tile .value{font-size:26px;font-weight:600;line-height:1.3}.tile .sub{color:#8f959e;font-size:12px;min-height:18px}
.tile.warn .value{color:#d83931}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,380px),1fr));gap:8px}.grid .box{margin:0;min-width:0}
.grid h2{margin:2px 0 8px;color:#1f2329}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:13px;margin-top:8px}
th,td{padding:4px 6px;border-bottom:1px solid #eff0f1;text-align:left;white-space:nowrap}td.n,th.n{text-align:right}
svg{display:block;width:100%;height:auto}svg text{font-size:12px;fill:#1f2329}svg text.muted{fill:#8f959e}
.legend{display:flex;flex-wrap:wrap;gap:4px 10px;font-size:12px;color:#646a73}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:3px}
.error{color:#d83931}.empty{color:#8f959e;font-size:13px;padding:6px 0}
td.up{color:#d83931;font-weight:600}td.down{color:#2ea121;font-weight:600}
.api{display:block;font:11px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;color:#8f959e;font-weight:400}h2 .api{display:inline;margin-left:6px}
button.tile{font:inherit;text-align:left;border:1px solid #eff0f1;width:100%;cursor:pointer}button.tile:hover{border-color:#4e83fd}
#stock>.tiles .tile{background:#f5f6f7}#stock .grid .box{background:#f5f6f7}svg g.bar,svg rect.day{cursor:pointer}svg g.bar:hover rect{fill:#245bdb}
.tile.opens{cursor:pointer;border:1px solid #eff0f1}.tile.opens:hover{border-color:#4e83fd}.drill{border:1px solid #4e83fd}.drill header h2{flex:1;margin:0}
`;

const BODY = `
<header class="bar"><h1>全局看板</h1><button id="signout" type="button" hidden>退出</button></header>
<section id="signin" class="box">
  <form id="signin-form" class="signin">
    <label for="apikey">API key</label>
    <input id="apikey" name="apikey" type="password" autocomplete="off" placeholder="jxc_…" required>
    <button class="primary" type="submit">进入看板</button>
  </form>
  <p class="muted">用任一有读取权限的 API key 登录。演示组织的管理员 key 在服务启动时打印在终端里。key 只保存在本浏览器中，点“退出”即删除。</p>
  <p id="signin-error" class="error" role="alert"></p>
</section>
<section id="board" hidden>
  <div class="box filters">
    <label>仓库 <select id="warehouse"><option value="">全部仓库</option></select></label>
    <label>期间 <select id="preset">
      <option value="7">近 7 天</option><option value="30" selected>近 30 天</option><option value="90">近 90 天</option><option value="custom">自定义</option>
    </select></label>
    <label>从 <input id="from" type="date"></label>
    <label>到 <input id="to" type="date"></label>
    <button id="refresh" type="button">刷新</button>
    <span id="status" class="muted" role="status"></span>
  </div>
  <div class="tiles">
    <div class="tile" data-tile="backlog"><div class="label">待处理单据</div><div class="value" id="tile-backlog">–</div><div class="sub" id="tile-backlog-sub"></div></div>
    <div class="tile" data-tile="overdue"><div class="label">超时单据</div><div class="value" id="tile-overdue">–</div><div class="sub" id="tile-overdue-sub">按服务时限，当前</div></div>
    <div class="tile" data-tile="exceptions"><div class="label">期间异常</div><div class="value" id="tile-exceptions">–</div><div class="sub" id="tile-exceptions-sub"></div></div>
    <div class="tile" data-tile="alerts"><div class="label">未处理低库存提醒</div><div class="value" id="tile-alerts">–</div><div class="sub" id="tile-alerts-sub"></div></div>
    <div class="tile" data-tile="accuracy"><div class="label">库存准确率</div><div class="value" id="tile-accuracy">–</div><div class="sub" id="tile-accuracy-sub"></div></div>
  </div>
  <div class="grid">
    <div class="box"><h2>待处理单据（按类型和状态）</h2><div id="chart-backlog"></div><div id="table-backlog" class="scroll"></div></div>
    <div class="box"><h2>各状态平均停留时间（小时）</h2><div id="chart-time"></div><div id="table-time" class="scroll"></div></div>
    <div class="box"><h2>超时单据（按仓库和类型）</h2><div id="table-overdue" class="scroll"></div></div>
    <div class="box"><h2>期间异常</h2><div id="table-exceptions" class="scroll"></div></div>
    <div class="box"><h2>库存准确率（按仓库，盘点无差异行占比）</h2><div id="chart-accuracy"></div></div>
    <div class="box"><h2>未处理提醒（按仓库）</h2><div id="table-alerts" class="scroll"></div></div>
    <div class="box"><h2>未完成订单（按已开天数）与发货满足率</h2><div id="table-orders" class="scroll"></div><div id="fill-rate" class="sub"></div></div>
  </div>
  <section class="box" id="stock"><h2>库存 <span class="api">stock · GET /api/v1/metrics/stock</span> <span id="stock-status" class="muted" role="status"></span></h2>
    <div class="tiles">
      <button type="button" class="tile" id="stock-tile-value"><div class="label">库存金额</div><div class="value" id="stock-value">–</div><div class="sub" id="stock-value-sub"></div><div class="api">value</div></button>
      <button type="button" class="tile" id="stock-tile-below"><div class="label">低于安全库存</div><div class="value" id="stock-below">–</div><div class="sub">个商品·仓库</div><div class="api">belowSafety.items</div></button>
      <button type="button" class="tile" id="stock-tile-near"><div class="label">临期金额</div><div class="value" id="stock-near">–</div><div class="sub" id="stock-near-sub"></div><div class="api">nearExpiry.value</div></button>
      <button type="button" class="tile" id="stock-tile-issues"><div class="label">近 30 天出库单</div><div class="value" id="stock-issues">–</div><div class="sub" id="stock-issues-sub"></div><div class="api">trend.days[].issues</div></button>
      <button type="button" class="tile" id="stock-tile-wastage"><div class="label">期间损耗（报损调整单）</div><div class="value" id="stock-wastage">–</div><div class="sub" id="stock-wastage-sub"></div><div class="api">GET /api/v1/metrics/wastage · totalValue</div></button>
    </div>
    <div class="grid">
      <div class="box"><h2>库存金额（按仓库）<span class="api">byWarehouse</span></h2><div id="stock-by-warehouse"></div></div>
      <div class="box"><h2>库存金额（按分类）<span class="api">byCategory</span></h2><div id="stock-by-category"></div></div>
      <div class="box"><h2>近 30 天库存金额<span class="api">trend.days[].stockValue</span></h2><div id="stock-trend-value"></div></div>
      <div class="box"><h2>近 30 天每日出库金额<span class="api">trend.days[].issueValue</span></h2><div id="stock-trend-issues"></div></div>
      <div class="box"><h2>期间损耗（按原因）<span class="api">wastage.rows[].reason</span></h2><div id="stock-wastage-by-reason"></div></div>
    </div>
    <div class="box drill" id="stock-drill" hidden><header class="bar"><h2 id="stock-drill-title"></h2><button type="button" id="stock-drill-close">关闭</button></header>
      <div class="api" id="stock-drill-api"></div><div id="stock-drill-table" class="scroll"></div></div>
    <p class="muted">点任一指标、柱子或有出库的日期，查看背后的商品或单据。</p>
  </section>
  <div class="box" id="costs"><h2>产品单位成本表</h2>
    <div class="filters">
      <label>月份 <input id="cost-period" type="month"></label>
      <label>对比 <input id="cost-compare" type="month"></label>
      <button id="cost-load" type="button">查看</button>
      <span id="cost-status" class="muted" role="status"></span>
    </div>
    <div id="table-costs" class="scroll"></div>
  </div>
  <div class="box" id="replenishment"><h2>补货建议 <span class="api">GET /api/v1/replenishment</span></h2>
    <div class="filters">
      <button id="replenish-load" type="button">刷新</button>
      <strong id="replenish-waiting"></strong>
      <span id="replenish-status" class="muted" role="status"></span>
    </div>
    <div id="table-replenish" class="scroll"></div>
  </div>
</section>`;

/** The page: Chinese names of types and statuses and the time zone ride in data attributes (no inline script). */
export function renderDashboardPage(timezone: string): string {
  const names = {
    types: Object.fromEntries(documentTypes.map((t) => [t, documentTypeName(t)])),
    statuses: Object.fromEntries(documentStatuses.map((s) => [s, documentStatusName(s)])),
  };
  const body = `<div id="app" data-timezone="${escapeHtml(timezone)}" data-names="${escapeHtml(JSON.stringify(names))}">${BODY}</div>`;
  return htmlPage({ title: '全局看板 · 进销存', body, style: STYLE, scripts: ['/dashboard/dom.js', '/dashboard/app.js', '/dashboard/stock.js', '/dashboard/costs.js', '/dashboard/replenishment.js'], wide: true });
}
