import type { SendError } from '../platform';

/** The access token was refused: drop it, fetch a new one, try once more (reference §4). */
export const TOKEN_INVALID_CODES = new Set([40014, 41001, 42001]);
/** WeCom is busy (`-1`): retried. */
export const BUSY_CODES = new Set([-1]);
/** Throttled (45009 frequency, 45033 concurrency): backed off for the window, usually a minute. */
export const RATE_LIMIT_CODES = new Set([45009, 45033]);
export const RATE_LIMIT_BACKOFF_MS = 60_000;

/** What an admin reading a dead delivery needs to know, by WeCom errcode. */
const explanations: Record<number, string> = {
  40001: 'WeCom refused the app secret (check WECOM_SECRET; repeated wrong secrets can ban the IP for an hour)',
  40003: 'the WeCom userid is not valid',
  40013: 'WeCom refused the corp id (check WECOM_CORP_ID)',
  40058: 'WeCom refused the message as malformed (a field too long or a list too big)',
  42014: 'the card task_id is not valid',
  42015: 'the card was sent by another app',
  42016: 'no card with this task_id',
  43012: 'the app needs a callback URL configured before it may send cards with buttons',
  45002: 'the message is too large for WeCom',
  48002: 'the app lacks the API permission for this',
  60011: "the person is outside the app's visible scope: add them (or their department) to the app's visible range in the WeCom admin console",
  60020: "WeCom refused our server's IP: add it to the app's trusted IPs (企业可信IP) in the WeCom admin console",
  60140: 'the card can no longer be updated (its response_code was used or is older than 72 hours)',
  81013: "no recipient is valid: the userid is unknown or outside the app's visible scope (check the person's WeCom userid and the app's visible range)",
  301002: 'the access token belongs to another app (check WECOM_AGENT_ID and WECOM_SECRET)',
};

export function refusal(code: number, msg: string): SendError {
  const why = explanations[code] ?? `WeCom refused the request: ${msg || 'no message'}`;
  return { retryable: false, code: String(code), message: `${why} (WeCom errcode ${code})` };
}

/** A non-zero errcode as a SendError: throttled and busy are retried (throttled after the window), the rest explained. */
export function errcodeError(code: number, msg: string, who = 'WeCom'): SendError {
  if (RATE_LIMIT_CODES.has(code)) return { retryable: true, code: String(code), retryAfterMs: RATE_LIMIT_BACKOFF_MS, message: `${who} is throttling us (${msg})` };
  if (BUSY_CODES.has(code)) return { retryable: true, code: String(code), message: `${who} is busy (${msg})` };
  return refusal(code, msg);
}
