import { field, heading } from './page';
import type { AdminSection } from './section';

/** Items: search and list (packs, barcodes, aliases, pinyin, supplier, lead time), create, edit. */
const body = `
<div class="box">
  <form id="search-form" class="actions"><input id="q" type="search" placeholder="搜索 名称 / 编码 / 条码 / 别名 / 拼音" aria-label="搜索商品">
  <button type="submit">搜索</button><span id="count" class="muted"></span></form>
</div>
<div id="items"></div>
<form id="item-form" class="box" novalidate>
  ${heading('h2', '新建商品', 'POST /api/v1/items')}
  <div class="fields">
    ${field({ name: 'sku', label: '商品编码', required: true, placeholder: 'COLA-330' })}
    ${field({ name: 'name', label: '名称', required: true, placeholder: '可乐 330ml' })}
    ${field({ name: 'unit', label: '基本单位', required: true, placeholder: '罐' })}
    ${field({ name: 'category', label: '类别', placeholder: '饮料' })}
    ${field({ name: 'packUnits', label: '包装单位', placeholder: '箱=24|包=6', hint: '名称=含多少基本单位，多个用 | 分隔' })}
    ${field({ name: 'barcodes', label: '条码', placeholder: '6901234567890|6901234567891', hint: '多个用 | 分隔' })}
    ${field({ name: 'aliases', label: '别名', placeholder: '快乐水|coke', hint: '聊天里也能这样叫它' })}
    ${field({ name: 'valuationMethod', label: '计价方法', options: [['', '组织默认'], ['moving_average', '移动加权平均'], ['fifo', '先进先出']] })}
    ${field({ name: 'shelfLifeDays', label: '保质期（天）', type: 'number' })}
    ${field({ name: 'supplier', label: '供应商', placeholder: '某某饮料公司' })}
    ${field({ name: 'leadTimeDays', label: '采购周期（天）', type: 'number' })}
    ${field({ name: 'minOrderQty', label: '最小订货量', type: 'number' })}
    <div class="field" data-field="lotTracked"><label><input id="f-lotTracked" type="checkbox" name="lotTracked"> 按批次管理<span class="en">lotTracked</span></label>
    <div class="field-error" data-error-for="lotTracked" role="alert"></div></div>
  </div>
  <div class="actions"><button class="primary" type="submit" id="item-save">保存</button><button type="button" id="item-new" hidden>取消修改</button>
  <span class="form-ok ok" role="status"></span></div>
  <div class="form-error" role="alert"></div>
</form>`;

const script = String.raw`(function () {
  'use strict';
  var A = window.JxcAdmin;
  var form = A.$('item-form');
  var editing = null;

  function packs(item) {
    return item.packUnits.map(function (p) { return p.name + '=' + p.factor + item.unit; });
  }
  function row(dl, zh, en, node) {
    dl.appendChild(A.bilingual('dt', zh, en));
    var dd = A.el('dd');
    if (node && node.nodeType) dd.appendChild(node); else dd.textContent = node === null || node === undefined || node === '' ? '—' : String(node);
    dl.appendChild(dd);
  }
  function card(item) {
    var box = A.el('div', null, 'box card');
    box.setAttribute('data-sku', item.sku);
    var h = A.el('h3', item.name);
    h.appendChild(A.el('span', item.sku, 'code'));
    box.appendChild(h);
    var dl = A.el('dl');
    row(dl, '单位', 'unit', item.unit);
    row(dl, '包装', 'packUnits', A.chips(packs(item)));
    row(dl, '条码', 'barcodes', A.chips(item.barcodes));
    row(dl, '别名', 'aliases', A.chips(item.aliases));
    // Pinyin search keys: what 拼音 typed in chat or in the search box finds the item by.
    if (item.pinyin && item.pinyin.length) row(dl, '拼音', 'pinyin', A.chips(item.pinyin));
    if (item.category) row(dl, '类别', 'category', item.category);
    row(dl, '供应商', 'supplier', item.supplier);
    row(dl, '采购周期', 'leadTimeDays', item.leadTimeDays === null ? null : item.leadTimeDays + ' 天');
    if (item.minOrderQty !== null) row(dl, '最小订货量', 'minOrderQty', item.minOrderQty + ' ' + item.unit);
    row(dl, '计价', 'valuationMethod', item.valuationMethod === 'fifo' ? '先进先出' : '移动加权平均');
    if (item.lotTracked || item.shelfLifeDays !== null) row(dl, '批次 / 保质期', 'lotTracked / shelfLifeDays', (item.lotTracked ? '按批次' : '不分批次') + (item.shelfLifeDays !== null ? ' · ' + item.shelfLifeDays + ' 天' : ''));
    box.appendChild(dl);
    var edit = A.el('button', '编辑', 'small');
    edit.type = 'button';
    edit.addEventListener('click', function () { startEdit(item); });
    var actions = A.el('div', null, 'actions');
    actions.appendChild(edit);
    box.appendChild(actions);
    return box;
  }
  function load() {
    var q = A.$('q').value.trim();
    return A.api('GET', '/items' + (q ? '?q=' + encodeURIComponent(q) : '')).then(function (r) {
      var list = A.clear(A.$('items'));
      if (!r.ok) { list.appendChild(A.el('div', '读取失败：' + r.body.error.message, 'box error')); return; }
      A.$('count').textContent = '共 ' + r.body.items.length + ' 个';
      if (!r.body.items.length) list.appendChild(A.el('div', q ? '没有匹配的商品' : '还没有商品：在下面新建，或到“导入”上传表格', 'box empty'));
      r.body.items.forEach(function (item) { list.appendChild(card(item)); });
    });
  }
  function set(name, v) { form.elements.namedItem(name).value = v === null || v === undefined ? '' : String(v); }
  // PATCH /items/:sku changes how an item is bought; the rest of an item is fixed once created.
  var EDITABLE = ['supplier', 'leadTimeDays', 'minOrderQty'];
  function lock(on) {
    Array.prototype.forEach.call(form.elements, function (c) {
      if (!c.name || EDITABLE.indexOf(c.name) >= 0) return;
      if (c.tagName === 'SELECT' || c.type === 'checkbox') c.disabled = on; else c.readOnly = on;
    });
  }
  function startEdit(item) {
    editing = item;
    form.querySelector('h2').firstChild.textContent = '修改采购信息：' + item.name;
    form.querySelector('h2 .en').textContent = 'PATCH /api/v1/items/' + item.sku;
    set('sku', item.sku);
    ['name', 'unit', 'category', 'shelfLifeDays', 'valuationMethod', 'supplier', 'leadTimeDays', 'minOrderQty'].forEach(function (n) { set(n, item[n]); });
    set('packUnits', item.packUnits.map(function (p) { return p.name + '=' + p.factor; }).join('|'));
    set('barcodes', item.barcodes.join('|'));
    set('aliases', item.aliases.join('|'));
    form.elements.namedItem('lotTracked').checked = item.lotTracked;
    lock(true);
    A.$('item-new').hidden = false;
    A.clearErrors(form);
    form.elements.namedItem('supplier').focus();
  }
  function startNew() {
    editing = null;
    form.reset();
    lock(false);
    form.querySelector('h2').firstChild.textContent = '新建商品';
    form.querySelector('h2 .en').textContent = 'POST /api/v1/items';
    A.$('item-new').hidden = true;
  }
  function number(v) { return v === undefined ? undefined : (/^-?\d+$/.test(v) ? Number(v) : v); }
  function bodyOf() {
    var v = function (n) { return A.value(form, n); };
    // An emptied box clears the value (null); PATCH leaves out nothing it shows.
    if (editing) return { supplier: v('supplier') || null, leadTimeDays: number(v('leadTimeDays')) === undefined ? null : number(v('leadTimeDays')), minOrderQty: v('minOrderQty') || null };
    var packText = A.list(v('packUnits'));
    return {
      sku: v('sku'), name: v('name'), unit: v('unit'), category: v('category'),
      barcodes: A.list(v('barcodes')), aliases: A.list(v('aliases')),
      // 箱=24 → {name: 箱, factor: 24}; what does not parse goes as typed, and the API says what is wrong.
      packUnits: packText && packText.map(function (p) { var m = /^(.+?)\s*[=＝]\s*(.*)$/.exec(p); return m ? { name: m[1], factor: m[2] } : { name: p, factor: '' }; }),
      valuationMethod: v('valuationMethod'), lotTracked: form.elements.namedItem('lotTracked').checked,
      shelfLifeDays: number(v('shelfLifeDays')), supplier: v('supplier'), leadTimeDays: number(v('leadTimeDays')), minOrderQty: v('minOrderQty'),
    };
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var body = bodyOf();
    var req = editing ? A.send(form, 'PATCH', '/items/' + encodeURIComponent(editing.sku), body, { fieldOf: { item: 'sku' }, done: '已保存' })
      : A.send(form, 'POST', '/items', body, { fieldOf: { sku: 'sku', barcode: 'barcodes' }, done: '已新建' });
    req.then(function (saved) {
      if (!saved) return;
      var note = form.querySelector('.form-ok').textContent;
      startNew();
      form.querySelector('.form-ok').textContent = note + '：' + saved.name + '（' + saved.sku + '）';
      load();
    });
  });
  A.$('item-new').addEventListener('click', startNew);
  A.$('search-form').addEventListener('submit', function (event) { event.preventDefault(); load(); });
  A.onSignedIn(load);
})();
`;

export const itemsSection: AdminSection = { path: 'items', title: '商品', english: 'Items', body, script };
