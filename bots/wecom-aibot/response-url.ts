import { exchangeJson } from '../http-json';
import type { Outbound, Result, SendError } from '../platform';
import { errcodeError } from '../wecom/errors';
import { aibotMarkdown } from './render';

/** A response_url is an http(s) address; any other message id is not one. */
const isResponseUrl = (messageId: string) => /^https?:\/\//.test(messageId);

/**
 * The AI bot's one follow-up after a callback: a POST of plain JSON to the callback's `response_url`
 * (valid an hour, once; reference §5.4) — a new message in that conversation. Sent as markdown, which
 * groups accept too (a template card there would be refused).
 */
export async function postToResponseUrl(doFetch: typeof fetch, url: string, message: Outbound, timeoutMs = 10_000): Promise<Result<void>> {
  const answer = await exchangeJson(doFetch, 'WeCom', { url, method: 'POST', body: aibotMarkdown([message]), timeoutMs });
  if (!answer.ok) return answer;
  const { status, json } = answer.value;
  if (status >= 500) return { ok: false, error: { retryable: true, code: `http_${status}`, message: `WeCom failed with HTTP ${status}` } };
  if (status >= 200 && status < 300 && json.errcode === 0) return { ok: true, value: undefined };
  if (typeof json.errcode === 'number') return { ok: false, error: errcodeError(json.errcode, String(json.errmsg ?? '')) };
  return { ok: false, error: { retryable: false, code: `http_${status}`, message: `WeCom answered HTTP ${status} without an errcode` } };
}

/** A platform's `reply` where the message id may be a response_url: posted there, else refused with `otherwise`. */
export async function replyThroughResponseUrl(doFetch: typeof fetch, messageId: string, message: Outbound, otherwise: SendError): Promise<Result<{ messageId: string }>> {
  if (!isResponseUrl(messageId)) return { ok: false, error: otherwise };
  const sent = await postToResponseUrl(doFetch, messageId, message);
  return sent.ok ? { ok: true, value: { messageId } } : sent;
}
