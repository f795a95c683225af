import { InboundRejected, type ActionAnswer, type ChatPlatform, type InboundEvent, type InboundRequest, type Outbound, type Target } from '../../bots/platform';
import { inboundEvents } from '../../db/schema';
import type { Queryable, Tx } from '../../db/client';
import type { Ctx } from '../context';
import type { Deps } from '../deps';
import { DomainError } from '../errors';
import { handleMessage, WHO_ARE_YOU } from '../conversations/handle-message';
import { parseBindCommand, storableText } from '../conversations/normalize';
import { handleAction } from './actions';
import { redeemBindCode } from './bind-codes';
import { bindOfferCard } from './bind-offer';
import { enqueueReplies, enqueueSend } from './fan-out';
import { identityPlatform, resolveSender, type ChatUser } from './identity';
import { chatErrorText } from './error-text';
import { documentUrls } from '../web/document-links';

/**
 * The inbound pipeline every platform shares: the raw body read once, verified, decrypted and
 * parsed by the platform; each event recorded once (a platform retry has no second effect); the
 * sender resolved from the verified identity; the message or click handled in one transaction;
 * the answer given inside the platform's deadline. A refused request writes nothing.
 */
export async function handleInbound(deps: Deps, platform: ChatPlatform, request: InboundRequest, orgId?: string): Promise<Response> {
  let events: InboundEvent[];
  try {
    events = await platform.parse(request);
  } catch (err) {
    if (err instanceof InboundRejected) {
      deps.log.warn('inbound refused', { platform: platform.platform, app: platform.app, reason: err.message });
      return Response.json({ error: { code: err.status === 401 ? 'unauthorized' : 'invalid_request', message: err.message } }, { status: err.status });
    }
    throw err;
  }
  // Platforms send one event a request; should one send several, the last answer is the response.
  let response: Response = Response.json({});
  for (const event of events) response = await handleEvent(deps, platform, event, orgId);
  return response;
}

export async function handleEvent(deps: Deps, platform: ChatPlatform, event: InboundEvent, orgId?: string): Promise<Response> {
  return platform.respond(event, await processEvent(deps, platform, event, orgId));
}

/**
 * Handles one event and says what to answer: the HTTP response is built from it (webhooks), or it
 * goes back over the platform's socket (Lark's long connection).
 */
export async function processEvent(deps: Deps, platform: ChatPlatform, received: InboundEvent, orgId?: string): Promise<Answer | undefined> {
  if (received.type === 'challenge' || received.type === 'ignored') return undefined;
  const event = received.type === 'message' ? { ...received, text: storableText(received.text) } : received;
  const db = deps.database.db;
  try {
    const handled = await db.transaction(async (tx) => {
      const fresh = await tx.insert(inboundEvents)
        .values({ platform: platform.platform, app: platform.app, eventKey: event.dedupeKey, kind: event.type, receivedAt: deps.now() })
        .onConflictDoNothing().returning({ key: inboundEvents.eventKey });
      if (fresh.length === 0) return { duplicate: true as const };
      return { duplicate: false as const, ...(await handleFresh(deps, tx, platform, event, orgId)) };
    });
    if (handled.duplicate) {
      deps.log.info('duplicate inbound event', { platform: platform.platform, key: event.dedupeKey });
      return event.type === 'action' ? { toast: { kind: 'info', text: '已处理' } } : undefined;
    }
    if (handled.nudge) deps.nudgeDelivery?.();
    return handled.answer;
  } catch (err) {
    // A refusal (no right, stale card, bad input) changes nothing and is told to the user.
    if (err instanceof DomainError && event.type === 'action') {
      const answer: Answer = { toast: { kind: 'error', text: chatErrorText(err) } };
      // The transaction rolled back (the event is not recorded either): the toast-as-message is a write of its own,
      // keyed by the event, so a retried callback that is refused again sends it once.
      if (await toastAsMessage(deps, db, platform, event, answer, orgId)) deps.nudgeDelivery?.();
      return answer;
    }
    if (err instanceof DomainError && event.type === 'message' && platform.repliesInline) return { replies: [{ text: chatErrorText(err) }] };
    throw err;
  }
}

type Answer = ActionAnswer & { replies?: Outbound[] };

type Handled = { answer?: Answer; nudge?: boolean };

async function handleFresh(deps: Deps, tx: Tx, platform: ChatPlatform, event: Exclude<InboundEvent, { type: 'challenge' | 'ignored' }>, orgId?: string): Promise<Handled> {
  if (event.type === 'bot_added') return offerGroupBinding(deps, tx, platform, event, orgId);
  const user = await resolveSender(tx, platform.platform, event.senderId, orgId);
  if (event.type === 'action') {
    const answer: Answer = user
      ? await handleAction(chatCtx(deps, tx, platform, event.senderId, user), event.actionId, event.form, { platform: platform.platform, chatId: event.chatId })
      : { toast: { kind: 'error', text: '请先绑定账号：找管理员要绑定码，再发「绑定 123456」给我' } };
    return { answer, nudge: await toastAsMessage(deps, tx, platform, event, answer, orgId, user ?? null) };
  }
  const place = { platform: platform.platform, chatId: event.chatId, chatType: event.chatType, userId: user?.userId ?? '' };
  const replies = user
    ? await answering(tx, (sp) => handleMessage(chatCtx(deps, sp, platform, event.senderId, user), user, place, event.text))
    : await greetStranger(deps, tx, platform, event);
  if (platform.repliesInline) return { answer: { replies } };
  const org = user?.orgId ?? (await resolveSender(tx, platform.platform, event.senderId))?.orgId;
  // Someone not bound yet is answered too ("how to bind"): their reply's delivery belongs to no organisation.
  await enqueueReplies(tx, org ?? null, platform, event, replies, deps.now());
  return { nudge: true };
}

/**
 * On a platform that cannot show a click's toast (`toastsAsMessages`), a toast that comes without a
 * card is enqueued as a text to the clicker: one to one when the click came from a 1:1 chat (no chat,
 * or the chat is the sender's own), else to the chat. Keyed by the event, so it is sent once however
 * often the platform retries the callback. Says whether anything was enqueued (delivery is then nudged).
 * `user` is the resolved sender when known (`null`: not bound); otherwise looked up here.
 */
async function toastAsMessage(deps: Deps, db: Queryable, platform: ChatPlatform, event: Extract<InboundEvent, { type: 'action' }>,
  answer: Answer, orgId?: string, user?: ChatUser | null): Promise<boolean> {
  if (!platform.toastsAsMessages || !answer.toast || answer.card) return false;
  const sender = user === undefined ? await resolveSender(db, platform.platform, event.senderId, orgId) : user;
  const target: Target = event.chatId === null || event.chatId === event.senderId
    ? { kind: 'user', id: event.senderId } : { kind: 'chat', id: event.chatId };
  // Where the platform gave a way to answer this very event later (response_url), the text goes there.
  await enqueueSend(db, sender?.orgId ?? null, platform, target, `toast:${event.dedupeKey}`, { text: answer.toast.text }, deps.now(), event.replyUrl);
  return true;
}

/** Added to a group: offer the person who added the bot (if known) to bind the group to one of their warehouses. */
async function offerGroupBinding(deps: Deps, tx: Tx, platform: ChatPlatform, event: Extract<InboundEvent, { type: 'bot_added' }>, orgId?: string): Promise<Handled> {
  const adder = event.addedBy ? await resolveSender(tx, platform.platform, event.addedBy, orgId) : undefined;
  const card = adder ? await bindOfferCard(tx, adder.orgId) : undefined;
  const message: Outbound = card ? { card } : { text: '大家好！请管理员先和我私聊绑定账号，再把这个群绑定到仓库。' };
  await enqueueSend(tx, adder?.orgId ?? null, platform, { kind: 'chat', id: event.chatId }, `joined:${event.dedupeKey}`, message, deps.now());
  return { nudge: true };
}

async function greetStranger(deps: Deps, tx: Tx, platform: ChatPlatform, event: { text: string; senderId: string }): Promise<Outbound[]> {
  const code = parseBindCommand(event.text);
  if (!code) return [{ text: WHO_ARE_YOU }];
  try {
    const bound = await redeemBindCode(tx, { code, platform: identityPlatform(platform.platform), externalId: event.senderId, now: deps.now() });
    return [{ text: `绑定成功！你好，${bound.name}。\n发「帮助」看看我能做什么。` }];
  } catch (err) {
    // A bad or spent code is an answer, not a failed push: redeeming ran in its own savepoint, the event stays recorded.
    if (err instanceof DomainError) return [{ text: chatErrorText(err) }];
    throw err;
  }
}

/**
 * A message's answer, worked out in a savepoint: a service refusal becomes the reply (and undoes
 * only its own writes), so the platform is never told to retry a message that was understood.
 */
async function answering(tx: Tx, work: (savepoint: Tx) => Promise<Outbound[]>): Promise<Outbound[]> {
  try {
    return await tx.transaction((savepoint) => work(savepoint));
  } catch (err) {
    if (err instanceof DomainError) return [{ text: chatErrorText(err) }];
    throw err;
  }
}

export function chatCtx(deps: Deps, tx: Tx, platform: ChatPlatform, externalId: string, user: ChatUser): Ctx {
  return {
    db: tx, orgId: user.orgId, now: deps.now, timezone: deps.config.APP_TIMEZONE, log: deps.log, inTransaction: true,
    actor: { type: 'chat', platform: platform.platform, externalId, userId: user.userId, roles: user.roles },
    // Links in the cards answered here; the generated secret (if it must be made) is read in this transaction.
    documentUrl: documentUrls({
      publicUrl: deps.config.PUBLIC_URL, linkSecret: deps.config.LINK_SECRET, db: deps.database.db, via: tx, orgId: user.orgId, now: deps.now,
    }),
  };
}
