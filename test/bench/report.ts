import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

type Result = Record<string, any>;

/** The run as one readable table: what was measured, the service's figure, and the floor or the target beside it. */
export function formatTable(r: Result): string {
  const rows: [string, string, string][] = [
    ['what', 'service', 'floor / target'],
    ['10-line issues, 8 clients (docs/s)', String(r.postingDocsPerSec), `${r.floorDocsPerSec} floor; ratio ${r.postingRatio} (target ≥ 0.6)`],
    ['10-line issues, 1 client (docs/s)', String(r.postingDocsPerSec1), `${r.floorDocsPerSec1} floor`],
    ['posting p99 at 8 clients (ms)', String(r.postingP99Ms), ''],
    ['hot item in every issue, 8 clients (docs/s)', String(r.hotItemDocsPerSec), ''],
    ['500-line receipt (lines/s)', String(r.bigDocLinesPerSec), ''],
    [`stock questions, ${r.catalogItems} items × ${r.warehouses} warehouses, p99 (ms)`, String(r.queryP99Ms), '≤ 20'],
    ...Object.entries(r.queryByKind as Record<string, { p50Ms: number; p99Ms: number }>).map(([k, v]) =>
      [`  ${k}: p50 / p99 (ms)`, `${v.p50Ms} / ${v.p99Ms}`, ''] as [string, string, string]),
    ['GET /stock page of 100, p50 / p99 (ms)', `${r.stockPageP50Ms} / ${r.stockPageP99Ms}`, '≤ 20'],
    [`GET /ledger of an item (${r.ledgerRows} rows), p99 (ms)`, String(r.ledgerP99Ms), ''],
    ['signed Lark webhooks at 200/s, p99 (ms)', `${r.webhookP99Ms} (served ${r.webhookPerSec}/s)`, '≤ 50'],
    ['  replies at the fake Lark; push → reply p50 / p99 (ms)', `${r.webhookReplies} of ${r.webhookPushed}; ${r.webhookReplyP50Ms} / ${r.webhookReplyP99Ms}`, 'all'],
    [`low-stock scan over ${r.scanBalances} balances (ms)`, String(r.lowStockScanMs), '≤ 1000'],
    ['service peak RSS (MB)', String(r.rssMb), `≤ 200 (idle ${r.idleRssMb})`],
    ['embedded PGlite: peak RSS posting (MB), 10-line issues at 1 client (docs/s)', `${r.pgliteRssMb}, ${r.pgliteDocsPerSec}`,
      `idle ${r.pgliteIdleRssMb}; first start ${r.pgliteStartPeakRssMb}`],
  ];
  const width = (s: string) => [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => width(row[i]!))));
  const line = (row: string[]) => `| ${row.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join(' | ')} |`;
  return [`benchmark · Postgres ${r.serverVersion} · node ${r.node} · ${r.cpus} cores · ${r.date}${r.quick ? ' · quick' : ''}`, '',
    line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

export function writeReport(path: string, r: Result) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
}
