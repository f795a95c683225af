import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../db/client';
import type { Config } from '../src/config';
import type { Logger } from '../src/lib/logger';

export type LowStockScanDeps = { db: Queryable; log: Logger; config?: Partial<Pick<Config, 'LOW_STOCK_REMIND_HOURS'>> | undefined };
export type LowStockScanSummary = { opened: number; resolved: number; snoozesEnded: number; reminded: number };

/** The announcement's payload, the shape `recordLowStockCrossings` writes (no document: the scan found it). */
const payload = sql`jsonb_build_object('alertId', a.id, 'itemId', a.item_id, 'warehouseId', a.warehouse_id, 'sku', i.sku, 'warehouse', w.code,
  'qty', trim_scale(coalesce(v.qty, 0))::text, 'minQty', trim_scale(r.min_qty)::text, 'reorderQty', trim_scale(r.reorder_qty)::text, 'documentId', null)`;

/** What an announcement joins to: the item, the warehouse, its stock (none yet: zero) and its rule. */
const joins = sql`join items i on i.id = a.item_id
  join warehouses w on w.id = a.warehouse_id
  join reorder_rules r on r.org_id = a.org_id and r.item_id = a.item_id and r.warehouse_id = a.warehouse_id
  left join valuations v on v.org_id = a.org_id and v.item_id = a.item_id and v.warehouse_id = a.warehouse_id`;

/**
 * The periodic low-stock pass over every organisation, one set-based statement per step, each an
 * update or insert of alerts and their outbox rows together (so a crash between them loses nothing):
 * 1. resolves what recovered (on hand back at or above the rule's minimum, or no rule any more), and
 *    every copy of its card turns to 已恢复;
 * 2. opens alerts a posting did not (a rule set after the stock was already low, stock that came in
 *    under the line); the partial unique index keeps it to one unresolved alert per item and warehouse;
 * 3. ends snoozes that are due and announces those alerts again;
 * 4. announces again open alerts nobody acted on for `LOW_STOCK_REMIND_HOURS`.
 * Acknowledged alerts stay quiet until they recover. Safe to run on every tick and concurrently:
 * each step claims its rows with the update itself.
 */
export async function runLowStockScan(deps: LowStockScanDeps, now: Date): Promise<LowStockScanSummary> {
  const t = sql`${now.toISOString()}::timestamptz`;
  const stamp = now.getTime();
  const remindBefore = new Date(stamp - (deps.config?.LOW_STOCK_REMIND_HOURS ?? 24) * 3_600_000).toISOString();

  const resolved = await queryRows<{ id: number }>(deps.db, sql`
    with a as (
      update alerts a set status = 'resolved', resolved_at = ${t}
      where a.kind = 'low_stock' and a.status <> 'resolved'
        and not exists (select 1 from reorder_rules r left join valuations v on v.org_id = r.org_id and v.item_id = r.item_id and v.warehouse_id = r.warehouse_id
          where r.org_id = a.org_id and r.item_id = a.item_id and r.warehouse_id = a.warehouse_id and coalesce(v.qty, 0) < r.min_qty)
      returning a.id, a.org_id)
    insert into outbox (org_id, kind, dedupe_key, payload, next_attempt_at, created_at)
    select a.org_id, 'alert_changed', 'alert_changed:' || a.id || ':resolved:' || ${String(stamp)}::text, jsonb_build_object('alertId', a.id), ${t}, ${t} from a
    on conflict (org_id, dedupe_key) do nothing
    returning id`);

  const opened = await queryRows<{ id: number }>(deps.db, sql`
    with a as (
      insert into alerts (org_id, kind, item_id, warehouse_id, status, created_at, last_notified_at)
      select r.org_id, 'low_stock', r.item_id, r.warehouse_id, 'open', ${t}, ${t}
      from reorder_rules r left join valuations v on v.org_id = r.org_id and v.item_id = r.item_id and v.warehouse_id = r.warehouse_id
      where coalesce(v.qty, 0) < r.min_qty
        and not exists (select 1 from alerts x where x.org_id = r.org_id and x.kind = 'low_stock' and x.item_id = r.item_id
          and x.warehouse_id = r.warehouse_id and x.status <> 'resolved')
      on conflict do nothing
      returning id, org_id, item_id, warehouse_id)
    insert into outbox (org_id, kind, dedupe_key, payload, next_attempt_at, created_at)
    select a.org_id, 'low_stock', 'low_stock:' || a.id, ${payload}, ${t}, ${t} from a ${joins}
    on conflict (org_id, dedupe_key) do nothing
    returning id`);

  // Snoozes that ended and reminders due: open again, announced again (a new key per announcement).
  const announced = await queryRows<{ reason: string }>(deps.db, sql`
    with a as (
      update alerts a set status = 'open', last_notified_at = ${t}
      from (select id, status as was from alerts
        where kind = 'low_stock' and ((status = 'snoozed' and snoozed_until <= ${t}) or (status = 'open' and coalesce(last_notified_at, created_at) <= ${remindBefore}::timestamptz))
        for update skip locked) due
      where a.id = due.id
      returning a.id, a.org_id, a.item_id, a.warehouse_id, due.was),
    o as (
      insert into outbox (org_id, kind, dedupe_key, payload, next_attempt_at, created_at)
      select a.org_id, 'low_stock', 'low_stock:' || a.id || ':' || ${String(stamp)}::text,
        ${payload} || jsonb_build_object('reason', case a.was when 'snoozed' then 'snooze_ended' else 'reminder' end), ${t}, ${t}
      from a ${joins}
      on conflict (org_id, dedupe_key) do nothing
      returning id)
    select was as reason from a`);

  const summary: LowStockScanSummary = {
    opened: opened.length, resolved: resolved.length,
    snoozesEnded: announced.filter((r) => r.reason === 'snoozed').length, reminded: announced.filter((r) => r.reason === 'open').length,
  };
  if (summary.opened || summary.resolved || summary.snoozesEnded || summary.reminded) deps.log.info('low-stock scan', summary);
  return summary;
}
