import { and, eq, inArray } from 'drizzle-orm';
import { itemBarcodes, items } from '../../db/schema';
import type { Ctx } from '../context';
import { barcodeHolders, barcodeTaken, itemInputIssues, itemRow, orgDefaultValuation, skuTaken, type CreateItemInput } from '../master/create-item';
import { CreateItemBody } from '../master/inputs';
import type { RowReader } from './columns';
import { readBoolean, readWholeNumber, splitList } from './cells';
import { inChunks, reportRepeats, type ImportKind } from './kind';

const columns = [
  'sku', 'name', 'unit', 'category', 'barcodes', 'aliases', 'packUnits', 'valuationMethod', 'lotTracked', 'shelfLifeDays',
  // How it is bought, for replenishment.
  'supplier', 'leadTimeDays', 'minOrderQty',
] as const;

/** Items: the fields of POST /items, lists in one cell split by `|`, pack units as `箱=24|包=6`. */
export const itemsImport: ImportKind = {
  columns,
  required: ['sku', 'name', 'unit'],
  async check(ctx, rows, tick) {
    const inputs = rows.map((r) => {
      tick();
      return readItem(r);
    });
    reportRepeats(rows, (r) => [r.text('sku')], (r, sku, first) => r.fail('sku', `sku '${sku}' is already on row ${first}`));
    reportRepeats(rows, (r) => splitList(r.text('barcodes')) ?? [], (r, barcode, first) =>
      r.fail('barcodes', `barcode '${barcode}' is already on row ${first}`));
    await reportTaken(ctx, rows);
    return async (tx, progress) => {
      const defaultValuation = await orgDefaultValuation(tx);
      const ready = inputs as CreateItemInput[];
      let done = 0;
      await inChunks(ready, 1000, async (part) => {
        // 14 parameters a row: 1,000 rows stay far below the limit.
        const values = await Promise.all(part.map((i) => itemRow(tx, i, defaultValuation)));
        const ids = await tx.db.insert(items).values(values).returning({ id: items.id, sku: items.sku });
        const idOf = new Map(ids.map((r) => [r.sku, r.id]));
        const codes = part.flatMap((i) => (i.barcodes ?? []).map((barcode) => ({ orgId: tx.orgId, barcode, itemId: idOf.get(i.sku)! })));
        await inChunks(codes, 5000, async (batch) => void (await tx.db.insert(itemBarcodes).values(batch)));
        progress((done += part.length), ready.length);
      });
      return {};
    };
  },
};

/** A row as the input of createItem, checked by the same schema and rules as POST /items. */
function readItem(r: RowReader): CreateItemInput | undefined {
  const packUnits = readPackUnits(r);
  const raw = {
    sku: r.text('sku'),
    name: r.text('name'),
    unit: r.text('unit'),
    category: r.text('category'),
    barcodes: splitList(r.text('barcodes')),
    aliases: splitList(r.text('aliases')),
    packUnits,
    valuationMethod: r.text('valuationMethod')?.toLowerCase(),
    lotTracked: readBoolean(r, 'lotTracked'),
    shelfLifeDays: readWholeNumber(r, 'shelfLifeDays'),
    supplier: r.text('supplier'),
    leadTimeDays: readWholeNumber(r, 'leadTimeDays'),
    minOrderQty: r.text('minOrderQty'),
  };
  const parsed = CreateItemBody.safeParse(raw);
  const failed = new Set(parsed.success ? [] : parsed.error.issues.map((i) => String(i.path[0])));
  if (!parsed.success) for (const issue of parsed.error.issues) report(r, issue.path, issue.message);
  // The rules createItem adds, on whatever of the row is readable, so a row's every problem shows at once.
  const rules = itemInputIssues({
    sku: '',
    name: '',
    unit: raw.unit ?? '',
    barcodes: failed.has('barcodes') ? undefined : raw.barcodes,
    packUnits: failed.has('packUnits') ? undefined : raw.packUnits,
  });
  for (const issue of rules) report(r, issue.field.split('.'), issue.message);
  return parsed.success && !r.failed() ? parsed.data : undefined;
}

/** `箱=24|包=6` → [{name: '箱', factor: '24'}, …]; the factor is checked as POST /items checks it. */
function readPackUnits(r: RowReader): { name: string; factor: string }[] | undefined {
  const parts = splitList(r.text('packUnits'));
  if (!parts) return undefined;
  const packs = parts.map((p) => /^(.+?)\s*[=＝]\s*(.+)$/.exec(p));
  const bad = parts.filter((_, i) => !packs[i]);
  if (bad.length > 0) {
    r.fail('packUnits', `'${bad[0]}' is not a pack unit: write name=factor, such as 箱=24|包=6`);
    return undefined;
  }
  return packs.map((m) => ({ name: m![1]!.trim(), factor: m![2]!.trim() }));
}

/** A schema or rule issue at `packUnits.1.factor` → column packUnits, "pack unit 2 factor: …". */
function report(r: RowReader, path: readonly PropertyKey[], message: string) {
  const [column, index, field] = path.map(String) as [string, string?, string?];
  const where = index === undefined ? '' : `${column === 'packUnits' ? 'pack unit' : column.replace(/s$/, '')} ${Number(index) + 1}${field ? ` ${field}` : ''}: `;
  r.fail(column, where + message);
}

/** Skus and barcodes the organisation already has, reported on every row that repeats them. */
async function reportTaken(ctx: Ctx, rows: RowReader[]) {
  const skus = [...new Set(rows.map((r) => r.text('sku')).filter((s) => s !== undefined))];
  const taken = new Set(await inChunks(skus, 5000, async (part) => {
    const found = await ctx.db.select({ sku: items.sku }).from(items).where(and(eq(items.orgId, ctx.orgId), inArray(items.sku, part)));
    return found.map((f) => f.sku);
  }));
  const barcodes = [...new Set(rows.flatMap((r) => splitList(r.text('barcodes')) ?? []))];
  const holders = new Map((await inChunks(barcodes, 5000, (part) => barcodeHolders(ctx, part))).map((h) => [h.barcode, h]));
  for (const r of rows) {
    const sku = r.text('sku');
    if (sku !== undefined && taken.has(sku)) r.fail('sku', skuTaken(sku));
    for (const barcode of new Set(splitList(r.text('barcodes')))) {
      const holder = holders.get(barcode);
      if (holder) r.fail('barcodes', barcodeTaken(holder));
    }
  }
}
