import { sql, type SQL } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { DEFAULT_NEAR_EXPIRY_DAYS, nearExpiryCounts } from '../inventory/near-expiry';
import { listOverdue } from '../approvals/overdue';
import type { Ctx } from '../context';
import { NotFoundError, ValidationError } from '../errors';
import { addDays, localDate } from '../lib/calendar';
import { dec } from '../lib/decimal';
import { orderMetrics, type OrderMetrics } from './orders';
import { DEFAULT_PERIOD_DAYS, getAccuracy, type AccuracyQuery, type WarehouseAccuracy } from './accuracy';

/**
 * The manager's dashboard (全局看板) in one answer: the backlog now, how long documents spent in
 * each status, what is overdue now, the exceptions of the period, stocktake accuracy and open
 * alerts. Every figure comes from a set-based query scoped to the organisation; the overdue rule
 * and accuracy are the ones the reminders and /metrics/accuracy use, not re-derived here.
 */

/** Statuses in which a document still waits for someone. Received is a transfer's end, like posted. */
export const BACKLOG_STATUSES = ['draft', 'submitted', 'awaiting_approval', 'approved', 'shipped'] as const;

export type DashboardQuery = AccuracyQuery & { nearExpiryDays?: number | undefined };

export type Dashboard = {
  from: string;
  to: string;
  warehouse: string | null;
  generatedAt: string;
  backlog: { total: number; rows: { type: string; status: string; documents: number }[] };
  timeInStatus: { type: string; status: string; documents: number; avgHours: number; p90Hours: number }[];
  overdue: { total: number; rows: { warehouse: string; name: string; type: string; documents: number }[] };
  exceptions: {
    total: number;
    rejected: number;
    shortReceipts: number;
    stocktakeVariances: number;
    varianceLines: number;
    reversals: number;
    deadDeliveries: number;
    deadReasons: { reason: string; deliveries: number }[];
  };
  accuracy: { countedLines: number; exactLines: number; accuracy: string | null; warehouses: WarehouseAccuracy[] };
  alerts: {
    lowStock: { open: number; acknowledged: number; snoozed: number; total: number };
    nearExpiryLots: number;
    nearExpiryDays: number;
    warehouses: { warehouse: string; name: string; open: number; acknowledged: number; snoozed: number; nearExpiryLots: number }[];
  };
  /** Open orders by age; the fill rate of the period's sales orders. */
  orders: OrderMetrics;
};

/** How many of the most common dead-delivery errors are listed. */
const DEAD_REASONS = 5;

export async function getDashboard(ctx: Ctx, query: DashboardQuery): Promise<Dashboard> {
  const to = query.to ?? localDate(ctx.now(), ctx.timezone);
  const from = query.from ?? addDays(to, 1 - DEFAULT_PERIOD_DAYS);
  if (from > to) throw ValidationError.field('from', `must not be after to (${to})`);
  const warehouseId = query.warehouse === undefined ? undefined : await warehouseIdOf(ctx, query.warehouse);
  const period = {
    start: sql`(${from}::date::timestamp at time zone ${ctx.timezone})`,
    end: sql`((${to}::date + 1)::timestamp at time zone ${ctx.timezone})`,
  };
  const inPeriod = (column: SQL) => sql`${column} >= ${period.start} and ${column} < ${period.end}`;
  // A warehouse's documents: its own, and transfers into it.
  const ofWarehouse = warehouseId === undefined ? sql`` : sql`and (d.warehouse_id = ${warehouseId} or d.to_warehouse_id = ${warehouseId})`;
  const nearExpiryDays = query.nearExpiryDays ?? DEFAULT_NEAR_EXPIRY_DAYS;

  const [backlog, timeInStatus, overdue, exceptions, deadReasons, accuracy, alerts, nearExpiry, orders] = await Promise.all([
    backlogRows(ctx, ofWarehouse),
    timeInStatusRows(ctx, period, ofWarehouse),
    listOverdue(ctx, { warehouse: query.warehouse }),
    exceptionCounts(ctx, inPeriod, ofWarehouse),
    queryRows<{ reason: string; deliveries: number }>(ctx.db, sql`
      select coalesce(last_error, 'unknown') as reason, count(*)::int as deliveries
      from deliveries
      where org_id = ${ctx.orgId} and status = 'dead' and ${inPeriod(sql`created_at`)}
      group by 1 order by 2 desc, coalesce(last_error, 'unknown') collate "C" limit ${DEAD_REASONS}`),
    getAccuracy(ctx, { from, to, warehouse: query.warehouse }),
    queryRows<{ id: string; warehouse: string; name: string; open: number; acknowledged: number; snoozed: number }>(ctx.db, sql`
      select w.id, w.code as warehouse, w.name,
        (count(a.id) filter (where a.status = 'open'))::int as open,
        (count(a.id) filter (where a.status = 'acknowledged'))::int as acknowledged,
        (count(a.id) filter (where a.status = 'snoozed'))::int as snoozed
      from warehouses w
      left join alerts a on a.org_id = w.org_id and a.warehouse_id = w.id and a.kind = 'low_stock' and a.status <> 'resolved'
      where w.org_id = ${ctx.orgId} ${warehouseId === undefined ? sql`` : sql`and w.id = ${warehouseId}`}
      group by w.id, w.code, w.name
      order by w.code`),
    nearExpiryCounts(ctx.db, localDate(ctx.now(), ctx.timezone), nearExpiryDays, ctx.orgId, warehouseId),
    orderMetrics(ctx, inPeriod, ofWarehouse),
  ]);

  // listOverdue applies the service levels; here its documents are only counted.
  const overdueCounts = new Map<string, { warehouse: string; name: string; type: string; documents: number }>();
  for (const group of overdue) {
    for (const doc of group.documents) {
      const key = `${group.warehouse}|${doc.type}`;
      const row = overdueCounts.get(key) ?? { warehouse: group.warehouse, name: group.name, type: doc.type, documents: 0 };
      row.documents += 1;
      overdueCounts.set(key, row);
    }
  }
  const overdueRows = [...overdueCounts.values()];

  const lotsBy = new Map(nearExpiry.map((n) => [n.warehouse_id, n.lots]));
  const alertRows = alerts.map((a) => ({
    warehouse: a.warehouse, name: a.name, open: a.open, acknowledged: a.acknowledged, snoozed: a.snoozed, nearExpiryLots: lotsBy.get(a.id) ?? 0,
  }));
  const sum = <T>(rows: T[], pick: (r: T) => number) => rows.reduce((n, r) => n + pick(r), 0);
  const lowStock = { open: sum(alertRows, (r) => r.open), acknowledged: sum(alertRows, (r) => r.acknowledged), snoozed: sum(alertRows, (r) => r.snoozed) };
  const counted = sum(accuracy.warehouses, (w) => w.countedLines);
  const exact = sum(accuracy.warehouses, (w) => w.exactLines);
  const e = exceptions;
  const deadDeliveries = e.dead_deliveries;

  return {
    from,
    to,
    warehouse: query.warehouse ?? null,
    generatedAt: ctx.now().toISOString(),
    backlog: { total: sum(backlog, (r) => r.documents), rows: backlog },
    timeInStatus: timeInStatus.map((r) => ({ type: r.type, status: r.status, documents: r.documents, avgHours: Number(r.avg_hours), p90Hours: Number(r.p90_hours) })),
    overdue: { total: sum(overdueRows, (r) => r.documents), rows: overdueRows },
    exceptions: {
      total: e.rejected + e.short_receipts + e.stocktake_variances + e.reversals + deadDeliveries,
      rejected: e.rejected,
      shortReceipts: e.short_receipts,
      stocktakeVariances: e.stocktake_variances,
      varianceLines: e.variance_lines,
      reversals: e.reversals,
      deadDeliveries,
      deadReasons,
    },
    accuracy: { countedLines: counted, exactLines: exact, accuracy: counted === 0 ? null : dec(exact).div(counted).toFixed(4), warehouses: accuracy.warehouses },
    alerts: {
      lowStock: { ...lowStock, total: lowStock.open + lowStock.acknowledged + lowStock.snoozed },
      nearExpiryLots: sum(alertRows, (r) => r.nearExpiryLots),
      nearExpiryDays,
      warehouses: alertRows,
    },
    orders,
  };
}

async function warehouseIdOf(ctx: Ctx, code: string): Promise<string> {
  const [row] = await queryRows<{ id: string }>(ctx.db, sql`select id from warehouses where org_id = ${ctx.orgId} and code = ${code}`);
  if (!row) throw new NotFoundError('warehouse', code);
  return row.id;
}

/** Open documents now, by type and status. */
function backlogRows(ctx: Ctx, ofWarehouse: SQL) {
  const statuses = sql.join(BACKLOG_STATUSES.map((s) => sql`${s}`), sql`, `);
  return queryRows<{ type: string; status: string; documents: number }>(ctx.db, sql`
    select d.type, d.status, count(*)::int as documents
    from documents d
    where d.org_id = ${ctx.orgId} and d.status in (${statuses}) ${ofWarehouse}
    group by d.type, d.status
    order by d.type collate "C", array_position(array[${statuses}]::text[], d.status)`);
}

/**
 * Each completed stay of a document in a status, from the timestamps the documents table keeps,
 * counted in the period its stay ended: draft (created → submitted, or straight to posted, shipped
 * or cancelled); submitted, or awaiting_approval when the document had approval levels (submitted →
 * approved, rejected, posted, shipped or cancelled); approved (→ posted, shipped or cancelled);
 * shipped (→ received). Average and 90th percentile in hours, by type.
 */
function timeInStatusRows(ctx: Ctx, period: { start: SQL; end: SQL }, ofWarehouse: SQL) {
  const inPeriod = (column: SQL) => sql`${column} >= ${period.start} and ${column} < ${period.end}`;
  return queryRows<{ type: string; status: string; documents: number; avg_hours: string; p90_hours: string }>(ctx.db, sql`
    with docs as (
      select d.*, exists (select 1 from document_approvals a where a.org_id = d.org_id and a.document_id = d.id) as had_approval
      from documents d
      -- A reversal is created posted by the system: it never waited anywhere. A stay ending in the
      -- period began before its end and ended by the document's latest stamp (documents_org_created_idx).
      where d.org_id = ${ctx.orgId} and d.reverses_id is null and d.created_at < ${period.end}
        and greatest(d.submitted_at, d.approved_at, d.rejected_at, d.shipped_at, d.received_at, d.posted_at, d.cancelled_at) >= ${period.start}
        ${ofWarehouse}
    ), stays as (
      select docs.type, s.status, extract(epoch from (s.left_at - s.entered_at)) / 3600.0 as hours, s.left_at
      from docs
      cross join lateral (values
        ('draft', docs.created_at, coalesce(docs.submitted_at, docs.posted_at, docs.shipped_at, docs.cancelled_at)),
        (case when docs.had_approval then 'awaiting_approval' else 'submitted' end, docs.submitted_at,
          case when docs.had_approval then coalesce(docs.approved_at, docs.rejected_at, docs.cancelled_at)
            else coalesce(docs.posted_at, docs.shipped_at, docs.cancelled_at) end),
        ('approved', docs.approved_at, coalesce(docs.posted_at, docs.shipped_at, docs.cancelled_at)),
        ('shipped', docs.shipped_at, docs.received_at)
      ) as s(status, entered_at, left_at)
      where s.entered_at is not null and s.left_at is not null
    )
    select type, status, count(*)::int as documents,
      round(avg(hours)::numeric, 2)::text as avg_hours,
      round((percentile_cont(0.9) within group (order by hours))::numeric, 2)::text as p90_hours
    from stays
    where ${inPeriod(sql`left_at`)}
    group by type, status
    order by type collate "C", array_position(array['draft', 'submitted', 'awaiting_approval', 'approved', 'shipped'], status)`);
}

/** The period's exceptions, one query; see the OpenAPI description of /metrics/dashboard. */
async function exceptionCounts(ctx: Ctx, inPeriod: (column: SQL) => SQL, ofWarehouse: SQL) {
  const [row] = await queryRows<{
    rejected: number; short_receipts: number; stocktake_variances: number; variance_lines: number; reversals: number; dead_deliveries: number;
  }>(ctx.db, sql`
    with variances as (
      select d.id, count(*) filter (where l.qty <> l.book_qty) as lines
      from documents d
      join document_lines l on l.org_id = d.org_id and l.document_id = d.id
      where d.org_id = ${ctx.orgId} and d.type = 'stocktake' and d.status = 'posted'
        and d.reverses_id is null and d.reversed_by_id is null and ${inPeriod(sql`d.posted_at`)} ${ofWarehouse}
      group by d.id
    )
    select
      (select count(*)::int from documents d
        where d.org_id = ${ctx.orgId} and d.rejected_at is not null and ${inPeriod(sql`d.rejected_at`)} ${ofWarehouse}) as rejected,
      (select count(*)::int from documents d
        where d.org_id = ${ctx.orgId} and d.type = 'transfer' and d.has_discrepancy and ${inPeriod(sql`d.received_at`)} ${ofWarehouse}) as short_receipts,
      (select count(*)::int from variances where lines > 0) as stocktake_variances,
      (select coalesce(sum(lines), 0)::int from variances) as variance_lines,
      (select count(*)::int from documents d
        where d.org_id = ${ctx.orgId} and d.reverses_id is not null and d.status = 'posted' and ${inPeriod(sql`d.posted_at`)} ${ofWarehouse}) as reversals,
      (select count(*)::int from deliveries
        where org_id = ${ctx.orgId} and status = 'dead' and ${inPeriod(sql`created_at`)}) as dead_deliveries`);
  return row!;
}
