import { describe, expect, it } from 'vitest';
import { decryptLark, encryptLark } from '../bots/lark/crypto';
import { createLarkPlatform } from '../bots/lark/index';
import { larkSignature, verifyLarkSignature, verifyLarkToken } from '../bots/lark/verify';
import { InboundRejected, type InboundRequest } from '../bots/platform';
import { larkChallenge, larkMessageEvent, larkRequest } from './fakes/lark-server';

// Vectors from reference/lark.md §2.4–2.5: the first is Lark's own, the others were made with openssl.
const PUBLISHED = { key: 'test key', ciphertext: 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=', plaintext: 'hello world' };
const CHALLENGE_PLAIN = '{"challenge":"ch-123","token":"vtok","type":"url_verification"}';
const CHALLENGE_CIPHER = 'AAECAwQFBgcICQoLDA0OD9f9wT+9irvSOo90S3ts0qZVMSk7U2BH/TtRYOiA40Bx3kNPs+iNTKCtSQ9w8WKwbUYJMWFOEfI/Ip6CV1tbMFQ=';
const SIGNED = { timestamp: '1700000000', nonce: 'abc123', body: `{"encrypt":"${CHALLENGE_CIPHER}"}`, signature: 'd9a0c55b530b1a865d3646a62178c322495141d3e8eb9e4ae099daa34175d79b' };
const at = (seconds: number) => new Date(seconds * 1000);

describe('Lark body encryption', () => {
  it("decrypts Lark's published vector", () => {
    expect(decryptLark(PUBLISHED.key, PUBLISHED.ciphertext)).toBe(PUBLISHED.plaintext);
  });

  it('encrypts a challenge exactly as the openssl-made vector, and back', () => {
    expect(encryptLark('test key', CHALLENGE_PLAIN, Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'))).toBe(CHALLENGE_CIPHER);
    expect(decryptLark('test key', CHALLENGE_CIPHER)).toBe(CHALLENGE_PLAIN);
  });

  it('refuses a wrong key and a truncated ciphertext', () => {
    expect(() => decryptLark('another key', PUBLISHED.ciphertext)).toThrow();
    expect(() => decryptLark('test key', CHALLENGE_CIPHER.slice(0, 40))).toThrow();
  });
});

describe('X-Lark-Signature', () => {
  const headers = { timestamp: SIGNED.timestamp, nonce: SIGNED.nonce, signature: SIGNED.signature };

  it('matches the signature vector', () => {
    expect(larkSignature(SIGNED.timestamp, SIGNED.nonce, 'test key', SIGNED.body)).toBe(SIGNED.signature);
    expect(verifyLarkSignature({ headers, rawBody: SIGNED.body, encryptKey: 'test key', now: at(1700000000) })).toEqual({ ok: true });
  });

  it('accepts a timestamp up to five minutes either side and refuses a stale or future one', () => {
    const check = (now: number) => verifyLarkSignature({ headers, rawBody: SIGNED.body, encryptKey: 'test key', now: at(now) }).ok;
    expect(check(1700000000 + 300)).toBe(true);
    expect(check(1700000000 - 300)).toBe(true);
    expect(check(1700000000 + 301)).toBe(false);
    expect(check(1700000000 - 301)).toBe(false);
  });

  it('refuses a changed body, another key, a changed nonce and missing headers', () => {
    const now = at(1700000000);
    expect(verifyLarkSignature({ headers, rawBody: SIGNED.body.replace('}', ' }'), encryptKey: 'test key', now }).ok).toBe(false);
    expect(verifyLarkSignature({ headers, rawBody: SIGNED.body, encryptKey: 'other key', now }).ok).toBe(false);
    expect(verifyLarkSignature({ headers: { ...headers, nonce: 'abc124' }, rawBody: SIGNED.body, encryptKey: 'test key', now }).ok).toBe(false);
    expect(verifyLarkSignature({ headers: { ...headers, signature: null }, rawBody: SIGNED.body, encryptKey: 'test key', now }).ok).toBe(false);
  });

  it('checks the verification token', () => {
    expect(verifyLarkToken('vtok', 'vtok').ok).toBe(true);
    expect(verifyLarkToken('vtok2', 'vtok').ok).toBe(false);
    expect(verifyLarkToken('', 'vtok').ok).toBe(false);
    expect(verifyLarkToken(undefined, 'vtok').ok).toBe(false);
  });
});

describe('the Lark platform refuses what Lark did not send', () => {
  const NOW = 1_750_000_000;
  const options = { app: 'default', appId: 'cli_x', appSecret: 's', verificationToken: 'vtok', domain: 'http://127.0.0.1:9', botOpenId: 'ou_bot', now: () => at(NOW) };
  const encrypted = createLarkPlatform({ ...options, encryptKey: 'ek-123' });
  const plain = createLarkPlatform(options);
  const request = (r: { headers: Record<string, string>; rawBody: string }): InboundRequest => ({ method: 'POST', url: 'http://x/webhooks/lark/default', headers: new Headers(r.headers), rawBody: r.rawBody });
  const message = larkMessageEvent({ chatId: 'oc_1', senderOpenId: 'ou_u', text: '库存 A1' });
  const refusal = async (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof InboundRejected ? e.status : e));

  it('accepts a signed, encrypted push with the right token', async () => {
    const events = await encrypted.parse(request(larkRequest({ body: message, encryptKey: 'ek-123', verificationToken: 'vtok', timestamp: String(NOW) })));
    expect(events).toMatchObject([{ type: 'message', text: '库存 A1' }]);
  });

  it('answers the challenge, encrypted and unsigned, with the plaintext challenge', async () => {
    const events = await encrypted.parse(request(larkRequest({ body: larkChallenge('ch-9'), encryptKey: 'ek-123', verificationToken: 'vtok', signed: false })));
    const res = await encrypted.respond(events[0]!);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'ch-9' });
  });

  it('refuses a challenge with a wrong token, encrypted or not', async () => {
    expect(await refusal(encrypted.parse(request(larkRequest({ body: larkChallenge('c'), encryptKey: 'ek-123', verificationToken: 'nope', signed: false }))))).toBe(401);
    expect(await refusal(plain.parse(request(larkRequest({ body: larkChallenge('c'), verificationToken: 'nope' }))))).toBe(401);
    expect(await refusal(plain.parse(request(larkRequest({ body: larkChallenge('c') }))))).toBe(401);
  });

  it('refuses a bad signature, a stale timestamp and an unsigned event', async () => {
    const good = larkRequest({ body: message, encryptKey: 'ek-123', verificationToken: 'vtok', timestamp: String(NOW) });
    expect(await refusal(encrypted.parse(request({ ...good, headers: { ...good.headers, 'x-lark-signature': '0'.repeat(64) } })))).toBe(401);
    expect(await refusal(encrypted.parse(request(larkRequest({ body: message, encryptKey: 'ek-123', verificationToken: 'vtok', timestamp: String(NOW - 301) }))))).toBe(401);
    expect(await refusal(encrypted.parse(request(larkRequest({ body: message, encryptKey: 'ek-123', verificationToken: 'vtok', signed: false }))))).toBe(401);
  });

  it('refuses a push signed with another key, and a plaintext push when a key is configured', async () => {
    expect(await refusal(encrypted.parse(request(larkRequest({ body: message, encryptKey: 'ek-other', verificationToken: 'vtok', timestamp: String(NOW) }))))).toBe(401);
    expect(await refusal(encrypted.parse(request(larkRequest({ body: message, verificationToken: 'vtok' }))))).toBe(401);
  });

  it('refuses a correctly signed body that is not a ciphertext (400), and a right ciphertext with the wrong token (401)', async () => {
    const rawBody = JSON.stringify({ encrypt: 'bm90IGEgY2lwaGVydGV4dA==' });
    const ts = String(NOW);
    const headers = { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n', 'x-lark-signature': larkSignature(ts, 'n', 'ek-123', rawBody) };
    expect(await refusal(encrypted.parse(request({ headers, rawBody })))).toBe(400);
    expect(await refusal(encrypted.parse(request(larkRequest({ body: message, encryptKey: 'ek-123', verificationToken: 'wrong', timestamp: ts }))))).toBe(401);
  });

  it('without an Encrypt Key, goes by the token alone and refuses encrypted bodies', async () => {
    expect(await plain.parse(request(larkRequest({ body: message, verificationToken: 'vtok' })))).toMatchObject([{ type: 'message' }]);
    expect(await refusal(plain.parse(request(larkRequest({ body: message, verificationToken: 'vtik' }))))).toBe(401);
    expect(await refusal(plain.parse(request(larkRequest({ body: message }))))).toBe(401);
    expect(await refusal(plain.parse(request(larkRequest({ body: message, verificationToken: 'vtok', encryptKey: 'ek-123' }))))).toBe(400);
  });

  it('refuses every push when no Verification Token is configured', async () => {
    const tokenless = createLarkPlatform({ ...options, verificationToken: undefined });
    expect(await refusal(tokenless.parse(request(larkRequest({ body: larkChallenge('c'), verificationToken: '' }))))).toBe(401);
  });

  it('refuses a body that is not JSON, or not an envelope', async () => {
    expect(await refusal(plain.parse(request({ headers: {}, rawBody: 'not json' })))).toBe(400);
    expect(await refusal(plain.parse(request({ headers: {}, rawBody: '{"hello":"world"}' })))).toBe(400);
  });
});
