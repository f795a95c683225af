import { getSignature } from '@wecom/crypto';
import { safeEqual } from '../lark/verify';

export type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * `msg_signature`: SHA-1 of [token, timestamp, nonce, encrypt] sorted as plain strings and joined,
 * lowercase hex (reference/wecom.md §2). Compared in constant time, before anything is decrypted.
 * WeCom mandates no timestamp window (nonces are unique within 2 h): replays are stopped by the
 * inbound dedupe key, not here.
 */
export function verifyWeComSignature(input: { token: string; timestamp: string | null; nonce: string | null; signature: string | null; encrypt: string }): Verdict {
  const { timestamp, nonce, signature } = input;
  if (!timestamp || !nonce || !signature) return { ok: false, reason: 'missing msg_signature, timestamp or nonce' };
  const expected = getSignature(input.token, timestamp, nonce, input.encrypt);
  return safeEqual(signature.toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'bad msg_signature' };
}

export { getSignature as wecomSignature };
