import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptWeCom, encryptWeCom, WeComDecryptError } from '../bots/wecom/crypto';
import { toWeComEvents } from '../bots/wecom/parse';
import { verifyWeComSignature } from '../bots/wecom/verify';
import { queryRows } from '../db/client';
import { createTestApp, type TestApp } from './harness';

/**
 * The two published WXBizMsgCrypt vectors (reference/wecom.md §2): the official python sample (A)
 * and php sample (B). Each verifies and decrypts directly and through GET|POST /webhooks/wecom/default.
 */
const vectors = [
  {
    name: 'A (python sample)',
    token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo',
    aesKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt',
    corpId: 'ww1436e0e65a779aee',
    get: { msg_signature: '012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb', timestamp: '1476416373', nonce: '47744683', echostr: 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==' },
    echo: '1288432023552776189',
    post: {
      msg_signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e', timestamp: '1476422779', nonce: '1597212914',
      encrypt: 'Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+',
      agentId: '1000002',
    },
    plaintext: '<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>',
    message: { from: 'chenjiashun', text: '你好', msgId: '1456453720' },
  },
  {
    name: 'B (php sample)',
    token: 'QDG6eK',
    aesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
    corpId: 'wx5823bf96d3bd56c7',
    get: { msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', timestamp: '1409659589', nonce: '263014780', echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==' },
    echo: '1616140317555161061',
    post: {
      msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149',
      encrypt: 'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
      agentId: '218',
    },
    plaintext: '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
    message: { from: 'mycreate', text: 'hello', msgId: '4561255354251345929' },
  },
];

describe.each(vectors)('WeCom crypto, published vector $name', (v) => {
  it('verifies the signatures and decrypts echostr and Encrypt', () => {
    expect(verifyWeComSignature({ token: v.token, timestamp: v.get.timestamp, nonce: v.get.nonce, signature: v.get.msg_signature, encrypt: v.get.echostr })).toEqual({ ok: true });
    expect(verifyWeComSignature({ token: v.token, timestamp: v.post.timestamp, nonce: v.post.nonce, signature: v.post.msg_signature, encrypt: v.post.encrypt })).toEqual({ ok: true });
    expect(decryptWeCom(v.aesKey, v.get.echostr, v.corpId)).toBe(v.echo);
    expect(decryptWeCom(v.aesKey, v.post.encrypt, v.corpId)).toBe(v.plaintext);
    expect(toWeComEvents(v.plaintext)).toEqual([{
      type: 'message', dedupeKey: `msg:${v.message.msgId}`, messageId: `${v.message.from}/${v.message.msgId}`, chatId: v.message.from,
      chatType: 'p2p', senderId: v.message.from, text: v.message.text,
    }]);
  });

  it('refuses a tampered signature, another corp id, another key', () => {
    const bad = v.get.msg_signature.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(verifyWeComSignature({ token: v.token, timestamp: v.get.timestamp, nonce: v.get.nonce, signature: bad, encrypt: v.get.echostr })).toEqual({ ok: false, reason: 'bad msg_signature' });
    expect(verifyWeComSignature({ token: v.token, timestamp: v.get.timestamp, nonce: null, signature: v.get.msg_signature, encrypt: v.get.echostr }).ok).toBe(false);
    expect(() => decryptWeCom(v.aesKey, v.get.echostr, 'ww-someone-else')).toThrow(WeComDecryptError);
    const other = vectors.find((o) => o !== v)!;
    expect(() => decryptWeCom(other.aesKey, v.post.encrypt, v.corpId)).toThrow(WeComDecryptError);
    expect(() => decryptWeCom(v.aesKey, 'bm90IGEgY2lwaGVydGV4dA==', v.corpId)).toThrow(WeComDecryptError);
  });

  describe('through the HTTP route', () => {
    let h: TestApp;
    beforeAll(async () => {
      h = await createTestApp({ config: { WECOM_CORP_ID: v.corpId, WECOM_AGENT_ID: v.post.agentId, WECOM_SECRET: 's', WECOM_TOKEN: v.token, WECOM_ENCODING_AES_KEY: v.aesKey, WECOM_API_BASE: 'http://127.0.0.1:9' } });
    });
    afterAll(async () => h?.close());

    it('GET answers the URL verification with the plaintext echo only', async () => {
      const res = await h.app.request(`/webhooks/wecom/default?${new URLSearchParams(v.get)}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(v.echo);
      const forged = await h.app.request(`/webhooks/wecom/default?${new URLSearchParams({ ...v.get, nonce: '1' })}`);
      expect(forged.status).toBe(401);
    });

    it('POST accepts the vector message once, with an empty 200', async () => {
      const query = new URLSearchParams({ msg_signature: v.post.msg_signature, timestamp: v.post.timestamp, nonce: v.post.nonce });
      const body = `<xml><ToUserName><![CDATA[${v.corpId}]]></ToUserName><AgentID><![CDATA[${v.post.agentId}]]></AgentID><Encrypt><![CDATA[${v.post.encrypt}]]></Encrypt></xml>`;
      const res = await h.app.request(`/webhooks/wecom/default?${query}`, { method: 'POST', body, headers: { 'content-type': 'text/xml' } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
      const rows = await queryRows<{ event_key: string }>(h.db, sql`select event_key from inbound_events where platform = 'wecom'`);
      expect(rows.map((r) => r.event_key)).toEqual([`msg:${v.message.msgId}`]);
    });
  });
});

describe('WeCom crypto round trip', () => {
  it('re-encrypting vector A with its random reproduces the echostr exactly', () => {
    const a = vectors[0]!;
    expect(encryptWeCom(a.aesKey, a.echo, a.corpId, Buffer.from('8908d0ff052afda0', 'ascii'))).toBe(a.get.echostr);
  });
});
