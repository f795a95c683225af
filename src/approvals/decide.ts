import { and, asc, eq, inArray } from 'drizzle-orm';
import { documentStatusName, formatTime } from '../../cards/format';
import { documentApprovals, documents, users, type DocumentRow } from '../../db/schema';
import { writeAudit } from '../audit';
import { roleName } from '../chat/action-policy';
import { withTransaction, type Actor, type Ctx } from '../context';
import { ConflictError, ForbiddenError } from '../errors';
import { lockDocument } from '../inventory/documents/load';
import { postDocument, shipTransfer } from '../inventory/documents/transitions';
import { enqueue } from '../outbox/enqueue';
import { askLevel } from './request-approval';
import { dueAtFor } from './service-levels';

export type Decision = { decision: 'approve'; comment?: string | undefined } | { decision: 'reject'; reason: string };

type Level = typeof documentApprovals.$inferSelect;

const rolesOf = (actor: Actor) => (actor.type === 'job' ? [] : actor.roles);
const holds = (level: Level, userId: string, roles: string[]) =>
  level.userIds.includes(userId) || level.roles.some((r) => roles.includes(r));

/**
 * One verb for approving and rejecting, used by the API and by chat cards. The document row is
 * locked, so concurrent decisions run one after the other; the level is claimed with
 * `UPDATE … WHERE status = 'pending' RETURNING`. The last approval posts the document (a transfer:
 * ships it) in the same transaction, so a failed posting leaves it awaiting approval.
 * Throws ForbiddenError (own document, not a holder of the current level, no user), ConflictError
 * (not awaiting approval, or this level already decided — naming who and when), and what posting throws.
 */
export async function decideApproval(ctx: Ctx, ref: string, decision: Decision): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc } = await lockDocument(ctx, ref);
    const levels = await ctx.db.select().from(documentApprovals)
      .where(and(eq(documentApprovals.orgId, ctx.orgId), eq(documentApprovals.documentId, doc.id))).orderBy(asc(documentApprovals.level));
    const userId = ctx.actor.type === 'job' ? null : ctx.actor.userId;
    const verb = decision.decision === 'approve' ? '批准' : '驳回';
    if (!userId) throw new ForbiddenError('only a person decides approvals: use an API key created for a user').withChat('审批要由本人用自己的账号来做');
    const current = levels.find((l) => l.status === 'pending');
    if (doc.status !== 'awaiting_approval' || !current) throw await alreadyDecided(ctx, doc, levels, verb);
    if (doc.createdByUserId === userId) {
      throw new ForbiddenError(`${doc.number} is your own document: someone else must decide it`)
        .withChat(`${doc.number} 是你自己提交的单据，要由别人审批，你不能${verb}`);
    }
    const roles = rolesOf(ctx.actor);
    if (!holds(current, userId, roles)) {
      const decidedByThem = levels.find((l) => l.decidedByUserId === userId);
      if (decidedByThem) {
        throw new ForbiddenError(`you already decided level ${decidedByThem.level} of ${doc.number}; level ${current.level} needs someone else`)
          .withChat(`${doc.number} 的第 ${decidedByThem.level} 级你已经审批过了，第 ${current.level} 级要由别人审批`);
      }
      const earlier = levels.find((l) => l.level < current.level && holds(l, userId, roles));
      if (earlier) throw await alreadyDecided(ctx, doc, [earlier], verb);
      throw new ForbiddenError(`${doc.number} is waiting for level ${current.level} (${describeLevel(current)}); you cannot decide it`)
        .withChat(`${doc.number} 正在等第 ${current.level}/${levels.length} 级审批，要由${await whoHolds(ctx, current)}审批，你不能${verb}`);
    }
    if (levels.some((l) => l.decidedByUserId === userId)) {
      throw new ForbiddenError(`you already decided an earlier level of ${doc.number}; level ${current.level} needs someone else`)
        .withChat(`${doc.number} 的前一级你已经审批过了，第 ${current.level} 级要由别人审批`);
    }

    const now = ctx.now();
    const status = decision.decision === 'approve' ? 'approved' as const : 'rejected' as const;
    const comment = decision.decision === 'approve' ? decision.comment ?? null : decision.reason;
    const claimed = await ctx.db.update(documentApprovals)
      .set({ status, decidedByUserId: userId, decidedAt: now, comment })
      .where(and(eq(documentApprovals.documentId, doc.id), eq(documentApprovals.level, current.level), eq(documentApprovals.status, 'pending')))
      .returning();
    if (claimed.length === 0) throw await alreadyDecided(ctx, doc, levels, verb);
    const next = levels.find((l) => l.level === current.level + 1);
    await writeAudit(ctx, { entity: 'document', entityId: doc.id, action: decision.decision, from: doc.status,
      to: status === 'rejected' ? 'rejected' : next ? 'awaiting_approval' : 'approved', comment: `level ${current.level}${comment ? `: ${comment}` : ''}` });

    if (status === 'rejected') {
      await setStatus(ctx, doc, { status: 'rejected', rejectedAt: now, rejectReason: decision.decision === 'reject' ? decision.reason : null, dueAt: null });
      await decided(ctx, doc, 'rejected', userId, comment);
      return { id: doc.id };
    }
    if (next) {
      await ctx.db.update(documentApprovals).set({ status: 'pending', pendingSince: now })
        .where(and(eq(documentApprovals.documentId, doc.id), eq(documentApprovals.level, next.level)));
      await setStatus(ctx, doc, { dueAt: await dueAtFor(ctx, doc.type, 'awaiting_approval', now) });
      await askLevel(ctx, doc, next.level, { roles: next.roles, users: next.userIds });
      return { id: doc.id };
    }
    await setStatus(ctx, doc, { status: 'approved', approvedAt: now, dueAt: await dueAtFor(ctx, doc.type, 'approved', now) });
    await decided(ctx, doc, 'approved', userId, comment);
    // Approved means go: the same transaction posts it, or a customer return waits for its QC.
    if (doc.type === 'transfer') await shipTransfer(ctx, doc.id);
    else if (doc.type !== 'customer_return') await postDocument(ctx, doc.id);
    return { id: doc.id };
  });
}

async function setStatus(ctx: Ctx, doc: DocumentRow, set: Partial<DocumentRow>) {
  await ctx.db.update(documents).set(set).where(and(eq(documents.orgId, ctx.orgId), eq(documents.id, doc.id)));
}

async function decided(ctx: Ctx, doc: DocumentRow, outcome: 'approved' | 'rejected', userId: string, comment: string | null) {
  await enqueue(ctx, 'approval_decided', `approval_decided:${doc.id}`, {
    documentId: doc.id, number: doc.number, type: doc.type, warehouseId: doc.warehouseId, outcome, by: userId, comment,
  });
}

const describeLevel = (l: Level) =>
  [l.roles.length ? `roles ${l.roles.join('/')}` : '', l.userIds.length ? `${l.userIds.length} named user(s)` : ''].filter(Boolean).join(' or ');

/** In chat, who may decide a level: 主管或仓库主管, or the named people. */
async function whoHolds(ctx: Ctx, level: Level): Promise<string> {
  const named = level.userIds.length
    ? (await ctx.db.select({ name: users.name }).from(users).where(inArray(users.id, level.userIds))).map((u) => u.name) : [];
  return [level.roles.map(roleName).join('或'), named.join('、')].filter(Boolean).join('或') || '指定的人';
}

/** The 409 for a decision that comes too late: who decided, and when (chat: in the org's time zone). */
async function alreadyDecided(ctx: Ctx, doc: DocumentRow, levels: Level[], verb: string): Promise<ConflictError> {
  const last = [...levels].reverse().find((l) => l.decidedAt);
  if (!last) {
    return new ConflictError(`${doc.number} is ${doc.status}; there is no approval waiting`, { number: doc.number, status: doc.status })
      .withChat(`${doc.number} 现在是「${documentStatusName(doc.status)}」，没有等待审批，不能${verb}`);
  }
  const [who] = await ctx.db.select({ name: users.name }).from(users).where(inArray(users.id, [last.decidedByUserId!]));
  const by = who?.name ?? 'someone';
  return new ConflictError(`${doc.number} level ${last.level} was already ${last.status} by ${by} at ${last.decidedAt!.toISOString()}`, {
    number: doc.number, status: doc.status, level: last.level, decision: last.status, by, byUserId: last.decidedByUserId, at: last.decidedAt!.toISOString(),
  }).withChat(`${doc.number} 第 ${last.level} 级已由 ${who?.name ?? '别人'} 在 ${formatTime(last.decidedAt!, ctx.timezone)} ${last.status === 'rejected' ? '驳回' : '批准'}，不用再处理`);
}
