import { chatPlatforms } from '../../../db/schema';
import { checks, field, heading, platformName, roleOptions } from './page';
import type { AdminSection } from './section';

/** People: roles, warehouses and chat identities; create, add an identity, make a bind code. */
const platformOptions = (): [string, string][] => chatPlatforms.map((p) => [p, `${platformName(p)} ${p}`]);

const body = `
<div id="people"></div>
<form id="user-form" class="box" novalidate>
  ${heading('h2', '新建人员', 'POST /api/v1/users')}
  <div class="fields">
    ${field({ name: 'name', label: '姓名', required: true, placeholder: '张三', id: 'u-name' })}
    ${checks('roles', '角色', roleOptions())}
    <div class="field" data-field="warehouses"><label>负责的仓库（不选 = 全部）<span class="en">warehouses</span></label>
    <div class="checks" id="u-warehouses"></div><div class="field-error" data-error-for="warehouses" role="alert"></div></div>
    ${field({ name: 'identities.0.platform', label: '聊天平台（可选）', options: [['', '—'], ...platformOptions()], id: 'u-platform' })}
    ${field({ name: 'identities.0.externalId', label: '聊天账号 ID', placeholder: 'userid / open_id', id: 'u-externalId', hint: '也可以稍后用绑定码让本人绑定' })}
  </div>
  <div class="actions"><button class="primary" type="submit">新建</button><span class="form-ok ok" role="status"></span></div>
  <div class="form-error" role="alert"></div>
</form>
<form id="identity-form" class="box" novalidate hidden>
  ${heading('h2', '添加聊天身份', 'POST /api/v1/users/{id}/identities')}
  <p id="identity-who"></p>
  <div class="fields">
    ${field({ name: 'platform', label: '聊天平台', required: true, options: platformOptions(), id: 'i-platform' })}
    ${field({ name: 'externalId', label: '聊天账号 ID', required: true, id: 'i-externalId' })}
    ${field({ name: 'app', label: '应用名（可选）', placeholder: 'default', id: 'i-app' })}
  </div>
  <div class="actions"><button class="primary" type="submit">添加</button><button type="button" id="identity-cancel">取消</button></div>
  <div class="form-error" role="alert"></div>
</form>`;

const script = String.raw`(function () {
  'use strict';
  var A = window.JxcAdmin;
  var uForm = A.$('user-form');
  var iForm = A.$('identity-form');
  var warehouses = [];
  var target = null;

  function whName(code) {
    var w = warehouses.filter(function (x) { return x.code === code; })[0];
    return w ? A.label(w.name, code) : code;
  }
  function card(u) {
    var box = A.el('div', null, 'box card');
    box.setAttribute('data-user', u.name);
    box.appendChild(A.el('h3', u.name));
    var dl = A.el('dl');
    dl.appendChild(A.bilingual('dt', '角色', 'roles'));
    dl.appendChild(A.el('dd')).appendChild(A.chips(u.roles.map(function (r) { return A.nameOf('roles', r); })));
    dl.appendChild(A.bilingual('dt', '仓库', 'warehouses'));
    dl.appendChild(A.el('dd', u.warehouses.length ? u.warehouses.map(whName).join('、') : '全部仓库'));
    dl.appendChild(A.bilingual('dt', '聊天身份', 'identities'));
    dl.appendChild(A.el('dd')).appendChild(A.chips(u.identities.map(function (i) {
      return A.nameOf('platforms', i.platform) + (i.app !== 'default' ? '（' + i.app + '）' : '') + '：' + i.externalId;
    })));
    box.appendChild(dl);
    var code = A.el('div', null, 'bind-code');
    var actions = A.el('div', null, 'actions');
    var makeCode = A.el('button', '生成绑定码', 'small');
    makeCode.type = 'button';
    makeCode.addEventListener('click', function () {
      A.api('POST', '/users/' + encodeURIComponent(u.id) + '/bind-codes').then(function (r) {
        A.clear(code);
        if (!r.ok) { code.appendChild(A.el('span', r.body.error.message, 'error')); return; }
        code.appendChild(A.el('span', '请本人在聊天中发：'));
        code.appendChild(A.el('strong', '绑定 ' + r.body.code, 'secret'));
        code.appendChild(A.el('span', ' 有效期至 ' + A.time(r.body.expiresAt), 'muted'));
      });
    });
    var addIdentity = A.el('button', '添加聊天身份', 'small');
    addIdentity.type = 'button';
    addIdentity.addEventListener('click', function () {
      target = u;
      A.$('identity-who').textContent = '给 ' + u.name + ' 添加：';
      iForm.hidden = false;
      A.clearErrors(iForm);
      iForm.scrollIntoView();
    });
    actions.appendChild(makeCode);
    actions.appendChild(addIdentity);
    box.appendChild(actions);
    box.appendChild(code);
    return box;
  }
  function load() {
    return Promise.all([A.api('GET', '/warehouses'), A.api('GET', '/users')]).then(function (rs) {
      var list = A.clear(A.$('people'));
      if (!rs[1].ok) { list.appendChild(A.el('div', '读取失败：' + rs[1].body.error.message, 'box error')); return; }
      warehouses = rs[0].ok ? rs[0].body.warehouses : [];
      var boxes = A.clear(A.$('u-warehouses'));
      warehouses.forEach(function (w) {
        var l = A.el('label');
        var c = A.el('input');
        c.type = 'checkbox'; c.name = 'warehouses'; c.value = w.code;
        l.appendChild(c);
        l.appendChild(document.createTextNode(' ' + A.label(w.name, w.code)));
        boxes.appendChild(l);
      });
      if (!rs[1].body.users.length) list.appendChild(A.el('div', '还没有人员：在下面新建', 'box empty'));
      rs[1].body.users.forEach(function (u) { list.appendChild(card(u)); });
    });
  }
  uForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var platform = A.value(uForm, 'identities.0.platform');
    var externalId = A.value(uForm, 'identities.0.externalId');
    var picked = A.checked(uForm, 'warehouses');
    var body = {
      name: A.value(uForm, 'name'), roles: A.checked(uForm, 'roles'), warehouses: picked.length ? picked : undefined,
      identities: platform || externalId ? [{ platform: platform, externalId: externalId }] : undefined,
    };
    A.send(uForm, 'POST', '/users', body, { fieldOf: { warehouse: 'warehouses' }, done: '已新建' }).then(function (saved) {
      if (!saved) return;
      uForm.reset();
      load();
    });
  });
  iForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = { platform: A.value(iForm, 'platform'), externalId: A.value(iForm, 'externalId'), app: A.value(iForm, 'app') };
    A.send(iForm, 'POST', '/users/' + encodeURIComponent(target.id) + '/identities', body, { fieldOf: {} }).then(function (saved) {
      if (!saved) return;
      iForm.reset();
      iForm.hidden = true;
      load();
    });
  });
  A.$('identity-cancel').addEventListener('click', function () { iForm.hidden = true; });
  A.onSignedIn(load);
})();
`;

export const peopleSection: AdminSection = { path: 'people', title: '人员', english: 'People and chat identities', body, script };
