import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { costLayers, items, lots, stockBalances, valuations, warehouses } from '../../db/schema';
import { chunks } from '../lib/chunks';
import { dec, fmt, fmtMoney, type Decimal } from '../lib/decimal';
import type { Layer, Method, Valuation } from './valuation';

/** An item and warehouse, the unit of locking and valuation. */
export type Key = { itemId: string; warehouseId: string };
export const keyOf = (k: Key) => `${k.itemId}|${k.warehouseId}`;

export type LotState = { qty: Decimal; transitQty: Decimal; changed: boolean };
export type ItemInfo = { id: string; sku: string; method: Method; lotTracked: boolean; shelfLifeDays: number | null };

/** Everything a posting may read or change, loaded once under row locks. */
export type StockState = {
  valuations: Map<string, Valuation>;
  /** key|lot → quantities per lot ('' = no lot). */
  lots: Map<string, LotState>;
  /** itemId → lot code → expiry, for first-expiry-first-out. */
  expiries: Map<string, Map<string, string | null>>;
  items: Map<string, ItemInfo>;
  warehouseCodes: Map<string, string>;
  newLots: { itemId: string; code: string; expiresOn: string | null }[];
};

export const lotKey = (k: Key, lot: string) => `${keyOf(k)}|${lot}`;

/**
 * Locks the valuation rows of `keys` in one global order (item, then warehouse), creating missing
 * rows first, so two postings touching the same rows in any order wait instead of deadlocking.
 * Balances, lots and layers of a locked key are only ever written under that lock.
 */
export async function loadStockState(db: Queryable, orgId: string, keys: Key[]): Promise<StockState> {
  const unique = [...new Map(keys.map((k) => [keyOf(k), k])).values()].sort(
    (a, b) => cmp(a.itemId, b.itemId) || cmp(a.warehouseId, b.warehouseId),
  );
  // Chunks keep each statement under the bind-parameter limit; taken in order, the locks stay sorted.
  const locked: (typeof valuations.$inferSelect)[] = [];
  const balanceRows: (typeof stockBalances.$inferSelect)[] = [];
  const layerRows: (typeof costLayers.$inferSelect)[] = [];
  for (const part of chunks(unique)) {
    await db.insert(valuations).values(part.map((k) => ({ orgId, itemId: k.itemId, warehouseId: k.warehouseId }))).onConflictDoNothing();
    const pairs = keyPairs(part);
    locked.push(...await db.select().from(valuations)
      .where(and(eq(valuations.orgId, orgId), sql`(${valuations.itemId}, ${valuations.warehouseId}) in (${pairs})`))
      .orderBy(asc(valuations.itemId), asc(valuations.warehouseId))
      .for('update'));
    const [balances, layers] = await Promise.all([
      db.select().from(stockBalances)
        .where(and(eq(stockBalances.orgId, orgId), sql`(${stockBalances.itemId}, ${stockBalances.warehouseId}) in (${pairs})`)),
      db.select().from(costLayers)
        .where(and(eq(costLayers.orgId, orgId), gt(costLayers.qtyRemaining, '0'),
          sql`(${costLayers.itemId}, ${costLayers.warehouseId}) in (${pairs})`))
        .orderBy(asc(costLayers.receivedAt), asc(costLayers.id)),
    ]);
    balanceRows.push(...balances);
    layerRows.push(...layers);
  }

  const itemIds = [...new Set(unique.map((k) => k.itemId))];
  const warehouseIds = [...new Set(unique.map((k) => k.warehouseId))];
  const [itemRows, warehouseRows, lotRows] = await Promise.all([
    db.select().from(items).where(and(eq(items.orgId, orgId), inArray(items.id, itemIds))),
    db.select({ id: warehouses.id, code: warehouses.code }).from(warehouses)
      .where(and(eq(warehouses.orgId, orgId), inArray(warehouses.id, warehouseIds))),
    db.select().from(lots).where(and(eq(lots.orgId, orgId), inArray(lots.itemId, itemIds))),
  ]);

  const itemsById = new Map<string, ItemInfo>(itemRows.map((i) => [i.id, {
    id: i.id, sku: i.sku, method: i.valuationMethod, lotTracked: i.lotTracked, shelfLifeDays: i.shelfLifeDays,
  }]));
  const state: StockState = {
    valuations: new Map(),
    lots: new Map(),
    expiries: new Map(),
    items: itemsById,
    warehouseCodes: new Map(warehouseRows.map((w) => [w.id, w.code])),
    newLots: [],
  };
  for (const row of locked) {
    state.valuations.set(keyOf(row), {
      itemId: row.itemId,
      warehouseId: row.warehouseId,
      method: itemsById.get(row.itemId)!.method,
      qty: dec(row.qty),
      value: dec(row.value),
      transitQty: dec(row.transitQty),
      transitValue: dec(row.transitValue),
      lastUnitCost: row.lastUnitCost === null ? null : dec(row.lastUnitCost),
      layers: [],
    });
  }
  for (const row of layerRows) {
    state.valuations.get(keyOf(row))!.layers.push({
      id: row.id, documentId: row.documentId, lineNo: row.lineNo, receivedAt: row.receivedAt,
      qtyIn: dec(row.qtyIn), qtyRemaining: dec(row.qtyRemaining), unitCost: dec(row.unitCost),
      valueRemaining: dec(row.valueRemaining), changed: false,
    });
  }
  for (const row of balanceRows) {
    state.lots.set(lotKey(row, row.lot), { qty: dec(row.qty), transitQty: dec(row.transitQty), changed: false });
  }
  for (const row of lotRows) {
    if (!state.expiries.has(row.itemId)) state.expiries.set(row.itemId, new Map());
    state.expiries.get(row.itemId)!.set(row.code, row.expiresOn);
  }
  return state;
}

/** Writes back what the posting changed: valuations, lot balances, layers and new lots, each in one statement. */
export async function saveStockState(db: Queryable, orgId: string, state: StockState): Promise<void> {
  const vals = [...state.valuations.values()];
  for (const part of chunks(vals)) await saveValuations(db, orgId, part);

  const changedLots = [...state.lots.entries()].filter(([, l]) => l.changed);
  for (const part of chunks(changedLots)) {
    await db.insert(stockBalances).values(part.map(([k, l]) => {
      const [itemId, warehouseId, lot] = k.split('|') as [string, string, string];
      return { orgId, itemId, warehouseId, lot, qty: fmt(l.qty), transitQty: fmt(l.transitQty) };
    })).onConflictDoUpdate({
      target: [stockBalances.orgId, stockBalances.itemId, stockBalances.warehouseId, stockBalances.lot],
      set: { qty: sql`excluded.qty`, transitQty: sql`excluded.transit_qty` },
    });
  }

  const layers = vals.flatMap((v) => v.layers.filter((l) => l.changed).map((l) => ({ v, l })));
  for (const part of chunks(layers.filter(({ l }) => l.id !== null).map(({ l }) => l))) {
    const rows = sql.join(part.map((l) => sql`(${l.id}, ${fmt(l.qtyRemaining)}, ${fmtMoney(l.valueRemaining)})`), sql`, `);
    await db.execute(sql`update cost_layers as c
      set qty_remaining = v.q::numeric, value_remaining = v.val::numeric
      from (values ${rows}) as v(id, q, val)
      where c.id = v.id::bigint and c.org_id = ${orgId}`);
  }
  const created = layers.filter(({ l }) => l.id === null && l.qtyRemaining.gt(0));
  for (const part of chunks(created)) await db.insert(costLayers).values(part.map(({ v, l }) => layerRow(orgId, v, l)));
  for (const part of chunks(state.newLots)) await db.insert(lots).values(part.map((l) => ({ orgId, ...l }))).onConflictDoNothing();
}

async function saveValuations(db: Queryable, orgId: string, vals: Valuation[]) {
  await db.insert(valuations).values(vals.map((v) => ({
    orgId, itemId: v.itemId, warehouseId: v.warehouseId, qty: fmt(v.qty), value: fmtMoney(v.value),
    transitQty: fmt(v.transitQty), transitValue: fmtMoney(v.transitValue),
    lastUnitCost: v.lastUnitCost === null ? null : fmt(v.lastUnitCost),
  }))).onConflictDoUpdate({
    target: [valuations.orgId, valuations.itemId, valuations.warehouseId],
    set: {
      qty: sql`excluded.qty`, value: sql`excluded.value`, transitQty: sql`excluded.transit_qty`,
      transitValue: sql`excluded.transit_value`, lastUnitCost: sql`excluded.last_unit_cost`,
    },
  });
}

function layerRow(orgId: string, v: Valuation, l: Layer) {
  return {
    orgId, itemId: v.itemId, warehouseId: v.warehouseId, documentId: l.documentId, lineNo: l.lineNo,
    receivedAt: l.receivedAt, qtyIn: fmt(l.qtyIn), qtyRemaining: fmt(l.qtyRemaining), unitCost: fmt(l.unitCost),
    valueRemaining: fmtMoney(l.valueRemaining),
  };
}

/**
 * The (item, warehouse) pairs as a subquery over two array parameters: a long `in ((…), (…))`
 * list of row constructors makes the planner crawl, and two parameters never near the limit.
 */
function keyPairs(keys: Key[]) {
  const array = (ids: string[]) => `{${ids.join(',')}}`;
  return sql`select * from unnest(${array(keys.map((k) => k.itemId))}::uuid[], ${array(keys.map((k) => k.warehouseId))}::uuid[])`;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
