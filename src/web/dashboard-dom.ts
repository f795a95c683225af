/**
 * What the dashboard's scripts share, served at GET /dashboard/dom.js and loaded before them:
 * `window.jxcDom` with building nodes (text only, never HTML), SVG nodes for the charts, and money as
 * people read it. Plain browser JavaScript; no backticks or dollar-brace inside (a raw template).
 */
export const DASHBOARD_DOM_JS = String.raw`(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  /** ¥ with thousands separators; the API's string keeps the exact cents. */
  function yuan(v) {
    var parts = String(v).split('.');
    var sign = parts[0].charAt(0) === '-' ? '-' : '';
    return sign + '¥' + parts[0].replace('-', '').replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (parts[1] ? '.' + parts[1] : '');
  }
  /**
   * For a section whose filter can change while an answer is on its way: each call starts a request
   * and returns whether that request is still the newest, so a late answer never draws over a newer one.
   */
  function newest() {
    var count = 0;
    return function () {
      var mine = ++count;
      return function () { return mine === count; };
    };
  }
  window.jxcDom = { $: $, el: el, svgEl: svgEl, clear: clear, yuan: yuan, newest: newest };
})();
`;
