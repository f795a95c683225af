import type { Ctx } from '../context';
import type { ColumnSpec, RowReader } from './columns';

/** What a write reports as it goes: rows written so far of the total. */
export type Progress = (done: number, total: number) => void;

/** Extra fields of a clean import's answer (an opening import names its documents). */
export type WriteResult = { documents?: { id: string; number: string; warehouse: string }[] };

/** Writes the checked rows, inside the import's transaction. */
export type Write = (ctx: Ctx, progress: Progress) => Promise<WriteResult>;

/**
 * One kind of import. `check` applies every rule to every row — the row's own, then across
 * rows and against the database — reporting through each row's reader, and returns the write
 * to run if nothing failed. It calls `tick` once per row read.
 */
export type ImportKind = ColumnSpec & {
  check: (ctx: Ctx, rows: RowReader[], tick: () => void) => Promise<Write>;
};

/** Reports every row whose key an earlier row already has, naming that earlier row. */
export function reportRepeats(
  rows: RowReader[],
  keys: (r: RowReader) => (string | undefined)[],
  report: (r: RowReader, key: string, firstRow: number) => void,
): void {
  const first = new Map<string, number>();
  for (const r of rows) {
    for (const key of new Set(keys(r))) {
      if (key === undefined) continue;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, r.row);
      else report(r, key, earlier);
    }
  }
}

/**
 * Runs a statement per `size` items, one after the other, and gathers what each returns: Postgres
 * takes at most 65,535 bind parameters in a statement, so a 10,000-row file cannot be one INSERT.
 */
export async function inChunks<K, T = never>(all: K[], size: number, run: (part: K[]) => Promise<T[] | void>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < all.length; i += size) {
    out.push(...((await run(all.slice(i, i + size))) ?? []));
    await breathe();
  }
  return out;
}

/**
 * Lets the event loop turn between two pieces of a long import. PGlite answers in microtasks only,
 * so without a turn no socket is written until the whole import ends: the progress lines an import
 * streams (and every other request on the embedded database) would wait for it.
 */
export const breathe = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
