import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../../db/client';
import type { BeforeCommit, Ctx } from '../context';
import { payloadSql } from '../outbox/enqueue';
import { noteQueued } from '../outbox/queued';
import { reservedQuantities } from '../orders/figures';
import { dec, fmt, type Decimal } from '../lib/decimal';

/** An item in a warehouse whose available stock a verb is about to change. */
export type StockKey = { itemId: string; warehouseId: string };

/**
 * A key a posting moves: on hand before and after (its locked balance, and the balance once the
 * movements are applied) and the rule's minimum. An order leaves it out: its on hand is read.
 */
export type Moved = { before: Decimal; after: Decimal; minQty: Decimal };

type Watched = StockKey & {
  documentId: string | null;
  /** Available before the verb changed anything, and what was reserved then (read without waiting). */
  was: Promise<{ available: Decimal; reserved: Decimal }>;
  moved: Omit<Moved, 'before'> | undefined;
};

/** Each transaction's watch, by its before-commit list (one per outermost verb). */
type Watch = { keys: Map<string, Watched>; reservations: boolean };
const watches = new WeakMap<BeforeCommit[], Watch>();

/**
 * Low stock is judged on what is available: on hand − reserved by open sales orders (SPEC). Call
 * this before a verb changes either for `keys` — a posting once its balances are locked, an order
 * before it opens or is cancelled; `reservations` says whether it may change what is reserved (an
 * order; a posting that fulfils one or reverses such a posting). What is reserved (for an order, what
 * is on hand too) is read now, sent without waiting: it travels with the verb's next statement.
 * Once the verb is done, before the commit, available stock is compared with what it was: an item and
 * warehouse that went from at or above its safety stock to below gets an alert — unless one is
 * already unresolved: one alert per item and warehouse until it recovers — announced through the
 * outbox; one lifted back to or above it has its alert resolved, every copy of the card then
 * showing 已恢复, so the next fall alerts again. When nothing reserved can have changed, postings'
 * own figures decide and a transaction that crosses nothing sends nothing more; otherwise it is read
 * again at the end, so a reversal that opens its order again, or an issue that fulfils one, counts
 * as the net change it is. A key watched twice keeps its first reading and its latest balance.
 * Rules, snoozes and reminders belong to the low-stock job.
 */
export function watchLowStock(ctx: Ctx, documentId: string | null, keys: Array<StockKey & { moved?: Moved }>, reservations: boolean): void {
  if (!ctx.beforeCommit) throw new Error('watchLowStock needs a transaction (withTransaction)');
  let watch = watches.get(ctx.beforeCommit);
  if (!watch) {
    const own: Watch = { keys: new Map(), reservations: false };
    watch = own;
    watches.set(ctx.beforeCommit, own);
    ctx.beforeCommit.push((db) => settle(db, ctx.orgId, ctx.now(), own));
  }
  watch.reservations ||= reservations;
  const fresh: typeof keys = [];
  for (const k of keys) {
    const known = watch.keys.get(keyOf(k));
    if (!known) fresh.push(k);
    // Moved again in the transaction: its latest balance. (A key an order watched is decided from the database.)
    else if (known.moved && k.moved) known.moved = { after: k.moved.after, minQty: k.moved.minQty };
  }
  if (fresh.length === 0) return;
  const read = queryRows<{ item_id: string; warehouse_id: string; qty: string; reserved: string }>(ctx.db, sql`
    with k as (${keyRows(fresh)}), r as (${reservedHere(ctx.orgId)})
    select k.item_id, k.warehouse_id, coalesce(v.qty, 0)::text as qty, coalesce(r.reserved, 0)::text as reserved
    from k left join valuations v on v.org_id = ${ctx.orgId} and v.item_id = k.item_id and v.warehouse_id = k.warehouse_id
    left join r on r.item_id = k.item_id and r.warehouse_id = k.warehouse_id`);
  // Awaited before the commit (settle); a failure there fails the transaction, never the process.
  read.catch(() => undefined);
  for (const k of fresh) {
    const was = read.then((rows) => {
      const row = rows.find((r) => r.item_id === k.itemId && r.warehouse_id === k.warehouseId)!;
      const reserved = dec(row.reserved);
      return { available: (k.moved?.before ?? dec(row.qty)).minus(reserved), reserved };
    });
    was.catch(() => undefined);
    watch.keys.set(keyOf(k), { itemId: k.itemId, warehouseId: k.warehouseId, documentId, was, moved: k.moved && { after: k.moved.after, minQty: k.moved.minQty } });
  }
}

/**
 * Whether a key crosses its minimum either way, judged on a posting's own figures: nothing reserved
 * changed in the transaction, so available after is on hand after less what was reserved before.
 */
async function crossesByItsOwnFigures(w: Watched): Promise<boolean> {
  if (!w.moved) return true;
  const { available, reserved } = await w.was;
  const after = w.moved.after.minus(reserved);
  return available.gte(w.moved.minQty) !== after.gte(w.moved.minQty);
}

const keyOf = (k: StockKey) => `${k.itemId}|${k.warehouseId}`;

const keyRows = (keys: StockKey[]) =>
  sql`select * from jsonb_to_recordset(${JSON.stringify(keys.map((k) => ({ item_id: k.itemId, warehouse_id: k.warehouseId })))}::jsonb)
    as k(item_id uuid, warehouse_id uuid)`;

/** Reserved for the watched keys only (`k`): the open sales orders' lines of those items at those warehouses. */
const reservedHere = (orgId: string) => reservedQuantities(orgId, sql`and (l.item_id, d.warehouse_id) in (select item_id, warehouse_id from k)`);

/**
 * The crossings of the watched keys, as one statement: available stock as the transaction leaves it
 * against what it was; alerts opened and resolved, and their outbox events, together.
 */
async function settle(db: Queryable, orgId: string, now: Date, watch: Watch): Promise<void> {
  const watched = [...watch.keys.values()];
  if (!watch.reservations && !(await Promise.all(watched.map(crossesByItsOwnFigures))).some(Boolean)) return;
  const rows = await Promise.all(watched.map(async (w) => ({
    item_id: w.itemId, warehouse_id: w.warehouseId, document_id: w.documentId, was: fmt((await w.was).available),
  })));
  const t = sql`${now.toISOString()}::timestamptz`;
  const events = await queryRows<{ n: number }>(db, sql`
    with k as (select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as k(item_id uuid, warehouse_id uuid, document_id uuid, was numeric)),
    r as (${reservedHere(orgId)}),
    s as (
      select k.item_id, k.warehouse_id, k.document_id, k.was, v.qty, v.min_qty, v.reorder_qty, v.qty - coalesce(r.reserved, 0) as available
      from k join valuations v on v.org_id = ${orgId} and v.item_id = k.item_id and v.warehouse_id = k.warehouse_id
      left join r on r.item_id = k.item_id and r.warehouse_id = k.warehouse_id
      where v.min_qty is not null),
    opened as (
      insert into alerts (org_id, kind, item_id, warehouse_id, status, created_at, last_notified_at)
      select ${orgId}::uuid, 'low_stock', item_id, warehouse_id, 'open', ${t}, ${t} from s where was >= min_qty and available < min_qty
      on conflict (org_id, kind, item_id, warehouse_id) where status <> 'resolved' do nothing
      returning id, item_id, warehouse_id),
    resolved as (
      update alerts a set status = 'resolved', resolved_at = ${t} from s
      where a.org_id = ${orgId} and a.kind = 'low_stock' and a.item_id = s.item_id and a.warehouse_id = s.warehouse_id
        and a.status <> 'resolved' and s.was < s.min_qty and s.available >= s.min_qty
      returning a.id),
    queued as (
      insert into outbox (org_id, kind, dedupe_key, payload, next_attempt_at, created_at)
      select ${orgId}::uuid, 'low_stock', 'low_stock:' || a.id, ${payloadSql('low_stock', {
        alertId: sql`a.id`, itemId: sql`a.item_id`, warehouseId: sql`a.warehouse_id`, sku: sql`i.sku`, warehouse: sql`w.code`,
        qty: sql`trim_scale(s.qty)::text`, minQty: sql`trim_scale(s.min_qty)::text`, reorderQty: sql`trim_scale(s.reorder_qty)::text`,
        documentId: sql`s.document_id`, reason: sql`null::text`,
      })}, ${t}, ${t}
      from opened a join s on s.item_id = a.item_id and s.warehouse_id = a.warehouse_id
      join items i on i.id = a.item_id join warehouses w on w.id = a.warehouse_id
      union all
      select ${orgId}::uuid, 'alert_changed', 'alert_changed:' || a.id || ':resolved:' || ${String(now.getTime())}::text,
        ${payloadSql('alert_changed', { alertId: sql`a.id` })}, ${t}, ${t} from resolved a
      on conflict (org_id, dedupe_key) do nothing
      returning 1)
    select count(*)::int as n from queued`);
  if (Number(events[0]?.n ?? 0) > 0) noteQueued();
}
