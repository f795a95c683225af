import { renderMarkdownMessages } from '../../cards/render-markdown';
import type { Card } from '../../cards/model';
import { InboundRejected, type ChatPlatform, type Outbound, type Result, type Target } from '../platform';

/**
 * A WeCom group robot (消息推送): one-way markdown notices into the group it was added to. Its
 * webhook key is the chat id of a `wecom-robot` binding and the only credential, so it is never
 * logged. It cannot receive, reply to or update messages.
 */
export function createWeComRobotPlatform(options: { apiBase: string; fetch?: typeof fetch; timeoutMs?: number }): ChatPlatform {
  const doFetch = options.fetch ?? fetch;
  const base = options.apiBase.replace(/\/+$/, '');
  const post = async (key: string, markdown: string): Promise<Result<void>> => {
    try {
      const res = await doFetch(`${base}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ msgtype: 'markdown', markdown: { content: markdown } }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (res.status >= 500) return { ok: false, error: { message: `group robot: HTTP ${res.status}`, retryable: true } };
      const body = (await res.json().catch(() => ({}))) as { errcode?: number; errmsg?: string };
      if (!body.errcode) return { ok: true, value: undefined };
      // 45009: over 20 messages a minute for this robot; -1: WeCom busy. Both pass with time.
      if (body.errcode === 45009 || body.errcode === -1) return { ok: false, error: { message: `group robot busy (${body.errcode})`, retryable: true, retryAfterMs: 60_000, code: String(body.errcode) } };
      if (body.errcode === 93000) return { ok: false, error: { message: 'the group robot\'s webhook key is invalid or the robot was removed from the group', retryable: false, code: '93000' } };
      return { ok: false, error: { message: `group robot refused: ${body.errcode} ${body.errmsg ?? ''}`.trim(), retryable: false, code: String(body.errcode) } };
    } catch (err) {
      return { ok: false, error: { message: `group robot unreachable: ${(err as Error).name}`, retryable: true } };
    }
  };
  return {
    platform: 'wecom-robot',
    app: 'default',
    // 20 messages a minute per robot; a long card goes as several posts, so fewer deliveries fit.
    perChatPerSecond: 1 / 3,
    perTargetPerMinute: 15,
    repliesInline: false,
    async parse() {
      throw new InboundRejected(400, 'a group robot does not receive messages');
    },
    respond: () => Response.json({}),
    async send(target: Target, message: Outbound): Promise<Result<{ messageId: string }>> {
      if (target.kind !== 'chat') return { ok: false, error: { message: 'a group robot only posts into its group', retryable: false } };
      const parts = 'text' in message ? [message.text] : renderMarkdownMessages(message.card);
      for (const part of parts) {
        const sent = await post(target.id, part);
        if (!sent.ok) return sent;
      }
      // The robot returns no message id: nothing can update what it sent.
      return { ok: true, value: { messageId: '' } };
    },
    async reply(): Promise<Result<{ messageId: string }>> {
      return { ok: false, error: { message: 'a group robot cannot reply', retryable: false } };
    },
    async update(_messageId: string, _card: Card): Promise<Result<void>> {
      return { ok: false, error: { message: 'a group robot cannot update a message', retryable: false } };
    },
  };
}
