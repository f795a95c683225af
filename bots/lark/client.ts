import { createHash } from 'node:crypto';
import { exchangeJson } from '../http-json';
import type { Result, SendError } from '../platform';
import { createTokenCache } from '../token-cache';
import { RATE_LIMIT_CODES, refusal, TOKEN_INVALID_CODES } from './errors';

export type LarkClientOptions = {
  appId: string;
  appSecret: string;
  /** `https://open.feishu.cn`, `https://open.larksuite.com` or a fake's URL; no trailing slash. */
  baseUrl: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; the token's expiry is judged by it. */
  now?: () => number;
  timeoutMs?: number;
};

export type LarkMessage = { msgType: 'text' | 'interactive'; content: string };
export type LarkClient = ReturnType<typeof createLarkClient>;

/** Refetch this long before Lark's `expire`, so a token never dies in flight (the SDK uses 3 minutes too). */
const TOKEN_MARGIN_MS = 3 * 60_000;
const UUID_MAX = 50;

/** Lark's `uuid` (at most 50 characters): the key itself when it fits, else a hash of it. */
export function larkUuid(key: string): string {
  return /^[\x21-\x7e]{1,50}$/.test(key) ? key : createHash('sha256').update(key).digest('hex').slice(0, UUID_MAX);
}

/**
 * Outbound calls over fetch rather than the SDK's Client: the SDK's token cache has no single-flight and
 * no refresh when a token is rejected, it throws axios errors for normal traffic, and it does not run on Workers.
 */
export function createLarkClient(options: LarkClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  /** The cached token, or one shared fetch of a new one however many callers ask at once. */
  const tokens = createTokenCache(fetchToken, now);
  const tenantToken = () => tokens.get();

  async function fetchToken(): Promise<Result<{ token: string; expiresAt: number }>> {
    const answer = await exchange('POST', '/open-apis/auth/v3/tenant_access_token/internal', { app_id: options.appId, app_secret: options.appSecret });
    if (!answer.ok) return answer;
    const { status, json } = answer.value;
    const token = json.tenant_access_token;
    if (status !== 200 || json.code !== 0 || typeof token !== 'string' || !token) {
      const failure = classify(answer.value);
      if (failure.retryable) return { ok: false, error: failure };
      return { ok: false, error: { ...failure, message: `Lark refused the app credentials (check LARK_APP_ID and LARK_APP_SECRET): ${json.msg ?? 'no message'} (Lark code ${json.code}, HTTP ${status})` } };
    }
    const expire = typeof json.expire === 'number' ? json.expire : 7200;
    return { ok: true, value: { token, expiresAt: now() + expire * 1000 - TOKEN_MARGIN_MS } };
  }

  /** One API call with the tenant token; a rejected token is dropped, refetched and the call tried once more. */
  async function call(method: string, path: string, body?: unknown): Promise<Result<Record<string, any>>> {
    for (let attempt = 1; ; attempt++) {
      const token = await tenantToken();
      if (!token.ok) return token;
      const answer = await exchange(method, path, body, token.value);
      if (!answer.ok) return answer;
      const { status, json } = answer.value;
      if (TOKEN_INVALID_CODES.has(json.code)) {
        // Only drop the token this call used: twenty calls rejected at once must not refetch twenty times.
        tokens.drop(token.value);
        if (attempt === 1) continue;
        return { ok: false, error: { retryable: true, code: String(json.code), message: `Lark rejected a freshly fetched tenant token: ${json.msg ?? ''}` } };
      }
      if (status >= 200 && status < 300 && json.code === 0) return { ok: true, value: json };
      return { ok: false, error: classify(answer.value) };
    }
  }

  type Answer = { status: number; headers: Headers; json: Record<string, any> };
  const exchange = (method: string, path: string, body: unknown, token?: string): Promise<Result<Answer>> =>
    exchangeJson(doFetch, 'Lark', {
      url: `${options.baseUrl}${path}`, method, body, timeoutMs,
      // Lark's token endpoint also wants the JSON content type on a body-less call.
      headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    });

  function classify({ status, headers, json }: Answer): SendError {
    const code = typeof json.code === 'number' ? json.code : undefined;
    if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
      const reset = Number(headers.get('x-ogw-ratelimit-reset'));
      const retryAfterMs = headers.has('x-ogw-ratelimit-reset') && Number.isFinite(reset) && reset >= 0 ? reset * 1000 : undefined;
      return { retryable: true, code: String(code ?? status), message: `Lark is throttling the bot (${json.msg ?? `HTTP ${status}`})`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
    }
    if (status >= 500) return { retryable: true, code: String(code ?? `http_${status}`), message: `Lark failed with HTTP ${status}${json.msg ? `: ${json.msg}` : ''}` };
    if (code === undefined) return { retryable: false, code: `http_${status}`, message: `Lark answered HTTP ${status} without a code` };
    return refusal(code, String(json.msg ?? ''), status);
  }

  const messageId = (r: Result<Record<string, any>>): Result<{ messageId: string }> => {
    if (!r.ok) return r;
    const id = r.value.data?.message_id;
    return typeof id === 'string' ? { ok: true, value: { messageId: id } } : { ok: false, error: { retryable: false, message: 'Lark answered without a message_id' } };
  };
  const done = (r: Result<unknown>): Result<void> => (r.ok ? { ok: true, value: undefined } : r);

  return {
    /** `POST /open-apis/im/v1/messages`: `uuid` makes a retried send show once (Lark keeps it an hour). */
    async send(to: { idType: 'chat_id' | 'open_id'; id: string }, message: LarkMessage, idempotencyKey: string) {
      const body = { receive_id: to.id, msg_type: message.msgType, content: message.content, uuid: larkUuid(idempotencyKey) };
      return messageId(await call('POST', `/open-apis/im/v1/messages?receive_id_type=${to.idType}`, body));
    },
    async reply(parentId: string, message: LarkMessage, idempotencyKey: string) {
      const body = { msg_type: message.msgType, content: message.content, uuid: larkUuid(idempotencyKey) };
      return messageId(await call('POST', `/open-apis/im/v1/messages/${encodeURIComponent(parentId)}/reply`, body));
    },
    /** Replaces a sent card for everyone (both cards must be shared: `update_multi`). */
    async patchCard(id: string, card: Record<string, unknown>) {
      return done(await call('PATCH', `/open-apis/im/v1/messages/${encodeURIComponent(id)}`, { content: JSON.stringify(card) }));
    },
    /** The delayed update with a click's token: after the click's answer, within 30 minutes, twice at most. */
    async updateCardByToken(token: string, card: Record<string, unknown>) {
      return done(await call('POST', '/open-apis/interactive/v1/card/update', { token, card }));
    },
    /** The bot's own open_id (note: Lark answers `{bot}`, not `{data}`). */
    async botInfo(): Promise<Result<{ openId: string; name: string | null }>> {
      const r = await call('GET', '/open-apis/bot/v3/info');
      if (!r.ok) return r;
      const openId = r.value.bot?.open_id;
      return typeof openId === 'string' ? { ok: true, value: { openId, name: r.value.bot?.app_name ?? null } } : { ok: false, error: { retryable: false, message: 'Lark answered bot info without an open_id' } };
    },
    tenantToken,
  };
}
