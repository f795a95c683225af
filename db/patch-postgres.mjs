// Patches postgres.js 3.4.9 in node_modules (run by `postinstall`): a lost connection must reject
// the queries on it, never end the process. Upstream 3.4.9 (and 3.4.10) exits the process on a
// Postgres restart or a terminated backend; the fixes are open pull requests there. v4 is a rewrite
// with other parameter typing, too big a change to ride along. Each edit names the upstream thread.
// One more edit is for speed, not safety: the pool hands out the connection that went idle last.
// Idempotent (an edit already in place is skipped); a version or text it does not expect fails the
// install loudly instead of half-patching.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VERSION = '3.4.9';
const MARK = 'jxc patch';

/** [file, what 3.4.9 says, what it should say]; the same edits for the ESM, CommonJS and Workers copies. */
const edits = [
  // #1154, #1208 (PR #1168, #1209): a write flushed after the socket closed threw from an immediate
  // (uncatchable). Settle the queries waiting on this connection instead; `true` keeps the pool
  // from parking the dead connection in its `full` queue for good.
  ['connection.js', `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`, `  function nextWrite(fn) {
    if (!socket) { // ${MARK}: #1154/#1208
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      query = null
      return true
    }
    const x = socket.write(chunk, fn)`],
  // A cleared immediate left `nextWriteTimer` set, so write() never scheduled a flush again: the
  // reconnected connection hung every query (the "poisoned pool" of #1168's thread).
  ['connection.js', `    clearImmediate(nextWriteTimer)
    if (socket) {`, `    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // ${MARK}
    if (socket) {`],
  ['connection.js', `    clearImmediate(nextWriteTimer)
    socket.removeListener('data', data)`, `    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null // ${MARK}
    socket.removeListener('data', data)`],
  // #1223: the closed backend's query and FATAL error survived into the reconnected session, which
  // then failed its first query with the old error. And after a socket error (ECONNRESET), statements
  // sent before the close (a transaction's rollback) stayed queued, to be taken for the reply to the
  // next session's first query, which then hung. Reject all that belonged to the old socket, forget it.
  ['connection.js', `    if (initial)
      return reconnect()

    !hadError && (query || sent.length) && error(Errors.connection('CONNECTION_CLOSED', options, socket))`, `    const lost = Errors.connection('CONNECTION_CLOSED', options, socket) // ${MARK}: #1223
    if (initial) {
      query && query !== initial && queryError(query, lost)
      while (sent.length) queryError(sent.shift(), lost)
      query = results = errorResponse = null
      result = new Result()
      return reconnect()
    }

    ;(query || sent.length) && error(lost)
    query = results = errorResponse = null
    result = new Result()`],
  // #279, #1192, #1205: the array-types query of a new connection failed as an unhandled rejection
  // (the process exits). Its failure already reached the waiting query; the next connection refetches.
  ['connection.js', `        return fetchArrayTypes()`, `        return fetchArrayTypes().catch(() => {}) // ${MARK}: #1192`],
  // A transaction whose connection closed went on sending its statements (its rollback, or code still
  // running) to that connection object, which the pool may already have reconnected for other work:
  // outside the transaction. After the close they are refused with the close's error.
  ['index.js', `      , connection
      , prepare = null`, `      , connection
      , closedError = null // ${MARK}
      , prepare = null`],
  ['index.js', `        new Promise((_, reject) => connection.onclose = reject)`, `        new Promise((_, reject) => connection.onclose = (err) => { // ${MARK}
          closedError = err
          while (queries.length) queries.shift().reject(err)
          reject(err)
        })`],
  ['index.js', `        q.catch(e => uncaughtError || (uncaughtError = e))
        c.queue === full`, `        q.catch(e => uncaughtError || (uncaughtError = e))
        if (closedError) return q.reject(closedError) // ${MARK}
        c.queue === full`],
  // The pool handed out the connection idle longest (`open.shift()`), so work arriving one piece at a
  // time went round all ten connections, and each had to parse and plan every statement itself (the
  // first five runs of a prepared statement are planned afresh on each connection). Taking the one
  // idle last keeps a quiet service on one warm connection; under load every connection is busy
  // either way. PgBouncer reuses its server connections the same way (LIFO) for the same reason.
  ['queue.js', `    push: (x) => (xs.push(x), x),`, `    push: (x) => (xs.push(x), x),
    pop: () => { // ${MARK}: the newest entry (the pool's most recently idled connection)
      if (xs.length === index) return undefined
      const out = xs.pop()
      if (index === xs.length) {
        index = 0
        xs = []
      }
      return out
    },`],
  ['index.js', `    if (open.length)
      return go(open.shift(), query)`, `    if (open.length)
      return go(open.pop(), query) // ${MARK}: the connection idle last, whose plans are warm`],
];

// The package's exports hide its package.json from require.resolve: find it next to this project.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', 'postgres');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
if (version !== VERSION) {
  console.error(`db/patch-postgres.mjs patches postgres ${VERSION}, found ${version}: check whether it still needs the patch, then update or remove it`);
  process.exit(1);
}

let changed = 0;
for (const dir of ['src', 'cjs/src', 'cf/src']) {
  for (const name of ['connection.js', 'index.js', 'queue.js']) {
    const file = join(root, dir, name);
    const original = readFileSync(file, 'utf8');
    let text = original;
    for (const [target, before, after] of edits) {
      if (target !== name || text.includes(after)) continue;
      if (text.split(before).length !== 2) {
        console.error(`db/patch-postgres.mjs: ${dir}/${name} does not read as expected; nothing in it was patched`);
        process.exit(1);
      }
      text = text.replace(before, () => after);
    }
    if (text === original) continue;
    writeFileSync(file, text);
    changed++;
  }
}
console.log(changed ? `postgres ${VERSION}: patched ${changed} files (db/patch-postgres.mjs)` : `postgres ${VERSION}: already patched`);
