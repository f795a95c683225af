import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Memory } from './measure';

export type ScenarioReport = {
  name: string; ms: number; memory: { before: Memory; after: Memory; peak: Memory };
  metrics: Record<string, number | string>; notes: string[];
};

export type BenchReport = {
  engine: string; serverVersion: string | null; node: string; cpus: number; cpuModel: string; platform: string;
  date: string; scale: number; totalMs: number; peak: Memory; scenarios: ScenarioReport[];
};

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - [...s].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].reduce((w, c) => w + (c.charCodeAt(0) > 0x2e80 ? 2 : 1), 0))));
  const line = (r: string[]) => `| ${r.map((c, i) => pad(c, widths[i]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

/** The run as readable tables: one per scenario, then memory. */
export function formatReport(r: BenchReport): string {
  const out = [`benchmark · ${r.engine}${r.serverVersion ? ` (${r.serverVersion})` : ''} · node ${r.node} · ${r.cpus} × ${r.cpuModel} · scale ${r.scale} · ${r.date}`, ''];
  for (const s of r.scenarios) {
    out.push(`## ${s.name} (${(s.ms / 1000).toFixed(1)} s)`);
    out.push(table([['metric', 'value'], ...Object.entries(s.metrics).map(([k, v]) => [k, String(v)])]));
    for (const n of s.notes) out.push(`  · ${n}`);
    out.push('');
  }
  out.push('## memory (MB)');
  out.push(table([
    ['scenario', 'rss before', 'rss after', 'rss peak', 'heap before', 'heap after', 'heap peak'],
    ...r.scenarios.map((s) => [s.name, ...[s.memory.before.rssMb, s.memory.after.rssMb, s.memory.peak.rssMb,
      s.memory.before.heapUsedMb, s.memory.after.heapUsedMb, s.memory.peak.heapUsedMb].map(String)]),
    ['whole run', '', '', String(r.peak.rssMb), '', '', String(r.peak.heapUsedMb)],
  ]));
  out.push('', `total ${(r.totalMs / 1000).toFixed(1)} s`);
  return out.join('\n');
}

export function writeReport(path: string, r: BenchReport) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(r, null, 2)}\n`);
}
