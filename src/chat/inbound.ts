import { InboundRejected, type ChatPlatform, type InboundEvent, type InboundRequest } from '../../bots/platform';
import { inboundEvents } from '../../db/schema';
import type { Deps } from '../deps';
import { DomainError } from '../errors';
import { storableText } from '../lib/text';
import { chatErrorText } from './error-text';
import { handleFresh, toastAsMessage, type Answer } from './inbound-handling';
import { recordForLater } from './inbound-queue';

/**
 * The inbound pipeline every platform shares: the raw body read once, verified, decrypted and
 * parsed by the platform; each event recorded once (a platform retry has no second effect). A
 * message whose answer goes through the outbox anyway (Lark, the WeCom app) is acknowledged as soon
 * as it is recorded and handled just after by the inbound drain (inbound-queue.ts); a click, and any
 * event on a platform that answers in the response (the sandbox, the WeCom AI bot), is handled here
 * in one transaction with its record and answered inside the platform's deadline. A refused request
 * writes nothing.
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
  // Nothing of a message's answer goes in the response unless the platform replies inline: acknowledged once recorded.
  if (event.type !== 'action' && !platform.repliesInline) {
    if (await recordForLater(db, platform, event, orgId, deps.now())) deps.nudgeInbound?.();
    else deps.log.info('duplicate inbound event', { platform: platform.platform, key: event.dedupeKey });
    return undefined;
  }
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
      const answer: Answer = { toast: { kind: 'error', text: chatErrorText(err, deps.config.APP_TIMEZONE) } };
      // The transaction rolled back (the event is not recorded either): the toast-as-message is a write of its own,
      // keyed by the event, so a retried callback that is refused again sends it once.
      if (await toastAsMessage(deps, db, platform, event, answer, orgId)) deps.nudgeDelivery?.();
      return answer;
    }
    if (err instanceof DomainError && event.type === 'message' && platform.repliesInline) return { replies: [{ text: chatErrorText(err, deps.config.APP_TIMEZONE) }] };
    throw err;
  }
}

