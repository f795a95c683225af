import { and, asc, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../../db/client';
import { sandboxMessages } from '../../db/schema';
import type { Card } from '../../cards/model';
import { renderSandboxCard } from '../../cards/render-sandbox';
import { hasNul, NUL_MESSAGE, storableText } from '../../src/lib/text';
import { InboundRejected, type ActionAnswer, type ChatPlatform, type InboundEvent, type Outbound, type Result, type Target } from '../platform';

/**
 * The built-in chat platform: chats live in the database, per organisation, so the sandbox page
 * and the tests can talk to the bot with no WeCom or Lark account. Cards are stored neutral and
 * rendered when read.
 */
// Ids are refused with a NUL (Postgres cannot store it); the text has its control characters dropped instead.
const storable = () => z.string().refine((s) => !hasNul(s), NUL_MESSAGE);
const MessageBody = z.object({ chatId: storable().trim().min(1).max(128), userId: storable().trim().min(1).max(128), text: z.string().max(4000).transform(storableText) });
const ActionBody = z.object({
  messageId: z.string().uuid(), actionId: storable().min(1).max(1024), userId: storable().trim().min(1).max(128),
  form: z.record(storable(), storable().max(2000)).optional(),
});

type Row = typeof sandboxMessages.$inferSelect;

export function sandboxMessageJson(row: Row) {
  return {
    id: row.id, chatId: row.chatId, at: row.createdAt.toISOString(), senderId: row.senderId,
    ...(row.text !== null ? { text: row.text } : {}),
    ...(row.card ? { card: renderSandboxCard(row.card as unknown as Card) } : {}),
    ...(row.updatedAt ? { updatedAt: row.updatedAt.toISOString() } : {}),
  };
}

export function createSandboxPlatform(db: Queryable, orgId: string, now: () => Date): ChatPlatform {
  /** `deliveryKey`: an outbox delivery's idempotency key, so a retried delivery finds the message its first attempt made. */
  const insert = async (chatId: string, senderId: string | null, message: Outbound, replyTo: string | null = null, deliveryKey: string | null = null) => {
    const [row] = await db.insert(sandboxMessages).values({
      orgId, chatId, senderId, replyTo, deliveryKey, createdAt: now(),
      ...('text' in message ? { text: message.text } : { card: message.card as unknown as Record<string, unknown> }),
    }).onConflictDoNothing().returning();
    if (row || !deliveryKey) return row!;
    return (await db.select().from(sandboxMessages).where(and(eq(sandboxMessages.orgId, orgId), eq(sandboxMessages.deliveryKey, deliveryKey))))[0]!;
  };
  const find = (messageId: string) => findSandboxMessage(db, orgId, messageId);

  return {
    platform: 'sandbox',
    app: 'default',
    perChatPerSecond: 50,
    repliesInline: true,

    /** The sandbox API's JSON: a message from `/messages`, a tap from `/actions`. The API key already said who may talk. */
    async parse(request) {
      let json: unknown;
      try {
        json = JSON.parse(request.rawBody);
      } catch {
        throw new InboundRejected(400, 'malformed JSON body');
      }
      if (request.url.endsWith('/actions')) {
        const a = ActionBody.safeParse(json);
        if (!a.success) throw new InboundRejected(400, a.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
        const message = await find(a.data.messageId);
        if (!message) throw new InboundRejected(400, `no sandbox message ${a.data.messageId}`);
        return [{ type: 'action', dedupeKey: `act:${crypto.randomUUID()}`, actionId: a.data.actionId, form: a.data.form ?? {},
          senderId: a.data.userId, chatId: message.chatId, messageId: message.id }];
      }
      const m = MessageBody.safeParse(json);
      if (!m.success) throw new InboundRejected(400, m.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      // The user's own line is part of the chat before the bot answers it.
      const own = await insert(m.data.chatId, m.data.userId, { text: m.data.text });
      return [{ type: 'message', dedupeKey: `msg:${own.id}`, messageId: own.id, chatId: m.data.chatId,
        chatType: m.data.chatId === m.data.userId ? 'p2p' : 'group', senderId: m.data.userId, text: m.data.text }];
    },

    async respond(event: InboundEvent, answer?: ActionAnswer & { replies?: Outbound[] }) {
      if (event.type === 'message') {
        const replies = [];
        for (const r of answer?.replies ?? []) replies.push(sandboxMessageJson(await insert(event.chatId, null, r, event.messageId)));
        return Response.json({ replies });
      }
      if (event.type === 'action') {
        // The tapped card changes in place, as it would on a platform: only a card that carries the button tapped
        // (a tap sent by id against another message, a group's approval card, must not overwrite it).
        const tapped = answer?.card && event.messageId ? await find(event.messageId) : undefined;
        if (answer?.card && tapped && carries(tapped.card as unknown as Card | null, event.actionId)) {
          await db.update(sandboxMessages).set({ card: answer.card as unknown as Record<string, unknown>, updatedAt: now() })
            .where(and(eq(sandboxMessages.orgId, orgId), eq(sandboxMessages.id, tapped.id)));
        }
        return Response.json({
          ...(answer?.toast ? { toast: answer.toast } : {}),
          ...(answer?.card ? { card: renderSandboxCard(answer.card) } : {}),
        });
      }
      return Response.json({});
    },

    async send(target: Target, message: Outbound, idempotencyKey: string): Promise<Result<{ messageId: string }>> {
      // A user's 1:1 chat with the bot has the user's id as its chat id.
      return { ok: true, value: { messageId: (await insert(target.id, null, message, null, idempotencyKey)).id } };
    },
    async reply(messageId: string, message: Outbound, idempotencyKey: string): Promise<Result<{ messageId: string }>> {
      const original = await find(messageId);
      if (!original) return { ok: false, error: { message: `no sandbox message ${messageId}`, retryable: false } };
      return { ok: true, value: { messageId: (await insert(original.chatId, null, message, messageId, idempotencyKey)).id } };
    },
    async update(messageId: string, card: Card): Promise<Result<void>> {
      const rows = await db.update(sandboxMessages).set({ card: card as unknown as Record<string, unknown>, updatedAt: now() })
        .where(and(eq(sandboxMessages.orgId, orgId), eq(sandboxMessages.id, messageId))).returning({ id: sandboxMessages.id });
      return rows.length ? { ok: true, value: undefined } : { ok: false, error: { message: `no sandbox message ${messageId}`, retryable: false } };
    },
  };
}

/** Whether a stored card has a button `actionId` (in its actions or a section's). */
function carries(card: Card | null, actionId: string): boolean {
  if (!card) return false;
  return [...card.actions, ...(card.sections ?? []).flatMap((s) => s.actions ?? [])].some((b) => b.id === actionId);
}

/** One stored message of the organisation (its card still neutral), or undefined. */
export async function findSandboxMessage(db: Queryable, orgId: string, messageId: string): Promise<Row | undefined> {
  return (await db.select().from(sandboxMessages).where(and(eq(sandboxMessages.orgId, orgId), eq(sandboxMessages.id, messageId))))[0];
}

/** A chat's messages in order, optionally after one (for polling). */
export async function listSandboxMessages(db: Queryable, orgId: string, chatId: string, after?: string) {
  let since = 0;
  if (after) {
    const [row] = await db.select({ seq: sandboxMessages.seq }).from(sandboxMessages)
      .where(and(eq(sandboxMessages.orgId, orgId), eq(sandboxMessages.id, after)));
    since = row?.seq ?? 0;
  }
  const rows = await db.select().from(sandboxMessages)
    .where(and(eq(sandboxMessages.orgId, orgId), eq(sandboxMessages.chatId, chatId), gt(sandboxMessages.seq, since)))
    .orderBy(asc(sandboxMessages.seq)).limit(500);
  return rows.map(sandboxMessageJson);
}
