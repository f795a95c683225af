import { randomBytes } from 'node:crypto';
import { InboundRejected, type InboundEvent, type InboundRequest } from '../platform';
import { WeComDecryptError } from './crypto';
import { verifyWeComSignature } from './verify';

/**
 * The callback scheme a WeCom self-built app and an AI bot share (reference §2): GET is the URL
 * verification (the decrypted echostr), POST an envelope whose `encrypt` is opened and parsed. The
 * signature is checked in constant time before anything is decrypted; a failure is a refusal that
 * writes nothing. The callback's nonce is kept per event, since the passive reply must echo it.
 */
export function createWeComCallbacks(options: {
  token: string;
  /** Decrypts with the right receiveid (the corp id, or "" for an AI bot); throws WeComDecryptError. */
  decrypt: (encrypt: string) => string;
  /**
   * The `encrypt` of a POST body (XML for an app, JSON for an AI bot). The body is not verified yet:
   * the app's XML is scanned, not parsed; the AI bot's JSON is parsed (cheap, and bounded by the
   * webhook body limit).
   */
  encryptOf: (rawBody: string) => string;
  /** The neutral events a decrypted body means. */
  events: (plaintext: string) => InboundEvent[];
}) {
  const nonces = new WeakMap<InboundEvent, string>();

  function open(query: URLSearchParams, encrypt: string): string {
    const verdict = verifyWeComSignature({
      token: options.token, timestamp: query.get('timestamp'), nonce: query.get('nonce'), signature: query.get('msg_signature'), encrypt,
    });
    if (!verdict.ok) throw new InboundRejected(401, verdict.reason);
    try {
      return options.decrypt(encrypt);
    } catch (err) {
      if (err instanceof WeComDecryptError) throw new InboundRejected(400, `cannot decrypt the callback with the configured EncodingAESKey: ${err.message}`);
      throw err;
    }
  }

  return {
    parse({ method, url, rawBody }: InboundRequest): InboundEvent[] {
      const query = new URL(url).searchParams;
      if (method === 'GET') {
        const echostr = query.get('echostr');
        if (!echostr) throw new InboundRejected(400, 'missing echostr');
        return [{ type: 'challenge', answer: open(query, echostr) }];
      }
      const events = options.events(open(query, options.encryptOf(rawBody)));
      const nonce = query.get('nonce');
      if (nonce) for (const e of events) nonces.set(e, nonce);
      return events;
    },
    /** The nonce to sign a passive reply to this event with. */
    nonceOf: (event: InboundEvent) => nonces.get(event) ?? String(randomBytes(4).readUInt32BE()),
  };
}

/** URL verification's answer: the plaintext alone, no quotes or newline. */
export const challengeResponse = (answer: unknown) =>
  new Response(String(answer), { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' } });
