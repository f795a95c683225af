import { field, heading } from './page';
import type { AdminSection } from './section';

/** Reorder rules (safety stock per item and warehouse): list, set, change. */
const body = `
<div class="box"><div id="rules" class="scroll"></div></div>
<form id="rule-form" class="box" novalidate>
  ${heading('h2', '设置安全库存', 'PUT /api/v1/reorder-rules')}
  <p class="muted">同一商品和仓库再设置一次即修改（留空的项恢复默认）；库存低于安全库存时，仓库的群会收到提醒，补货建议按提前期加覆盖天数的预测需求计算。</p>
  <div class="fields">
    ${field({ name: 'sku', label: '商品', required: true, placeholder: '商品编码', id: 'r-sku', hint: '输入编码，或从列表选' })}
    ${field({ name: 'warehouse', label: '仓库', required: true, options: [], id: 'r-warehouse' })}
    ${field({ name: 'minQty', label: '安全库存（基本单位）', required: true, placeholder: '10', id: 'r-minQty' })}
    ${field({ name: 'reorderQty', label: '建议补货量（可选）', placeholder: '48', id: 'r-reorderQty' })}
    ${field({ name: 'source', label: '补货来源', options: [['supplier', '供应商采购 supplier']], id: 'r-source', hint: '或由另一个仓库供货（如中央厨房）' })}
    ${field({ name: 'safetyStock', label: '补货安全量（可选）', placeholder: '默认 = 安全库存', id: 'r-safetyStock' })}
    ${field({ name: 'leadTimeDays', label: '提前期（天，可选）', type: 'number', placeholder: '默认 = 商品的采购周期', id: 'r-leadTimeDays' })}
    ${field({ name: 'coverDays', label: '覆盖天数（可选）', type: 'number', placeholder: '默认 7', id: 'r-coverDays' })}
  </div>
  <datalist id="skus"></datalist>
  <div class="actions"><button class="primary" type="submit">保存</button><span class="form-ok ok" role="status"></span></div>
  <div class="form-error" role="alert"></div>
</form>`;

const script = String.raw`(function () {
  'use strict';
  var A = window.JxcAdmin;
  var form = A.$('rule-form');
  var units = {};
  A.$('r-sku').setAttribute('list', 'skus');

  function edit(r) {
    ['sku', 'warehouse', 'minQty', 'reorderQty', 'source', 'safetyStock', 'leadTimeDays', 'coverDays'].forEach(function (n) {
      form.elements.namedItem(n).value = r[n] === null || r[n] === undefined ? '' : String(r[n]);
    });
    form.scrollIntoView();
  }
  function whole(v) { return v !== undefined && /^\d+$/.test(v) ? Number(v) : v; }
  function load() {
    return Promise.all([A.api('GET', '/reorder-rules'), A.api('GET', '/warehouses'), A.api('GET', '/items?limit=1000')]).then(function (rs) {
      if (rs[1].ok) {
        var select = form.elements.namedItem('warehouse');
        var was = select.value;
        A.options(select, rs[1].body.warehouses.map(function (w) { return [w.code, A.label(w.name, w.code)]; }));
        if (was) select.value = was;
        A.options(form.elements.namedItem('source'), rs[1].body.warehouses.map(function (w) { return [w.code, '由 ' + A.label(w.name, w.code) + ' 供货']; }), true);
      }
      if (rs[2].ok) {
        var list = A.clear(A.$('skus'));
        rs[2].body.items.forEach(function (i) {
          units[i.sku] = i.unit;
          var o = A.el('option', i.name);
          o.value = i.sku;
          list.appendChild(o);
        });
      }
      if (!rs[0].ok) { A.$('rules').textContent = '读取失败：' + rs[0].body.error.message; return; }
      A.table(A.$('rules'), [['商品', 'sku'], ['仓库', 'warehouse'], ['安全库存', 'minQty'], ['补货量', 'reorderQty'], ['来源', 'source'],
        ['提前期 / 覆盖', 'leadTimeDays / coverDays'], ['更新', 'updatedAt'], ['', '']],
        rs[0].body.rules.map(function (r) {
          var b = A.el('button', '修改', 'small');
          b.type = 'button';
          b.addEventListener('click', function () { edit(r); });
          return [A.label(r.name, r.sku), A.label(r.warehouseName, r.warehouse), r.minQty + ' ' + r.unit,
            r.reorderQty === null ? '—' : r.reorderQty + ' ' + r.unit, r.source === 'supplier' ? '供应商' : r.source,
            (r.leadTimeDays === null ? '默认' : r.leadTimeDays + ' 天') + ' / ' + (r.coverDays === null ? '7 天' : r.coverDays + ' 天'), A.time(r.updatedAt), b];
        }), '还没有安全库存规则');
    });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var v = function (n) { return A.value(form, n); };
    var body = { sku: v('sku'), warehouse: v('warehouse'), minQty: v('minQty'), reorderQty: v('reorderQty'), source: v('source'),
      safetyStock: v('safetyStock'), leadTimeDays: whole(v('leadTimeDays')), coverDays: whole(v('coverDays')) };
    // A source warehouse that is not found is named like any other warehouse: both land at the warehouse fields.
    A.send(form, 'PUT', '/reorder-rules', body, { fieldOf: { item: 'sku', warehouse: 'warehouse' }, done: '已保存' }).then(function (saved) {
      if (!saved) return;
      ['minQty', 'reorderQty', 'safetyStock', 'leadTimeDays', 'coverDays'].forEach(function (n) { form.elements.namedItem(n).value = ''; });
      form.elements.namedItem('source').value = 'supplier';
      load();
    });
  });
  A.onSignedIn(load);
})();
`;

export const reorderRulesSection: AdminSection = { path: 'reorder-rules', title: '安全库存', english: 'Reorder rules', body, script };
