import { and, asc, eq } from 'drizzle-orm';
import { auditLog, users } from '../../../db/schema';
import type { Ctx } from '../../context';

/** One step in a document's life, from the audit trail: what happened, who did it, from where. */
export type HistoryEntry = {
  at: string;
  action: string;
  from: string | null;
  to: string | null;
  /** The person's name; null when a job or an integration key (no user) acted. */
  by: string | null;
  channel: string;
  comment: string | null;
};

/**
 * A document's history in order, from the audit log (every status change writes a row there in
 * the same transaction), so the page a QR code opens shows who did what and when. Reads only.
 */
export async function documentHistory(ctx: Ctx, documentId: string): Promise<HistoryEntry[]> {
  const rows = await ctx.db
    .select({
      at: auditLog.at, action: auditLog.action, from: auditLog.fromStatus, to: auditLog.toStatus,
      by: users.name, channel: auditLog.channel, comment: auditLog.comment,
    })
    .from(auditLog)
    .leftJoin(users, and(eq(users.id, auditLog.userId), eq(users.orgId, auditLog.orgId)))
    .where(and(eq(auditLog.orgId, ctx.orgId), eq(auditLog.entity, 'document'), eq(auditLog.entityId, documentId)))
    .orderBy(asc(auditLog.at), asc(auditLog.id))
    .limit(200);
  return rows.map((r) => ({ ...r, at: r.at.toISOString(), by: r.by ?? null }));
}
