import { bindingPlatforms, bindingPurposes } from '../../../db/schema';
import { checks, field, heading, platformName, purposeNames } from './page';
import type { AdminSection } from './section';

/** Warehouses and the group chats bound to them (platform, purposes); bind a group by its chat id. */
const body = `
<div id="warehouses"></div>
<form id="warehouse-form" class="box" novalidate>
  ${heading('h2', '新建仓库', 'POST /api/v1/warehouses')}
  <div class="fields">
    ${field({ name: 'code', label: '仓库编码', required: true, placeholder: 'CENTRAL', id: 'w-code' })}
    ${field({ name: 'name', label: '名称', required: true, placeholder: '总仓', id: 'w-name' })}
    ${field({ name: 'type', label: '类型', required: true, options: [['central', '总仓 central'], ['store', '门店 store'], ['kitchen', '中央厨房 kitchen'], ['transit', '在途 transit']], id: 'w-type' })}
  </div>
  <div class="actions"><button class="primary" type="submit">新建</button><span class="form-ok ok" role="status"></span></div>
  <div class="form-error" role="alert"></div>
</form>
<form id="bind-form" class="box" novalidate>
  ${heading('h2', '绑定群聊', 'POST /api/v1/warehouses/{code}/chats')}
  <p class="muted">把群聊绑定到仓库，这个群就会收到该仓库的提醒、审批和日报。也可以把机器人拉进群，由管理员在群里 @机器人 发「绑定本群」。同一个群再绑定一次即修改用途。</p>
  <div class="fields">
    ${field({ name: 'warehouse', label: '仓库', required: true, options: [], id: 'b-warehouse' })}
    ${field({ name: 'platform', label: '平台', required: true, options: bindingPlatforms.map((p) => [p, `${platformName(p)} ${p}`]), id: 'b-platform' })}
    ${field({ name: 'chatId', label: '群 ID', required: true, placeholder: 'oc_… / 群 chatid / 机器人 key', id: 'b-chatId', hint: '飞书：oc_ 开头的 chat_id；企业微信智能机器人：群的 chatid；群机器人：webhook 的 key' })}
    ${checks('purposes', '用途（不选 = 全部）', bindingPurposes.map((p) => [p, purposeNames[p] ?? p]))}
  </div>
  <div class="actions"><button class="primary" type="submit">绑定</button><span class="form-ok ok" role="status"></span></div>
  <div class="form-error" role="alert"></div>
</form>`;

const script = String.raw`(function () {
  'use strict';
  var A = window.JxcAdmin;
  var wForm = A.$('warehouse-form');
  var bForm = A.$('bind-form');

  function bindingRow(w, b) {
    var li = A.el('li');
    li.setAttribute('data-chat', b.chatId);
    li.appendChild(A.el('strong', A.nameOf('platforms', b.platform)));
    li.appendChild(A.el('span', ' ' + b.platform + ' · ', 'muted'));
    li.appendChild(A.el('span', b.chatId));
    li.appendChild(A.el('span', ' · '));
    li.appendChild(A.chips(b.purposes.map(function (p) { return A.nameOf('purposes', p); })));
    var edit = A.el('button', '修改用途', 'small');
    edit.type = 'button';
    edit.addEventListener('click', function () {
      bForm.elements.namedItem('warehouse').value = w.code;
      bForm.elements.namedItem('platform').value = b.platform;
      bForm.elements.namedItem('chatId').value = b.chatId;
      Array.prototype.forEach.call(bForm.querySelectorAll('input[name=purposes]'), function (c) { c.checked = b.purposes.indexOf(c.value) >= 0; });
      bForm.scrollIntoView();
    });
    li.appendChild(edit);
    return li;
  }
  function card(w) {
    var box = A.el('div', null, 'box card');
    box.setAttribute('data-code', w.code);
    var h = A.el('h3', w.name);
    h.appendChild(A.el('span', w.code, 'code'));
    box.appendChild(h);
    box.appendChild(A.el('div', '类型 type：' + w.type + ' · 创建于 ' + A.time(w.createdAt), 'muted'));
    var chats = A.el('div', '读取群聊…', 'muted');
    box.appendChild(chats);
    A.api('GET', '/warehouses/' + encodeURIComponent(w.code) + '/chats').then(function (r) {
      A.clear(chats);
      if (!r.ok) { chats.textContent = '群聊读取失败：' + r.body.error.message; chats.className = 'error'; return; }
      chats.className = '';
      if (!r.body.chats.length) { chats.appendChild(A.el('span', '还没有绑定群聊', 'empty')); return; }
      chats.appendChild(A.bilingual('div', '绑定的群聊', 'chats'));
      var ul = A.el('ul');
      r.body.chats.forEach(function (b) { ul.appendChild(bindingRow(w, b)); });
      chats.appendChild(ul);
    });
    return box;
  }
  function load() {
    return A.api('GET', '/warehouses').then(function (r) {
      var list = A.clear(A.$('warehouses'));
      if (!r.ok) { list.appendChild(A.el('div', '读取失败：' + r.body.error.message, 'box error')); return; }
      if (!r.body.warehouses.length) list.appendChild(A.el('div', '还没有仓库：在下面新建', 'box empty'));
      r.body.warehouses.forEach(function (w) { list.appendChild(card(w)); });
      var select = bForm.elements.namedItem('warehouse');
      var was = select.value;
      A.options(select, r.body.warehouses.map(function (w) { return [w.code, A.label(w.name, w.code)]; }));
      if (was) select.value = was;
    });
  }
  wForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = { code: A.value(wForm, 'code'), name: A.value(wForm, 'name'), type: A.value(wForm, 'type') };
    A.send(wForm, 'POST', '/warehouses', body, { fieldOf: { code: 'code' }, done: '已新建' }).then(function (saved) {
      if (!saved) return;
      wForm.reset();
      load();
    });
  });
  bForm.addEventListener('submit', function (event) {
    event.preventDefault();
    var code = A.value(bForm, 'warehouse') || '';
    var purposes = A.checked(bForm, 'purposes');
    var body = { platform: A.value(bForm, 'platform'), chatId: A.value(bForm, 'chatId'), purposes: purposes.length ? purposes : undefined };
    A.send(bForm, 'POST', '/warehouses/' + encodeURIComponent(code) + '/chats', body, { fieldOf: { warehouse: 'warehouse' }, done: '已绑定' }).then(function (saved) {
      if (!saved) return;
      bForm.elements.namedItem('chatId').value = '';
      load();
    });
  });
  A.onSignedIn(load);
})();
`;

export const warehousesSection: AdminSection = { path: 'warehouses', title: '仓库与群聊', english: 'Warehouses and chat bindings', body, script };
