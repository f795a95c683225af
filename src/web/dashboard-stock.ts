/**
 * The dashboard's stock section (库存), a same-origin script served at GET /dashboard/stock.js:
 * tiles for stock value, items below safety stock, near-expiry value and the period's issues; bar
 * charts of value by warehouse and by category; a 30-day line of stock value and columns of issues
 * per day — all SVG drawn here from GET /api/v1/metrics/stock. Every tile, bar and day opens the list
 * behind it (GET /api/v1/metrics/stock/items or /stock/issues) in a table below, and so do the
 * dashboard's backlog, overdue and low-stock tiles (their documents or items). It follows the
 * dashboard's warehouse filter and reads the key the dashboard's own script keeps. Data only ever
 * reaches the page as text or SVG attributes. No backticks or dollar-brace inside: a raw template.
 */
export const DASHBOARD_STOCK_JS = String.raw`(function () {
  'use strict';
  var STORE = 'jxc.dashboard.apiKey';
  var app = document.getElementById('app');
  var timezone = app.getAttribute('data-timezone') || 'Asia/Shanghai';
  var last = null;
  var dom = window.jxcDom;
  var $ = dom.$, el = dom.el, svgEl = dom.svgEl, clear = dom.clear, yuan = dom.yuan;
  var stockRequest = dom.newest(), wastageRequest = dom.newest();
  function short(v) {
    var n = Number(v);
    return Math.abs(n) >= 10000 ? '¥' + (n / 10000).toFixed(1) + '万' : yuan(Number(n).toFixed(0));
  }
  function warehouse() { var s = $('warehouse'); return s ? s.value : ''; }
  function api(path) {
    var key = localStorage.getItem(STORE);
    if (!key) return Promise.reject(new Error('no key'));
    return fetch(path, { headers: { authorization: 'Bearer ' + key, accept: 'application/json' } }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        if (!res.ok) throw new Error(body && body.error ? body.error.message : String(res.status));
        return body;
      });
    });
  }
  function status(text, isError) {
    $('stock-status').textContent = text;
    $('stock-status').className = isError ? 'error' : 'muted';
  }

  // ---- charts ----
  /** Horizontal bars, each a button into its list: [{label, value, text, open}]. */
  function bars(node, rows, title) {
    clear(node);
    if (!rows.length) return node.appendChild(el('div', '没有库存', 'empty'));
    var W = Math.max(280, node.clientWidth || 360), labelW = Math.min(110, Math.round(W * 0.32)), valueW = 90, rowH = 26, barH = 16;
    var max = Math.max.apply(null, rows.map(function (r) { return Number(r.value); })) || 1;
    var svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + (rows.length * rowH + 4), role: 'img', 'aria-label': title });
    svg.appendChild(svgEl('title', {}, title));
    rows.forEach(function (r, i) {
      var y = i * rowH + 4;
      var g = svgEl('g', { 'class': 'bar', tabindex: 0, role: 'button', 'data-label': r.label });
      g.appendChild(svgEl('title', {}, r.label + '：' + yuan(r.value) + '（点击查看明细）'));
      var room = Math.max(2, Math.floor((labelW - 8) / 12));
      g.appendChild(svgEl('text', { x: labelW - 6, y: y + barH - 3, 'text-anchor': 'end' }, r.label.length > room ? r.label.slice(0, room - 1) + '…' : r.label));
      var w = Math.max(Number(r.value) > 0 ? 2 : 0, Number(r.value) / max * (W - labelW - valueW));
      g.appendChild(svgEl('rect', { x: labelW, y: y, width: w, height: barH, rx: 2, fill: '#4e83fd', 'data-value': r.value }));
      g.appendChild(svgEl('text', { x: labelW + w + 6, y: y + barH - 3 }, r.text));
      g.addEventListener('click', r.open);
      g.addEventListener('keydown', function (e) { if (e.key === 'Enter') r.open(); });
      svg.appendChild(g);
    });
    node.appendChild(svg);
  }

  /** A line of daily values with the first, last, lowest and highest labelled; each point has its value as a tooltip. */
  function line(node, days, pick, title) {
    clear(node);
    var W = Math.max(280, node.clientWidth || 360), H = 140, left = 8, right = 8, top = 18, bottom = 22;
    var values = days.map(function (d) { return Number(pick(d)); });
    var min = Math.min.apply(null, values), max = Math.max.apply(null, values);
    if (max === min) { max += 1; min = Math.max(0, min - 1); }
    var x = function (i) { return left + (days.length > 1 ? i / (days.length - 1) : 0.5) * (W - left - right); };
    var y = function (v) { return top + (1 - (v - min) / (max - min)) * (H - top - bottom); };
    var svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title });
    svg.appendChild(svgEl('title', {}, title));
    svg.appendChild(svgEl('polyline', { points: values.map(function (v, i) { return x(i).toFixed(1) + ',' + y(v).toFixed(1); }).join(' '), fill: 'none', stroke: '#245bdb', 'stroke-width': 2 }));
    values.forEach(function (v, i) {
      var dot = svgEl('circle', { cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2.5, fill: '#245bdb', 'data-date': days[i].date, 'data-value': pick(days[i]) });
      dot.appendChild(svgEl('title', {}, days[i].date + '：' + yuan(pick(days[i]))));
      svg.appendChild(dot);
    });
    svg.appendChild(svgEl('text', { x: left, y: H - 6, 'class': 'muted' }, days[0].date.slice(5)));
    svg.appendChild(svgEl('text', { x: W - right, y: H - 6, 'text-anchor': 'end', 'class': 'muted' }, days[days.length - 1].date.slice(5)));
    svg.appendChild(svgEl('text', { x: W - right, y: 12, 'text-anchor': 'end' }, '今天 ' + short(values[values.length - 1])));
    node.appendChild(svg);
  }

  /** A column per day; a day with issues opens its documents. */
  function columns(node, days, title) {
    clear(node);
    var W = Math.max(280, node.clientWidth || 360), H = 120, bottom = 20, top = 16;
    var values = days.map(function (d) { return Number(d.issueValue); });
    var max = Math.max.apply(null, values) || 1;
    var step = W / days.length, w = Math.max(2, step - 2);
    var svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': title });
    svg.appendChild(svgEl('title', {}, title));
    days.forEach(function (d, i) {
      var h = values[i] / max * (H - top - bottom);
      var rect = svgEl('rect', { x: (i * step + 1).toFixed(1), y: (H - bottom - h).toFixed(1), width: w.toFixed(1), height: Math.max(values[i] > 0 ? 1 : 0, h).toFixed(1),
        fill: '#ff8800', 'class': d.issues ? 'day' : '', 'data-date': d.date, 'data-value': d.issueValue });
      rect.appendChild(svgEl('title', {}, d.date + '：出库 ' + d.issues + ' 张，' + yuan(d.issueValue)));
      if (d.issues) rect.addEventListener('click', function () { openIssues(d.date, d.date); });
      svg.appendChild(rect);
    });
    svg.appendChild(svgEl('text', { x: 0, y: H - 5, 'class': 'muted' }, days[0].date.slice(5)));
    svg.appendChild(svgEl('text', { x: W, y: H - 5, 'text-anchor': 'end', 'class': 'muted' }, days[days.length - 1].date.slice(5)));
    svg.appendChild(svgEl('text', { x: W, y: 11, 'text-anchor': 'end' }, '最高 ' + short(max)));
    node.appendChild(svg);
  }

  // ---- the lists behind the figures ----
  function nameCell(name, code) {
    var td = el('td');
    td.appendChild(el('div', name));
    if (code && code !== name) td.appendChild(el('div', code, 'muted'));
    return td;
  }
  function showList(title, apiPath, head, rows) {
    $('stock-drill').hidden = false;
    $('stock-drill-title').textContent = title;
    $('stock-drill-api').textContent = 'GET ' + apiPath;
    var node = clear($('stock-drill-table'));
    if (!rows.length) return node.appendChild(el('div', '没有记录', 'empty'));
    var t = el('table');
    var tr = el('tr');
    head.forEach(function (h) {
      var th = tr.appendChild(el('th', h[0], h[1] ? 'n' : ''));
      if (h[2]) th.appendChild(el('div', h[2], 'api'));
    });
    t.appendChild(el('thead')).appendChild(tr);
    var body = el('tbody');
    rows.forEach(function (cells) {
      var row = el('tr');
      cells.forEach(function (c) { row.appendChild(typeof c === 'object' ? c : el('td', c, /^[-¥\d]/.test(String(c)) ? 'n' : '')); });
      body.appendChild(row);
    });
    t.appendChild(body);
    node.appendChild(t);
    $('stock-drill').scrollIntoView({ block: 'nearest' });
  }
  var VIEWS = {
    in_stock: '有库存的商品',
    below_safety: '低于安全库存的商品',
    near_expiry: '临期批次',
  };
  function openItems(view, filter, label) {
    var params = new URLSearchParams({ view: view });
    var wh = filter && filter.warehouse !== undefined ? filter.warehouse : warehouse();
    if (wh) params.set('warehouse', wh);
    if (filter && filter.category !== undefined) params.set('category', filter.category);
    var path = '/api/v1/metrics/stock/items?' + params.toString();
    status('加载明细…');
    api(path).then(function (r) {
      status('');
      var title = VIEWS[view] + (label ? '：' + label : '') + '（' + r.rows.length + '）';
      var wcell = function (row) { return nameCell(row.warehouseName, row.warehouse); };
      // Beside on hand, the order figures (src/orders/figures.ts): reserved, on order, available.
      var ORDER_HEAD = [['预留', 1, 'reserved'], ['在订', 1, 'onOrder'], ['可用', 1, 'availableLabel']];
      var orderCells = function (x) { return [x.reserved + ' ' + x.unit, x.onOrder + ' ' + x.unit, x.availableLabel]; };
      if (view === 'near_expiry') {
        showList(title, path, [['商品'], ['仓库'], ['批次'], ['效期'], ['数量', 1], ['金额', 1]], r.rows.map(function (x) {
          return [nameCell(x.name, x.sku), wcell(x), x.lot, x.expiresOn, x.qtyLabel, yuan(x.value)];
        }));
      } else if (view === 'below_safety') {
        showList(title, path, [['商品'], ['仓库'], ['现有', 1, 'qtyLabel']].concat(ORDER_HEAD, [['安全库存', 1, 'safetyStock'], ['金额', 1, 'value']]), r.rows.map(function (x) {
          return [nameCell(x.name, x.sku), wcell(x), x.qtyLabel].concat(orderCells(x), [x.safetyStock + ' ' + x.unit, yuan(x.value)]);
        }));
      } else {
        showList(title, path, [['商品'], ['仓库'], ['现有', 1, 'qtyLabel']].concat(ORDER_HEAD, [['金额', 1, 'value']]), r.rows.map(function (x) {
          return [nameCell(x.name, x.sku), wcell(x), x.qtyLabel].concat(orderCells(x), [yuan(x.value)]);
        }));
      }
    }).catch(function (e) { status('出错了：' + e.message, true); });
  }
  function localTime(iso) {
    return new Intl.DateTimeFormat('zh-CN', { timeZone: timezone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
  }
  function openIssues(from, to) {
    var params = new URLSearchParams({ from: from, to: to });
    if (warehouse()) params.set('warehouse', warehouse());
    var path = '/api/v1/metrics/stock/issues?' + params.toString();
    status('加载明细…');
    api(path).then(function (r) {
      status('');
      showList('出库单 ' + (from === to ? from : from + ' 至 ' + to) + '（' + r.documents.length + '）', path,
        [['单号'], ['仓库'], ['过账时间'], ['行数', 1], ['金额', 1]], r.documents.map(function (d) {
          return [d.number, nameCell(d.warehouseName, d.warehouse), localTime(d.postedAt), String(d.lines) + ' 行', yuan(d.value)];
        }));
    }).catch(function (e) { status('出错了：' + e.message, true); });
  }

  // ---- 损耗: written-off value by reason, item and warehouse for the period, and its documents ----
  var REASONS = { damaged: '破损', expired: '过期', near_expiry: '临期', spoiled: '变质', lost: '丢失', sample: '样品/试吃', other: '其他' };
  var lastWastage = null;
  function reasonName(r) { return REASONS[r] || r; }
  function period() {
    var params = new URLSearchParams();
    ['from', 'to'].forEach(function (id) { var n = $(id); if (n && n.value) params.set(id, n.value); });
    if (warehouse()) params.set('warehouse', warehouse());
    return params;
  }
  function renderWastage(w) {
    lastWastage = w;
    $('stock-wastage').textContent = yuan(w.totalValue);
    $('stock-wastage-sub').textContent = w.rows.length + ' 个商品·仓库·原因，' + w.from + ' 至 ' + w.to;
    var byReason = {}, order = [];
    w.rows.forEach(function (r) {
      if (!byReason[r.reason]) { byReason[r.reason] = 0; order.push(r.reason); }
      byReason[r.reason] += Number(r.value);
    });
    var node = $('stock-wastage-by-reason');
    if (!order.length) { clear(node); return node.appendChild(el('div', '期间没有损耗', 'empty')); }
    bars(node, order.map(function (r) {
      var v = byReason[r].toFixed(2);
      return { label: reasonName(r), value: v, text: short(v), open: function () { openWastage(r); } };
    }), '期间损耗（按原因）');
  }
  /** The rows of one reason (or all): item, warehouse, how much, how many documents, what value. */
  function openWastage(reason) {
    if (!lastWastage) return;
    var rows = lastWastage.rows.filter(function (r) { return !reason || r.reason === reason; });
    showList('损耗' + (reason ? '：' + reasonName(reason) : '') + '（' + rows.length + '）', '/api/v1/metrics/wastage?' + period().toString(),
      [['原因'], ['商品'], ['仓库'], ['数量', 1], ['单据', 1], ['金额', 1]], rows.map(function (r) {
        return [reasonName(r.reason), nameCell(r.name, r.sku), nameCell(r.warehouseName, r.warehouse), r.qty + ' ' + r.unit, r.documents + ' 张', yuan(r.value)];
      }));
  }
  /** The posted adjustment documents behind the figure (the documents list, newest first). */
  function openAdjustments() {
    var path = '/api/v1/documents?type=adjustment&status=posted&reversal=false&limit=200' + periodWh();
    status('加载明细…');
    api(path).then(function (r) {
      status('');
      showList('报损调整单（' + r.documents.length + '）', path, [['单号'], ['仓库'], ['原因'], ['过账时间'], ['金额', 1]], r.documents.map(function (d) {
        return [d.number, d.warehouse, d.reason || '', d.postedAt ? localTime(d.postedAt) : '', yuan(d.totalValue)];
      }));
    }).catch(function (e) { status('出错了：' + e.message, true); });
  }
  function loadWastage() {
    var current = wastageRequest();
    api('/api/v1/metrics/wastage?' + period().toString())
      .then(function (w) { if (current()) renderWastage(w); })
      .catch(function (e) { if (current()) status('出错了：' + e.message, true); });
  }

  // ---- the dashboard's own tiles open their documents too ----
  var names = JSON.parse(app.getAttribute('data-names') || '{}');
  function typeName(t) { return (names.types && names.types[t]) || t; }
  function statusName(st) { return st === 'awaiting_approval' ? '待审批' : (names.statuses && names.statuses[st]) || st; }
  /** The statuses the backlog tile counts (src/metrics/dashboard.ts BACKLOG_STATUSES). */
  var BACKLOG = ['draft', 'submitted', 'awaiting_approval', 'approved', 'shipped'];
  function openBacklog() {
    var wh = warehouse() ? '&warehouse=' + encodeURIComponent(warehouse()) : '';
    status('加载明细…');
    Promise.all(BACKLOG.map(function (st) { return api('/api/v1/documents?status=' + st + '&limit=200' + wh); })).then(function (rs) {
      status('');
      var docs = [].concat.apply([], rs.map(function (r) { return r.documents; }));
      docs.sort(function (a, b) { return a.createdAt < b.createdAt ? 1 : -1; });
      showList('待处理单据（' + docs.length + '）', '/api/v1/documents?status=' + BACKLOG.join('|') + wh,
        [['单号'], ['类型'], ['状态'], ['仓库'], ['创建'], ['金额', 1]], docs.map(function (d) {
          return [d.number, typeName(d.type), statusName(d.status), d.warehouse, localTime(d.createdAt), yuan(d.totalValue)];
        }));
    }).catch(function (e) { status('出错了：' + e.message, true); });
  }
  function openOverdue() {
    var path = '/api/v1/documents/overdue' + (warehouse() ? '?warehouse=' + encodeURIComponent(warehouse()) : '');
    status('加载明细…');
    api(path).then(function (r) {
      status('');
      var rows = [];
      r.warehouses.forEach(function (w) {
        w.documents.forEach(function (d) {
          rows.push([d.number, typeName(d.type), statusName(d.status), nameCell(w.name, w.warehouse), '超时 ' + (Math.round(d.overdueHours * 10) / 10) + ' 小时']);
        });
      });
      showList('超时单据（' + rows.length + '）', path, [['单号'], ['类型'], ['状态'], ['要处理的仓库'], ['超时']], rows);
    }).catch(function (e) { status('出错了：' + e.message, true); });
  }
  /** The period and warehouse of the page, for the documents list (created on those local days). */
  function periodWh() {
    var p = period();
    return p.toString() ? '&' + p.toString() : '';
  }
  /** The period's exceptions: rejected documents, short receipts and stocktakes with a variance, reversals. */
  var EXCEPTIONS = [['status=rejected', '被驳回'], ['hasDiscrepancy=true', '有差异（短收·盘点差异）'], ['reversal=true', '红字冲销']];
  function openExceptions() {
    var q = periodWh();
    status('加载明细…');
    Promise.all(EXCEPTIONS.map(function (x) { return api('/api/v1/documents?' + x[0] + '&limit=200' + q); })).then(function (rs) {
      status('');
      var rows = [];
      rs.forEach(function (r, i) {
        r.documents.forEach(function (d) {
          rows.push([d.number, EXCEPTIONS[i][1], typeName(d.type), statusName(d.status), d.warehouse, localTime(d.createdAt), yuan(d.totalValue)]);
        });
      });
      showList('期间异常单据（' + rows.length + '）', EXCEPTIONS.map(function (x) { return '/api/v1/documents?' + x[0] + q; }).join(' · '),
        [['单号', 0, 'number'], ['异常'], ['类型', 0, 'type'], ['状态', 0, 'status'], ['仓库', 0, 'warehouse'], ['创建', 0, 'createdAt'], ['金额', 1, 'totalValue']], rows);
    }).catch(function (e) { status('出错了：' + e.message, true); });
  }
  /** The counted lines behind accuracy: each posted stocktake's lines, book against counted. */
  function openCounted() {
    var path = '/api/v1/documents?type=stocktake&status=posted&reversal=false&limit=200' + periodWh();
    status('加载明细…');
    api(path).then(function (r) {
      status('');
      var rows = [];
      r.documents.forEach(function (d) {
        d.lines.forEach(function (l) {
          // The API's exact variance (a decimal string): Number(qty) − Number(bookQty) shows float noise (9.9 − 10).
          var diff = l.variance === null || l.variance === undefined ? null : String(l.variance);
          rows.push([d.number, d.warehouse, l.sku, l.bookQty === null ? '—' : l.bookQty, l.qty, diff === null ? '—' : Number(diff) === 0 ? '无差异' : (diff.charAt(0) === '-' ? '' : '+') + diff]);
        });
      });
      showList('盘点行（' + rows.length + '）', path,
        [['盘点单', 0, 'number'], ['仓库', 0, 'warehouse'], ['商品编码', 0, 'lines[].sku'], ['账面', 1, 'bookQty'], ['实盘', 1, 'qty'], ['差异', 1, 'lines[].variance']], rows);
    }).catch(function (e) { status('出错了：' + e.message, true); });
  }
  [['exceptions', openExceptions], ['accuracy', openCounted],
   ['backlog', openBacklog], ['overdue', openOverdue], ['alerts', function () { openItems('below_safety'); }]].forEach(function (t) {
    var tile = document.querySelector('.tile[data-tile="' + t[0] + '"]');
    if (!tile) return;
    tile.classList.add('opens');
    tile.setAttribute('role', 'button');
    tile.setAttribute('tabindex', '0');
    tile.addEventListener('click', t[1]);
    tile.addEventListener('keydown', function (e) { if (e.key === 'Enter') t[1](); });
  });

  // ---- the section ----
  function render(m) {
    last = m;
    $('stock-value').textContent = yuan(m.value);
    $('stock-value-sub').textContent = m.byWarehouse.length + ' 个仓库，' + m.byCategory.length + ' 个分类';
    $('stock-below').textContent = String(m.belowSafety.items);
    $('stock-below').parentNode.classList.toggle('warn', m.belowSafety.items > 0);
    $('stock-near').textContent = yuan(m.nearExpiry.value);
    $('stock-near-sub').textContent = m.nearExpiry.lots + ' 个批次，' + m.nearExpiry.days + ' 天内到期';
    var issues = m.trend.days.reduce(function (n, d) { return n + d.issues; }, 0);
    var issueValue = m.trend.days.reduce(function (n, d) { return n + Number(d.issueValue); }, 0);
    $('stock-issues').textContent = String(issues);
    $('stock-issues-sub').textContent = '共 ' + yuan(issueValue.toFixed(2)) + '，' + m.trend.from + ' 至 ' + m.trend.to;
    bars($('stock-by-warehouse'), m.byWarehouse.map(function (w) {
      var label = w.name && w.name !== w.warehouse ? w.name : w.warehouse;
      return { label: label, value: w.value, text: short(w.value), open: function () { openItems('in_stock', { warehouse: w.warehouse }, label); } };
    }), '库存金额（按仓库）');
    bars($('stock-by-category'), m.byCategory.map(function (c) {
      var label = c.category === null ? '未分类' : c.category;
      return { label: label, value: c.value, text: short(c.value), open: function () { openItems('in_stock', { category: c.category === null ? '' : c.category }, label); } };
    }), '库存金额（按分类）');
    line($('stock-trend-value'), m.trend.days, function (d) { return d.stockValue; }, '库存金额趋势');
    columns($('stock-trend-issues'), m.trend.days, '每日出库金额');
  }
  function load() {
    if (!localStorage.getItem(STORE)) return;
    var path = '/api/v1/metrics/stock' + (warehouse() ? '?warehouse=' + encodeURIComponent(warehouse()) : '');
    status('加载中…');
    var current = stockRequest();
    api(path).then(function (m) { if (current()) { render(m); status(''); } })
      .catch(function (e) { if (current()) status('出错了：' + e.message, true); });
    loadWastage();
  }

  $('stock-tile-value').addEventListener('click', function () { openItems('in_stock'); });
  $('stock-tile-below').addEventListener('click', function () { openItems('below_safety'); });
  $('stock-tile-near').addEventListener('click', function () { openItems('near_expiry'); });
  $('stock-tile-issues').addEventListener('click', function () { if (last) openIssues(last.trend.from, last.trend.to); });
  $('stock-tile-wastage').addEventListener('click', openAdjustments);
  $('stock-drill-close').addEventListener('click', function () { $('stock-drill').hidden = true; });
  ['warehouse', 'refresh', 'preset', 'from', 'to'].forEach(function (id) {
    var node = $(id);
    if (node) node.addEventListener(id === 'refresh' ? 'click' : 'change', function () { $('stock-drill').hidden = true; load(); });
  });
  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { if (last) render(last); if (lastWastage) renderWastage(lastWastage); }, 200);
  });
  // Loaded when the board shows (a key that worked), as the unit cost table is.
  var board = $('board');
  new MutationObserver(function () { if (!board.hidden) load(); }).observe(board, { attributes: true, attributeFilter: ['hidden'] });
  if (!board.hidden) load();
})();
`;
