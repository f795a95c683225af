import { and, eq } from 'drizzle-orm';
import { serviceLevels, type DocumentStatus, type DocumentType } from '../../db/schema';
import { withTransaction, type Ctx } from '../context';
import { authorize } from '../people/permissions';

/**
 * How long a document may wait in a status before it is overdue, in hours. An organisation
 * overrides any of these in `service_levels`; a status not listed never falls due.
 */
export const defaultServiceLevels: { documentType: DocumentType | '*'; status: DocumentStatus; hours: number }[] = [
  { documentType: '*', status: 'awaiting_approval', hours: 4 },
  { documentType: 'issue', status: 'approved', hours: 24 },
  { documentType: 'transfer', status: 'approved', hours: 24 },
  { documentType: 'transfer', status: 'shipped', hours: 48 },
  // Submitted by someone who may not ship or post it: waiting for the warehouse's lead.
  { documentType: 'transfer', status: 'submitted', hours: 24 },
  { documentType: 'stocktake', status: 'submitted', hours: 24 },
  { documentType: 'adjustment', status: 'submitted', hours: 24 },
  { documentType: 'customer_return', status: 'submitted', hours: 24 },
  { documentType: 'customer_return', status: 'approved', hours: 24 },
  // An open sales order (发货申请) or store requisition waits for the warehouse that fills it.
  { documentType: 'sales_order', status: 'approved', hours: 24 },
  { documentType: 'requisition', status: 'approved', hours: 24 },
];

export type ServiceLevel = { documentType: string; status: string; hours: string };

/**
 * The organisation's table as `dueAtFor` applies it: its own rows over the defaults, and its row for
 * every type (`*`) of a status over every default row of that status.
 */
export async function effectiveServiceLevels(ctx: Ctx): Promise<ServiceLevel[]> {
  const own = await ctx.db.select().from(serviceLevels).where(eq(serviceLevels.orgId, ctx.orgId));
  const key = (t: string, s: string) => `${t}|${s}`;
  const everyType = new Set(own.filter((o) => o.documentType === '*').map((o) => o.status));
  const table = new Map<string, ServiceLevel>(defaultServiceLevels.filter((d) => !everyType.has(d.status))
    .map((d) => [key(d.documentType, d.status), { ...d, hours: String(d.hours) }]));
  for (const o of own) table.set(key(o.documentType, o.status), { documentType: o.documentType, status: o.status, hours: String(Number(o.hours)) });
  return [...table.values()];
}

/** The statuses in which a document waits for someone; only these can fall due. */
export const waitingStatuses: DocumentStatus[] = ['submitted', 'awaiting_approval', 'approved', 'shipped'];

/** When a document entering `status` now falls due, or null if that status has no service level. */
export async function dueAtFor(ctx: Ctx, type: DocumentType, status: DocumentStatus, from: Date): Promise<Date | null> {
  if (!waitingStatuses.includes(status)) return null;
  const own = await ctx.db.select({ documentType: serviceLevels.documentType, hours: serviceLevels.hours }).from(serviceLevels)
    .where(and(eq(serviceLevels.orgId, ctx.orgId), eq(serviceLevels.status, status)));
  const hours = own.find((o) => o.documentType === type)?.hours ?? own.find((o) => o.documentType === '*')?.hours
    ?? defaultServiceLevels.find((d) => d.documentType === type && d.status === status)?.hours
    ?? defaultServiceLevels.find((d) => d.documentType === '*' && d.status === status)?.hours;
  return hours === undefined ? null : new Date(from.getTime() + Number(hours) * 3_600_000);
}

/** Replaces the organisation's overrides (hours 0 or more; an empty list restores the defaults), all or nothing. */
export async function setServiceLevels(ctx: Ctx, levels: ServiceLevel[]): Promise<ServiceLevel[]> {
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'admin', { what: 'service_levels' });
    await tx.db.delete(serviceLevels).where(eq(serviceLevels.orgId, tx.orgId));
    if (levels.length) await tx.db.insert(serviceLevels).values(levels.map((l) => ({ orgId: tx.orgId, ...l })));
    return effectiveServiceLevels(tx);
  });
}
