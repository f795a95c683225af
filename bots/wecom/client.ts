import { createHash } from 'node:crypto';
import { exchangeJson } from '../http-json';
import type { Result, SendError } from '../platform';
import { createTokenCache } from '../token-cache';
import { errcodeError, RATE_LIMIT_BACKOFF_MS, RATE_LIMIT_CODES, refusal, TOKEN_INVALID_CODES } from './errors';

export type WeComClientOptions = {
  corpId: string;
  corpSecret: string;
  agentId: number;
  /** `https://qyapi.weixin.qq.com` or a fake's URL; no trailing slash. */
  apiBase: string;
  fetch?: typeof fetch;
  /** Milliseconds since the epoch; the token's expiry is judged by it. */
  now?: () => number;
  timeoutMs?: number;
};

export type WeComClient = ReturnType<typeof createWeComClient>;

/** Refetch this long before `expires_in` runs out, so a token never dies in flight. */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** `task_id`: at most 128 bytes of `[0-9A-Za-z_\-@]`, unique per app (reference §5.1). */
export const WECOM_TASK_ID_MAX = 128;
const TASK_ID_CHARS = /^[0-9A-Za-z_\-@]+$/;

/** A card's `task_id` from the delivery's idempotency key: the key itself when allowed, else a hash of it. A retried send reuses it. */
export function wecomTaskId(key: string): string {
  return key.length <= WECOM_TASK_ID_MAX && TASK_ID_CHARS.test(key) ? key : `h-${createHash('sha256').update(key).digest('hex')}`;
}

/** What one message/send carries besides `touser` and `agentid`. */
export type WeComMessage =
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'template_card'; template_card: Record<string, unknown> & { task_id?: string } };

/**
 * Outbound calls of one self-built app over fetch: the access token cached per app with a
 * single-flight refresh, refetched and retried once when WeCom rejects it; every failure a
 * SendError (busy and throttled are retryable, the rest explained for an admin).
 */
export function createWeComClient(options: WeComClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const tokens = createTokenCache(fetchToken, now);
  const accessToken = () => tokens.get();

  async function fetchToken(): Promise<Result<{ token: string; expiresAt: number }>> {
    const query = new URLSearchParams({ corpid: options.corpId, corpsecret: options.corpSecret });
    const answer = await exchange('GET', `/cgi-bin/gettoken?${query}`);
    if (!answer.ok) return answer;
    const { json } = answer.value;
    if (json.errcode === 0 && typeof json.access_token === 'string' && json.access_token) {
      const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : 7200;
      return { ok: true, value: { token: json.access_token, expiresAt: now() + expiresIn * 1000 - TOKEN_MARGIN_MS } };
    }
    const failure = classify(answer.value);
    if (failure.retryable) return { ok: false, error: failure };
    return { ok: false, error: { ...failure, message: `WeCom refused the app credentials (check WECOM_CORP_ID and WECOM_SECRET): ${failure.message}` } };
  }

  /** One API call with the app's token; a rejected token is dropped, refetched and the call tried once more. */
  async function call(path: string, body: unknown): Promise<Result<Record<string, any>>> {
    for (let attempt = 1; ; attempt++) {
      const token = await accessToken();
      if (!token.ok) return token;
      const answer = await exchange('POST', `${path}?access_token=${encodeURIComponent(token.value)}`, body);
      if (!answer.ok) return answer;
      const { json } = answer.value;
      if (TOKEN_INVALID_CODES.has(json.errcode)) {
        tokens.drop(token.value);
        if (attempt === 1) continue;
        return { ok: false, error: { retryable: true, code: String(json.errcode), message: `WeCom rejected a freshly fetched access token: ${json.errmsg ?? ''}` } };
      }
      if (answer.value.status >= 200 && answer.value.status < 300 && json.errcode === 0) return { ok: true, value: json };
      return { ok: false, error: classify(answer.value) };
    }
  }

  type Answer = { status: number; json: Record<string, any> };
  const exchange = (method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<Result<Answer>> =>
    exchangeJson(doFetch, 'WeCom', { url: `${options.apiBase}${pathAndQuery}`, method, body, timeoutMs });

  function classify({ status, json }: Answer): SendError {
    const code = typeof json.errcode === 'number' ? json.errcode : undefined;
    if (status === 429) return { retryable: true, code: '429', retryAfterMs: RATE_LIMIT_BACKOFF_MS, message: `WeCom is throttling the app (${json.errmsg ?? `HTTP ${status}`})` };
    if (code !== undefined && RATE_LIMIT_CODES.has(code)) return errcodeError(code, String(json.errmsg ?? ''));
    if (status >= 500) return { retryable: true, code: `http_${status}`, message: `WeCom failed with HTTP ${status}` };
    if (code === undefined) return { retryable: false, code: `http_${status}`, message: `WeCom answered HTTP ${status} without an errcode` };
    return errcodeError(code, String(json.errmsg ?? ''));
  }

  return {
    /**
     * `message/send` to users one to one. A template card answers with `response_code` (one
     * update_template_card, 72 h); the message id is then `<task_id>|<response_code>`.
     */
    async send(touser: string, message: WeComMessage): Promise<Result<{ messageId: string; responseCode?: string }>> {
      const r = await call('/cgi-bin/message/send', { touser, agentid: options.agentId, ...message });
      if (!r.ok) return r;
      // Partial failures still send; to one user, an invalid one is the whole send.
      if (typeof r.value.invaliduser === 'string' && r.value.invaliduser !== '') return { ok: false, error: refusal(81013, `invaliduser ${r.value.invaliduser}`) };
      const taskId = message.msgtype === 'template_card' ? message.template_card.task_id : undefined;
      const code = typeof r.value.response_code === 'string' && r.value.response_code ? r.value.response_code : undefined;
      const messageId = taskId ? `${taskId}|${code ?? ''}` : String(r.value.msgid ?? '');
      return { ok: true, value: { messageId, ...(code ? { responseCode: code } : {}) } };
    },
    /** `message/update_template_card` for every recipient (`atall: 1`): greys the buttons with a label, or replaces the card. */
    async updateTemplateCard(responseCode: string, change: { button: { replace_name: string } } | { template_card: Record<string, unknown> }): Promise<Result<void>> {
      const r = await call('/cgi-bin/message/update_template_card', { atall: 1, agentid: options.agentId, response_code: responseCode, ...change });
      return r.ok ? { ok: true, value: undefined } : r;
    },
    accessToken,
  };
}
