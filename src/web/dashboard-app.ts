/**
 * The dashboard page's script, served as-is at GET /dashboard/app.js: plain browser JavaScript,
 * no build step, no framework. Kept as a string in a module (not a file read at run time) so the
 * Node server and the Worker serve it alike. Data only ever reaches the page through textContent
 * and SVG attributes, never as HTML. No backticks or dollar-brace inside: this is a raw template.
 */
export const DASHBOARD_APP_JS = String.raw`(function () {
  'use strict';
  var STORE = 'jxc.dashboard.apiKey';
  var REFRESH_MS = 60000;
  var app = document.getElementById('app');
  var names = JSON.parse(app.getAttribute('data-names') || '{}');
  var timezone = app.getAttribute('data-timezone') || 'Asia/Shanghai';
  var STATUS_COLORS = { draft: '#bbbfc4', submitted: '#4e83fd', awaiting_approval: '#ff8800', approved: '#14c0ff', shipped: '#7f3bf5' };
  var timer = null;
  var knownWarehouses = [];

  var dom = window.jxcDom;
  var request = dom.newest(); // an older answer arriving late never draws over a newer one
  var $ = dom.$, el = dom.el, svgEl = dom.svgEl, clear = dom.clear;
  function typeName(t) { return (names.types && names.types[t]) || t; }
  function statusName(s) { return s === 'awaiting_approval' ? '待审批' : (names.statuses && names.statuses[s]) || s; }
  function fmtHours(h) { return (Math.round(h * 10) / 10).toString(); }
  function pct(a) { return a === null || a === undefined ? '—' : (Number(a) * 100).toFixed(1) + '%'; }

  function empty(node, text) { clear(node).appendChild(el('div', text, 'empty')); }

  /** A table from a header row and rows of cells; numbers are right-aligned. */
  function table(node, head, rows) {
    clear(node);
    if (!rows.length) return;
    var t = el('table');
    var tr = el('tr');
    head.forEach(function (h, i) { tr.appendChild(el('th', h, rows[0] && typeof rows[0][i] === 'number' ? 'n' : '')); });
    t.appendChild(el('thead')).appendChild(tr);
    var body = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) { row.appendChild(el('td', c, typeof c === 'number' ? 'n' : '')); });
      body.appendChild(row);
    });
    t.appendChild(body);
    node.appendChild(t);
  }

  /**
   * Horizontal bars: each bar a label and segments [{value, color, title}], with a text at its end.
   * Drawn as wide as its box (redrawn when the window resizes), so text stays readable on a phone.
   */
  function barChart(node, bars, options) {
    clear(node);
    if (!bars.length) return empty(node, options.empty);
    var W = Math.max(280, node.clientWidth || 600);
    var labelW = Math.min(options.labelWidth || 150, Math.round(W * 0.4)), valueW = Math.min(130, Math.round(W * 0.3)), rowH = 24, barH = 16;
    var max = options.max || Math.max.apply(null, bars.map(function (b) {
      return b.segments.reduce(function (n, s) { return n + s.value; }, 0);
    })) || 1;
    var scale = (W - labelW - valueW) / max;
    var svg = svgEl('svg', { viewBox: '0 0 ' + W + ' ' + (bars.length * rowH + 4), role: 'img', 'aria-label': options.title });
    svg.appendChild(svgEl('title', {}, options.title));
    bars.forEach(function (b, i) {
      var y = i * rowH + 4;
      // About 12 px a Chinese character: a label longer than its column is cut, in full in the tooltip.
      var room = Math.max(2, Math.floor((labelW - 8) / 12));
      var label = svgEl('g');
      label.appendChild(svgEl('title', {}, b.label));
      label.appendChild(svgEl('text', { x: labelW - 6, y: y + barH - 3, 'text-anchor': 'end' }, b.label.length > room ? b.label.slice(0, room - 1) + '…' : b.label));
      svg.appendChild(label);
      var x = labelW;
      b.segments.forEach(function (s) {
        var w = Math.max(s.value > 0 ? 1 : 0, s.value * scale);
        var rect = svgEl('rect', { x: x, y: y, width: w, height: barH, rx: 2, fill: s.color, 'data-value': s.value });
        rect.appendChild(svgEl('title', {}, s.title));
        svg.appendChild(rect);
        x += w;
      });
      svg.appendChild(svgEl('text', { x: x + 6, y: y + barH - 3, 'class': b.muted ? 'muted' : '' }, b.text));
    });
    node.appendChild(svg);
    if (options.legend) {
      var legend = el('div', null, 'legend');
      options.legend.forEach(function (l) {
        var item = el('span');
        var swatch = el('i');
        swatch.style.background = l.color;
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(l.label));
        legend.appendChild(item);
      });
      node.appendChild(legend);
    }
  }

  function localToday() {
    // en-CA formats as YYYY-MM-DD; the service counts days in its own time zone, so the page does too.
    return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  }
  function addDays(date, days) {
    var d = new Date(date + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }
  function applyPreset() {
    var preset = $('preset').value;
    if (preset === 'custom') return;
    var to = localToday();
    $('to').value = to;
    $('from').value = addDays(to, 1 - Number(preset));
  }

  function setStatus(text, isError) {
    var s = $('status');
    s.textContent = text;
    s.className = isError ? 'error' : 'muted';
  }

  function showSignIn(message) {
    if (timer) clearInterval(timer);
    timer = null;
    $('board').hidden = true;
    $('signout').hidden = true;
    $('signin').hidden = false;
    $('signin-error').textContent = message || '';
    $('apikey').value = '';
  }
  function showBoard() {
    $('signin').hidden = true;
    $('board').hidden = false;
    $('signout').hidden = false;
    if (!timer) timer = setInterval(load, REFRESH_MS);
  }

  function query() {
    var params = new URLSearchParams();
    if ($('warehouse').value) params.set('warehouse', $('warehouse').value);
    if ($('from').value) params.set('from', $('from').value);
    if ($('to').value) params.set('to', $('to').value);
    return params.toString();
  }

  /** Reads the dashboard with the stored key; a refused key sends the user back to sign in. */
  function load() {
    var key = localStorage.getItem(STORE);
    if (!key) return showSignIn('');
    var current = request();
    setStatus('加载中…');
    return fetch('/api/v1/metrics/dashboard?' + query(), { headers: { authorization: 'Bearer ' + key, accept: 'application/json' } })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (body) { return { status: res.status, body: body }; });
      })
      .then(function (r) {
        if (!current()) return;
        if (r.status === 401) {
          localStorage.removeItem(STORE);
          return showSignIn('API key 无效或已被撤销，请重新输入。');
        }
        if (r.status === 403) {
          localStorage.removeItem(STORE);
          return showSignIn('这个 API key 没有读取权限。');
        }
        showBoard();
        if (r.status !== 200) {
          var msg = r.body && r.body.error ? r.body.error.message : '服务返回 ' + r.status;
          return setStatus('出错了：' + msg, true);
        }
        render(r.body);
        setStatus('更新于 ' + new Date(r.body.generatedAt).toLocaleTimeString('zh-CN', { timeZone: timezone, hour12: false }) + '，每分钟自动刷新');
      })
      .catch(function () { if (current()) setStatus('无法连接服务，稍后自动重试', true); });
  }

  var lastData = null;
  function render(d) {
    lastData = d;
    renderWarehouses(d);
    renderTiles(d);
    renderBacklog(d.backlog);
    renderTime(d.timeInStatus);
    renderOverdue(d.overdue);
    renderExceptions(d.exceptions);
    renderAccuracy(d.accuracy);
    renderAlerts(d.alerts);
    renderOrders(d.orders);
  }

  function renderOrders(o) {
    if (!o.open.length) empty($('table-orders'), '没有未完成的订单');
    else table($('table-orders'), ['类型', '未完成', '1 天内', '1–3 天', '3–7 天', '7 天以上'], o.open.map(function (r) {
      return [typeName(r.type), r.documents, r.ages.under_1d, r.ages['1_3d'], r.ages['3_7d'], r.ages.over_7d];
    }));
    var f = o.fillRate;
    $('fill-rate').textContent = f.orders
      ? '期间发货申请 ' + f.orders + ' 张，全部发出 ' + f.filledOrders + ' 张；数量满足率 ' + pct(f.rate) + '（' + f.fulfilledQty + ' / ' + f.orderedQty + '）'
      : '期间没有发货申请';
  }

  function renderWarehouses(d) {
    // The unfiltered answer lists every warehouse; keep that list while a filter is on.
    if (!d.warehouse) knownWarehouses = d.alerts.warehouses.map(function (w) { return { code: w.warehouse, name: w.name }; });
    var select = $('warehouse');
    var current = select.value;
    while (select.options.length > 1) select.remove(1);
    knownWarehouses.forEach(function (w) {
      var o = el('option', w.name && w.name !== w.code ? w.name + '（' + w.code + '）' : w.code);
      o.value = w.code;
      select.appendChild(o);
    });
    select.value = current;
  }

  function renderTiles(d) {
    $('tile-backlog').textContent = String(d.backlog.total);
    var waiting = d.backlog.rows.filter(function (r) { return r.status !== 'draft'; }).reduce(function (n, r) { return n + r.documents; }, 0);
    $('tile-backlog-sub').textContent = '其中草稿 ' + (d.backlog.total - waiting) + ' 张';
    $('tile-overdue').textContent = String(d.overdue.total);
    $('tile-overdue').parentNode.className = 'tile' + (d.overdue.total > 0 ? ' warn' : '');
    $('tile-exceptions').textContent = String(d.exceptions.total);
    $('tile-exceptions-sub').textContent = d.from + ' 至 ' + d.to;
    $('tile-alerts').textContent = String(d.alerts.lowStock.total);
    $('tile-alerts-sub').textContent = '临期批次 ' + d.alerts.nearExpiryLots + ' 个';
    $('tile-accuracy').textContent = pct(d.accuracy.accuracy);
    $('tile-accuracy-sub').textContent = d.accuracy.countedLines ? '盘点 ' + d.accuracy.countedLines + ' 行，无差异 ' + d.accuracy.exactLines + ' 行' : '期间内没有盘点';
  }

  function renderBacklog(backlog) {
    var types = [];
    var byType = {};
    backlog.rows.forEach(function (r) {
      if (!byType[r.type]) { byType[r.type] = []; types.push(r.type); }
      byType[r.type].push(r);
    });
    var statuses = Object.keys(STATUS_COLORS);
    barChart($('chart-backlog'), types.map(function (t) {
      var rows = byType[t];
      var total = rows.reduce(function (n, r) { return n + r.documents; }, 0);
      return {
        label: typeName(t), text: total + ' 张',
        segments: statuses.map(function (s) {
          var r = rows.filter(function (x) { return x.status === s; })[0];
          return { value: r ? r.documents : 0, color: STATUS_COLORS[s], title: typeName(t) + ' · ' + statusName(s) + '：' + (r ? r.documents : 0) + ' 张' };
        }).filter(function (s) { return s.value > 0; }),
      };
    }), {
      title: '待处理单据（按类型和状态）', empty: '没有待处理的单据', labelWidth: 110,
      legend: statuses.map(function (s) { return { label: statusName(s), color: STATUS_COLORS[s] }; }),
    });
    table($('table-backlog'), ['类型', '状态', '单据数'], backlog.rows.map(function (r) { return [typeName(r.type), statusName(r.status), r.documents]; }));
  }

  function renderTime(rows) {
    // Stays that took no time (handed on in the same call) are in the table, not the chart.
    barChart($('chart-time'), rows.filter(function (r) { return r.avgHours > 0; }).map(function (r) {
      return {
        label: typeName(r.type) + ' · ' + statusName(r.status), text: fmtHours(r.avgHours) + ' h',
        segments: [{ value: r.avgHours, color: STATUS_COLORS[r.status] || '#4e83fd', title: '平均 ' + fmtHours(r.avgHours) + ' 小时，P90 ' + fmtHours(r.p90Hours) + ' 小时，' + r.documents + ' 张' }],
      };
    }), { title: '各状态平均停留时间（小时）', empty: rows.length ? '期间内单据都是即时流转，没有停留' : '期间内没有离开过某个状态的单据', labelWidth: 170 });
    table($('table-time'), ['类型', '状态', '单据数', '平均（小时）', 'P90（小时）'], rows.map(function (r) {
      return [typeName(r.type), statusName(r.status), r.documents, r.avgHours, r.p90Hours];
    }));
  }

  function renderOverdue(overdue) {
    if (!overdue.rows.length) return empty($('table-overdue'), '没有超时的单据');
    table($('table-overdue'), ['仓库', '类型', '超时单据'], overdue.rows.map(function (r) {
      return [r.name && r.name !== r.warehouse ? r.name + '（' + r.warehouse + '）' : r.warehouse, typeName(r.type), r.documents];
    }));
  }

  function renderExceptions(e) {
    table($('table-exceptions'), ['异常', '数量'], [
      ['被驳回的单据', e.rejected],
      ['调拨短收（有差异）', e.shortReceipts],
      ['有差异的盘点单', e.stocktakeVariances],
      ['　其中差异行', e.varianceLines],
      ['红字冲销', e.reversals],
      ['发送失败的聊天消息', e.deadDeliveries],
    ]);
    if (e.deadReasons.length) {
      var node = $('table-exceptions');
      var holder = el('div');
      table(holder, ['发送失败原因', '条数'], e.deadReasons.map(function (r) { return [r.reason, r.deliveries]; }));
      node.appendChild(holder);
    }
  }

  function renderAccuracy(a) {
    barChart($('chart-accuracy'), a.warehouses.map(function (w) {
      var value = w.accuracy === null ? 0 : Number(w.accuracy);
      return {
        label: w.name && w.name !== w.warehouse ? w.name : w.warehouse,
        text: w.accuracy === null ? '未盘点' : pct(w.accuracy) + '（' + w.exactLines + '/' + w.countedLines + '）',
        muted: w.accuracy === null,
        segments: [{ value: value, color: value >= 0.98 ? '#2ea121' : value >= 0.9 ? '#ff8800' : '#d83931', title: w.warehouse + '：' + pct(w.accuracy) }],
      };
    }), { title: '库存准确率（按仓库）', empty: '还没有仓库', max: 1, labelWidth: 110 });
  }

  function renderAlerts(alerts) {
    var rows = alerts.warehouses.filter(function (w) { return w.open + w.acknowledged + w.snoozed + w.nearExpiryLots > 0; });
    if (!rows.length) return empty($('table-alerts'), '没有未处理的提醒');
    table($('table-alerts'), ['仓库', '低库存·待处理', '已确认', '稍后提醒', '临期批次'], rows.map(function (w) {
      return [w.name && w.name !== w.warehouse ? w.name + '（' + w.warehouse + '）' : w.warehouse, w.open, w.acknowledged, w.snoozed, w.nearExpiryLots];
    }));
  }

  $('signin-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var key = $('apikey').value.trim();
    if (!key) return;
    localStorage.setItem(STORE, key);
    load();
  });
  $('signout').addEventListener('click', function () {
    localStorage.removeItem(STORE);
    showSignIn('已退出。');
  });
  $('preset').addEventListener('change', function () { applyPreset(); load(); });
  ['from', 'to'].forEach(function (id) {
    $(id).addEventListener('change', function () { $('preset').value = 'custom'; load(); });
  });
  $('warehouse').addEventListener('change', load);
  $('refresh').addEventListener('click', load);

  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { if (lastData && !$('board').hidden) render(lastData); }, 200);
  });

  applyPreset();
  if (localStorage.getItem(STORE)) load(); else showSignIn('');
})();
`;
