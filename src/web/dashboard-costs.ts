/**
 * The dashboard's unit cost table (产品单位成本表), a second same-origin script served at
 * GET /dashboard/costs.js: a month and a month to compare with, the table, and each row's change
 * highlighted (dearer red, cheaper green). Plain JavaScript; data only ever set as text. It reads
 * the key the dashboard's own script keeps. No backticks or dollar-brace inside: a raw template.
 */
export const DASHBOARD_COSTS_JS = String.raw`(function () {
  'use strict';
  var STORE = 'jxc.dashboard.apiKey';
  var app = document.getElementById('app');
  var timezone = app.getAttribute('data-timezone') || 'Asia/Shanghai';
  var dom = window.jxcDom;
  var $ = dom.$, el = dom.el;
  var request = dom.newest();
  function month(offset) {
    var parts = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit' }).format(new Date()).split('-');
    var index = Number(parts[0]) * 12 + Number(parts[1]) - 1 + offset;
    return Math.floor(index / 12) + '-' + String(index % 12 + 1).padStart(2, '0');
  }
  function status(text, isError) {
    $('cost-status').textContent = text;
    $('cost-status').className = isError ? 'error' : 'muted';
  }

  function render(data) {
    var node = $('table-costs');
    while (node.firstChild) node.removeChild(node.firstChild);
    if (!data.rows.length) return node.appendChild(el('div', data.period + ' 没有生产记录', 'empty'));
    var t = el('table');
    var head = el('tr');
    ['产品', '产量', '材料', '人工', '机器', '制造费用', '合计', '单位成本', '对比月', '变动'].forEach(function (h, i) { head.appendChild(el('th', h, i ? 'n' : '')); });
    t.appendChild(el('thead')).appendChild(head);
    var body = el('tbody');
    data.rows.forEach(function (r) {
      var tr = el('tr');
      tr.appendChild(el('td', r.name === r.sku ? r.sku : r.name + '（' + r.sku + '）'));
      [r.qty, r.material, r.labor, r.machine, r.overhead, r.total, r.unitCost].forEach(function (v) { tr.appendChild(el('td', v, 'n')); });
      var c = r.compare || {};
      tr.appendChild(el('td', c.unitCost === null || c.unitCost === undefined ? '—' : c.unitCost, 'n'));
      var pct = c.diffPct === null || c.diffPct === undefined ? null : Number(c.diffPct);
      tr.appendChild(el('td', pct === null ? (r.compare ? '新' : '—') : (pct > 0 ? '+' : '') + c.diffPct + '%', 'n' + (pct > 0 ? ' up' : pct < 0 ? ' down' : '')));
      body.appendChild(tr);
    });
    t.appendChild(body);
    node.appendChild(t);
  }

  function load() {
    var key = localStorage.getItem(STORE);
    if (!key || !$('cost-period').value) return;
    var query = $('cost-compare').value ? '?compare=' + encodeURIComponent($('cost-compare').value) : '';
    status('加载中…');
    var current = request(); // only the newest period's answer draws
    fetch('/api/v1/cost-periods/' + encodeURIComponent($('cost-period').value) + '/unit-costs' + query, { headers: { authorization: 'Bearer ' + key, accept: 'application/json' } })
      .then(function (res) { return res.json().then(function (body) { return { status: res.status, body: body }; }); })
      .then(function (r) {
        if (!current()) return;
        if (r.status !== 200) return status('出错了：' + (r.body && r.body.error ? r.body.error.message : r.status), true);
        render(r.body);
        status(r.body.status === 'closed' ? '已结转' : '未结转：不含制造费用');
      })
      .catch(function () { if (current()) status('无法连接服务', true); });
  }

  $('cost-period').value = month(0);
  $('cost-compare').value = month(-1);
  ['cost-period', 'cost-compare'].forEach(function (id) { $(id).addEventListener('change', load); });
  $('cost-load').addEventListener('click', load);
  // Loaded when the board shows (a key that worked), never with a key the dashboard just refused.
  var board = $('board');
  new MutationObserver(function () { if (!board.hidden) load(); }).observe(board, { attributes: true, attributeFilter: ['hidden'] });
  if (!board.hidden) load();
})();
`;
