/**
 * The dashboard's replenishment list (补货建议), a same-origin script served at
 * GET /dashboard/replenishment.js: how many suggestions wait, per warehouse, and each one with the
 * parts of its quantity (what is there, on the way, ordered, reserved; the forecast over lead time
 * and cover; safety stock; the shortfall; the minimum order; the packs), so a buyer sees why a
 * quantity is what it is. Reads GET /api/v1/replenishment with the key the dashboard keeps. Data
 * only ever set as text. No backticks or dollar-brace inside: a raw template.
 */
export const DASHBOARD_REPLENISHMENT_JS = String.raw`(function () {
  'use strict';
  var STORE = 'jxc.dashboard.apiKey';
  var dom = window.jxcDom;
  var $ = dom.$, el = dom.el;
  function status(text, isError) {
    $('replenish-status').textContent = text;
    $('replenish-status').className = isError ? 'error' : 'muted';
  }
  var methods = { holt_winters_additive: '季节平滑', weekday_average: '按星期平均', mean: '平均', none: '无历史' };

  function render(list) {
    var node = $('table-replenish');
    while (node.firstChild) node.removeChild(node.firstChild);
    var byWarehouse = {};
    list.forEach(function (s) { byWarehouse[s.warehouse] = (byWarehouse[s.warehouse] || 0) + 1; });
    $('replenish-waiting').textContent = list.length
      ? '待处理建议 ' + list.length + ' 条：' + Object.keys(byWarehouse).map(function (w) { return w + ' ' + byWarehouse[w]; }).join('，')
      : '';
    if (!list.length) return node.appendChild(el('div', '没有需要补货的商品', 'empty'));
    var t = el('table');
    var head = el('tr');
    ['商品', '仓库', '来源', '在库', '在途', '已订', '预留', '日均需求', '提前期+覆盖', '预测需求', '安全库存', '缺口', '最小起订', '建议'].forEach(function (h, i) { head.appendChild(el('th', h, i > 2 ? 'n' : '')); });
    t.appendChild(el('thead')).appendChild(head);
    var body = el('tbody');
    list.forEach(function (s) {
      var tr = el('tr');
      tr.appendChild(el('td', s.name === s.sku ? s.sku : s.name + '（' + s.sku + '）'));
      tr.appendChild(el('td', s.warehouse));
      tr.appendChild(el('td', s.source === 'supplier' ? '采购：' + (s.supplier || '未设供应商') : '要货：' + s.source));
      [s.onHand, s.inTransit, s.onOrder, s.reserved, s.dailyDemand].forEach(function (v) { tr.appendChild(el('td', v, 'n')); });
      tr.appendChild(el('td', s.leadTimeDays + '+' + s.coverDays + ' 天', 'n'));
      var demand = el('td', s.demand, 'n');
      demand.title = methods[s.method] || s.method;
      tr.appendChild(demand);
      [s.safetyStock, s.shortfall, s.minOrderQty === null ? '—' : s.minOrderQty].forEach(function (v) { tr.appendChild(el('td', v, 'n')); });
      tr.appendChild(el('td', s.suggestedQty + ' ' + s.unit + (s.pack ? '（' + s.packs + ' ' + s.pack.name + '）' : ''), 'n'));
      body.appendChild(tr);
    });
    t.appendChild(body);
    node.appendChild(t);
  }

  function load() {
    var key = localStorage.getItem(STORE);
    if (!key) return;
    status('加载中…');
    fetch('/api/v1/replenishment', { headers: { authorization: 'Bearer ' + key, accept: 'application/json' } })
      .then(function (res) { return res.json().then(function (body) { return { status: res.status, body: body }; }); })
      .then(function (r) {
        if (r.status !== 200) return status('出错了：' + (r.body && r.body.error ? r.body.error.message : r.status), true);
        render(r.body.suggestions);
        status('建议 = 预测需求 + 安全库存 − (在库 + 在途 + 已订 − 预留)，不低于最小起订，向上取整到整箱');
      })
      .catch(function () { status('无法连接服务', true); });
  }

  $('replenish-load').addEventListener('click', load);
  // Loaded when the board shows (a key that worked), never with a key the dashboard just refused.
  var board = $('board');
  new MutationObserver(function () { if (!board.hidden) load(); }).observe(board, { attributes: true, attributeFilter: ['hidden'] });
  if (!board.hidden) load();
})();
`;
