import { and, arrayContains, asc, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { chatBindings, chatIdentities, chatMessages, deliveries, documentApprovals, documents, outbox, type OutboxKind } from '../../db/schema';
import { chunks } from '../lib/chunks';
import { holdersOf, leadsOf, levelHoldersAt } from '../people/recipients';
import type { OutboxEvents } from './events';

type OutboxRow = typeof outbox.$inferSelect;
type NewDelivery = typeof deliveries.$inferInsert;
type ChatBindingRow = typeof chatBindings.$inferSelect;

/**
 * What fan-out needs to know of the chat platforms, owned here and given by the delivery job: whether
 * a platform app can push a message into a chat unasked (a WeCom AI bot in webhook mode can only
 * answer). A group that cannot hear a push does not count as reaching anyone.
 */
export type Reach = { canPush(platform: string, app: string): boolean };
const everyone: Reach = { canPush: () => true };

/** A chat binding's platform as a (platform, app) pair: bindings name the platform, apps are `default` for now. */
const bindingPlatform = (p: string) => ({ platform: p, app: 'default' });
/** A person's identity (platform family, app) → the platform app that reaches them one to one. */
const identityTarget = (p: string, app: string) => ({ platform: p, app });

const payloadOf = <K extends OutboxKind>(row: OutboxRow, _kind: K) => row.payload as unknown as OutboxEvents[K];

/**
 * Turns one outbox event into deliveries, one per target: the warehouse's bound chats for the
 * event's purpose, and people one to one where the event names them or nobody else would hear it.
 * Inserted idempotently, so fanning out again after a crash adds nothing.
 */
export async function fanOut(db: Queryable, row: OutboxRow, now: Date, reach: Reach = everyone): Promise<number> {
  const batch = newBatch();
  const n = await fanOutOne(db, row, now, reach, batch);
  await insertDeliveries(db, batch);
  return n;
}

/**
 * What the events of one pass share: the chats bound per warehouse and purpose, looked up once (a
 * scan that opens 5,000 low-stock alerts makes 5,000 events for a few warehouses), and the
 * deliveries, inserted together at the end.
 */
type Batch = { chats: Map<string, Promise<{ chats: ChatBindingRow[]; dead: Set<string> }>>; out: NewDelivery[] };
const newBatch = (): Batch => ({ chats: new Map(), out: [] });

async function insertDeliveries(db: Queryable, batch: Batch) {
  for (const rows of chunks(batch.out)) await db.insert(deliveries).values(rows).onConflictDoNothing();
  batch.out = [];
}

async function fanOutOne(db: Queryable, row: OutboxRow, now: Date, reach: Reach, batch: Batch): Promise<number> {
  const base = { orgId: row.orgId, outboxId: row.id, nextAttemptAt: now, createdAt: now };
  const out: NewDelivery[] = [];

  /** The warehouse's chats bound for `purpose`; returns how many of them can actually hear it. */
  const toChats = async (warehouseId: string, purpose: 'alerts' | 'approvals', subject: string) => {
    const key = `${row.orgId}|${warehouseId}|${purpose}`;
    if (!batch.chats.has(key)) batch.chats.set(key, boundChats(db, row.orgId, warehouseId, purpose));
    const { chats, dead } = await batch.chats.get(key)!;
    let heard = 0;
    for (const c of chats) {
      const { platform, app } = bindingPlatform(c.platform);
      if (!reach.canPush(platform, app)) continue;
      out.push({ ...base, dedupeKey: `${row.dedupeKey}|${platform}:${app}:chat:${c.chatId}`, action: 'send', platform, app,
        targetKind: 'chat', targetId: c.chatId, subject });
      if (!dead.has(`${platform}:${c.chatId}`)) heard++;
    }
    return heard;
  };
  const toPeople = async (userIds: string[], subject: string) => {
    if (userIds.length === 0) return;
    const ids = await db.select().from(chatIdentities).where(and(eq(chatIdentities.orgId, row.orgId), inArray(chatIdentities.userId, userIds)));
    for (const i of ids) {
      const { platform, app } = identityTarget(i.platform, i.app);
      out.push({ ...base, dedupeKey: `${row.dedupeKey}|${platform}:${app}:user:${i.externalId}`, action: 'send', platform, app,
        targetKind: 'user', targetId: i.externalId, subject });
    }
  };
  /** Every copy of a card shows the new state: update each message that carries the subject. */
  const updateCopies = async (subject: string) => {
    const copies = await db.select().from(chatMessages).where(and(eq(chatMessages.orgId, row.orgId), eq(chatMessages.subject, subject)));
    for (const m of copies) {
      out.push({ ...base, dedupeKey: `${row.dedupeKey}|${m.platform}:${m.app}:update:${m.messageId}`, action: 'update',
        platform: m.platform, app: m.app, targetKind: 'chat', targetId: m.targetId, messageId: m.messageId, subject: m.subject });
    }
  };
  /** One bound chat, named by the event itself (a digest, a close), when its platform can push to it. */
  const toBoundChat = (bindingPlatformName: string, chatId: string, subject: string) => {
    const { platform, app } = bindingPlatform(bindingPlatformName);
    if (!reach.canPush(platform, app)) return;
    out.push({ ...base, dedupeKey: `${row.dedupeKey}|${platform}:${app}:chat:${chatId}`, action: 'send', platform, app,
      targetKind: 'chat', targetId: chatId, subject });
  };
  /** The warehouse's alerts chats and leads; with neither to hear it, its supervisors. */
  const toWarehouseLeads = async (warehouseId: string, subject: string) => {
    const heard = await toChats(warehouseId, 'alerts', subject);
    const leads = await leadsOf(db, row.orgId, warehouseId);
    await toPeople(heard === 0 && leads.length === 0 ? await holdersOf(db, row.orgId, ['supervisor']) : leads, subject);
  };
  /** Whoever asked for the document hears how it went, one to one (nobody else speaks for them). */
  const toRequester = async (documentId: string, subject: string) => {
    const [doc] = await db.select({ by: documents.createdByUserId }).from(documents).where(and(eq(documents.orgId, row.orgId), eq(documents.id, documentId)));
    if (doc?.by) await toPeople([doc.by], subject);
  };

  switch (row.kind) {
    case 'approval_reminder': // a level waiting too long: the same card to the same people again
    case 'approval_requested': {
      const p = payloadOf(row, 'approval_requested');
      const subject = `approval:${p.documentId}`;
      // A reminder the job queued just before the level was decided reminds nobody (the decision updates the copies).
      if (row.kind === 'approval_reminder' && !(await levelPending(db, row.orgId, p.documentId, p.level))) break;
      // A later level: the copies already out show the earlier level approved (and who did) before this level's go out.
      if (p.level > 1) await updateCopies(subject);
      const heard = await toChats(p.warehouseId, 'approvals', subject);
      // Named approvers always hear directly; role holders when no group that takes approvals can hear it.
      const holders = heard > 0 ? [] : await levelHoldersAt(db, row.orgId, p.warehouseId, p.roles ?? []);
      await toPeople([...new Set([...(p.users ?? []), ...holders])], subject);
      break;
    }
    case 'approval_decided': {
      // Every copy shows the outcome, and the requester hears it (a rejection with its reason) one to one.
      const subject = `approval:${payloadOf(row, 'approval_decided').documentId}`;
      await updateCopies(subject);
      await toRequester(payloadOf(row, 'approval_decided').documentId, subject);
      break;
    }
    case 'transfer_shipped': {
      // The destination confirms what arrives: its group; when no group hears it, its leads and store
      // managers one to one; with none of them, the supervisors.
      const p = payloadOf(row, 'transfer_shipped');
      const subject = `receipt:${p.documentId}`;
      if (await toChats(p.toWarehouseId, 'alerts', subject) > 0) break;
      const receivers = await leadsOf(db, row.orgId, p.toWarehouseId, ['warehouse_lead', 'store_manager']);
      await toPeople(receivers.length ? receivers : await holdersOf(db, row.orgId, ['supervisor']), subject);
      break;
    }
    case 'document_done': {
      const p = payloadOf(row, 'document_done');
      if (p.status === 'received') await updateCopies(`receipt:${p.documentId}`);
      if (p.requestedBy && p.requestedBy !== p.by) await toPeople([p.requestedBy], `document:${p.documentId}`);
      break;
    }
    case 'low_stock': {
      const p = payloadOf(row, 'low_stock');
      await toChats(p.warehouseId, 'alerts', `alert:${p.alertId}`);
      break;
    }
    case 'alert_changed':
      await updateCopies(`alert:${payloadOf(row, 'alert_changed').alertId}`);
      break;
    case 'return_submitted': {
      // QC is the warehouse lead's: the alerts group and the leads of that warehouse get the QC card.
      const p = payloadOf(row, 'return_submitted');
      await toWarehouseLeads(p.warehouseId, `qc:${p.documentId}`);
      break;
    }
    case 'document_waiting': {
      const p = payloadOf(row, 'document_waiting');
      await toWarehouseLeads(p.warehouseId, `document:${p.documentId}`);
      break;
    }
    case 'approval_escalated': {
      // Waited too long: the next role up sees the card one to one (deciding still follows the level's rules).
      const p = payloadOf(row, 'approval_escalated');
      await toPeople(await holdersOf(db, row.orgId, p.roles ?? []), `approval:${p.documentId}`);
      break;
    }
    case 'overdue': {
      // A warehouse's overdue documents in one card: its alerts groups and leads (or its supervisors); escalated, the supervisors.
      const p = payloadOf(row, 'overdue');
      const subject = `overdue:${p.warehouseId}${p.escalated ? ':escalated' : ''}`;
      if (p.escalated) await toPeople(await holdersOf(db, row.orgId, ['supervisor']), subject);
      else await toWarehouseLeads(p.warehouseId, subject);
      break;
    }
    case 'document_overdue': {
      const p = payloadOf(row, 'document_overdue');
      await toChats(p.warehouseId, 'alerts', `document:${p.documentId}`);
      break;
    }
    case 'near_expiry': {
      const p = payloadOf(row, 'near_expiry');
      await toChats(p.warehouseId, 'alerts', p.subject);
      break;
    }
    case 'daily_digest': {
      // One event per bound chat (a warehouse's other digest groups have events of their own).
      const p = payloadOf(row, 'daily_digest');
      toBoundChat(p.platform, p.chatId, p.subject);
      break;
    }
    case 'production_completed': {
      // What came in, at what unit cost: the output warehouse's group (as its alerts and notices are).
      const p = payloadOf(row, 'production_completed');
      await toChats(p.toWarehouseId, 'alerts', `completion:${p.completionId}`);
      break;
    }
    case 'weekly_requisition': {
      const p = payloadOf(row, 'weekly_requisition');
      await toChats(p.warehouseId, 'alerts', `weekly_requisition:${p.warehouseId}:${p.week}`);
      break;
    }
    case 'order_opened': {
      // A sales order or requisition to fill: the filling warehouse's group and leads get its card with the one-tap button.
      const p = payloadOf(row, 'order_opened');
      await toWarehouseLeads(p.warehouseId, `order:${p.documentId}`);
      break;
    }
    case 'order_changed':
      await updateCopies(`order:${payloadOf(row, 'order_changed').documentId}`);
      break;
    case 'period_closed': {
      // The close is the organisation's, not a warehouse's: every chat bound for digest hears it once.
      const p = payloadOf(row, 'period_closed');
      const chats = await db.selectDistinctOn([chatBindings.platform, chatBindings.chatId], { platform: chatBindings.platform, chatId: chatBindings.chatId })
        .from(chatBindings).where(and(eq(chatBindings.orgId, row.orgId), arrayContains(chatBindings.purposes, ['digest'])))
        .orderBy(chatBindings.platform, chatBindings.chatId);
      for (const c of chats) toBoundChat(c.platform, c.chatId, `cost_close:${p.closeId}`);
      break;
    }
  }
  batch.out.push(...out);
  return out.length;
}

async function boundChats(db: Queryable, orgId: string, warehouseId: string, purpose: 'alerts' | 'approvals') {
  const chats = await db.select().from(chatBindings).where(and(eq(chatBindings.orgId, orgId),
    eq(chatBindings.warehouseId, warehouseId), arrayContains(chatBindings.purposes, [purpose])));
  return { chats, dead: await deadChats(db, orgId, chats.map((c) => c.chatId)) };
}

/**
 * Chats whose most recent delivery died (the bot was removed, the robot key revoked): a card sent
 * there is still tried, but nobody can be counted on to see it.
 */
async function deadChats(db: Queryable, orgId: string, chatIds: string[]): Promise<Set<string>> {
  if (chatIds.length === 0) return new Set();
  const rows = await db.selectDistinctOn([deliveries.platform, deliveries.targetId], { platform: deliveries.platform, chatId: deliveries.targetId, status: deliveries.status })
    .from(deliveries)
    .where(and(eq(deliveries.orgId, orgId), eq(deliveries.targetKind, 'chat'), inArray(deliveries.targetId, chatIds), sql`${deliveries.status} <> 'pending'`))
    .orderBy(deliveries.platform, deliveries.targetId, desc(deliveries.id));
  return new Set(rows.filter((r) => r.status === 'dead').map((r) => `${r.platform}:${r.chatId}`));
}

/** Fans out the outbox events that are due, under `FOR UPDATE SKIP LOCKED` (several instances share the work). */
export async function fanOutPending(db: Queryable, now: Date, reach: Reach = everyone): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(outbox).where(and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)))
      .orderBy(asc(outbox.id)).limit(100).for('update', { skipLocked: true });
    let n = 0;
    const batch = newBatch();
    for (const row of rows) n += await fanOutOne(tx, row, now, reach, batch);
    await insertDeliveries(tx, batch);
    if (rows.length) {
      await tx.update(outbox).set({ status: 'sent', sentAt: now }).where(inArray(outbox.id, rows.map((r) => r.id)));
    }
    return n;
  });
}

/** Whether a document's approval level still waits for a decision. */
async function levelPending(db: Queryable, orgId: string, documentId: string, level: number): Promise<boolean> {
  const [row] = await db.select({ status: documentApprovals.status }).from(documentApprovals)
    .where(and(eq(documentApprovals.orgId, orgId), eq(documentApprovals.documentId, documentId), eq(documentApprovals.level, level)));
  return row?.status === 'pending';
}
