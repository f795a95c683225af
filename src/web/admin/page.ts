import { documentTypes, roles } from '../../../db/schema';
import { documentTypeName, roleName } from '../../../cards/format';
import { escapeHtml, htmlPage } from '../layout';
import type { AdminSection } from './section';

/**
 * The admin pages' shell: the dashboard's look and its sign-in (the same stored key), a menu of the
 * sections, and the section's own HTML; `/dashboard/dom.js`, `/admin/common.js`, then the section's script do the rest.
 * Chinese first, the English API name underneath, as on every page.
 */
const STYLE = `
header.bar{display:flex;align-items:center;gap:8px;flex-wrap:wrap}header.bar h1{flex:1;margin:4px 0}
nav.menu{display:flex;flex-wrap:wrap;gap:4px 6px;margin:0 0 8px}nav.menu a{padding:3px 10px;border-radius:14px;background:#fff;color:#245bdb;text-decoration:none;font-size:14px}
nav.menu a.here{background:#245bdb;color:#fff}
button{font:inherit;padding:5px 12px;border:1px solid #d0d3d6;border-radius:6px;background:#fff;color:#1f2329;cursor:pointer}
button.primary{background:#245bdb;border-color:#245bdb;color:#fff}button:disabled{opacity:.45;cursor:default}button.danger{color:#d83931;border-color:#f5a3a3}button.small{padding:1px 8px;font-size:13px}
input,select,textarea{font:inherit;padding:4px 6px;border:1px solid #d0d3d6;border-radius:6px;background:#fff;max-width:100%}
form.signin{display:flex;gap:8px;flex-wrap:wrap;align-items:center}form.signin input{flex:1;min-width:200px}
.en{display:block;color:#8f959e;font-size:12px;font-weight:normal;line-height:1.3}
.fields{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,200px),1fr));gap:8px 12px}
.field label{display:block;font-size:14px;color:#1f2329;margin-bottom:2px}.field input:not([type=checkbox]),.field select,.field textarea{width:100%}
.field .hint{color:#8f959e;font-size:12px}.checks{display:flex;flex-wrap:wrap;gap:2px 12px}.checks label{font-size:14px;white-space:nowrap}
.field-error,.form-error{color:#d83931;font-size:13px;min-height:0}.field-error:empty,.form-error:empty{display:none}
.field.invalid input,.field.invalid select,.field.invalid textarea{border-color:#d83931}
.actions{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin-top:10px}.ok{color:#2ea121}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:4px 6px;border-bottom:1px solid #eff0f1;text-align:left;vertical-align:top}th .en{font-size:11px}
.card h3{font-size:15px;margin:0}.card .code{color:#646a73;font-size:13px;margin-left:6px}.card dl{margin-top:4px;font-size:14px}
.chips span{display:inline-block;background:#eff0f1;border-radius:4px;padding:0 6px;margin:1px 4px 1px 0;font-size:13px}
.secret{font-family:ui-monospace,Menlo,monospace;background:#fff7e8;border:1px solid #ffd591;border-radius:6px;padding:8px;word-break:break-all}
.error{color:#d83931}.empty{color:#8f959e;font-size:13px;padding:6px 0}fieldset{border:1px solid #e4e5e7;border-radius:8px;margin:8px 0;padding:6px 10px}
legend{font-size:14px;color:#646a73}
`;

/** A labelled input with its English API name and the place the API's error for it appears. */
export function field(options: {
  name: string; label: string; type?: string; required?: boolean; placeholder?: string; hint?: string; options?: [string, string][]; id?: string;
}): string {
  const id = options.id ?? `f-${options.name}`;
  const common = `id="${escapeHtml(id)}" name="${escapeHtml(options.name)}"${options.required ? ' required' : ''}`;
  const control = options.options
    ? `<select ${common}>${options.options.map(([v, t]) => `<option value="${escapeHtml(v)}">${escapeHtml(t)}</option>`).join('')}</select>`
    : `<input ${common} type="${escapeHtml(options.type ?? 'text')}" autocomplete="off"${options.placeholder ? ` placeholder="${escapeHtml(options.placeholder)}"` : ''}>`;
  return `<div class="field" data-field="${escapeHtml(options.name)}"><label for="${escapeHtml(id)}">${escapeHtml(options.label)}`
    + `<span class="en">${escapeHtml(options.name)}</span></label>${control}`
    + (options.hint ? `<div class="hint">${escapeHtml(options.hint)}</div>` : '')
    + `<div class="field-error" data-error-for="${escapeHtml(options.name)}" role="alert"></div></div>`;
}

/** Checkboxes named `name`, one per value, for a list field (roles, purposes, scopes). */
export function checks(name: string, label: string, values: [string, string][], checked: string[] = []): string {
  const boxes = values.map(([v, t]) => `<label><input type="checkbox" name="${escapeHtml(name)}" value="${escapeHtml(v)}"${checked.includes(v) ? ' checked' : ''}> ${escapeHtml(t)}`
    + ` <span class="muted">${escapeHtml(v)}</span></label>`).join('');
  return `<div class="field" data-field="${escapeHtml(name)}"><label>${escapeHtml(label)}<span class="en">${escapeHtml(name)}</span></label>`
    + `<div class="checks">${boxes}</div><div class="field-error" data-error-for="${escapeHtml(name)}" role="alert"></div></div>`;
}

/** A heading in Chinese with the English name under it. */
export const heading = (tag: 'h1' | 'h2', zh: string, en: string) => `<${tag}>${escapeHtml(zh)}<span class="en">${escapeHtml(en)}</span></${tag}>`;

/** Chinese names the scripts show for the API's codes. */
const platformNames: Record<string, string> = {
  sandbox: '沙盒', lark: '飞书', wecom: '企业微信', 'wecom-aibot': '企业微信智能机器人', 'wecom-robot': '企业微信群机器人',
};
export const purposeNames: Record<string, string> = { alerts: '提醒', approvals: '审批', digest: '日报' };
export const scopeNames: Record<string, string> = { read: '读取', write: '写入', admin: '管理' };
export const platformName = (p: string) => platformNames[p] ?? p;
export const roleOptions = (): [string, string][] => roles.map((r) => [r, roleName(r)]);

function names() {
  return {
    roles: Object.fromEntries(roles.map((r) => [r, roleName(r)])),
    types: Object.fromEntries(documentTypes.map((t) => [t, documentTypeName(t)])),
    platforms: platformNames,
    purposes: purposeNames,
    scopes: scopeNames,
  };
}

export function renderAdminPage(section: AdminSection, sections: readonly AdminSection[], timezone: string): string {
  const menu = sections.map((s) => `<a href="/admin/${s.path}"${s === section ? ' class="here" aria-current="page"' : ''}>${escapeHtml(s.title)}</a>`).join('')
    + '<a href="/dashboard">看板</a>';
  const body = `<div id="app" data-section="${escapeHtml(section.path)}" data-timezone="${escapeHtml(timezone)}" data-names="${escapeHtml(JSON.stringify(names()))}">
<header class="bar">${heading('h1', `${section.title} · 管理`, section.english)}<span id="who" class="muted"></span><button id="signout" type="button" hidden>退出</button></header>
<nav class="menu">${menu}</nav>
<section id="signin" class="box">
  <form id="signin-form" class="signin">
    <label for="apikey">API key</label>
    <input id="apikey" name="apikey" type="password" autocomplete="off" placeholder="jxc_…" required>
    <button class="primary" type="submit">登录</button>
  </form>
  <p class="muted">用管理员的 API key 登录（与看板共用，保存在本浏览器中，点“退出”即删除）。演示组织的管理员 key 在服务启动时打印在终端里。</p>
  <p id="signin-error" class="error" role="alert"></p>
</section>
<section id="content" hidden>
<p id="not-admin" class="box error" hidden>这个 key 没有管理权限（admin scope）：可以查看，但保存会被拒绝。</p>
${section.body}
</section></div>`;
  return htmlPage({ title: `${section.title} · 管理 · 进销存`, body, style: STYLE, scripts: ['/dashboard/dom.js', '/admin/common.js', `/admin/${section.path}.js`] });
}
