import { importKinds } from '../../imports/import-file';
import { escapeHtml } from '../layout';
import { field, heading } from './page';
import type { AdminSection } from './section';

/**
 * Imports in the browser: drop a CSV or .xlsx, see the dry run's problems as a table, fix and drop
 * again, then import with a progress bar fed by the server's progress lines, and links at the end.
 */
const kindNames: Record<string, string> = { items: '商品', warehouses: '仓库', opening: '期初库存', demand: '历史销量' };
/** Each kind's columns, required first, as the import itself defines them: the page shows them. */
const columns = JSON.stringify(Object.fromEntries(Object.entries(importKinds).map(([kind, k]) => [kind, {
  required: k.required, optional: k.columns.filter((c) => !(k.required as readonly string[]).includes(c)),
}])));

const body = () => `
<form id="import-form" class="box" novalidate>
  ${heading('h2', '导入表格', 'POST /api/v1/imports')}
  <div class="fields">
    ${field({ name: 'kind', label: '导入什么', options: Object.keys(importKinds).map((k) => [k, `${kindNames[k] ?? k} ${k}`]), id: 'kind' })}
  </div>
  <p id="columns" class="muted" data-columns="${escapeHtml(columns)}"></p>
  <label id="drop" for="file" class="box" style="display:block;border:2px dashed #bbbfc4;text-align:center;padding:24px 8px;cursor:pointer">
    把 CSV 或 .xlsx 文件拖到这里，或点这里选择文件<span class="en">text/csv · .xlsx</span>
    <input id="file" name="file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" style="display:block;margin:8px auto 0">
  </label>
  <p id="file-name" class="muted"></p>
  <div id="progress-box" hidden><progress id="import-bar" max="1" value="0" style="width:100%"></progress><div id="import-progress" class="muted" role="status"></div></div>
  <div class="form-error" role="alert"></div>
  <p id="verdict" role="status"></p>
  <div id="report" class="scroll"></div>
  <div class="actions"><button class="primary" type="button" id="import-go" disabled>正式导入</button></div>
  <div id="done"></div>
</form>`;

const script = String.raw`(function () {
  'use strict';
  var A = window.JxcAdmin;
  var XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  var COLUMNS = JSON.parse(A.$('columns').getAttribute('data-columns'));
  var PHASES = { read: '读取文件', check: '检查', write: '写入' };
  var form = A.$('import-form');
  var file = null;
  var importKey = null;
  var busy = false;

  function showColumns() {
    var c = COLUMNS[A.$('kind').value];
    A.$('columns').textContent = '第一行是表头。必填列：' + c.required.join(', ') + (c.optional.length ? '；可选：' + c.optional.join(', ') : '')
      + '。列表用 | 分隔，包装单位写成 箱=24|包=6。';
  }
  function progress(p) {
    var bar = A.$('import-bar');
    bar.max = p.total || 1;
    bar.value = p.done;
    A.$('import-progress').textContent = PHASES[p.phase] + ' ' + p.done + ' / ' + p.total + (p.phase === 'read' ? '' : ' 行');
  }
  /** Posts the file and reads the answer's progress lines as they come; resolves the last line (the outcome). */
  function run(dryRun) {
    var headers = { authorization: 'Bearer ' + A.key(), 'content-type': /\.xlsx$/i.test(file.name) ? XLSX : 'text/csv', accept: 'application/x-ndjson' };
    // The same key for every real try of this file: a retried import never imports twice.
    if (!dryRun) headers['idempotency-key'] = importKey;
    A.$('progress-box').hidden = false;
    progress({ phase: 'read', done: 0, total: 1 });
    return fetch('/api/v1/imports?kind=' + encodeURIComponent(A.$('kind').value) + '&dryRun=' + dryRun, { method: 'POST', headers: headers, body: file })
      .then(function (res) {
        if (!res.ok || !res.body) return res.json().then(function (b) { return { status: res.status, error: b.error }; });
        var reader = res.body.getReader();
        var decoder = new TextDecoder();
        var buffer = '';
        var last = null;
        function handle(line) {
          if (!line.trim()) return;
          var message = JSON.parse(line);
          if (message.progress) progress(message.progress); else last = message;
        }
        function pump() {
          return reader.read().then(function (chunk) {
            if (chunk.done) { handle(buffer); return last || { status: 0, error: { message: '连接中断，结果未知：请刷新后查看' } }; }
            buffer += decoder.decode(chunk.value, { stream: true });
            var lines = buffer.split('\n');
            buffer = lines.pop();
            lines.forEach(handle);
            return pump();
          });
        }
        return pump();
      });
  }
  function report(result) {
    var rows = result.errors.length;
    var badRows = {};
    result.errors.forEach(function (e) { badRows[e.row] = true; });
    A.$('verdict').textContent = '发现 ' + rows + ' 个问题，涉及 ' + Object.keys(badRows).length + ' 行（共 ' + result.rows + ' 行）；没有导入任何数据。改好文件后重新拖入。';
    A.$('verdict').className = 'error';
    A.table(A.$('report'), [['行', 'row'], ['列', 'column'], ['问题', 'message']], result.errors.map(function (e) { return [e.row, e.column || '整行', e.message]; }));
  }
  function link(href, text) {
    var a = A.el('a', text);
    // Only this service's own addresses: relative, or the configured public http(s) URL.
    if (/^(\/|https?:\/\/)/.test(href)) a.href = href;
    return a;
  }
  function finished(result) {
    var done = A.clear(A.$('done'));
    A.$('verdict').className = 'ok';
    A.$('verdict').textContent = '已导入 ' + result.created + ' 行。';
    var kind = A.$('kind').value;
    var ul = A.el('ul');
    (result.documents || []).forEach(function (d) {
      var li = A.el('li');
      li.appendChild(link(d.url, '期初单 ' + d.number));
      li.appendChild(A.el('span', ' · 仓库 ' + d.warehouse, 'muted'));
      ul.appendChild(li);
    });
    if (kind === 'items' || kind === 'warehouses') {
      var li = A.el('li');
      li.appendChild(link('/admin/' + kind, kind === 'items' ? '查看商品' : '查看仓库'));
      ul.appendChild(li);
    }
    done.appendChild(ul);
  }
  function outcome(message, dryRun) {
    busy = false;
    var line = form.querySelector('.form-error');
    if (message.error) { line.textContent = (message.status ? message.status + ' ' : '') + message.error.message; return; }
    var result = message.result;
    if (result.errors.length) { report(result); return; }
    A.clear(A.$('report'));
    if (dryRun) {
      A.$('verdict').className = 'ok';
      A.$('verdict').textContent = '检查通过：全部 ' + result.rows + ' 行都没有问题，可以正式导入。';
      A.$('import-go').disabled = false;
    } else {
      finished(result);
    }
  }
  function check(picked) {
    if (!picked || busy) return;
    file = picked;
    importKey = 'import-' + Date.now() + '-' + Math.random().toString(36).slice(2);
    busy = true;
    A.$('file-name').textContent = file.name + ' · ' + Math.ceil(file.size / 1024) + ' KB';
    A.$('import-go').disabled = true;
    A.clear(A.$('report'));
    A.clear(A.$('done'));
    A.$('verdict').textContent = '';
    form.querySelector('.form-error').textContent = '';
    run(true).then(function (m) { outcome(m, true); }, function () { busy = false; form.querySelector('.form-error').textContent = '无法连接服务'; });
  }
  A.$('file').addEventListener('change', function () { check(A.$('file').files[0]); A.$('file').value = ''; });
  var drop = A.$('drop');
  drop.addEventListener('dragover', function (e) { e.preventDefault(); drop.style.borderColor = '#245bdb'; });
  drop.addEventListener('dragleave', function () { drop.style.borderColor = ''; });
  drop.addEventListener('drop', function (e) { e.preventDefault(); drop.style.borderColor = ''; check(e.dataTransfer.files[0]); });
  A.$('kind').addEventListener('change', function () { showColumns(); A.$('import-go').disabled = true; A.$('verdict').textContent = ''; A.clear(A.$('report')); });
  A.$('import-go').addEventListener('click', function () {
    if (!file || busy) return;
    busy = true;
    A.$('import-go').disabled = true;
    A.$('verdict').textContent = '';
    run(false).then(function (m) { outcome(m, false); }, function () { busy = false; form.querySelector('.form-error').textContent = '无法连接服务'; });
  });
  showColumns();
})();
`;

export const importsSection: AdminSection = { path: 'imports', title: '导入', english: 'Imports', body: body(), script };
