import { and, eq, inArray } from 'drizzle-orm';
import { documents, items, lots, warehouses, type Item } from '../../db/schema';
import type { Ctx } from '../context';
import { createDocument, type DocumentLineInput } from '../inventory/documents/create';
import { dec, fmt, fmtMoney, toMoney, toUnitCost } from '../lib/decimal';
import { decimalSizeIssue } from '../lib/fields';
import { authorize } from '../people/permissions';
import type { RowReader } from './columns';
import { readCode, readDate, readDecimal } from './cells';
import { breathe, inChunks, reportRepeats, type ImportKind, type WriteResult } from './kind';

type OpeningRow = {
  warehouse?: string | undefined;
  sku?: string | undefined;
  unit?: string | undefined;
  qty?: string | undefined;
  unitCost?: string | undefined;
  lot?: string | undefined;
  expiresOn?: string | undefined;
};

/**
 * Opening balances: one posted `opening` document per warehouse. `qty` and `unitCost` are in
 * `unit` when given (the base unit or a pack unit, converted by its factor), else in the base unit.
 */
export const openingImport: ImportKind = {
  columns: ['warehouse', 'sku', 'qty', 'unitCost', 'lot', 'expiresOn', 'unit'],
  required: ['warehouse', 'sku', 'qty', 'unitCost'],
  async check(ctx, rows, tick) {
    const read = rows.map((r) => {
      tick();
      return readOpening(r);
    });
    // One row per item, lot and warehouse: a second is far likelier a pasted duplicate than a split balance.
    reportRepeats(rows, (r) => [`${r.text('warehouse')}|${r.text('sku')}|${r.text('lot') ?? ''}`], (r, _key, first) =>
      r.fail('sku', `${r.text('sku')}${r.text('lot') ? ` lot ${r.text('lot')}` : ''} in ${r.text('warehouse')} is already on row ${first}`));
    const known = await lookUp(ctx, read);
    // The rule book's answer for each warehouse now, as posting would give it: a dry run passes only what the real run would.
    for (const warehouseId of known.warehouses.values()) await authorize(ctx, 'create', { warehouseId });
    const lines = rows.map((r, i) => toLine(r, read[i]!, known));
    checkLotExpiries(rows, read, known);
    return (tx, progress) => post(tx, read, lines as DocumentLineInput[], progress);
  },
};

function readOpening(r: RowReader): OpeningRow {
  const required = (column: string) => {
    if (r.text(column) === undefined) r.fail(column, `${column} is required`);
  };
  required('qty');
  required('unitCost');
  return {
    warehouse: readCode(r, 'warehouse', 'warehouse', true),
    sku: readCode(r, 'sku', 'sku', true),
    unit: readCode(r, 'unit', 'unit', false),
    qty: readDecimal(r, 'qty', 3, 'positive'),
    unitCost: readDecimal(r, 'unitCost', 6, 'non_negative'),
    lot: readCode(r, 'lot', 'lot', false),
    expiresOn: readDate(r, 'expiresOn'),
  };
}

type Known = { warehouses: Map<string, string>; items: Map<string, Item>; lotExpiry: Map<string, string | null> };

/** The file's warehouses, items and their existing lots, a few queries for the whole file. */
async function lookUp(ctx: Ctx, read: OpeningRow[]): Promise<Known> {
  const codes = [...new Set(read.map((o) => o.warehouse).filter((c) => c !== undefined))];
  const skus = [...new Set(read.map((o) => o.sku).filter((s) => s !== undefined))];
  const found = await inChunks(codes, 5000, (part) => ctx.db.select({ id: warehouses.id, code: warehouses.code }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.code, part))));
  const itemRows = await inChunks(skus, 5000, (part) => ctx.db.select().from(items)
    .where(and(eq(items.orgId, ctx.orgId), inArray(items.sku, part))));
  const lotTracked = itemRows.filter((i) => i.lotTracked);
  const lotRows = await inChunks(lotTracked.map((i) => i.id), 5000, (part) => ctx.db.select().from(lots)
    .where(and(eq(lots.orgId, ctx.orgId), inArray(lots.itemId, part))));
  const skuOf = new Map(lotTracked.map((i) => [i.id, i.sku]));
  return {
    warehouses: new Map(found.map((w) => [w.code, w.id])),
    items: new Map(itemRows.map((i) => [i.sku, i])),
    lotExpiry: new Map(lotRows.map((l) => [`${skuOf.get(l.itemId)}|${l.code}`, l.expiresOn])),
  };
}

/** The document line of a row, in the item's base unit; undefined when the row has a problem. */
function toLine(r: RowReader, o: OpeningRow, known: Known): DocumentLineInput | undefined {
  if (o.warehouse !== undefined && !known.warehouses.has(o.warehouse)) r.fail('warehouse', `unknown warehouse '${o.warehouse}'`);
  const item = o.sku === undefined ? undefined : known.items.get(o.sku);
  if (o.sku !== undefined && !item) r.fail('sku', `unknown item '${o.sku}'`);
  if (!item) return undefined;
  if (item.lotTracked && !o.lot) r.fail('lot', `${item.sku} is lot-tracked: name the lot`);
  if (!item.lotTracked && o.lot) r.fail('lot', `${item.sku} is not lot-tracked: leave lot empty`);
  if (!item.lotTracked && o.expiresOn) r.fail('expiresOn', `${item.sku} is not lot-tracked: leave expiresOn empty`);
  const factor = factorOf(r, item, o.unit);
  if (factor === undefined || o.qty === undefined || o.unitCost === undefined || r.failed()) return undefined;
  const qty = dec(o.qty).times(factor);
  if (qty.decimalPlaces() > 3) {
    r.fail('qty', `${o.qty} ${o.unit} is ${fmt(qty)} ${item.unit}, more than 3 decimal places of ${item.unit}`);
    return undefined;
  }
  // What the ledger could not store is a row's problem, in the dry run too (posting would refuse it 400 with no row).
  if (decimalSizeIssue(qty, 3)) {
    r.fail('qty', `${fmt(qty)} ${item.unit} is too large to store (at most 14 digits before the decimal point)`);
    return undefined;
  }
  // Priced per pack: the value is packs × their price, exact; the cost per base unit is its rounding.
  const value = toMoney(dec(o.qty).times(dec(o.unitCost)));
  if (decimalSizeIssue(value, 2)) {
    r.fail('unitCost', `qty × unitCost is ${fmt(value)}: too large to store (at most 14 digits before the decimal point)`);
    return undefined;
  }
  return {
    sku: item.sku,
    qty: fmt(qty),
    // Per base unit, to the six places unit costs keep: 1 箱 of 24 at 30 is 1.25 a 罐.
    unitCost: fmt(toUnitCost(dec(o.unitCost).div(factor))),
    ...(factor.eq(1) ? {} : { value: fmtMoney(value) }),
    ...(o.lot ? { lot: o.lot } : {}),
    ...(o.expiresOn ? { expiresOn: o.expiresOn } : {}),
  };
}

/** How many base units one `unit` holds: 1 for the base unit, the factor of a pack unit. */
export function factorOf(r: RowReader, item: Item, unit: string | undefined) {
  if (unit === undefined || unit === item.unit) return dec(1);
  const pack = item.packUnits.find((p) => p.name === unit);
  if (pack) return dec(pack.factor);
  r.fail('unit', `unknown unit '${unit}' for ${item.sku}: use ${[item.unit, ...item.packUnits.map((p) => p.name)].join(', ')}`);
  return undefined;
}

/** A lot has one expiry: rows naming the same lot must agree with each other and with the lot on file. */
function checkLotExpiries(rows: RowReader[], read: OpeningRow[], known: Known) {
  const first = new Map<string, { row: number; expiresOn: string }>();
  rows.forEach((r, i) => {
    const o = read[i]!;
    if (!o.sku || !o.lot || !o.expiresOn) return;
    const key = `${o.sku}|${o.lot}`;
    if (known.lotExpiry.has(key) && known.lotExpiry.get(key) !== o.expiresOn) {
      r.fail('expiresOn', `lot ${o.lot} of ${o.sku} already expires on ${known.lotExpiry.get(key) ?? 'no date'}`);
    }
    const earlier = first.get(key);
    if (!earlier) first.set(key, { row: r.row, expiresOn: o.expiresOn });
    else if (earlier.expiresOn !== o.expiresOn) r.fail('expiresOn', `lot ${o.lot} of ${o.sku} expires on ${earlier.expiresOn} on row ${earlier.row}`);
  });
}

/** One posted opening document per warehouse, in the order the file first names them. */
async function post(ctx: Ctx, read: OpeningRow[], lines: DocumentLineInput[], progress: (done: number, total: number) => void): Promise<WriteResult> {
  const byWarehouse = new Map<string, DocumentLineInput[]>();
  read.forEach((o, i) => {
    if (!byWarehouse.has(o.warehouse!)) byWarehouse.set(o.warehouse!, []);
    byWarehouse.get(o.warehouse!)!.push(lines[i]!);
  });
  const ids: { id: string; warehouse: string }[] = [];
  let done = 0;
  for (const [warehouse, whLines] of byWarehouse) {
    const { id } = await createDocument(ctx, { type: 'opening', warehouse, lines: whLines, note: 'opening balances import', submit: true });
    ids.push({ id, warehouse });
    progress((done += whLines.length), lines.length);
    await breathe();
  }
  const numbers = await ctx.db.select({ id: documents.id, number: documents.number }).from(documents)
    .where(and(eq(documents.orgId, ctx.orgId), inArray(documents.id, ids.map((d) => d.id))));
  const numberOf = new Map(numbers.map((n) => [n.id, n.number]));
  return { documents: ids.map((d) => ({ ...d, number: numberOf.get(d.id)! })) };
}
