/**
 * How a card looks on each platform, for the sandbox page's toggle: served as-is at
 * `/sandbox/previews.js` and loaded before `/sandbox/app.js`, it draws the JSON that
 * `GET /sandbox/api/messages/:id/previews` returns — the output of the real renderers
 * (cards/render-lark.ts, render-wecom.ts, render-markdown.ts) — as Lark and WeCom lay it out:
 * Lark card JSON 2.0 (header colour, column sets, markdown, tables, buttons, forms), WeCom template
 * cards (source, title, sub title, key-value rows, buttons) and WeCom markdown (bold, quotes,
 * coloured text, links), each with its raw JSON underneath. It only reads that JSON; nothing is
 * rendered from the neutral card here. Data reaches the page through textContent only. Buttons are
 * drawn, not live: taps are tried on the sandbox view. No backticks or dollar-brace: a raw template.
 */
export const SANDBOX_PREVIEWS_JS = String.raw`'use strict';
(function () {
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  var KINDS = [
    { id: 'sandbox', label: '沙盒' },
    { id: 'lark', label: '飞书', api: 'Lark card JSON 2.0' },
    { id: 'wecomApp', label: '企业微信应用', api: 'WeCom app message/send' },
    { id: 'wecomAibot', label: '企微智能机器人', api: 'WeCom AI bot reply' },
    { id: 'wecomRobot', label: '企微群机器人', api: 'WeCom group robot markdown' },
  ];

  // ---- Lark card JSON 2.0 ----
  /** Our Lark markdown: **bold** and characters escaped as HTML entities; newlines kept by CSS. */
  function larkMarkdown(node, text) {
    String(text).split('**').forEach(function (part, i) {
      var t = part.replace(/&#(\d+);/g, function (_, n) { return String.fromCharCode(Number(n)); });
      if (t) node.appendChild(i % 2 ? el('b', null, t) : document.createTextNode(t));
    });
    return node;
  }
  function larkButton(e) {
    var open = (e.behaviors || []).some(function (b) { return b.type === 'open_url'; });
    return el('span', 'pv-btn ' + (e.type || 'default'), (e.text ? e.text.content : '') + (open ? ' ↗' : ''));
  }
  function larkTable(e) {
    var wrap = el('div', 'pv-table');
    var t = el('table');
    var head = el('tr');
    (e.columns || []).forEach(function (c) { head.appendChild(el('th', null, c.display_name)); });
    t.appendChild(el('thead')).appendChild(head);
    var body = el('tbody');
    (e.rows || []).forEach(function (r) {
      var tr = el('tr');
      (e.columns || []).forEach(function (c) { tr.appendChild(el('td', null, r[c.name])); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    wrap.appendChild(t);
    if ((e.rows || []).length > e.page_size) wrap.appendChild(el('div', 'pv-note', '每页 ' + e.page_size + ' 行，共 ' + e.rows.length + ' 行'));
    return wrap;
  }
  function larkElement(e) {
    switch (e.tag) {
      case 'column_set': {
        var row = el('div', 'lk-cols' + (e.flex_mode === 'flow' ? ' flow' : ''));
        (e.columns || []).forEach(function (c) {
          var col = el('div', 'lk-col');
          (c.elements || []).forEach(function (x) { col.appendChild(larkElement(x)); });
          row.appendChild(col);
        });
        return row;
      }
      case 'markdown': return larkMarkdown(el('div', 'lk-md'), e.content);
      case 'div': return el('div', 'lk-text' + (e.text && e.text.text_size === 'notation' ? ' pv-note' : ''), e.text ? e.text.content : '');
      case 'hr': return el('hr');
      case 'table': return larkTable(e);
      case 'button': return larkButton(e);
      case 'input': {
        var field = el('div', 'pv-input');
        field.appendChild(el('div', 'pv-label', (e.label ? e.label.content : e.name) + (e.required ? ' *' : '')));
        field.appendChild(el('div', 'pv-box', e.placeholder ? e.placeholder.content : ''));
        return field;
      }
      case 'form': {
        var form = el('div', 'lk-form');
        (e.elements || []).forEach(function (x) { form.appendChild(larkElement(x)); });
        return form;
      }
      default: return el('div', 'pv-note', '[' + e.tag + ']');
    }
  }
  function lark(p) {
    var card = el('div', 'pv lk');
    var header = p.card.header || {};
    card.appendChild(el('div', 'lk-head ' + (header.template || 'blue'), header.title ? header.title.content : ''));
    var body = el('div', 'pv-body');
    ((p.card.body || {}).elements || []).forEach(function (e) { body.appendChild(larkElement(e)); });
    card.appendChild(body);
    card.appendChild(el('div', 'pv-meta', p.bytes + ' 字节 / 30 KB · ' + p.elements + ' 个组件 / 200' + (p.ok ? '' : ' · 超出飞书限制')));
    return card;
  }

  // ---- WeCom ----
  /** WeCom markdown as we write it: **bold**, "> " quotes, <font color> text, [label](url). */
  function wecomMarkdown(content) {
    var box = el('div', 'pv wc-md');
    String(content).split('\n').forEach(function (line) {
      var quote = line.indexOf('> ') === 0;
      var p = el('div', quote ? 'wc-quote' : 'wc-line');
      var rest = quote ? line.slice(2) : line;
      var re = /\*\*([^*]+)\*\*|<font color="(\w+)">([\s\S]*?)<\/font>|\[([^\]]*)\]\(([^)]*)\)/g;
      var at = 0, m;
      while ((m = re.exec(rest))) {
        if (m.index > at) p.appendChild(document.createTextNode(rest.slice(at, m.index)));
        if (m[1] !== undefined) p.appendChild(el('b', null, m[1]));
        else if (m[2] !== undefined) p.appendChild(el('span', 'wc-' + m[2], m[3]));
        else p.appendChild(el('span', 'wc-link', m[4]));
        at = re.lastIndex;
      }
      if (at < rest.length) p.appendChild(document.createTextNode(rest.slice(at)));
      box.appendChild(p);
    });
    return box;
  }
  function wecomCard(t) {
    var card = el('div', 'pv wc');
    if (t.source) card.appendChild(el('div', 'wc-source c' + (t.source.desc_color || 0), t.source.desc));
    if (t.main_title) {
      card.appendChild(el('div', 'wc-title', t.main_title.title));
      if (t.main_title.desc) card.appendChild(el('div', 'wc-desc', t.main_title.desc));
    }
    if (t.sub_title_text) card.appendChild(el('div', 'wc-sub', t.sub_title_text));
    (t.horizontal_content_list || []).forEach(function (h) {
      var row = el('div', 'wc-kv');
      row.appendChild(el('span', 'k', h.keyname));
      row.appendChild(el('span', h.url ? 'v wc-link' : 'v', h.value));
      card.appendChild(row);
    });
    if (t.button_list && t.button_list.length) {
      var buttons = el('div', 'wc-btns');
      t.button_list.forEach(function (b) { buttons.appendChild(el('span', 'pv-btn s' + b.style, b.text)); });
      card.appendChild(buttons);
    }
    if (t.card_action && t.card_action.url) card.appendChild(el('div', 'pv-note', '点击卡片打开链接'));
    card.appendChild(el('div', 'pv-meta', t.card_type));
    return card;
  }
  function wecomBody(body) {
    return body.msgtype === 'template_card' ? wecomCard(body.template_card) : wecomMarkdown(body.markdown.content);
  }

  /** The preview of one platform, with its JSON underneath. */
  function render(kind, previews) {
    var wrap = el('div', 'preview');
    var value = previews[kind];
    var info = KINDS.filter(function (k) { return k.id === kind; })[0];
    if (kind === 'lark') wrap.appendChild(lark(value));
    else if (kind === 'wecomRobot') value.forEach(function (md) { wrap.appendChild(wecomMarkdown(md)); });
    else wrap.appendChild(wecomBody(value));
    var details = el('details', 'pv-json');
    details.appendChild(el('summary', null, 'JSON（' + info.api + '）'));
    // What the platform is sent: for Lark the card itself, without our size check beside it.
    details.appendChild(el('pre', null, JSON.stringify(kind === 'lark' ? value.card : value, null, 2)));
    wrap.appendChild(details);
    return wrap;
  }

  window.jxcCardPreview = { kinds: KINDS, render: render };
})();
`;
