import { truncateBytes } from '../../cards/format';
import { renderMarkdownMessages } from '../../cards/render-markdown';
import type { Card } from '../../cards/model';
import { renderWeComCard, wecomReplaceName } from '../../cards/render-wecom';
import type { Outbound } from '../platform';

/** AI bot markdown (replies, streams, pushes) is cut at 20480 bytes (reference §8). */
export const AIBOT_MARKDOWN_MAX_BYTES = 20480;

/** What an AI bot says: a template card, or markdown. The same shapes in passive replies and pushes. */
export type AibotBody = { msgtype: 'markdown'; markdown: { content: string } } | { msgtype: 'template_card'; template_card: Record<string, unknown> & { task_id: string } };

/** Messages as one markdown body (cards in their markdown rendering). */
export function aibotMarkdown(messages: Outbound[]): AibotBody {
  const content = messages.flatMap((m) => ('card' in m ? renderMarkdownMessages(m.card) : [m.text])).join('\n\n');
  return { msgtype: 'markdown', markdown: { content: truncateBytes(content, AIBOT_MARKDOWN_MAX_BYTES) } };
}

/** The answers to a message as one body: a lone card with buttons or a link as a template card, otherwise all of it as markdown. */
export function aibotBody(messages: Outbound[], taskId: string): AibotBody {
  const only = messages.length === 1 ? messages[0]! : undefined;
  if (only && 'card' in only) {
    const rendered = renderWeComCard(only.card, taskId);
    if (rendered.msgtype === 'template_card') return rendered;
  }
  return aibotMarkdown(messages);
}

/**
 * A clicked card's replacement (update_template_card, same task_id). A decided card has no buttons,
 * which a template card cannot be without a link: it keeps one button naming the outcome
 * (`replace_text` greys it where WeCom honours it).
 */
export function aibotUpdatedCard(card: Card, taskId: string): Record<string, unknown> {
  const rendered = renderWeComCard(card, taskId);
  if (rendered.msgtype === 'template_card') return rendered.template_card;
  const outcome = wecomReplaceName(card);
  const shown = renderWeComCard({ ...card, actions: [{ id: `decided:${taskId}`, label: outcome, style: 'default' }] }, taskId);
  return shown.msgtype === 'template_card' ? { ...shown.template_card, replace_text: outcome } : { card_type: 'text_notice', task_id: taskId, main_title: { title: card.title } };
}
