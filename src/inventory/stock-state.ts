import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import { costLayers, lots } from '../../db/schema';
import { chunks } from '../lib/chunks';
import { dec, fmt, fmtMoney, type Decimal } from '../lib/decimal';
import type { Method, Valuation } from './valuation';
import type { LedgerDraft } from './movements';
import { UnprocessableError } from '../errors';

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
  /** key → the item's reorder rule in that warehouse, for low-stock crossings. */
  rules: Map<string, { minQty: Decimal; reorderQty: Decimal | null }>;
  /** Lots this posting brings in for the first time; `defaulted`: the date was worked out, not given. */
  newLots: { itemId: string; code: string; expiresOn: string | null; defaulted: boolean }[];
};

export const lotKey = (k: Key, lot: string) => `${keyOf(k)}|${lot}`;

/** `lotKey` read back: ids hold no '|', a lot code may (`B|7`), so the code is all after the second one. */
export function splitLotKey(k: string): { key: string; itemId: string; warehouseId: string; lot: string } {
  const first = k.indexOf('|');
  const cut = k.indexOf('|', first + 1);
  return { key: k.slice(0, cut), itemId: k.slice(0, first), warehouseId: k.slice(first + 1, cut), lot: k.slice(cut + 1) };
}

type LockedRow = {
  item_id: string; warehouse_id: string; qty: string; value: string; transit_qty: string; transit_value: string; last_unit_cost: string | null;
  sku: string; valuation_method: Method; lot_tracked: boolean; shelf_life_days: number | null; code: string;
  min_qty: string | null; reorder_qty: string | null;
};

/**
 * Locks the valuation rows of `keys` in one global order (item, then warehouse), creating missing
 * rows first, so two postings touching the same rows in any order wait instead of deadlocking.
 * Balances, lots and layers of a locked key are only ever written under that lock. The lock reads
 * the item, the warehouse code and the reorder rule with it; layers are read only for FIFO items
 * and lots only for lot-tracked ones, so a common posting reads in two statements.
 *
 * An item's first movement into a warehouse has no row to lock: every posting first makes its
 * missing rows (`insert … on conflict do nothing`, in key order, before it holds any lock), sent in
 * the same round trip as the locks. Made after the first locks, an inserted row stayed held outside
 * the sorted order, and two postings each holding a row the other needed (one by lock, one by
 * insert) deadlocked. An insert that waits here waits holding nothing of this posting; for rows that
 * exist it writes and locks nothing. Made in the transaction, a row goes away with a rollback.
 */
export async function loadStockState(db: Queryable, orgId: string, keys: Key[]): Promise<StockState> {
  const unique = [...new Map(keys.map((k) => [keyOf(k), k])).values()].sort(
    (a, b) => cmp(a.itemId, b.itemId) || cmp(a.warehouseId, b.warehouseId),
  );
  // Chunks keep each statement under the bind-parameter limit; taken in order, the locks stay sorted.
  const locked: LockedRow[] = [];
  const parts = chunks(unique);
  // By queryRows, like the locks: sent before them, in this order, without waiting for their answers.
  const making = parts.map((part) => queryRows(db, sql`insert into valuations (org_id, item_id, warehouse_id)
    select ${orgId}, k.item_id, k.warehouse_id from (${keyPairs(part)}) as k(item_id, warehouse_id)
    order by k.item_id, k.warehouse_id
    on conflict do nothing`));
  // If an insert fails, what follows fails too ("transaction aborted"): the insert's error is the one to report.
  for (const m of making) m.catch(() => undefined);
  let balances: Promise<BalanceRow[]> | undefined;
  for (const [n, part] of parts.entries()) {
    const lock = lockValuations(db, orgId, part);
    lock.catch(() => undefined);
    // The balances are read in the same round trip as the last lock, not after its answer: a connection
    // runs statements in the order sent (both go out by the same path, so they are sent in this order),
    // so the read starts once every row is locked and sees what the previous holder committed.
    if (n === parts.length - 1) {
      balances = readBalances(db, orgId, unique);
      balances.catch(() => undefined);
    }
    await making[n];
    const rows = await lock;
    // Every row exists by now (made just before, in this transaction): one missing is a broken invariant, not a case.
    if (rows.length < part.length) throw new Error('internal: a valuation row was not there to lock after it was made');
    locked.push(...rows);
  }
  balances ??= readBalances(db, orgId, unique); // no keys: nothing was sent

  const state: StockState = {
    valuations: new Map(), lots: new Map(), expiries: new Map(), items: new Map(), warehouseCodes: new Map(), rules: new Map(), newLots: [],
  };
  for (const row of locked) {
    const key = { itemId: row.item_id, warehouseId: row.warehouse_id };
    state.items.set(row.item_id, {
      id: row.item_id, sku: row.sku, method: row.valuation_method, lotTracked: row.lot_tracked, shelfLifeDays: row.shelf_life_days,
    });
    state.warehouseCodes.set(row.warehouse_id, row.code);
    if (row.min_qty !== null) state.rules.set(keyOf(key), { minQty: dec(row.min_qty), reorderQty: row.reorder_qty === null ? null : dec(row.reorder_qty) });
    state.valuations.set(keyOf(key), {
      ...key, method: row.valuation_method, qty: dec(row.qty), value: dec(row.value),
      transitQty: dec(row.transit_qty), transitValue: dec(row.transit_value),
      lastUnitCost: row.last_unit_cost === null ? null : dec(row.last_unit_cost), layers: [],
    });
  }

  const fifo = unique.filter((k) => state.items.get(k.itemId)!.method === 'fifo');
  const lotItems = [...state.items.values()].filter((i) => i.lotTracked).map((i) => i.id);
  const [balanceRows, layerRows, lotRows] = await Promise.all([
    balances,
    inParts(fifo, (part) => db.select().from(costLayers)
      .where(and(eq(costLayers.orgId, orgId), gt(costLayers.qtyRemaining, '0'), sql`(${costLayers.itemId}, ${costLayers.warehouseId}) in (${keyPairs(part)})`))
      .orderBy(asc(costLayers.receivedAt), asc(costLayers.id))),
    lotItems.length ? db.select().from(lots).where(and(eq(lots.orgId, orgId), inArray(lots.itemId, lotItems))) : Promise.resolve([]),
  ]);
  for (const row of layerRows) {
    state.valuations.get(keyOf(row))!.layers.push({
      id: row.id, documentId: row.documentId, lineNo: row.lineNo, receivedAt: row.receivedAt,
      qtyIn: dec(row.qtyIn), qtyRemaining: dec(row.qtyRemaining), unitCost: dec(row.unitCost),
      valueRemaining: dec(row.valueRemaining), changed: false,
    });
  }
  for (const row of balanceRows) {
    state.lots.set(lotKey({ itemId: row.item_id, warehouseId: row.warehouse_id }, row.lot), { qty: dec(row.qty), transitQty: dec(row.transit_qty), changed: false });
  }
  for (const row of lotRows) {
    if (!state.expiries.has(row.itemId)) state.expiries.set(row.itemId, new Map());
    state.expiries.get(row.itemId)!.set(row.code, row.expiresOn);
  }
  return state;
}

/**
 * The valuation rows of `keys`, locked in (item, warehouse) order, with what a posting needs of their
 * item and warehouse; the reorder rule's minimum and quantity are the row's own copies (migrations 0023, 0025).
 */
function lockValuations(db: Queryable, orgId: string, keys: Key[]): Promise<LockedRow[]> {
  return queryRows<LockedRow>(db, sql`
    select v.item_id, v.warehouse_id, v.qty::text, v.value::text, v.transit_qty::text, v.transit_value::text, v.last_unit_cost::text,
      i.sku, i.valuation_method, i.lot_tracked, i.shelf_life_days, w.code, v.min_qty::text, v.reorder_qty::text
    from valuations v
    join items i on i.id = v.item_id
    join warehouses w on w.id = v.warehouse_id
    where v.org_id = ${orgId} and (v.item_id, v.warehouse_id) in (${keyPairs(keys)})
    order by v.item_id, v.warehouse_id
    for update of v`);
}

type BalanceRow = { item_id: string; warehouse_id: string; lot: string; qty: string; transit_qty: string };

/** The lot balances of `keys`; by `queryRows`, the same path as `lockValuations`, so the two are sent in the order called. */
function readBalances(db: Queryable, orgId: string, keys: Key[]): Promise<BalanceRow[]> {
  return inParts(keys, (part) => queryRows<BalanceRow>(db, sql`
    select item_id, warehouse_id, lot, qty::text, transit_qty::text from stock_balances
    where org_id = ${orgId} and (item_id, warehouse_id) in (${keyPairs(part)})`));
}

/** Runs a read per chunk of keys (none for no keys) and gathers the rows. */
async function inParts<K, T>(keys: K[], read: (part: K[]) => Promise<T[]>): Promise<T[]> {
  if (keys.length === 0) return [];
  const parts = await Promise.all(chunks(keys).map(read));
  return parts.flat();
}

/**
 * Everything a posting changed in stock, as writes of fixed text over one JSON parameter each, for
 * the caller to send as one statement with its own (`together`): the valuations (locked, so they
 * exist: an update), the changed lot balances (a new lot is a new row: an upsert), the ledger rows,
 * and for FIFO and lot-tracked items the layers (updated and new); new lots go first, on their own
 * (`registerNewLots`). Their text never changes with the number of rows, so Postgres keeps them
 * prepared and nothing is built per row but JSON (drizzle built the multi-row statements these
 * replace at ~1 ms a document).
 */
export function movementWrites(orgId: string, state: StockState, ledger: { documentId: string; postedAt: Date; rows: LedgerDraft[] }): SQL[] {
  const vals = [...state.valuations.values()].map((v) => ({
    item_id: v.itemId, warehouse_id: v.warehouseId, qty: fmt(v.qty), value: fmtMoney(v.value), transit_qty: fmt(v.transitQty),
    transit_value: fmtMoney(v.transitValue), last_unit_cost: v.lastUnitCost === null ? null : fmt(v.lastUnitCost),
  }));
  const balances = [...state.lots.entries()].filter(([, l]) => l.changed).map(([k, l]) => {
    const { itemId, warehouseId, lot } = splitLotKey(k);
    return { item_id: itemId, warehouse_id: warehouseId, lot, qty: fmt(l.qty), transit_qty: fmt(l.transitQty), sku: state.items.get(itemId)?.sku ?? null };
  });
  const postedAt = ledger.postedAt.toISOString();
  const entries = ledger.rows.map((e) => ({
    document_id: ledger.documentId, line_no: e.lineNo, item_id: e.itemId, warehouse_id: e.warehouseId, lot: e.lot, bucket: e.bucket,
    qty: fmt(e.qty), value: fmtMoney(e.value), unit_cost: fmt(e.unitCost), balance_qty: fmt(e.balanceQty), balance_value: fmtMoney(e.balanceValue),
    posted_at: postedAt,
  }));
  const layers = [...state.valuations.values()].flatMap((v) => v.layers.filter((l) => l.changed).map((l) => ({ v, l })));
  const consumed = layers.filter(({ l }) => l.id !== null).map(({ l }) => ({ id: l.id, qty: fmt(l.qtyRemaining), value: fmtMoney(l.valueRemaining) }));
  const created = layers.filter(({ l }) => l.id === null && l.qtyRemaining.gt(0)).map(({ v, l }) => ({
    item_id: v.itemId, warehouse_id: v.warehouseId, document_id: l.documentId, line_no: l.lineNo, received_at: l.receivedAt.toISOString(),
    qty_in: fmt(l.qtyIn), qty_remaining: fmt(l.qtyRemaining), unit_cost: fmt(l.unitCost), value_remaining: fmtMoney(l.valueRemaining),
  }));
  return [
    sql`update valuations as t set qty = r.qty, value = r.value, transit_qty = r.transit_qty, transit_value = r.transit_value, last_unit_cost = r.last_unit_cost
      from jsonb_to_recordset(${JSON.stringify(vals)}::jsonb) as r(item_id uuid, warehouse_id uuid, qty numeric, value numeric, transit_qty numeric, transit_value numeric, last_unit_cost numeric)
      where t.org_id = ${orgId} and t.item_id = r.item_id and t.warehouse_id = r.warehouse_id`,
    sql`insert into stock_balances (org_id, item_id, warehouse_id, lot, qty, transit_qty, sku)
      select ${orgId}, r.item_id, r.warehouse_id, r.lot, r.qty, r.transit_qty, r.sku
      from jsonb_to_recordset(${JSON.stringify(balances)}::jsonb) as r(item_id uuid, warehouse_id uuid, lot text, qty numeric, transit_qty numeric, sku text)
      on conflict (org_id, item_id, warehouse_id, lot) do update set qty = excluded.qty, transit_qty = excluded.transit_qty`,
    sql`insert into ledger_entries (org_id, document_id, line_no, item_id, warehouse_id, lot, bucket, qty, value, unit_cost, balance_qty, balance_value, posted_at)
      select ${orgId}, r.document_id, r.line_no, r.item_id, r.warehouse_id, r.lot, r.bucket, r.qty, r.value, r.unit_cost, r.balance_qty, r.balance_value, r.posted_at
      from jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) as r(document_id uuid, line_no int, item_id uuid, warehouse_id uuid, lot text, bucket text,
        qty numeric, value numeric, unit_cost numeric, balance_qty numeric, balance_value numeric, posted_at timestamptz)`,
    // Only postings of FIFO or lot-tracked items have these: left out otherwise, so the common statement stays short.
    ...(consumed.length ? [sql`update cost_layers as c set qty_remaining = r.qty, value_remaining = r.value
      from jsonb_to_recordset(${JSON.stringify(consumed)}::jsonb) as r(id bigint, qty numeric, value numeric)
      where c.org_id = ${orgId} and c.id = r.id`] : []),
    ...(created.length ? [sql`insert into cost_layers (org_id, item_id, warehouse_id, document_id, line_no, received_at, qty_in, qty_remaining, unit_cost, value_remaining)
      select ${orgId}, r.item_id, r.warehouse_id, r.document_id, r.line_no, r.received_at, r.qty_in, r.qty_remaining, r.unit_cost, r.value_remaining
      from jsonb_to_recordset(${JSON.stringify(created)}::jsonb) as r(item_id uuid, warehouse_id uuid, document_id uuid, line_no int, received_at timestamptz,
        qty_in numeric, qty_remaining numeric, unit_cost numeric, value_remaining numeric)`] : []),
  ];
}

/**
 * Registers the posting's new lots before its other writes. A lot belongs to its item, not to a
 * warehouse, so two postings into different warehouses (locking different rows) can bring in the same
 * new lot at once; the second one's insert then waits for the first and finds its row. Registered
 * with another date, the posting is refused as it would have been a moment later (`lot_expiry_clash`)
 * instead of keeping the other date silently. The existing rows are read in a statement of their
 * own: one that started before the first committed would not see its row.
 */
export async function registerNewLots(db: Queryable, orgId: string, state: StockState): Promise<void> {
  if (state.newLots.length === 0) return;
  const given = state.newLots.map((l) => ({ item_id: l.itemId, code: l.code, expires_on: l.expiresOn }));
  const inserted = await queryRows<{ item_id: string; code: string }>(db, sql`insert into lots (org_id, item_id, code, expires_on)
    select ${orgId}, r.item_id, r.code, r.expires_on from jsonb_to_recordset(${JSON.stringify(given)}::jsonb) as r(item_id uuid, code text, expires_on date)
    on conflict do nothing returning item_id, code`);
  const made = new Set(inserted.map((r) => `${r.item_id}|${r.code}`));
  const raced = state.newLots.filter((l) => !l.defaulted && !made.has(`${l.itemId}|${l.code}`));
  if (raced.length === 0) return;
  const keys = JSON.stringify(raced.map((l) => ({ item_id: l.itemId, code: l.code })));
  const existing = await queryRows<{ item_id: string; code: string; expires_on: string | null }>(db, sql`
    select l.item_id, l.code, l.expires_on::text from lots l join jsonb_to_recordset(${keys}::jsonb) as r(item_id uuid, code text)
      on l.item_id = r.item_id and l.code = r.code
    where l.org_id = ${orgId}`);
  for (const l of raced) {
    const row = existing.find((e) => e.item_id === l.itemId && e.code === l.code);
    if (row && row.expires_on !== l.expiresOn) {
      const sku = state.items.get(l.itemId)?.sku ?? l.itemId;
      throw new UnprocessableError(`lot ${l.code} of ${sku} already expires on ${row.expires_on ?? 'no date'}, not ${l.expiresOn ?? 'no date'}`,
        { sku, lot: l.code, expiresOn: row.expires_on }).because('lot_expiry_clash', { sku, lot: l.code, expiresOn: row.expires_on, given: l.expiresOn });
    }
  }
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
