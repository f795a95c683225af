import { and, asc, eq, gt, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import { costLayers, documents, items, lots, stockBalances, valuations, warehouses } from '../../db/schema';
import type { Ctx } from '../context';
import { ValidationError } from '../errors';
import { Decimal, dec, fmt, fmtMoney, toUnitCost, ZERO } from '../lib/decimal';
import { requireItemId, requireWarehouseId } from '../refs';
import { apportionLotValues } from './lot-values';
import { availableOf, figuresKey, orderFigures } from '../orders/figures';

export type BalanceJson = {
  sku: string; warehouse: string; lot: string | null; expiresOn: string | null;
  qty: string; value: string; unitCost: string; inTransit: string;
  /** Open sales orders (an item's spread over its lots, first expiry first), on order (purchase orders, requisitions: on its first lot's row), qty − reserved. */
  reserved: string; onOrder: string; available: string;
};
export type ValuationJson = { sku: string; warehouse: string; qty: string; value: string; unitCost: string };
export type LayerJson = { qty: string; unitCost: string; document: string; number: string; receivedAt: string };
export type StockFilter = { sku?: string | undefined; warehouse?: string | undefined };

/** value / qty, or the last movement's cost when nothing is left (so an empty shelf still shows a price). */
const unitCostOf = (qty: Decimal, value: Decimal, lastUnitCost: string | null) =>
  qty.gt(0) ? fmt(toUnitCost(value.div(qty))) : fmt(dec(lastUnitCost ?? 0));

/** Only reached when a query found nothing: tells "no stock" from "no such sku or warehouse". */
export async function requireFilterRefs(ctx: Ctx, filter: StockFilter): Promise<void> {
  if (filter.sku !== undefined) await requireItemId(ctx, filter.sku);
  if (filter.warehouse !== undefined) await requireWarehouseId(ctx, filter.warehouse);
}

/**
 * Stock per item, warehouse and lot, a page at a time in (sku, warehouse, lot) order: `after` is the
 * previous page's `next`. Empty rows are left out unless both sku and warehouse are asked for.
 * Throws NotFoundError for an unknown sku or warehouse, ValidationError for a cursor it did not make.
 */
export async function listBalances(ctx: Ctx, filter: StockFilter & { limit?: number | undefined; after?: string | undefined }): Promise<{ balances: BalanceJson[]; next: string | null }> {
  const b = stockBalances;
  const limit = filter.limit ?? DEFAULT_PAGE;
  const after = filter.after === undefined ? undefined : decodeCursor(filter.after);
  const exact = filter.sku !== undefined && filter.warehouse !== undefined;
  // One warehouse's stock is walked in its own (warehouse, sku, lot) index on the balances; the whole
  // organisation's in the items' sku index, each item's balances read from the primary key. Filters
  // by id and a plain `sku >=` beside the row comparison, so that the planner starts at the cursor.
  const sku = filter.warehouse !== undefined && filter.sku === undefined ? b.sku : items.sku;
  // The page and the order figures do not depend on each other: asked together, one wait instead of three.
  const figuresRead = figureFilter(ctx, filter).then((f) => orderFigures(ctx.db, ctx.orgId, f));
  figuresRead.catch(() => undefined); // awaited below; a refusal here must not surface twice
  const rows = await balanceRows(ctx, and(
    filter.sku === undefined ? undefined : eq(b.itemId, sql`(select id from items where org_id = ${ctx.orgId} and sku = ${filter.sku})`),
    filter.warehouse === undefined ? undefined : eq(b.warehouseId, sql`(select id from warehouses where org_id = ${ctx.orgId} and code = ${filter.warehouse})`),
    exact ? undefined : or(ne(b.qty, '0'), ne(b.transitQty, '0')),
    after ? sql`${sku} >= ${after[0]} and (${sku}, ${warehouses.code}, ${b.lot}) > (${after[0]}, ${after[1]}, ${after[2]})` : undefined,
  ), limit + 1, sku);
  if (rows.length === 0 && !after) await requireFilterRefs(ctx, filter);
  const figures = await figuresRead;
  // Ordered or reserved but never in stock there yet: rows with nothing on hand, paged in their place.
  const unstocked = figures.size === 0 ? [] : (await unstockedRows(ctx, figures, exact))
    .filter((u) => !after || compareKeys([u.sku, u.warehouse, ''], after) > 0);
  const entries = mergeByKey(
    rows.map((row) => ({ key: [row.sku, row.warehouse, row.lot] as Key, row })),
    unstocked.map((json) => ({ key: [json.sku, json.warehouse, ''] as Key, json })).sort((x, y) => compareKeys(x.key, y.key)),
  );
  const taken = entries.slice(0, limit);
  const next = entries.length > limit ? encodeCursor(taken[taken.length - 1]!.key) : null;
  const page = taken.flatMap((e) => (e.row ? [e.row] : []));
  const last = page[page.length - 1];

  // A balance's value is shared among its lots, so each item-and-warehouse is valued with all its
  // lots: the first and last of a page may have lots on the neighbouring pages, read here.
  // Only a lot-tracked item can have lots there; any other has one row per warehouse, all on this page.
  const cut = [page[0], last].filter((r, i): r is BalanceRow => r !== undefined && r.lotTracked && (i === 0 ? after !== undefined : next !== null));
  const whole = cut.length === 0 ? [] : await balanceRows(ctx, and(
    or(...cut.map((r) => and(eq(b.itemId, r.itemId), eq(b.warehouseId, r.warehouseId)))),
    exact ? undefined : or(ne(b.qty, '0'), ne(b.transitQty, '0')),
  ), 100_000);
  const groups = new Map<string, BalanceRow[]>();
  const keyOf = (r: BalanceRow) => `${r.itemId}|${r.warehouseId}`;
  for (const r of page) {
    if (!groups.has(keyOf(r))) groups.set(keyOf(r), []);
    groups.get(keyOf(r))!.push(r);
  }
  for (const key of new Set(whole.map(keyOf))) groups.set(key, whole.filter((r) => keyOf(r) === key));

  const values = new Map<string, Decimal>();
  for (const group of groups.values()) {
    const first = group[0]!;
    const split = apportionLotValues(group.map((r) => dec(r.qty)), dec(first.totalQty ?? 0), dec(first.totalValue ?? 0));
    group.forEach((r, i) => values.set(`${keyOf(r)}|${r.lot}`, split[i]!));
  }
  const reservedShares = new Map<string, Decimal>();
  for (const group of groups.values()) {
    const f = figures.get(figuresKey(group[0]!.itemId, group[0]!.warehouseId));
    if (f) spreadReserved(group, f.reserved).forEach((share, r) => reservedShares.set(`${keyOf(r)}|${r.lot}`, share));
  }
  const toJson = (r: BalanceRow): BalanceJson => {
    const qty = dec(r.qty);
    const value = values.get(`${keyOf(r)}|${r.lot}`) ?? ZERO;
    // What is on order belongs to the item in the warehouse, not to a lot: its first lot's row carries it.
    const f = groups.get(keyOf(r))![0]!.lot === r.lot ? figures.get(figuresKey(r.itemId, r.warehouseId)) : undefined;
    const reserved = reservedShares.get(`${keyOf(r)}|${r.lot}`) ?? ZERO;
    return {
      sku: r.sku, warehouse: r.warehouse, lot: r.lot === '' ? null : r.lot, expiresOn: r.expiresOn,
      qty: fmt(qty), value: fmtMoney(value), unitCost: unitCostOf(qty, value, r.lastUnitCost), inTransit: fmt(dec(r.transitQty)),
      reserved: fmt(reserved), onOrder: fmt(f?.onOrder ?? ZERO), available: fmt(availableOf(qty, { reserved })),
    };
  };
  return { balances: taken.map((e) => (e.row ? toJson(e.row) : e.json!)), next };
}

/**
 * What open sales orders reserve of an item in a warehouse, shared among its lots in the order they
 * would ship (first expiry first, undated last, then by code): each lot takes what it holds until the
 * reservation is covered, so no lot shows less available than it holds while another has plenty
 * (all of it on the first listed lot did). More reserved than held stays on the last lot to ship,
 * whose available is then negative, as the item's is. The shares add up to the reservation.
 */
function spreadReserved(group: BalanceRow[], reserved: Decimal): Map<BalanceRow, Decimal> {
  const shipOrder = (r: BalanceRow) => `${r.expiresOn ?? '9999-12-31'}|${r.lot}`;
  const order = [...group].sort((x, y) => (shipOrder(x) < shipOrder(y) ? -1 : shipOrder(x) > shipOrder(y) ? 1 : 0));
  const shares = new Map<BalanceRow, Decimal>();
  let left = reserved;
  order.forEach((r, i) => {
    const held = Decimal.max(dec(r.qty), ZERO);
    const share = i === order.length - 1 ? left : Decimal.min(left, held);
    shares.set(r, share);
    left = left.minus(share);
  });
  return shares;
}

type Key = [string, string, string];

type Entry = { key: Key; row?: BalanceRow; json?: BalanceJson };

/** The balance rows in the database's order, the unstocked ones merged in where they fall. */
function mergeByKey(balances: Entry[], unstocked: Entry[]): Entry[] {
  const out: Entry[] = [];
  let u = 0;
  for (const entry of balances) {
    while (u < unstocked.length && compareKeys(unstocked[u]!.key, entry.key) < 0) out.push(unstocked[u++]!);
    out.push(entry);
  }
  return out.concat(unstocked.slice(u));
}

/** The list's order, (sku, warehouse, lot), as the cursor compares it. */
const compareKeys = (x: Key, y: Key) => {
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
};

/** The order figures of items and warehouses that have no balance row listed: as rows with nothing on hand. */
async function unstockedRows(ctx: Ctx, figures: Awaited<ReturnType<typeof orderFigures>>, exact: boolean): Promise<BalanceJson[]> {
  const b = stockBalances;
  const itemIds = [...new Set([...figures.values()].map((f) => f.itemId))];
  const held = await ctx.db.selectDistinct({ itemId: b.itemId, warehouseId: b.warehouseId }).from(b)
    .where(and(eq(b.orgId, ctx.orgId), inArray(b.itemId, itemIds), exact ? undefined : or(ne(b.qty, '0'), ne(b.transitQty, '0'))));
  const listed = new Set(held.map((h) => figuresKey(h.itemId, h.warehouseId)));
  const unstocked = [...figures.values()].filter((f) => !listed.has(figuresKey(f.itemId, f.warehouseId)));
  if (unstocked.length === 0) return [];
  const names = await codesOf(ctx, unstocked);
  return unstocked.map((f) => ({
    sku: names.skus.get(f.itemId)!, warehouse: names.codes.get(f.warehouseId)!, lot: null, expiresOn: null, qty: '0', value: '0.00',
    unitCost: '0', inTransit: fmt(f.inTransit), reserved: fmt(f.reserved), onOrder: fmt(f.onOrder), available: fmt(availableOf(ZERO, f)),
  }));
}

const DEFAULT_PAGE = 500;

type BalanceRow = Awaited<ReturnType<typeof balanceRows>>[number];

function balanceRows(ctx: Ctx, where: SQL | undefined, limit: number, orderBySku: typeof items.sku | typeof stockBalances.sku = items.sku) {
  const b = stockBalances;
  return ctx.db
    .select({
      sku: items.sku, lotTracked: items.lotTracked, warehouse: warehouses.code, itemId: b.itemId, warehouseId: b.warehouseId, lot: b.lot,
      expiresOn: lots.expiresOn, qty: b.qty, transitQty: b.transitQty,
      totalQty: valuations.qty, totalValue: valuations.value, lastUnitCost: valuations.lastUnitCost,
    })
    .from(b)
    .innerJoin(items, and(eq(items.id, b.itemId), eq(items.orgId, b.orgId)))
    .innerJoin(warehouses, and(eq(warehouses.id, b.warehouseId), eq(warehouses.orgId, b.orgId)))
    .leftJoin(lots, and(eq(lots.orgId, b.orgId), eq(lots.itemId, b.itemId), eq(lots.code, b.lot)))
    .leftJoin(valuations, and(eq(valuations.orgId, b.orgId), eq(valuations.itemId, b.itemId), eq(valuations.warehouseId, b.warehouseId)))
    .where(and(eq(b.orgId, ctx.orgId), where))
    .orderBy(asc(orderBySku), asc(warehouses.code), asc(b.lot))
    .limit(limit);
}

/** A page's `next`: where it ended, opaque to clients. */
const encodeCursor = (at: [string, string, string]) => Buffer.from(JSON.stringify(at)).toString('base64url');

function decodeCursor(cursor: string): [string, string, string] {
  try {
    const at: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(at) && at.length === 3 && at.every((x) => typeof x === 'string')) return at as [string, string, string];
  } catch { /* not ours */ }
  throw ValidationError.field('after', 'not a cursor this API gave out: pass a page\'s next as it came', 'bad_cursor', {});
}

async function figureFilter(ctx: Ctx, filter: StockFilter) {
  return {
    itemIds: filter.sku === undefined ? undefined : [await requireItemId(ctx, filter.sku)],
    warehouseIds: filter.warehouse === undefined ? undefined : [await requireWarehouseId(ctx, filter.warehouse)],
  };
}

async function codesOf(ctx: Ctx, pairs: { itemId: string; warehouseId: string }[]) {
  const skus = await ctx.db.select({ id: items.id, sku: items.sku }).from(items)
    .where(and(eq(items.orgId, ctx.orgId), inArray(items.id, [...new Set(pairs.map((p) => p.itemId))])));
  const codes = await ctx.db.select({ id: warehouses.id, code: warehouses.code }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.id, [...new Set(pairs.map((p) => p.warehouseId))])));
  return { skus: new Map(skus.map((r) => [r.id, r.sku])), codes: new Map(codes.map((r) => [r.id, r.code])) };
}

/** The quantity and value on hand of one item in one warehouse (zero when it never moved there). */
export async function getValuation(ctx: Ctx, sku: string, warehouse: string): Promise<ValuationJson> {
  const [row] = await ctx.db
    .select({ qty: valuations.qty, value: valuations.value, lastUnitCost: valuations.lastUnitCost })
    .from(items)
    .innerJoin(warehouses, and(eq(warehouses.orgId, items.orgId), eq(warehouses.code, warehouse)))
    .leftJoin(valuations, and(eq(valuations.orgId, items.orgId), eq(valuations.itemId, items.id), eq(valuations.warehouseId, warehouses.id)))
    .where(and(eq(items.orgId, ctx.orgId), eq(items.sku, sku)));
  if (!row) await requireFilterRefs(ctx, { sku, warehouse });
  const qty = dec(row?.qty ?? 0);
  const value = dec(row?.value ?? 0);
  return { sku, warehouse, qty: fmt(qty), value: fmtMoney(value), unitCost: unitCostOf(qty, value, row?.lastUnitCost ?? null) };
}

/** The FIFO cost layers with something left, oldest first (none for moving-average items). */
export async function listCostLayers(ctx: Ctx, sku: string, warehouse: string): Promise<LayerJson[]> {
  const l = costLayers;
  const rows = await ctx.db
    .select({ qty: l.qtyRemaining, unitCost: l.unitCost, document: l.documentId, number: documents.number, receivedAt: l.receivedAt })
    .from(l)
    .innerJoin(items, and(eq(items.id, l.itemId), eq(items.orgId, l.orgId)))
    .innerJoin(warehouses, and(eq(warehouses.id, l.warehouseId), eq(warehouses.orgId, l.orgId)))
    .innerJoin(documents, and(eq(documents.id, l.documentId), eq(documents.orgId, l.orgId)))
    .where(and(eq(l.orgId, ctx.orgId), eq(items.sku, sku), eq(warehouses.code, warehouse), gt(l.qtyRemaining, '0')))
    .orderBy(asc(l.receivedAt), asc(l.id));
  if (rows.length === 0) await requireFilterRefs(ctx, { sku, warehouse });
  return rows.map((r) => ({
    qty: fmt(dec(r.qty)), unitCost: fmt(dec(r.unitCost)), document: r.document, number: r.number, receivedAt: r.receivedAt.toISOString(),
  }));
}
