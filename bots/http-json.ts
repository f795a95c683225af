import type { Result } from './platform';

export type JsonAnswer = { status: number; headers: Headers; json: Record<string, any> };

/**
 * One HTTP call to a chat platform's API, the way every client needs it: a timeout, a network
 * failure or a timeout reported as retryable, and the body read as JSON when it is JSON (a gateway's
 * HTML error page is not, and then the status alone decides).
 */
export async function exchangeJson(
  doFetch: typeof fetch,
  service: string,
  request: { url: string; method: string; headers?: Record<string, string>; body?: unknown; timeoutMs: number },
): Promise<Result<JsonAnswer>> {
  let res: Response;
  let text: string;
  try {
    res = await doFetch(request.url, {
      method: request.method,
      headers: { ...(request.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }), ...request.headers },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    text = await res.text();
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const message = timedOut ? `${service} did not answer within ${request.timeoutMs / 1000} s` : `cannot reach ${service}: ${err instanceof Error ? err.message : String(err)}`;
    return { ok: false, error: { retryable: true, code: timedOut ? 'timeout' : 'network', message } };
  }
  let json: Record<string, any> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') json = parsed as Record<string, any>;
  } catch {
    // Not JSON: the status alone decides.
  }
  return { ok: true, value: { status: res.status, headers: res.headers, json } };
}
