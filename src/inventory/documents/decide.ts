import { and, asc, eq, inArray } from 'drizzle-orm';
import { documentApprovals, documents, users, type DocumentRow } from '../../../db/schema';
import { writeAudit } from '../../audit';
import { withTransaction, type Actor, type Ctx } from '../../context';
import { ConflictError, ForbiddenError } from '../../errors';
import { lockDocument } from './load';
import { postLocked } from './post';
import { shipLocked } from './ship';
import { startProduction } from './production-order';
import { openOrder, watchReservation } from './open-order';
import { isOrder } from '../../orders/kinds';
import { enqueue } from '../../outbox/enqueue';
import { askLevel } from '../../approvals/request-approval';
import { dueAtFor } from '../../approvals/service-levels';
import { holdsLevel, type Person } from '../../people/permissions';

export type Decision = { decision: 'approve'; comment?: string | undefined } | { decision: 'reject'; reason: string };

type Level = typeof documentApprovals.$inferSelect;

/** The person behind the actor (an API key bound to no user is none: only a person decides). */
const personAt = (actor: Actor, userId: string): Person =>
  ({ userId, roles: actor.type === 'job' ? [] : actor.roles, warehouseIds: actor.type === 'job' ? [] : actor.warehouseIds });

/** Nobody approves their own document (SPEC): one they drafted, or one they submitted for someone else. */
const isOwn = (doc: { createdByUserId: string | null; submittedByUserId: string | null }, userId: string) =>
  doc.createdByUserId === userId || doc.submittedByUserId === userId;

/**
 * Whether this person could decide the document's pending level now (pure: for offering 批准 / 驳回
 * on a card fetched by number); `decideApproval` asks the same and says why not.
 */
export function mayDecide(
  doc: { status: string; warehouseId: string; createdByUserId: string | null; submittedByUserId: string | null },
  levels: readonly Pick<Level, 'status' | 'userIds' | 'roles' | 'decidedByUserId'>[],
  person: Person,
): boolean {
  const current = levels.find((l) => l.status === 'pending');
  return doc.status === 'awaiting_approval' && current !== undefined && !isOwn(doc, person.userId)
    && holdsLevel(person, current, doc.warehouseId) && !levels.some((l) => l.decidedByUserId === person.userId);
}

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
    const { doc, lines } = await lockDocument(ctx, ref);
    const levels = await ctx.db.select().from(documentApprovals)
      .where(and(eq(documentApprovals.orgId, ctx.orgId), eq(documentApprovals.documentId, doc.id))).orderBy(asc(documentApprovals.level));
    const userId = ctx.actor.type === 'job' ? null : ctx.actor.userId;
    const verb = decision.decision;
    if (!userId) throw new ForbiddenError('only a person decides approvals: use an API key created for a user').because('not_a_person', { verb });
    const current = levels.find((l) => l.status === 'pending');
    if (doc.status !== 'awaiting_approval' || !current) throw await alreadyDecided(ctx, doc, levels, verb);
    if (isOwn(doc, userId)) {
      throw new ForbiddenError(`${doc.number} is your own document: someone else must decide it`)
        .because('own_document', { number: doc.number, verb });
    }
    const person = personAt(ctx.actor, userId);
    if (!holdsLevel(person, current, doc.warehouseId)) {
      const decidedByThem = levels.find((l) => l.decidedByUserId === userId);
      if (decidedByThem) {
        throw new ForbiddenError(`you already decided level ${decidedByThem.level} of ${doc.number}; level ${current.level} needs someone else`)
          .because('decided_a_level', { number: doc.number, decided: decidedByThem.level, level: current.level });
      }
      const earlier = levels.find((l) => l.level < current.level && holdsLevel(person, l, doc.warehouseId));
      if (earlier) throw await alreadyDecided(ctx, doc, [earlier], verb);
      throw new ForbiddenError(`${doc.number} is waiting for level ${current.level} (${describeLevel(current)}); you cannot decide it`)
        .because('not_your_level', { number: doc.number, level: current.level, levels: levels.length, roles: current.roles, names: await namesOf(ctx, current.userIds), verb });
    }
    if (levels.some((l) => l.decidedByUserId === userId)) {
      throw new ForbiddenError(`you already decided an earlier level of ${doc.number}; level ${current.level} needs someone else`)
        .because('decided_a_level', { number: doc.number, level: current.level });
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
    // Approved, a sales order reserves stock: what was available is read before it counts.
    await watchReservation(ctx, doc);
    await setStatus(ctx, doc, { status: 'approved', approvedAt: now, dueAt: await dueAtFor(ctx, doc.type, 'approved', now) });
    await decided(ctx, doc, 'approved', userId, comment);
    // Approved means go: the same transaction posts it (the approval is the authority), a production order starts, or a customer return waits for its QC.
    const approved = { ...doc, status: 'approved' as const };
    if (doc.type === 'transfer') await shipLocked(ctx, approved, lines);
    else if (doc.type === 'production') await startProduction(ctx, approved);
    else if (isOrder(doc.type)) await openOrder(ctx, { ...approved, approvedAt: now });
    else if (doc.type === 'customer_return') {
      await enqueue(ctx, 'return_submitted', `return_submitted:${doc.id}`, { documentId: doc.id, number: doc.number, type: doc.type, warehouseId: doc.warehouseId });
    } else await postLocked(ctx, approved, lines);
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

/** The names of a level's named deciders (the chat says who may decide instead). */
async function namesOf(ctx: Ctx, userIds: string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  return (await ctx.db.select({ name: users.name }).from(users).where(inArray(users.id, userIds))).map((u) => u.name);
}

/** The 409 for a decision that comes too late: who decided, and when. */
async function alreadyDecided(ctx: Ctx, doc: DocumentRow, levels: Level[], verb: 'approve' | 'reject'): Promise<ConflictError> {
  const last = [...levels].reverse().find((l) => l.decidedAt);
  if (!last) {
    return new ConflictError(`${doc.number} is ${doc.status}; there is no approval waiting`, { number: doc.number, status: doc.status })
      .because('no_approval_waiting', { number: doc.number, status: doc.status, verb });
  }
  const [who] = await ctx.db.select({ name: users.name }).from(users).where(inArray(users.id, [last.decidedByUserId!]));
  const by = who?.name ?? 'someone';
  return new ConflictError(`${doc.number} level ${last.level} was already ${last.status} by ${by} at ${last.decidedAt!.toISOString()}`, {
    number: doc.number, status: doc.status, level: last.level, decision: last.status, by, byUserId: last.decidedByUserId, at: last.decidedAt!.toISOString(),
  }).because('already_decided', { number: doc.number, level: last.level, decision: last.status, by: who?.name ?? null, at: last.decidedAt!.toISOString() });
}
