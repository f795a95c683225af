import { Hono } from 'hono';
import { documentStatuses, documentTypes } from '../../db/schema';
import { documentStatusName, documentTypeName } from '../../cards/format';
import type { AppEnv } from '../http/env';
import { DASHBOARD_APP_JS } from './dashboard-app';
import { escapeHtml, htmlPage, pageHeaders, SCRIPT_PAGE_CSP } from './layout';

/**
 * The manager's dashboard (全局看板): a static page and its same-origin script. The page holds no
 * data and needs no key; the script asks for an API key once, keeps it in localStorage and reads
 * GET /api/v1/metrics/dashboard with it, so the API's scoping and scopes are the only gate.
 */

/** Only this origin's script and API; inline styles (the shared page shell) and nothing else. */
export const DASHBOARD_CSP = SCRIPT_PAGE_CSP;

const headersFor = (contentType: string) => pageHeaders(contentType, { csp: DASHBOARD_CSP, cache: 'no-cache' });

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
  </div>
</section>`;

/** The page: Chinese names of types and statuses and the time zone ride in data attributes (no inline script). */
export function renderDashboardPage(timezone: string): string {
  const names = {
    types: Object.fromEntries(documentTypes.map((t) => [t, documentTypeName(t)])),
    statuses: Object.fromEntries(documentStatuses.map((s) => [s, documentStatusName(s)])),
  };
  const body = `<div id="app" data-timezone="${escapeHtml(timezone)}" data-names="${escapeHtml(JSON.stringify(names))}">${BODY}</div>`;
  return htmlPage({ title: '全局看板 · 进销存', body, style: STYLE, scripts: ['/dashboard/app.js'], wide: true });
}

/** `GET /dashboard` and `GET /dashboard/app.js`: public, static, no data. */
export function dashboardPageRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/dashboard', (c) =>
    new Response(renderDashboardPage(c.var.deps.config.APP_TIMEZONE), { headers: headersFor('text/html; charset=utf-8') }));
  app.get('/dashboard/app.js', () =>
    new Response(DASHBOARD_APP_JS, { headers: headersFor('text/javascript; charset=utf-8') }));
  return app;
}
