/**
 * The sandbox page's script, served as-is at `/sandbox/app.js` (no build step, no framework, no
 * external assets; the page's CSP allows only same-origin scripts). Plain browser JavaScript kept
 * in a string so the Node server and the Workers bundle both serve it without reading files.
 * Everything from the API reaches the page through `textContent`, never `innerHTML`.
 * Keep it free of backticks and dollar-brace: it lives inside String.raw.
 */
export const sandboxAppJs = String.raw`'use strict';
(function () {
  var KEY = 'jxc-sandbox-key', ME = 'jxc-sandbox-me', CHAT = 'jxc-sandbox-chat';
  var ROLES = { admin: '管理员', supervisor: '主管', warehouse_lead: '仓库主管', store_manager: '门店店长', staff: '员工' };
  var PURPOSES = { alerts: '预警', approvals: '审批', digest: '日报' };
  var HINTS = ['库存 可乐', '待审批', '低库存', '帮助'];
  var $ = function (id) { return document.getElementById(id); };
  var state = { key: null, timezone: null, people: [], chats: [], me: null, chatId: null, messages: [], lastId: null, timer: null, polls: 0, busy: false, jump: true,
    views: {}, previews: {} };

  /** An element with a class and text: data only ever goes through textContent. */
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function store(name, value) {
    try { if (value === null) localStorage.removeItem(name); else localStorage.setItem(name, value); } catch (e) { /* private mode */ }
  }
  function load(name) {
    try { return localStorage.getItem(name); } catch (e) { return null; }
  }

  var toastTimer = null;
  function toast(kind, text) {
    var t = $('toast');
    t.textContent = text;
    t.className = 'toast ' + (kind || 'info');
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { t.hidden = true; }, 3000);
  }

  function Unauthorized() {}
  function api(method, path, body) {
    var init = { method: method, headers: { authorization: 'Bearer ' + state.key } };
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init).then(function (res) {
      if (res.status === 401) throw new Unauthorized();
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (!res.ok) throw new Error((json && json.error && json.error.message) || ('HTTP ' + res.status));
        return json;
      });
    });
  }
  function failed(err) {
    if (err instanceof Unauthorized) return signOut('密钥无效或已吊销，请重新输入');
    toast('error', '出错了：' + (err && err.message ? err.message : err));
  }

  // ---- signing in and out ----
  function signIn(key) {
    state.key = key;
    return Promise.all([api('GET', '/sandbox/api/people'), api('GET', '/sandbox/api/chats')]).then(function (r) {
      store(KEY, key);
      state.people = r[0].people;
      state.timezone = r[0].timezone;
      state.chats = r[1].chats;
      $('signin').hidden = true;
      $('app').hidden = false;
      $('signout').hidden = false;
      renderPeople();
    });
  }
  function signOut(message) {
    stopPolling();
    store(KEY, null);
    state.key = null;
    state.chatId = null;
    $('app').hidden = true;
    $('signout').hidden = true;
    $('signin').hidden = false;
    $('key').value = '';
    var e = $('signin-error');
    e.textContent = message || '';
    e.hidden = !message;
  }

  // ---- people and chats ----
  function person(sandboxId) {
    for (var i = 0; i < state.people.length; i++) if (state.people[i].sandboxIds.indexOf(sandboxId) >= 0) return state.people[i];
    return null;
  }
  function roleText(p) {
    var roles = p.roles.map(function (r) { return ROLES[r] || r; }).join('、') || '无角色';
    return roles + (p.warehouses.length ? ' · ' + p.warehouses.join('、') : '');
  }
  function renderPeople() {
    var select = $('who');
    select.textContent = '';
    if (!state.people.length) {
      $('who-role').textContent = '这个组织还没有沙盒身份的用户：用 POST /api/v1/users 加一个（identities: [{platform: "sandbox", externalId}]）。';
      renderChats();
      return;
    }
    state.people.forEach(function (p) {
      var option = el('option', null, p.name + '（' + (p.roles.map(function (r) { return ROLES[r] || r; }).join('、') || '无角色') + '）');
      option.value = p.sandboxIds[0];
      select.appendChild(option);
    });
    var saved = load(ME);
    state.me = person(saved) ? saved : state.people[0].sandboxIds[0];
    select.value = state.me;
    $('who-role').textContent = roleText(person(state.me));
    renderChats();
    var chat = load(CHAT);
    openChat(visibleChats().some(function (c) { return c.chatId === chat; }) ? chat : (visibleChats()[0] || {}).chatId || null);
  }
  /** The groups, and my own 1:1 with the bot. */
  function visibleChats() {
    return state.chats.filter(function (c) { return c.type === 'group' || c.chatId === state.me; });
  }
  function chatLabel(c) {
    if (c.type === 'direct') return { name: '与机器人私聊', sub: '只有你和机器人' };
    return {
      name: c.chatId,
      sub: c.warehouses.map(function (w) {
        return w.name + '（' + w.purposes.map(function (p) { return PURPOSES[p] || p; }).join('/') + '）';
      }).join('、'),
    };
  }
  function renderChats() {
    var list = $('chats');
    list.textContent = '';
    visibleChats().forEach(function (c) {
      var label = chatLabel(c);
      var b = el('button', 'chat-item' + (c.chatId === state.chatId ? ' on' : ''), label.name);
      b.type = 'button';
      b.setAttribute('data-chat', c.chatId);
      b.appendChild(el('small', null, label.sub));
      b.addEventListener('click', function () { openChat(c.chatId); });
      list.appendChild(b);
    });
  }
  function openChat(chatId) {
    stopPolling();
    state.chatId = chatId;
    state.messages = [];
    state.lastId = null;
    state.jump = true;
    store(CHAT, chatId);
    renderChats();
    var head = $('chat-title');
    head.textContent = '';
    var chat = visibleChats().filter(function (c) { return c.chatId === chatId; })[0];
    if (!chat) {
      head.textContent = '没有可用的聊天';
      renderMessages();
      return;
    }
    var label = chatLabel(chat);
    head.appendChild(document.createTextNode(label.name));
    head.appendChild(el('small', null, label.sub));
    renderMessages();
    refresh().then(startPolling, failed);
  }

  // ---- messages ----
  function startPolling() {
    stopPolling();
    state.timer = setInterval(function () {
      state.polls++;
      // New messages every tick; every fifth, the whole chat, for cards changed in place by others.
      (state.polls % 5 === 0 ? refresh() : poll()).catch(failed);
    }, 2000);
  }
  function stopPolling() {
    if (state.timer) clearInterval(state.timer);
    state.timer = null;
  }
  function messagesPath(after) {
    return '/sandbox/api/chats/' + encodeURIComponent(state.chatId) + '/messages' + (after ? '?after=' + encodeURIComponent(after) : '');
  }
  function refresh() {
    var chatId = state.chatId;
    if (!chatId) return Promise.resolve();
    return api('GET', messagesPath(null)).then(function (r) {
      if (chatId !== state.chatId) return;
      var before = JSON.stringify(state.messages);
      state.messages = r.messages;
      state.lastId = r.messages.length ? r.messages[r.messages.length - 1].id : null;
      if (JSON.stringify(state.messages) !== before) renderMessages();
    });
  }
  function poll() {
    var chatId = state.chatId;
    if (!chatId) return Promise.resolve();
    return api('GET', messagesPath(state.lastId)).then(function (r) {
      if (chatId !== state.chatId || !r.messages.length) return;
      var known = {};
      state.messages.forEach(function (m) { known[m.id] = true; });
      r.messages.forEach(function (m) { if (!known[m.id]) state.messages.push(m); });
      state.lastId = r.messages[r.messages.length - 1].id;
      renderMessages();
    });
  }
  function renderMessages() {
    var box = $('messages');
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
    // Keep an open input form (a reject reason being typed) across re-renders.
    var open = box.querySelector('.inputs');
    var openKey = open ? open.getAttribute('data-key') : null;
    var values = {};
    if (open) Array.prototype.forEach.call(open.querySelectorAll('input'), function (i) { values[i.name] = i.value; });
    box.textContent = '';
    if (!state.messages.length) box.appendChild(el('div', 'empty', state.chatId ? '还没有消息。试试发“库存 可乐”或“帮助”。' : ''));
    state.messages.forEach(function (m) { box.appendChild(renderMessage(m, openKey, values)); });
    if (atBottom || state.jump) box.scrollTop = box.scrollHeight;
    if (state.messages.length) state.jump = false;
  }
  /** HH:mm in the service's APP_TIMEZONE (as the cards write times), not the browser's own zone. */
  function time(iso) {
    var d = new Date(iso);
    try {
      return new Intl.DateTimeFormat('zh-CN', { timeZone: state.timezone || undefined, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
    } catch (e) {
      var pad = function (n) { return (n < 10 ? '0' : '') + n; };
      return pad(d.getHours()) + ':' + pad(d.getMinutes());
    }
  }
  function renderMessage(m, openKey, values) {
    var mine = m.senderId && m.senderId === state.me;
    var row = el('div', 'msg-row' + (mine ? ' mine' : ''));
    row.setAttribute('data-id', m.id);
    var who = m.senderId ? (person(m.senderId) || { name: m.senderId }).name : '机器人';
    row.appendChild(el('div', 'who', who + ' · ' + time(m.at)));
    if (m.text !== undefined) row.appendChild(el('div', 'bubble', m.text));
    if (m.card) {
      var view = state.views[m.id] || 'sandbox';
      var card = row.appendChild(renderCard(m, openKey, values));
      if (window.jxcCardPreview) {
        row.appendChild(viewSwitch(m, view));
        if (view !== 'sandbox') {
          card.hidden = true;
          row.appendChild(platformView(m, view));
        }
      }
    }
    if (m.updatedAt) row.appendChild(el('div', 'edited', '已更新 ' + time(m.updatedAt)));
    return row;
  }
  // ---- the card as each platform shows it (src/web/sandbox-previews.ts draws it) ----
  function viewSwitch(m, view) {
    var bar = el('div', 'views');
    bar.setAttribute('role', 'group');
    bar.setAttribute('aria-label', '预览平台');
    window.jxcCardPreview.kinds.forEach(function (k) {
      var b = el('button', k.id === view ? 'on' : null, k.label);
      b.type = 'button';
      b.setAttribute('data-view', k.id);
      b.setAttribute('aria-pressed', String(k.id === view));
      b.addEventListener('click', function () {
        state.views[m.id] = k.id;
        renderMessages();
      });
      bar.appendChild(b);
    });
    return bar;
  }
  /** The platform's rendering, fetched once per version of the card (a tap or an update changes it). */
  function platformView(m, view) {
    var key = m.id + '|' + (m.updatedAt || '');
    var cached = state.previews[key];
    if (cached && cached.error) return el('div', 'preview error', '预览失败：' + cached.error);
    if (cached) return window.jxcCardPreview.render(view, cached);
    if (!state.previews[key + '|loading']) {
      state.previews[key + '|loading'] = true;
      api('GET', '/sandbox/api/messages/' + encodeURIComponent(m.id) + '/previews').then(function (r) {
        state.previews[key] = r;
      }, function (err) {
        if (err instanceof Unauthorized) return failed(err);
        state.previews[key] = { error: err && err.message ? err.message : String(err) };
      }).then(function () {
        delete state.previews[key + '|loading'];
        renderMessages();
      });
    }
    return el('div', 'preview muted', '加载中…');
  }
  function safeUrl(url) {
    return /^https?:\/\//i.test(url) ? url : null;
  }
  function renderCard(m, openKey, values) {
    var c = m.card;
    var card = el('div', 'card tone-' + String(c.tone).replace(/[^a-z]/g, ''));
    card.appendChild(el('div', 'card-title', c.title));
    var body = el('div', 'card-body');
    card.appendChild(body);
    if (c.fields && c.fields.length) {
      var dl = el('dl');
      c.fields.forEach(function (f) { dl.appendChild(el('dt', null, f.label)); dl.appendChild(el('dd', null, f.value)); });
      body.appendChild(dl);
    }
    if (c.body) body.appendChild(el('p', 'card-text', c.body));
    (c.tables || []).forEach(function (t) {
      var wrap = el('div', 'table-wrap');
      if (t.title) wrap.appendChild(el('p', 'table-title', t.title));
      if (t.columns.length || t.rows.length) {
        var table = el('table');
        if (t.columns.length) {
          var tr = el('tr');
          t.columns.forEach(function (col) { tr.appendChild(el('th', null, col)); });
          var thead = el('thead');
          thead.appendChild(tr);
          table.appendChild(thead);
        }
        var tbody = el('tbody');
        t.rows.forEach(function (r) {
          var row = el('tr');
          r.forEach(function (cell) { row.appendChild(el('td', null, cell)); });
          tbody.appendChild(row);
        });
        table.appendChild(tbody);
        wrap.appendChild(table);
      }
      if (t.note) wrap.appendChild(el('p', 'muted', t.note));
      body.appendChild(wrap);
    });
    if (c.status) body.appendChild(el('div', 'status', c.status));
    if (c.actions && c.actions.length) {
      var actions = el('div', 'actions');
      var formHolder = el('div');
      c.actions.forEach(function (a) {
        var b = el('button', a.style === 'primary' ? 'primary' : a.style === 'danger' ? 'danger-btn' : null, a.label);
        b.type = 'button';
        b.addEventListener('click', function () {
          if (a.inputs && a.inputs.length) {
            formHolder.textContent = '';
            formHolder.appendChild(inputForm(m, a, {}));
            var first = formHolder.querySelector('input');
            if (first) first.focus();
          } else {
            tap(m, a, undefined, b);
          }
        });
        actions.appendChild(b);
        if (openKey === m.id + '|' + a.id) formHolder.appendChild(inputForm(m, a, values));
      });
      body.appendChild(actions);
      body.appendChild(formHolder);
    }
    if (c.link && safeUrl(c.link.url)) {
      var link = el('a', null, c.link.label);
      link.href = safeUrl(c.link.url);
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      body.appendChild(link);
    }
    return card;
  }
  /** The small form a button with inputs asks for (a reject reason, received quantities). */
  function inputForm(m, a, values) {
    var form = el('form', 'inputs');
    form.setAttribute('data-key', m.id + '|' + a.id);
    a.inputs.forEach(function (i) {
      var label = el('label', null, i.label + (i.required ? ' *' : ''));
      var input = el('input');
      input.name = i.name;
      input.placeholder = i.placeholder || '';
      input.required = !!i.required;
      input.value = values[i.name] || '';
      label.appendChild(input);
      form.appendChild(label);
    });
    var row = el('div', 'row');
    var ok = el('button', a.style === 'danger' ? 'danger-btn' : 'primary', a.label);
    ok.type = 'submit';
    var cancel = el('button', null, '取消');
    cancel.type = 'button';
    cancel.addEventListener('click', function () { form.remove(); });
    row.appendChild(ok);
    row.appendChild(cancel);
    form.appendChild(row);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var data = {};
      Array.prototype.forEach.call(form.querySelectorAll('input'), function (i) { data[i.name] = i.value.trim(); });
      tap(m, a, data, ok, form);
    });
    return form;
  }
  function tap(m, a, form, button, formNode) {
    button.disabled = true;
    var body = { messageId: m.id, actionId: a.id, userId: state.me };
    if (form) body.form = form;
    api('POST', '/sandbox/api/actions', body).then(function (r) {
      if (r.toast) toast(r.toast.kind, r.toast.text);
      if (r.card) {
        m.card = r.card;
        m.updatedAt = new Date().toISOString();
        if (formNode) formNode.remove();
        renderMessages();
      }
      return poll();
    }).catch(failed).then(function () { button.disabled = false; });
  }
  function send(text) {
    if (!text || !state.chatId || !state.me || state.busy) return;
    state.busy = true;
    $('send').disabled = true;
    api('POST', '/sandbox/api/messages', { chatId: state.chatId, userId: state.me, text: text }).then(function () {
      $('text').value = '';
      // The reply's lines (mine, then the bot's) come back in order from the chat itself.
      state.jump = true;
      return poll();
    }).catch(failed).then(function () {
      state.busy = false;
      $('send').disabled = false;
      $('text').focus();
    });
  }

  // ---- wiring ----
  function start() {
    HINTS.forEach(function (h) {
      var b = el('button', null, h);
      b.type = 'button';
      b.addEventListener('click', function () { send(h); });
      $('hints').appendChild(b);
    });
    $('signin-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var key = $('key').value.trim();
      if (!key) return;
      signIn(key).catch(function (err) {
        if (err instanceof Unauthorized) signOut('密钥无效或已吊销');
        else signOut('无法连接：' + (err && err.message ? err.message : err));
      });
    });
    $('signout').addEventListener('click', function () { signOut(); });
    $('who').addEventListener('change', function () {
      state.me = $('who').value;
      store(ME, state.me);
      $('who-role').textContent = roleText(person(state.me));
      var keep = state.chats.some(function (c) { return c.chatId === state.chatId && c.type === 'group'; });
      renderChats();
      if (keep) renderMessages(); else openChat((visibleChats()[0] || {}).chatId || null);
    });
    $('composer').addEventListener('submit', function (e) {
      e.preventDefault();
      send($('text').value.trim());
    });
    var saved = load(KEY);
    if (saved) signIn(saved).catch(function (err) { signOut(err instanceof Unauthorized ? '保存的密钥已失效，请重新输入' : '无法连接，请重试'); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
`;
