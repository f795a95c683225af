import type { SendError } from '../platform';

/** Token rejected by the API: refresh once and retry. 99991663 tenant token; the others are the same complaint in other words. */
export const TOKEN_INVALID_CODES = new Set([99991661, 99991663, 99991664, 99991668, 99991671]);
/** Throttled: the gateway (99991400, usually HTTP 429) or the IM limit of 5 a second per chat (230020). */
export const RATE_LIMIT_CODES = new Set([99991400, 230020]);

/** What an admin reading a dead delivery needs to know, by Lark code. */
const explanations: Record<number, string> = {
  230001: 'Lark refused the message as malformed',
  230002: 'the bot is not in this chat: add the bot to the group again or unbind the chat',
  230006: "the app's bot capability is not enabled in the Lark developer console",
  230011: 'the message was recalled',
  230013: "the user is outside the app's availability scope",
  230017: 'the bot did not send this message, so it cannot change it',
  230018: "the group's settings do not let the bot speak",
  230025: 'the message is too long for Lark (cards at most 30 KB)',
  230027: 'the app lacks the permission for this (or the chat is an external group)',
  230028: "Lark's data-loss prevention blocked the message",
  230029: 'the user has left the company',
  230031: 'the card is older than 14 days and can no longer be updated',
  230034: 'the chat or user id is not valid for this app',
  230035: 'the bot may not send here (muted or blocked)',
  230053: 'the user has stopped the bot',
  230099: 'Lark rejected the card content',
  230110: 'the message was deleted',
  232009: 'the chat was disbanded',
  200000: 'the card was recalled',
  300030: 'the card-update token has expired (30 minutes)',
  300040: 'the card-update token was already used twice',
};

export function refusal(code: number, msg: string, status: number): SendError {
  const why = explanations[code] ?? `Lark refused the request: ${msg || 'no message'}`;
  return { retryable: false, code: String(code), message: `${why} (Lark code ${code}, HTTP ${status})` };
}
