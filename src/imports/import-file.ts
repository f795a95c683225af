import { createHash } from 'node:crypto';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { withIdempotency } from '../idempotency';
import { readHeader, rowReader } from './columns';
import { demandImport } from './import-demand';
import { itemsImport } from './import-items';
import { openingImport } from './import-opening';
import { warehousesImport } from './import-warehouses';
import type { WriteResult } from './kind';
import { type FileFormat, type ImportError } from './sheet';
import { readSheet } from './read-sheet';
import { authorize } from '../people/permissions';

export const importKinds = { items: itemsImport, warehouses: warehousesImport, opening: openingImport, demand: demandImport } as const;
export type ImportKindName = keyof typeof importKinds;

/** `rows`: data rows (not the header, not blank rows). A dry run's `created` is what a real run would create. */
export type ImportResult = { rows: number; created: number; errors: ImportError[] } & WriteResult;

export type ImportPhase = 'read' | 'check' | 'write';

export type ImportOptions = {
  kind: ImportKindName;
  format: FileFormat;
  data: Uint8Array;
  dryRun?: boolean | undefined;
  /** A retried upload with this key answers the first result and imports nothing again (not for dry runs). */
  idempotencyKey?: string | undefined;
  onProgress?: ((phase: ImportPhase, done: number, total: number) => void) | undefined;
};

/**
 * Imports a file: reads it, checks every row, and only when no row has a problem (and this is no
 * dry run) writes all of it in one transaction, with one audit row for the import. A file with
 * problems comes back with every one of them, by row and column, and nothing written.
 * Throws ValidationError (an empty file, not UTF-8, not an .xlsx), ConflictError (the idempotency
 * key was used for another file), and what posting an opening document may throw.
 */
export async function importFile(ctx: Ctx, options: ImportOptions): Promise<ImportResult> {
  // Items, warehouses and demand history are master data; opening balances are documents, checked per warehouse as they are created.
  if (options.kind !== 'opening') await authorize(ctx, 'admin', { what: 'imports' });
  const key = options.dryRun ? undefined : options.idempotencyKey;
  if (!key) return runImport(ctx, options);
  const file = { kind: options.kind, sha256: createHash('sha256').update(options.data).digest('hex') };
  try {
    const outcome = await withIdempotency(ctx, key, file, async (tx) => {
      const result = await runImport(tx, options);
      // Throwing rolls the key back with the transaction, so the corrected file may use it again.
      if (result.errors.length > 0) throw new Rejected(result);
      return { status: 200, body: result };
    });
    return outcome.body;
  } catch (err) {
    if (err instanceof Rejected) return err.result;
    throw err;
  }
}

class Rejected extends Error {
  constructor(readonly result: ImportResult) {
    super('import rejected');
  }
}

async function runImport(ctx: Ctx, options: ImportOptions): Promise<ImportResult> {
  const progress = options.onProgress ?? (() => {});
  const kind = importKinds[options.kind];
  progress('read', 0, 1);
  const sheet = await readSheet(options.data, options.format);
  const rows = sheet.rows.length;
  progress('read', 1, 1);
  // A CSV that breaks off (a quote left open) has no rows worth checking: that one error says it all.
  if (sheet.errors.length > 0) return { rows, created: 0, errors: sheet.errors };
  const header = readHeader(sheet, kind);
  const errors = [...header.errors];
  const rejected = () => ({ rows, created: 0, errors: inSheetOrder(errors, sheet.header) });
  if (!header.usable) return rejected();

  return withTransaction(ctx, async (tx) => {
    const readers = sheet.rows.map((r) => rowReader(r, header, errors));
    let checked = 0;
    const tick = () => {
      checked++;
      if (checked % 250 === 0 || checked === rows) progress('check', checked, rows);
    };
    const write = await kind.check(tx, readers, tick);
    if (errors.length > 0) return rejected();
    if (options.dryRun || rows === 0) return { rows, created: rows, errors: [] };
    const extra = await write(tx, (done, total) => progress('write', done, total));
    await writeAudit(tx, {
      entity: 'import',
      entityId: crypto.randomUUID(),
      action: 'create',
      comment: `${options.kind}: ${rows} rows from ${options.format === 'csv' ? 'a CSV' : 'an .xlsx'} file`,
    });
    return { rows, created: rows, errors: [], ...extra };
  });
}

/**
 * Every problem as the sheet shows them: top to bottom, then left to right (a whole-row problem
 * first). Row 1's come in column order already; the sort is stable.
 */
function inSheetOrder(errors: ImportError[], header: string[]): ImportError[] {
  const at = (e: ImportError) => (e.row === 1 || e.column === null ? -1 : header.indexOf(e.column));
  return [...errors].sort((a, b) => a.row - b.row || at(a) - at(b));
}
