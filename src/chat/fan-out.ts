import { and, arrayContains, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { InboundEvent, ChatPlatform, Outbound, Target } from '../../bots/platform';
import type { Queryable } from '../../db/client';
import { chatBindings, chatIdentities, chatMessages, deliveries, users, userWarehouses, type outbox } from '../../db/schema';

type OutboxRow = typeof outbox.$inferSelect;
type NewDelivery = typeof deliveries.$inferInsert;

/** A chat binding's platform as a (platform, app) pair: bindings name the platform, apps are `default` for now. */
const bindingPlatform = (p: string) => ({ platform: p, app: 'default' });
/** A person's identity family → the platform that reaches them one to one. */
const identityTarget = (p: string) => ({ platform: p === 'wecom' ? 'wecom' : p, app: 'default' });

/** What a chat answer carries in a delivery row: a text, or a card rendered when it is sent. */
const carried = (m: Outbound) => ({
  subject: 'text' in m ? 'text' : 'card',
  body: 'text' in m ? { text: m.text } : { card: m.card as unknown as Record<string, unknown> },
});

/** Replies to a message, sent through the outbox (or, for someone with no organisation yet, with none). */
export async function enqueueReplies(db: Queryable, orgId: string | null, platform: ChatPlatform,
  event: Extract<InboundEvent, { type: 'message' }>, replies: Outbound[], now: Date) {
  if (replies.length === 0) return;
  await db.insert(deliveries).values(replies.map((r, i): NewDelivery => ({
    orgId, dedupeKey: `reply:${platform.platform}:${platform.app}:${event.messageId}:${i}`, action: 'reply',
    platform: platform.platform, app: platform.app, targetKind: 'chat', targetId: event.chatId, messageId: event.messageId,
    ...carried(r), nextAttemptAt: now, createdAt: now,
  }))).onConflictDoNothing();
}

/**
 * One message to a chat or to one person, sent through the outbox; `key` makes it once per what
 * caused it. With `inReplyTo` it is a reply to that message (e.g. a WeCom AI bot's response_url).
 */
export async function enqueueSend(db: Queryable, orgId: string | null, platform: ChatPlatform, target: Target, key: string, message: Outbound, now: Date,
  inReplyTo?: string) {
  await db.insert(deliveries).values({
    orgId, dedupeKey: `send:${platform.platform}:${platform.app}:${key}`, action: inReplyTo ? 'reply' : 'send', platform: platform.platform, app: platform.app,
    targetKind: target.kind, targetId: target.id, ...(inReplyTo ? { messageId: inReplyTo } : {}),
    ...carried(message), nextAttemptAt: now, createdAt: now,
  }).onConflictDoNothing();
}

/**
 * Turns one outbox event into deliveries, one per target: the warehouse's bound chats for the
 * event's purpose, and people one to one where the event names them. Inserted idempotently, so
 * fanning out again after a crash adds nothing.
 */
export async function fanOut(db: Queryable, row: OutboxRow, now: Date): Promise<number> {
  const p = row.payload as Record<string, unknown>;
  const base = { orgId: row.orgId, outboxId: row.id, nextAttemptAt: now, createdAt: now };
  const out: NewDelivery[] = [];
  const toChats = async (purpose: 'alerts' | 'approvals', subject: string) => {
    const chats = await db.select().from(chatBindings).where(and(eq(chatBindings.orgId, row.orgId),
      eq(chatBindings.warehouseId, String(p.warehouseId)), arrayContains(chatBindings.purposes, [purpose])));
    for (const c of chats) {
      const { platform, app } = bindingPlatform(c.platform);
      out.push({ ...base, dedupeKey: `${row.dedupeKey}|${platform}:${app}:chat:${c.chatId}`, action: 'send', platform, app,
        targetKind: 'chat', targetId: c.chatId, subject });
    }
    return chats.length;
  };
  const toPeople = async (userIds: string[], subject: string) => {
    if (userIds.length === 0) return;
    const ids = await db.select().from(chatIdentities).where(and(eq(chatIdentities.orgId, row.orgId), inArray(chatIdentities.userId, userIds)));
    for (const i of ids) {
      const { platform, app } = identityTarget(i.platform);
      out.push({ ...base, dedupeKey: `${row.dedupeKey}|${platform}:${app}:user:${i.externalId}`, action: 'send', platform, app,
        targetKind: 'user', targetId: i.externalId, subject });
    }
  };

  /** Everyone in the organisation holding one of the roles. */
  const holdersOf = async (roles: string[]) => roles.length === 0 ? [] : (await db.select({ id: users.id }).from(users)
    .where(and(eq(users.orgId, row.orgId), sql`${users.roles} && ${`{${roles.join(',')}}`}::text[]`))).map((u) => u.id);
  /** The warehouse's leads: those assigned to it, and leads assigned to no warehouse in particular. */
  const leadsOf = async (warehouseId: string) => [...new Set((await db.select({ id: users.id }).from(users)
    .leftJoin(userWarehouses, and(eq(userWarehouses.userId, users.id), eq(userWarehouses.orgId, users.orgId)))
    .where(and(eq(users.orgId, row.orgId), sql`'warehouse_lead' = any(${users.roles})`,
      or(isNull(userWarehouses.warehouseId), eq(userWarehouses.warehouseId, warehouseId))))).map((l) => l.id))];

  /** Every copy of a card shows the new state: update each message that carries the subject. */
  const updateCopies = async (subject: string) => {
    const copies = await db.select().from(chatMessages).where(and(eq(chatMessages.orgId, row.orgId), eq(chatMessages.subject, subject)));
    for (const m of copies) {
      out.push({ ...base, dedupeKey: `${row.dedupeKey}|${m.platform}:${m.app}:update:${m.messageId}`, action: 'update',
        platform: m.platform, app: m.app, targetKind: 'chat', targetId: m.targetId, messageId: m.messageId, subject: m.subject });
    }
  };

  switch (row.kind) {
    case 'approval_reminder': // a level waiting too long: the same card to the same people again
    case 'approval_requested': {
      const subject = `approval:${p.documentId}`;
      const roles = (p.roles as string[]) ?? [];
      const named = (p.users as string[]) ?? [];
      const inChats = await toChats('approvals', subject);
      // Named approvers always hear directly; role holders only when no group takes approvals.
      const holders = inChats > 0 ? [] : await holdersOf(roles);
      await toPeople([...new Set([...named, ...holders])], subject);
      break;
    }
    case 'approval_decided':
      await updateCopies(`approval:${p.documentId}`);
      break;
    case 'low_stock':
      await toChats('alerts', `alert:${p.alertId}`);
      break;
    case 'alert_changed':
      await updateCopies(`alert:${p.alertId}`);
      break;
    case 'return_submitted': {
      // QC is the warehouse lead's: the alerts group and the leads of that warehouse get the QC card.
      const subject = `qc:${p.documentId}`;
      await toChats('alerts', subject);
      await toPeople(await leadsOf(String(p.warehouseId)), subject);
      break;
    }
    case 'approval_escalated':
      // Waited too long: the next role up sees the card one to one (deciding still follows the level's rules).
      await toPeople(await holdersOf((p.roles as string[]) ?? []), `approval:${p.documentId}`);
      break;
    case 'overdue': {
      // A warehouse's overdue documents in one card: its alerts groups and leads; escalated, its supervisors.
      const subject = `overdue:${p.warehouseId}${p.escalated ? ':escalated' : ''}`;
      if (p.escalated) {
        await toPeople(await holdersOf(['supervisor']), subject);
      } else {
        await toChats('alerts', subject);
        await toPeople(await leadsOf(String(p.warehouseId)), subject);
      }
      break;
    }
    case 'document_overdue':
      await toChats('alerts', `document:${p.documentId}`);
      break;
    case 'near_expiry':
      await toChats('alerts', String(p.subject));
      break;
    case 'daily_digest': {
      // One row per bound chat (a warehouse's other digest groups have rows of their own).
      const { platform, app } = bindingPlatform(String(p.platform));
      out.push({ ...base, dedupeKey: `${row.dedupeKey}|${platform}:${app}:chat:${p.chatId}`, action: 'send', platform, app,
        targetKind: 'chat', targetId: String(p.chatId), subject: String(p.subject) });
      break;
    }
  }
  if (out.length) await db.insert(deliveries).values(out).onConflictDoNothing();
  return out.length;
}
