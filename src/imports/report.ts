import type { ImportPhase, ImportResult } from './import-file';
import type { ImportError } from './sheet';

/** How many problems the CLI lists before "and N more". */
export const SHOWN_ERRORS = 50;

/** Terminal columns a string takes: CJK and full-width characters take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - displayWidth(s)));

/** The problems as an aligned table, `row | column | message`, the first 50 and a count of the rest. */
export function errorTable(errors: ImportError[], shown = SHOWN_ERRORS): string {
  const rows = errors.slice(0, shown).map((e) => [String(e.row), e.column ?? '', e.message]);
  const head = ['row', 'column', 'message'];
  const width = [0, 1].map((i) => rows.reduce((w, r) => Math.max(w, displayWidth(r[i]!)), displayWidth(head[i]!)));
  const line = (r: string[]) => `${pad(r[0]!, width[0]!)} | ${pad(r[1]!, width[1]!)} | ${r[2]}`;
  const rule = `${'-'.repeat(width[0]!)}-+-${'-'.repeat(width[1]!)}-+-${'-'.repeat(7)}`;
  const more = errors.length > shown ? [`… and ${errors.length - shown} more`] : [];
  return [line(head), rule, ...rows.map(line), ...more].join('\n');
}

/** What the CLI prints when it is done. */
export function summary(result: ImportResult, dryRun: boolean): string {
  if (result.errors.length > 0) {
    const bad = new Set(result.errors.map((e) => e.row)).size;
    return `${errorTable(result.errors)}\n\n${result.errors.length} problem(s) on ${bad} row(s) of ${result.rows}; nothing was imported.`;
  }
  if (dryRun) return `dry run: all ${result.rows} rows are fine; nothing was written.`;
  const docs = (result.documents ?? []).map((d) => `\n  ${d.warehouse}: opening document ${d.number}`).join('');
  return `imported ${result.created} rows${docs}`;
}

const phaseLabel: Record<ImportPhase, string> = { read: 'reading ', check: 'checking', write: 'writing ' };

/**
 * A one-line progress bar redrawn with \r, for a terminal only: piped or redirected output gets
 * no bar, so logs and tests see just the result.
 */
export function progressBar(stream: NodeJS.WriteStream, width = 30) {
  let last = '';
  const clear = () => {
    if (last) stream.write('\r\x1b[K');
    last = '';
  };
  if (!stream.isTTY) return { update: (_p: ImportPhase, _d: number, _t: number) => {}, clear: () => {} };
  return {
    update(phase: ImportPhase, done: number, total: number) {
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      const line = `${phaseLabel[phase]} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`;
      if (line === last) return;
      stream.write(`\r${line}\x1b[K`);
      last = line;
    },
    clear,
  };
}
