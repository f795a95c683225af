import { documentTypes } from '../../../db/schema';
import { documentTypeName } from '../../../cards/format';
import { field, heading } from './page';
import type { AdminSection } from './section';

/**
 * Approval rules: one form per rule, its levels in order, saved together (PUT replaces the set), and
 * a preview of what a document would need, answered by the server's matcher over the draft.
 */
const typeOptions = (): [string, string][] => documentTypes.map((t) => [t, `${documentTypeName(t)} ${t}`]);

const body = `
<form id="rules-form" novalidate>
  <div class="box">${heading('h2', '审批规则', 'PUT /api/v1/approval-rules')}
  <p class="muted">单据提交时，按顺序检查每条规则；条件都满足的规则，其审批级别依次加入（同样的审批人只审一次）。不满足任何规则的单据不需要审批。</p></div>
  <div id="rule-list"></div>
  <div class="box actions"><button type="button" id="rule-add">添加规则</button><button class="primary" type="submit" id="rules-save">保存全部规则</button>
  <span class="form-ok ok" role="status"></span></div>
  <div class="form-error box" role="alert"></div>
</form>
<form id="preview-form" class="box" novalidate>
  ${heading('h2', '预览：这样的单据需要谁审批？', 'POST /api/v1/approval-rules/preview')}
  <p class="muted">按上面正在编辑的规则（未保存也可以）计算。</p>
  <div class="fields">
    ${field({ name: 'documentType', label: '单据类型', options: typeOptions(), id: 'p-type' })}
    ${field({ name: 'warehouse', label: '仓库（调拨：调出仓）', options: [], id: 'p-warehouse' })}
    ${field({ name: 'value', label: '金额（元）', placeholder: '800', id: 'p-value' })}
    ${field({ name: 'qty', label: '数量（可选）', id: 'p-qty' })}
    ${field({ name: 'categories', label: '商品类别（可选）', placeholder: '饮料|酒水', id: 'p-categories' })}
  </div>
  <div class="actions"><button class="primary" type="submit">预览</button></div>
  <div class="form-error" role="alert"></div>
  <p id="preview-result" role="status"></p>
</form>`;

const script = String.raw`(function () {
  'use strict';
  var A = window.JxcAdmin;
  var form = A.$('rules-form');
  var preview = A.$('preview-form');
  var warehouses = [];
  var users = [];
  var rules = [];
  var types = Array.prototype.map.call(A.$('p-type').options, function (o) { return o.value; });

  /** A labelled control with its error slot at the API's path for it (rules.0.minValue). */
  function slot(path) { var d = A.el('div', null, 'field-error'); d.setAttribute('data-error-for', path); d.setAttribute('role', 'alert'); return d; }
  function fieldBox(zh, en, control, path) {
    var f = A.el('div', null, 'field');
    var l = A.el('label', zh);
    l.appendChild(A.el('span', en, 'en'));
    f.appendChild(l);
    f.appendChild(control);
    f.appendChild(slot(path));
    return f;
  }
  function text(name, v, placeholder) {
    var i = A.el('input');
    i.name = name; i.value = v === null || v === undefined ? '' : String(v); i.autocomplete = 'off';
    if (placeholder) i.placeholder = placeholder;
    return i;
  }
  function boxes(name, pairs, chosen) {
    var d = A.el('div', null, 'checks');
    pairs.forEach(function (p) {
      var l = A.el('label');
      var c = A.el('input');
      c.type = 'checkbox'; c.name = name; c.value = p[0]; c.checked = chosen.indexOf(p[0]) >= 0;
      l.appendChild(c);
      l.appendChild(document.createTextNode(' ' + p[1]));
      d.appendChild(l);
    });
    return d;
  }
  function button(label, onClick, cls) {
    var b = A.el('button', label, cls || 'small');
    b.type = 'button';
    b.addEventListener('click', function () { rules = collect(); onClick(); render(); });
    return b;
  }
  function move(list, i, by) { var j = i + by; if (j < 0 || j >= list.length) return; var x = list[i]; list[i] = list[j]; list[j] = x; }

  function levelNode(r, rule, j) {
    var level = rule.levels[j];
    var li = A.el('li', null, 'level');
    li.setAttribute('data-level', String(j));
    var p = 'rules.' + r + '.levels.' + j;
    li.appendChild(A.el('strong', '第 ' + (j + 1) + ' 级'));
    li.appendChild(fieldBox('角色（任一人可审）', 'roles', boxes('roles', Object.keys(A.names.roles).map(function (k) { return [k, A.nameOf('roles', k)]; }), level.roles || []), p + '.roles'));
    li.appendChild(fieldBox('指定人员', 'users', boxes('users', users.map(function (u) { return [u.id, u.name]; }), level.users || []), p + '.users'));
    li.appendChild(slot(p));
    var actions = A.el('div', null, 'actions');
    actions.appendChild(button('上移', function () { move(rules[r].levels, j, -1); }));
    actions.appendChild(button('下移', function () { move(rules[r].levels, j, 1); }));
    actions.appendChild(button('删除此级', function () { rules[r].levels.splice(j, 1); }, 'small danger'));
    li.appendChild(actions);
    return li;
  }
  function ruleNode(rule, r) {
    var box = A.el('fieldset', null, 'box rule');
    box.setAttribute('data-rule', String(r));
    box.appendChild(A.el('legend', '规则 ' + (r + 1)));
    var p = 'rules.' + r;
    var fields = A.el('div', null, 'fields');
    fields.appendChild(fieldBox('规则名称', 'name', text('name', rule.name, '大额调拨'), p + '.name'));
    fields.appendChild(fieldBox('最低金额（元）', 'minValue', text('minValue', rule.minValue, '不限'), p + '.minValue'));
    fields.appendChild(fieldBox('最低数量', 'minQty', text('minQty', rule.minQty, '不限'), p + '.minQty'));
    fields.appendChild(fieldBox('仓库类型（| 分隔）', 'warehouseTypes', text('warehouseTypes', (rule.warehouseTypes || []).join('|'), '不限'), p + '.warehouseTypes'));
    fields.appendChild(fieldBox('商品类别（| 分隔）', 'categories', text('categories', (rule.categories || []).join('|'), '不限'), p + '.categories'));
    box.appendChild(fields);
    box.appendChild(fieldBox('单据类型', 'documentTypes', boxes('documentTypes', types.map(function (t) { return [t, A.nameOf('types', t)]; }), rule.documentTypes || []), p + '.documentTypes'));
    box.appendChild(fieldBox('仓库（不选 = 全部）', 'warehouses', boxes('warehouses', warehouses.map(function (w) { return [w.code, A.label(w.name, w.code)]; }), rule.warehouses || []), p + '.warehouses'));
    box.appendChild(A.bilingual('div', '审批级别（按顺序）', 'levels'));
    var ol = A.el('ol', null, 'levels');
    rule.levels.forEach(function (_, j) { ol.appendChild(levelNode(r, rule, j)); });
    box.appendChild(ol);
    box.appendChild(slot(p + '.levels'));
    box.appendChild(slot(p));
    var actions = A.el('div', null, 'actions');
    actions.appendChild(button('添加一级', function () { rules[r].levels.push({ roles: [], users: [] }); }));
    actions.appendChild(button('规则上移', function () { move(rules, r, -1); }));
    actions.appendChild(button('规则下移', function () { move(rules, r, 1); }));
    actions.appendChild(button('删除规则', function () { rules.splice(r, 1); }, 'small danger'));
    box.appendChild(actions);
    return box;
  }
  function render() {
    var list = A.clear(A.$('rule-list'));
    if (!rules.length) list.appendChild(A.el('div', '没有审批规则：所有单据都不需要审批', 'box empty'));
    rules.forEach(function (rule, r) { list.appendChild(ruleNode(rule, r)); });
  }
  function picked(node, name) {
    return Array.prototype.filter.call(node.querySelectorAll('input[name="' + name + '"]'), function (c) { return c.checked; }).map(function (c) { return c.value; });
  }
  function typed(node, name) { var v = node.querySelector('input[name="' + name + '"]').value.trim(); return v === '' ? undefined : v; }
  /** The rules as the form shows them, in the API's shape. */
  function collect() {
    return Array.prototype.map.call(A.$('rule-list').querySelectorAll('fieldset.rule'), function (box) {
      var whs = picked(box, 'warehouses');
      return {
        name: typed(box, 'name') || '', documentTypes: picked(box, 'documentTypes'), warehouses: whs.length ? whs : undefined,
        warehouseTypes: A.list(typed(box, 'warehouseTypes')), categories: A.list(typed(box, 'categories')),
        minValue: typed(box, 'minValue'), minQty: typed(box, 'minQty'),
        levels: Array.prototype.map.call(box.querySelectorAll('li.level'), function (li) {
          var roles = picked(li, 'roles');
          var who = picked(li, 'users');
          return { roles: roles.length ? roles : undefined, users: who.length ? who : undefined };
        }),
      };
    });
  }
  function load() {
    return Promise.all([A.api('GET', '/approval-rules'), A.api('GET', '/warehouses'), A.api('GET', '/users')]).then(function (rs) {
      warehouses = rs[1].ok ? rs[1].body.warehouses : [];
      users = rs[2].ok ? rs[2].body.users : [];
      A.options(preview.elements.namedItem('warehouse'), warehouses.map(function (w) { return [w.code, A.label(w.name, w.code)]; }));
      if (!rs[0].ok) { A.$('rule-list').textContent = '读取失败：' + rs[0].body.error.message; return; }
      rules = rs[0].body.rules.map(function (r) {
        return { name: r.name, documentTypes: r.documentTypes, warehouses: r.warehouses, warehouseTypes: r.warehouseTypes, categories: r.categories,
          minValue: r.minValue, minQty: r.minQty, levels: r.levels };
      });
      render();
    });
  }
  A.$('rule-add').addEventListener('click', function () {
    rules = collect();
    rules.push({ name: '', documentTypes: [], levels: [{ roles: [], users: [] }] });
    render();
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    A.send(form, 'PUT', '/approval-rules', { rules: collect() }, { done: '已保存' }).then(function (saved) {
      if (!saved) return;
      var note = form.querySelector('.form-ok');
      load().then(function () { note.textContent = '已保存 ' + saved.rules.length + ' 条规则'; });
    });
  });
  function whoOf(level) {
    return (level.roles || []).map(function (r) { return A.nameOf('roles', r); })
      .concat((level.users || []).map(function (id) { var u = users.filter(function (x) { return x.id === id; })[0]; return u ? u.name : id; }))
      .join(' 或 ');
  }
  preview.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = {
      documentType: A.value(preview, 'documentType'), warehouse: A.value(preview, 'warehouse'), value: A.value(preview, 'value'),
      qty: A.value(preview, 'qty'), categories: A.list(A.value(preview, 'categories')), rules: collect(),
    };
    var out = A.$('preview-result');
    out.textContent = '';
    A.send(preview, 'POST', '/approval-rules/preview', body, { fieldOf: { warehouse: 'warehouse' } }).then(function (res) {
      if (!res) return;
      var w = warehouses.filter(function (x) { return x.code === body.warehouse; })[0];
      var what = '从 ' + (w ? w.name : body.warehouse) + ' 的' + A.nameOf('types', body.documentType) + (body.value ? '，金额 ¥' + body.value : '');
      out.textContent = res.levels.length
        ? what + '，需要：' + res.levels.map(function (l, i) { return '第 ' + (i + 1) + ' 级 ' + whoOf(l) + '（' + l.rules.join('、') + '）'; }).join('；')
        : what + '，不需要审批。';
    });
  });
  A.onSignedIn(load);
})();
`;

export const approvalRulesSection: AdminSection = { path: 'approval-rules', title: '审批规则', english: 'Approval rules', body, script };
