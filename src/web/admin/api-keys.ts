import { checks, field, heading, scopeNames } from './page';
import type { AdminSection } from './section';

/** API keys: list (never the keys), create (shown once), revoke. */
const body = `
<div class="box"><div id="keys" class="scroll"></div></div>
<form id="key-form" class="box" novalidate>
  ${heading('h2', '新建 API key', 'POST /api/v1/api-keys')}
  <div class="fields">
    ${field({ name: 'name', label: '用途名称', required: true, placeholder: 'ERP 对接 / 扫码枪', id: 'k-name' })}
    ${checks('scopes', '权限（不选 = 读取和写入）', [['read', scopeNames.read!], ['write', scopeNames.write!], ['admin', scopeNames.admin!]])}
    ${field({ name: 'user', label: '代表的人员（可选）', options: [['', '不代表任何人（系统对接）']], id: 'k-user', hint: '选了人员，这个 key 就以此人的身份和角色操作' })}
  </div>
  <div class="actions"><button class="primary" type="submit">新建</button></div>
  <div class="form-error" role="alert"></div>
  <div id="new-key" hidden><p><strong>新的 key 只显示这一次</strong>，请现在复制保存：</p><p id="new-key-value" class="secret"></p></div>
</form>`;

const script = String.raw`(function () {
  'use strict';
  var A = window.JxcAdmin;
  var form = A.$('key-form');
  var people = {};

  function revokeButton(k) {
    var b = A.el('button', '撤销', 'small danger');
    b.type = 'button';
    // Two taps, no dialog: the first asks, the second revokes.
    b.addEventListener('click', function () {
      if (b.getAttribute('data-confirm') !== 'yes') { b.setAttribute('data-confirm', 'yes'); b.textContent = '确认撤销？'; return; }
      b.disabled = true;
      A.api('POST', '/api-keys/' + encodeURIComponent(k.id) + '/revoke').then(function (r) {
        if (!r.ok) { b.disabled = false; b.textContent = r.body.error.message; return; }
        load();
      });
    });
    return b;
  }
  function load() {
    return Promise.all([A.api('GET', '/api-keys'), A.api('GET', '/users')]).then(function (rs) {
      if (rs[1].ok) {
        people = {};
        rs[1].body.users.forEach(function (u) { people[u.id] = u.name; });
        var select = form.elements.namedItem('user');
        A.options(select, rs[1].body.users.map(function (u) { return [u.id, u.name]; }), true);
      }
      if (!rs[0].ok) { A.$('keys').textContent = '读取失败：' + rs[0].body.error.message; return; }
      var mine = A.me() && A.me().key ? A.me().key.id : null;
      A.table(A.$('keys'), [['名称', 'name'], ['开头', 'prefix'], ['权限', 'scopes'], ['人员', 'user'], ['创建', 'createdAt'], ['状态', 'revokedAt']],
        rs[0].body.apiKeys.map(function (k) {
          var state = k.revokedAt ? '已撤销 ' + A.time(k.revokedAt) : (k.id === mine ? '正在使用' : revokeButton(k));
          var row = [k.name, k.prefix + '…', k.scopes.map(function (s) { return A.nameOf('scopes', s); }).join('、'),
            k.user ? (people[k.user] || k.user) : '—', A.time(k.createdAt), state];
          return row;
        }), '没有 key');
      Array.prototype.forEach.call(A.$('keys').querySelectorAll('tbody tr'), function (tr, i) { tr.setAttribute('data-key', rs[0].body.apiKeys[i].name); });
    });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    A.$('new-key').hidden = true;
    var scopes = A.checked(form, 'scopes');
    var body = { name: A.value(form, 'name'), scopes: scopes.length ? scopes : undefined, user: A.value(form, 'user') };
    A.send(form, 'POST', '/api-keys', body, { fieldOf: { user: 'user', scope: 'scopes' } }).then(function (saved) {
      if (!saved) return;
      form.reset();
      A.$('new-key-value').textContent = saved.key;
      A.$('new-key').hidden = false;
      load();
    });
  });
  A.onSignedIn(load);
})();
`;

export const apiKeysSection: AdminSection = { path: 'api-keys', title: 'API key', english: 'API keys', body, script };
