import { createHash, timingSafeEqual } from 'node:crypto';

/** How far `X-Lark-Request-Timestamp` (Unix seconds) may be from our clock; Lark publishes no window, this is ours. */
export const LARK_TIMESTAMP_WINDOW_SECONDS = 5 * 60;

/** `X-Lark-Signature`: plain SHA-256 (no HMAC) of timestamp + nonce + Encrypt Key + the raw body bytes, lowercase hex. */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey, 'utf8').update(rawBody, 'utf8').digest('hex');
}

/** Constant-time equality of two strings of any length: both are hashed first, so neither length nor content leaks. */
export function safeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

export type SignatureHeaders = { timestamp: string | null; nonce: string | null; signature: string | null };

export type Verdict = { ok: true } | { ok: false; reason: string };

/** The signature over the raw body and the timestamp window; only meaningful with an Encrypt Key (it is part of the hash). */
export function verifyLarkSignature(input: { headers: SignatureHeaders; rawBody: string; encryptKey: string; now: Date }): Verdict {
  const { timestamp, nonce, signature } = input.headers;
  if (!timestamp || !nonce || !signature) return { ok: false, reason: 'missing X-Lark-Request-Timestamp, -Nonce or X-Lark-Signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed X-Lark-Request-Timestamp' };
  const skew = Math.abs(Math.floor(input.now.getTime() / 1000) - Number(timestamp));
  if (skew > LARK_TIMESTAMP_WINDOW_SECONDS) return { ok: false, reason: `timestamp ${skew}s away from now` };
  const expected = larkSignature(timestamp, nonce, input.encryptKey, input.rawBody);
  return safeEqual(signature.toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'bad X-Lark-Signature' };
}

/** The Verification Token Lark echoes in every push (`token` in the challenge, `header.token` in 2.0 envelopes). */
export function verifyLarkToken(received: unknown, expected: string): Verdict {
  if (typeof received !== 'string' || received === '') return { ok: false, reason: 'missing verification token' };
  return safeEqual(received, expected) ? { ok: true } : { ok: false, reason: 'bad verification token' };
}
