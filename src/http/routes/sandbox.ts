import { and, asc, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { findSandboxMessage, listSandboxMessages } from '../../../bots/sandbox';
import type { Card } from '../../../cards/model';
import { chatBindings, warehouses } from '../../../db/schema';
import { cardPreviews } from '../../chat/card-previews';
import { handleInbound } from '../../chat/inbound';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors';
import { listUsers } from '../../people/find-users';
import { findByIdentity } from '../../people/identities';
import { mayActAs } from '../../people/permissions';
import { hasNul } from '../../lib/text';
import { apiKeyAuth, defaultScope } from '../auth';
import type { AppEnv } from '../env';
import { ctxOf } from '../request-context';

/**
 * The sandbox platform's API (README "Chat: the sandbox, …"): talk to the bot as a sandbox user of the key's
 * organisation. It is a door like the others: a key bound to a user speaks, taps and reads only as
 * that user (their 1:1 chats and the groups); an admin key may act as anyone (the demo page and the
 * test suites do). Messages and taps run through the same inbound pipeline as Lark and WeCom.
 */
export function sandboxRoutes() {
  const r = new Hono<AppEnv>();
  r.use('*', apiKeyAuth, defaultScope);
  const inbound = (path: 'messages' | 'actions') => r.post(`/${path}`, async (c) => {
    const rawBody = await c.req.text();
    const said = bodyOf(rawBody);
    await requireSpeaker(c, said.userId);
    await requireOwnChat(c, path, said);
    const platform = c.var.deps.platforms.get('sandbox', 'default', c.var.orgId)!;
    return handleInbound(c.var.deps, platform, { method: 'POST', url: c.req.url, headers: c.req.raw.headers, rawBody }, c.var.orgId);
  });
  inbound('messages');
  inbound('actions');
  r.get('/chats/:chatId/messages', async (c) => {
    const chatId = c.req.param('chatId');
    if (!(await isGroup(c, chatId))) await requireSpeaker(c, chatId);
    const messages = await listSandboxMessages(c.var.deps.database.db, c.var.orgId, chatId, c.req.query('after'));
    return c.json({ messages });
  });
  /**
   * A card the bot sent, as Lark, the WeCom app, the WeCom AI bot and the WeCom group robot would
   * get it (the real renderers): the sandbox page's platform toggle. Readable by whoever may read the chat.
   */
  r.get('/messages/:messageId/previews', async (c) => {
    const messageId = c.req.param('messageId');
    if (!uuidPattern.test(messageId)) throw ValidationError.field('messageId', 'must be the id of a sandbox message (a UUID)');
    const row = await findSandboxMessage(c.var.deps.database.db, c.var.orgId, messageId);
    if (!row) throw new NotFoundError('message', messageId);
    if (!(await isGroup(c, row.chatId))) await requireSpeaker(c, row.chatId);
    if (!row.card) throw ValidationError.field('messageId', 'this message is text, not a card: only cards have platform previews');
    return c.json({ messageId, ...cardPreviews(row.card as unknown as Card, row.id) });
  });
  /** Whom one can talk as: the organisation's users with a sandbox identity, by name; and the zone the page shows times in. */
  r.get('/people', async (c) => c.json({ people: await sandboxPeople(c), timezone: c.var.deps.config.APP_TIMEZONE }));
  /** Where one can talk: the sandbox groups bound to warehouses, then each person's 1:1 with the bot. */
  r.get('/chats', async (c) => {
    const db = c.var.deps.database.db;
    const rows = await db
      .select({ chatId: chatBindings.chatId, purposes: chatBindings.purposes, code: warehouses.code, name: warehouses.name })
      .from(chatBindings)
      .innerJoin(warehouses, and(eq(warehouses.orgId, chatBindings.orgId), eq(warehouses.id, chatBindings.warehouseId)))
      .where(and(eq(chatBindings.orgId, c.var.orgId), eq(chatBindings.platform, 'sandbox')))
      .orderBy(asc(chatBindings.chatId), asc(warehouses.code));
    const groups = new Map<string, { chatId: string; type: 'group'; warehouses: { code: string; name: string; purposes: string[] }[] }>();
    for (const row of rows) {
      const group = groups.get(row.chatId) ?? { chatId: row.chatId, type: 'group' as const, warehouses: [] };
      group.warehouses.push({ code: row.code, name: row.name, purposes: row.purposes });
      groups.set(row.chatId, group);
    }
    const direct = (await sandboxPeople(c)).flatMap((p) =>
      p.sandboxIds.map((id) => ({ chatId: id, type: 'direct' as const, user: { id: p.id, name: p.name } })));
    return c.json({ chats: [...groups.values(), ...direct] });
  });
  return r;
}

type C = Parameters<typeof ctxOf>[0];

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whom this key may talk as: everyone with a sandbox identity for an admin key, else only the key's own user. */
async function sandboxPeople(c: C) {
  return (await listUsers(ctxOf(c))).flatMap((u) => {
    const sandboxIds = u.identities.filter((i) => i.platform === 'sandbox').map((i) => i.externalId);
    return sandboxIds.length && mayActAs(c.var.actor, u.id) ? [{ id: u.id, name: u.name, roles: u.roles, warehouses: u.warehouses, sandboxIds }] : [];
  });
}

/** Whom a message or tap claims to come from, and the chat a message goes to (the platform validates the rest of the body). */
function bodyOf(rawBody: string): { userId?: string; chatId?: string } {
  try {
    const body = JSON.parse(rawBody) as Record<string, unknown>;
    const text = (key: string) => (typeof body?.[key] === 'string' ? (body[key] as string).trim() : undefined);
    return { userId: text('userId'), chatId: text('chatId') };
  } catch {
    return {};
  }
}

/**
 * One writes in one's own 1:1 chat or in a group, never into another person's 1:1 (whose chat id is
 * that person's sandbox id), as on a real platform. Taps are not held to it: a card can reach several
 * people, and whether a tap counts is the rule book's to say (the test suites tap as each role).
 */
async function requireOwnChat(c: C, path: 'messages' | 'actions', said: { userId?: string; chatId?: string }) {
  if (path !== 'messages' || said.userId === undefined) return;
  const chatId = said.chatId;
  // A chat id with a NUL cannot be looked up (Postgres stores no NUL): the platform refuses it 400, naming chatId.
  if (chatId === undefined || chatId === said.userId || hasNul(chatId)) return;
  const owner = await findByIdentity(c.var.deps.database.db, { platform: 'sandbox', app: 'default', externalId: chatId }, c.var.orgId);
  if (owner) throw new ForbiddenError(`'${chatId}' is another person's 1:1 chat with the bot: '${said.userId}' cannot write there`, { chatId });
}

/** 403 unless this key may act as the person behind the sandbox id (the rule book's `mayActAs`). */
async function requireSpeaker(c: C, sandboxId: string | undefined) {
  if (sandboxId === undefined) return; // a malformed body: the platform answers 400 for it
  const speaker = await findByIdentity(c.var.deps.database.db, { platform: 'sandbox', app: 'default', externalId: sandboxId }, c.var.orgId);
  if (!mayActAs(c.var.actor, speaker?.userId ?? null)) {
    throw new ForbiddenError(`this API key acts as its own user: it cannot speak, tap or read as sandbox user '${sandboxId}'`, { userId: sandboxId });
  }
}

/** A sandbox chat bound to a warehouse: a group anyone of the organisation may read. */
async function isGroup(c: C, chatId: string): Promise<boolean> {
  const [row] = await c.var.deps.database.db.select({ chatId: chatBindings.chatId }).from(chatBindings)
    .where(and(eq(chatBindings.orgId, c.var.orgId), eq(chatBindings.platform, 'sandbox'), eq(chatBindings.chatId, chatId))).limit(1);
  return Boolean(row);
}
