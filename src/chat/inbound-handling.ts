import type { ActionAnswer, ChatPlatform, InboundEvent, Outbound, Target } from '../../bots/platform';
import type { Queryable, Tx } from '../../db/client';
import type { Ctx } from '../context';
import type { Deps } from '../deps';
import { DomainError } from '../errors';
import { sqlState } from '../../db/sqlstate';
import { handleMessage, WHO_ARE_YOU } from './conversations/handle-message';
import { parseBindCommand } from './conversations/normalize';
import { handleAction } from './actions';
import { redeemBindCode } from '../people/bind-codes';
import { bindOfferCard } from './cards/bind-offer';
import { enqueueReplies, enqueueSend } from './deliveries';
import { identityPlatform, resolveSender, type ChatUser } from './identity';
import { chatErrorText } from './error-text';
import { documentUrls } from '../web/document-links';

export type Answer = ActionAnswer & { replies?: Outbound[] };

/** The answer for the HTTP response (clicks, inline platforms), and whether the outbox got rows to send. */
export type Handled = { answer?: Answer; nudge?: boolean };

/** The events that are handled; challenges and ignored ones never get this far. */
export type HandledEvent = Exclude<InboundEvent, { type: 'challenge' | 'ignored' }>;

/**
 * What an event means once it is recorded for the first time: the sender resolved from the verified
 * identity, a message understood and answered, a click decided, a new group offered a binding. Runs
 * inside the caller's transaction — the request's (clicks, inline platforms) or the inbound drain's
 * (messages answered through the outbox) — which also records the event as handled.
 */
export async function handleFresh(deps: Deps, tx: Tx, platform: ChatPlatform, event: HandledEvent, orgId?: string): Promise<Handled> {
  if (event.type === 'bot_added') return offerGroupBinding(deps, tx, platform, event, orgId);
  const user = await resolveSender(tx, platform, event.senderId, orgId);
  if (event.type === 'action') {
    const answer: Answer = user
      ? await handleAction(chatCtx(deps, tx, platform, event.senderId, user), event.actionId, event.form, { platform: platform.platform, chatId: event.chatId })
      : { toast: { kind: 'error', text: '请先绑定账号：找管理员要绑定码，再发「绑定 123456」给我' } };
    return { answer, nudge: await toastAsMessage(deps, tx, platform, event, answer, orgId, user ?? null) };
  }
  const place = { platform: platform.platform, chatId: event.chatId, chatType: event.chatType, userId: user?.userId ?? '' };
  const replies = user
    ? await answering(tx, deps.config.APP_TIMEZONE, (sp) => handleMessage(chatCtx(deps, sp, platform, event.senderId, user), user, place, event.text))
    : await greetStranger(deps, tx, platform, event, orgId);
  if (platform.repliesInline) return { answer: { replies } };
  const org = user?.orgId ?? (await resolveSender(tx, platform, event.senderId))?.orgId;
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
export async function toastAsMessage(deps: Deps, db: Queryable, platform: ChatPlatform, event: Extract<InboundEvent, { type: 'action' }>,
  answer: Answer, orgId?: string, user?: ChatUser | null): Promise<boolean> {
  if (!platform.toastsAsMessages || !answer.toast || answer.card) return false;
  const sender = user === undefined ? await resolveSender(db, platform, event.senderId, orgId) : user;
  const target: Target = event.chatId === null || event.chatId === event.senderId
    ? { kind: 'user', id: event.senderId } : { kind: 'chat', id: event.chatId };
  // Where the platform gave a way to answer this very event later (response_url), the text goes there.
  await enqueueSend(db, sender?.orgId ?? null, platform, target, `toast:${event.dedupeKey}`, { text: answer.toast.text }, deps.now(), event.replyUrl);
  return true;
}

/** Added to a group: offer the person who added the bot (if known) to bind the group to one of their warehouses. */
async function offerGroupBinding(deps: Deps, tx: Tx, platform: ChatPlatform, event: Extract<InboundEvent, { type: 'bot_added' }>, orgId?: string): Promise<Handled> {
  const adder = event.addedBy ? await resolveSender(tx, platform, event.addedBy, orgId) : undefined;
  const card = adder ? await bindOfferCard(tx, adder.orgId) : undefined;
  const message: Outbound = card ? { card } : { text: '大家好！请管理员先和我私聊绑定账号，再把这个群绑定到仓库。' };
  await enqueueSend(tx, adder?.orgId ?? null, platform, { kind: 'chat', id: event.chatId }, `joined:${event.dedupeKey}`, message, deps.now());
  return { nudge: true };
}

async function greetStranger(deps: Deps, tx: Tx, platform: ChatPlatform, event: { text: string; senderId: string }, orgId?: string): Promise<Outbound[]> {
  const code = parseBindCommand(event.text);
  if (!code) return [{ text: WHO_ARE_YOU }];
  try {
    const bound = await redeemBindCode(tx, { code, platform: identityPlatform(platform.platform), app: platform.app, externalId: event.senderId, now: deps.now(), orgId });
    return [{ text: `绑定成功！你好，${bound.name}。\n发「帮助」看看我能做什么。` }];
  } catch (err) {
    // A bad or spent code is an answer, not a failed push: redeeming ran in its own savepoint, the event stays recorded.
    if (err instanceof DomainError) return [{ text: chatErrorText(err, deps.config.APP_TIMEZONE) }];
    throw err;
  }
}

/**
 * A message's answer, worked out in a savepoint: a service refusal becomes the reply (and undoes
 * only its own writes), so the platform is never told to retry a message that was understood.
 */
async function answering(tx: Tx, timezone: string, work: (savepoint: Tx) => Promise<Outbound[]>): Promise<Outbound[]> {
  try {
    return await tx.transaction((savepoint) => work(savepoint));
  } catch (err) {
    if (err instanceof DomainError) return [{ text: chatErrorText(err, timezone) }];
    // A number past what a column holds, from a path that did not bound it first: an answer too, never a held chat.
    if (sqlState(err) === '22003') return [{ text: '这个数字太大了，存不下。请检查数量和单价。' }];
    throw err;
  }
}

export function chatCtx(deps: Deps, tx: Tx, platform: ChatPlatform, externalId: string, user: ChatUser): Ctx {
  return {
    db: tx, orgId: user.orgId, now: deps.now, timezone: deps.config.APP_TIMEZONE, log: deps.log, inTransaction: true,
    outside: deps.database.outside,
    actor: { type: 'chat', platform: platform.platform, externalId, userId: user.userId, roles: user.roles, warehouseIds: user.warehouseIds },
    // Links in the cards answered here; the generated secret (if it must be made) is read in this transaction.
    documentUrl: documentUrls({
      publicUrl: deps.config.PUBLIC_URL, linkSecret: deps.config.LINK_SECRET, db: deps.database.db, via: tx, orgId: user.orgId, now: deps.now,
    }),
  };
}
