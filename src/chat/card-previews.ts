import { aibotBody } from '../../bots/wecom-aibot/render';
import { wecomTaskId } from '../../bots/wecom/client';
import type { Card } from '../../cards/model';
import { checkLarkLimits, renderLarkCard } from '../../cards/render-lark';
import { renderMarkdownMessages } from '../../cards/render-markdown';
import { renderWeComCard } from '../../cards/render-wecom';

/**
 * A card as each platform would receive it, from the very renderers delivery uses (never a copy):
 * Lark card JSON 2.0 with its size against Lark's limits; the WeCom self-built app's message
 * (a template card, or markdown when nothing can be tapped or opened); the WeCom AI bot's answer;
 * the WeCom group robot's markdown messages. The sandbox page shows these so an admin sees what
 * people will get before connecting a tenant. `key` stands in for the delivery key (the task_id).
 */
export function cardPreviews(card: Card, key: string) {
  const lark = renderLarkCard(card);
  const taskId = wecomTaskId(key);
  return {
    lark: { card: lark, ...checkLarkLimits(lark) },
    wecomApp: renderWeComCard(card, taskId),
    wecomAibot: aibotBody([{ card }], taskId),
    wecomRobot: renderMarkdownMessages(card),
  };
}

export type CardPreviews = ReturnType<typeof cardPreviews>;
