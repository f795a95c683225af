import { auditLog } from '../db/schema';
import { actorRefOf, channelOf, userIdOf, type Ctx } from './context';

export type AuditEntry = {
  entity: string;
  entityId: string;
  action: string;
  from?: string | null;
  to?: string | null;
  comment?: string | null;
};

/**
 * One row per status change or master-data write: who, from where, from → to, when, why.
 * Written in the caller's transaction, so a rolled-back change leaves no trace.
 */
export async function writeAudit(ctx: Ctx, entry: AuditEntry): Promise<void> {
  const row = {
    orgId: ctx.orgId,
    entity: entry.entity,
    entityId: entry.entityId,
    action: entry.action,
    fromStatus: entry.from ?? null,
    toStatus: entry.to ?? null,
    channel: channelOf(ctx.actor),
    userId: userIdOf(ctx.actor),
    actorRef: actorRefOf(ctx.actor),
    comment: entry.comment ?? null,
    at: ctx.now(),
  };
  // Inside withTransaction the row waits for the transaction's others: one insert before the commit.
  if (ctx.audit) ctx.audit.push(row);
  else await ctx.db.insert(auditLog).values(row);
}
