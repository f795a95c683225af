/**
 * What every admin page's script shares, served at GET /admin/common.js after /dashboard/dom.js
 * (building nodes, text only, never HTML): sign-in with the dashboard's stored key, calling the API, and putting the
 * API's refusals next to the fields they name. Plain browser JavaScript, no build step; no backticks
 * or dollar-brace inside (a raw template).
 */
export const ADMIN_COMMON_JS = String.raw`(function () {
  'use strict';
  // The dashboard's key: one sign-in serves the dashboard and every admin page.
  var STORE = 'jxc.dashboard.apiKey';
  var app = document.getElementById('app');
  var names = JSON.parse(app.getAttribute('data-names') || '{}');
  var timezone = app.getAttribute('data-timezone') || 'Asia/Shanghai';
  var loaders = [];
  var me = null;

  // Building nodes is the dashboard's (/dashboard/dom.js, loaded before this script).
  var dom = window.jxcDom;
  var $ = dom.$, el = dom.el, clear = dom.clear;
  function nameOf(kind, code) { return (names[kind] && names[kind][code]) || code; }
  /** Names before codes: 总仓（CENTRAL）. */
  function label(name, code) { return name && name !== code ? name + '（' + code + '）' : String(code); }
  var timeFormat = new Intl.DateTimeFormat('zh-CN', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
  function time(iso) { return iso ? timeFormat.format(new Date(iso)) : '—'; }
  /** Text with the English API name in small type under it. */
  function bilingual(tag, zh, en) {
    var e = el(tag, zh);
    e.appendChild(el('span', en, 'en'));
    return e;
  }
  function chips(values) {
    var box = el('span', null, 'chips');
    values.forEach(function (v) { box.appendChild(el('span', v)); });
    if (!values.length) box.appendChild(el('span', '—'));
    return box;
  }

  /** A table: head is [中文, english] pairs; a cell is text or a node. */
  function table(node, head, rows, emptyText) {
    clear(node);
    if (!rows.length) { node.appendChild(el('div', emptyText || '暂无', 'empty')); return; }
    var t = el('table');
    var tr = el('tr');
    head.forEach(function (h) { tr.appendChild(bilingual('th', h[0], h[1])); });
    t.appendChild(el('thead')).appendChild(tr);
    var body = el('tbody');
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) {
        var td = el('td');
        if (c && typeof c === 'object' && c.nodeType) td.appendChild(c); else td.textContent = c === null || c === undefined ? '—' : String(c);
        row.appendChild(td);
      });
      body.appendChild(row);
    });
    t.appendChild(body);
    node.appendChild(t);
  }

  function key() { return localStorage.getItem(STORE); }
  function api(method, path, body, headers) {
    var h = { authorization: 'Bearer ' + key(), accept: 'application/json' };
    if (body !== undefined) h['content-type'] = 'application/json';
    Object.keys(headers || {}).forEach(function (k) { h[k] = headers[k]; });
    return fetch('/api/v1' + path, { method: method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (r) {
        return r.text().then(function (t) {
          var b = null;
          try { b = t ? JSON.parse(t) : null; } catch (e) { b = { error: { message: t } }; }
          if (r.status === 401) signOut('API key 无效或已撤销，请重新登录');
          return { status: r.status, ok: r.ok, body: b };
        });
      });
  }

  var prefixes = { 403: '没有权限：', 404: '找不到：', 409: '冲突：', 413: '太大：', 422: '无法处理：' };
  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll('[data-error-for], .form-error, .form-ok'), function (n) { n.textContent = ''; });
    Array.prototype.forEach.call(form.querySelectorAll('.field.invalid'), function (n) { n.classList.remove('invalid'); });
  }
  /** The error slot for an API field path (lines.0.qty): the most specific one the form has. */
  function slotFor(form, field) {
    var parts = field.split('.');
    for (var n = parts.length; n > 0; n--) {
      var slot = form.querySelector('[data-error-for="' + CSS.escape(parts.slice(0, n).join('.')) + '"]');
      if (slot) return slot;
    }
    return null;
  }
  /**
   * The API's refusal, next to the fields it names: a 400's details ([{field, message}]); a 404 or
   * 409's details mapped by fieldOf ({warehouse: 'warehouse', code: 'code'}). Whatever names no field
   * of this form goes to the form's own line.
   */
  function showErrors(form, res, fieldOf) {
    clearErrors(form);
    var err = (res.body && res.body.error) || { message: 'HTTP ' + res.status };
    var issues = [];
    var details = err.details;
    if (Array.isArray(details)) {
      issues = details.filter(function (d) { return d && typeof d.field === 'string'; });
    } else if (details && typeof details === 'object' && fieldOf) {
      var field = details.entity ? fieldOf[details.entity] : Object.keys(details).map(function (k) { return fieldOf[k]; }).filter(Boolean)[0];
      if (field) issues = [{ field: field, message: (prefixes[res.status] || '') + err.message }];
    }
    var rest = [];
    issues.forEach(function (i) {
      var slot = i.field ? slotFor(form, i.field) : null;
      if (!slot) { rest.push((i.field ? i.field + ': ' : '') + i.message); return; }
      slot.textContent = (slot.textContent ? slot.textContent + '；' : '') + i.message;
      var f = slot.closest('.field');
      if (f) f.classList.add('invalid');
    });
    if (!issues.length) rest.push((prefixes[res.status] || '') + err.message);
    var line = form.querySelector('.form-error');
    if (line) line.textContent = rest.join('；');
    var first = form.querySelector('.field.invalid input, .field.invalid select');
    if (first) first.focus();
  }
  /** Sends a form's body; on a refusal shows it and resolves null, else the answer's body (and a note). */
  function send(form, method, path, body, options) {
    options = options || {};
    clearErrors(form);
    var button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    return api(method, path, body, options.headers).then(function (res) {
      if (button) button.disabled = false;
      if (!res.ok) { showErrors(form, res, options.fieldOf); return null; }
      var ok = form.querySelector('.form-ok');
      if (ok && options.done) ok.textContent = options.done;
      return res.body;
    }, function () {
      if (button) button.disabled = false;
      var line = form.querySelector('.form-error');
      if (line) line.textContent = '无法连接服务，请稍后再试';
      return null;
    });
  }
  /** A form control's trimmed value, or undefined when empty (omitted from the body). */
  function value(form, name) {
    var c = form.elements.namedItem(name);
    var v = c && typeof c.value === 'string' ? c.value.trim() : '';
    return v === '' ? undefined : v;
  }
  function checked(form, name) {
    return Array.prototype.filter.call(form.querySelectorAll('input[name="' + CSS.escape(name) + '"]'), function (c) { return c.checked; })
      .map(function (c) { return c.value; });
  }
  /** "a|b, c" → ['a', 'b', 'c']: lists typed in one box, as in import files. */
  function list(text) {
    return text ? text.split(/[|,，、]/).map(function (s) { return s.trim(); }).filter(Boolean) : undefined;
  }
  function options(select, pairs, keepFirst) {
    var first = keepFirst && select.options[0] ? select.options[0] : null;
    clear(select);
    if (first) select.appendChild(first);
    pairs.forEach(function (p) { var o = el('option', p[1]); o.value = p[0]; select.appendChild(o); });
  }

  function signOut(message) {
    localStorage.removeItem(STORE);
    me = null;
    $('content').hidden = true;
    $('signout').hidden = true;
    $('who').textContent = '';
    $('signin').hidden = false;
    $('signin-error').textContent = message || '';
    $('apikey').value = '';
  }
  function signIn() {
    return api('GET', '/me').then(function (r) {
      if (r.status === 401) return;
      if (!r.ok) { signOut('登录失败：' + ((r.body && r.body.error && r.body.error.message) || r.status)); return; }
      me = r.body;
      $('signin').hidden = true;
      $('content').hidden = false;
      $('signout').hidden = false;
      $('who').textContent = me.organization.name + ' · ' + (me.user ? me.user.name : (me.key ? me.key.name : ''));
      $('not-admin').hidden = !!(me.key && me.key.scopes.indexOf('admin') >= 0);
      loaders.forEach(function (load) { load(); });
    }, function () { signOut('无法连接服务'); });
  }
  $('signin-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var k = $('apikey').value.trim();
    if (!k) return;
    localStorage.setItem(STORE, k);
    signIn();
  });
  $('signout').addEventListener('click', function () { signOut(''); });

  window.JxcAdmin = {
    names: names, $: $, el: el, clear: clear, nameOf: nameOf, label: label, time: time, bilingual: bilingual, chips: chips, table: table,
    api: api, send: send, showErrors: showErrors, clearErrors: clearErrors, value: value, checked: checked, list: list, options: options,
    key: key, me: function () { return me; },
    /** Runs load now if signed in, and at every sign-in. */
    onSignedIn: function (load) { loaders.push(load); if (me) load(); },
  };
  if (key()) signIn(); else signOut('');
})();
`;
