import { decodeAction } from './actions';
import { truncate, truncateBytes } from './format';
import { renderMarkdownMessages } from './render-markdown';
import type { Button, Card, Table, Tone } from './model';

/**
 * The neutral card as a WeCom self-built app message (reference/wecom.md §5.1, §8): a card with
 * buttons becomes a `button_interaction` template card whose button keys are the action ids; one
 * without buttons a `text_notice` (which must open a link) or, with no link, markdown. WeCom's
 * limits below are applied by cutting (marked "…"), never by failing the send. Character counts are
 * WeCom's recommendations, byte counts its hard limits.
 */
export const WECOM_TITLE_MAX_CHARS = 36;
export const WECOM_TITLE_DESC_MAX_CHARS = 44;
export const WECOM_SOURCE_DESC_MAX_CHARS = 20;
export const WECOM_SUB_TITLE_MAX_CHARS = 160;
export const WECOM_HORIZONTAL_MAX_ITEMS = 6;
export const WECOM_KEYNAME_MAX_CHARS = 5;
export const WECOM_HORIZONTAL_VALUE_MAX_CHARS = 30;
export const WECOM_BUTTONS_MAX = 6;
export const WECOM_BUTTON_TEXT_MAX_CHARS = 10;
export const WECOM_BUTTON_KEY_MAX_BYTES = 1024;
export const WECOM_URL_MAX_BYTES = 2048;
/** App markdown: at most 2048 bytes. */
export const WECOM_MARKDOWN_MAX_BYTES = 2048;
/** The label that greys a decided card's buttons (`button.replace_name`); WeCom publishes no limit, this is ours. */
export const WECOM_REPLACE_NAME_MAX_CHARS = 30;

export type WeComRendered =
  | { msgtype: 'template_card'; template_card: Record<string, unknown> & { task_id: string } }
  | { msgtype: 'markdown'; markdown: { content: string } };

const SOURCE = '进销存';
const sourceColor: Record<Tone, number> = { info: 0, neutral: 0, warning: 2, danger: 2, success: 3 };
const buttonStyle: Record<Button['style'], number> = { primary: 1, danger: 2, default: 4 };

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Cut to at most `max` UTF-8 bytes on a character boundary, marked with "…". */
function tableLines(t: Table): string[] {
  return [t.columns.join(' | '), ...t.rows.map((r) => r.join(' | ')), ...(t.note ? [t.note] : [])];
}

/** Everything besides title and fields, as lines of text. */
function textLines(card: Card): string[] {
  return [
    ...(card.body ? [card.body] : []),
    ...(card.table ? tableLines(card.table) : []),
    ...(card.sections ?? []).flatMap((s) => [`【${s.title}】`, ...(s.table ? tableLines(s.table) : [])]),
  ];
}

const needsInput = (b: Button) => b.inputs?.some((i) => i.required) ?? false;

/** Buttons that can work on WeCom: no typed inputs (template cards have none), a key within the limit. */
function usableButtons(card: Card): { buttons: Button[]; needInput: Button[] } {
  const all = [...card.actions, ...(card.sections ?? []).flatMap((s) => s.actions ?? [])];
  const buttons = all.filter((b) => !needsInput(b) && bytes(b.id) <= WECOM_BUTTON_KEY_MAX_BYTES);
  return { buttons: [...new Map(buttons.map((b) => [b.id, b])).values()], needInput: all.filter(needsInput) };
}

/**
 * What to do instead of a dropped button that needs typing: a reject is typed to the bot with the
 * card's document number (its 单号 field, as the approval card carries it); anything else is done in the system.
 */
function inputNotes(card: Card, dropped: Button[]): string[] {
  const rejects = dropped.filter((b) => decodeAction(b.id)?.verb === 'reject');
  const number = card.fields.find((f) => f.label === '单号')?.value ?? '<单号>';
  return [
    ...(rejects.length ? [`驳回请发：驳回 ${number} <原因>`] : []),
    ...(dropped.length > rejects.length ? ['需要填写内容的操作请在系统中进行'] : []),
  ];
}

/** The sub title: the card's text cut to leave room for the notes, which must be read whole. */
function subTitle(lines: string[], notes: string[]): string {
  const tail = notes.join('\n');
  if (!tail) return truncate(lines.join('\n'), WECOM_SUB_TITLE_MAX_CHARS);
  const room = WECOM_SUB_TITLE_MAX_CHARS - [...tail].length - 1;
  const head = lines.length && room > 1 ? truncate(lines.join('\n'), room) : '';
  return truncate(head ? `${head}\n${tail}` : tail, WECOM_SUB_TITLE_MAX_CHARS);
}

function horizontal(card: Card): Record<string, unknown>[] {
  const link = card.link && bytes(card.link.url) <= WECOM_URL_MAX_BYTES ? card.link : undefined;
  const room = WECOM_HORIZONTAL_MAX_ITEMS - (link ? 1 : 0);
  const fields = card.fields.length <= room ? card.fields : [...card.fields.slice(0, room - 1), { label: '…', value: `另有 ${card.fields.length - room + 1} 项未显示` }];
  return [
    ...fields.map((f) => ({ keyname: truncate(f.label, WECOM_KEYNAME_MAX_CHARS), value: truncate(f.value, WECOM_HORIZONTAL_VALUE_MAX_CHARS) })),
    ...(link ? [{ type: 1, keyname: '详情', value: truncate(link.label, WECOM_HORIZONTAL_VALUE_MAX_CHARS), url: link.url }] : []),
  ];
}

/** No button and no link: the card as app markdown (the group robot's rendering, cut to the app's 2048 bytes). */
function markdown(card: Card): WeComRendered {
  return { msgtype: 'markdown', markdown: { content: truncateBytes(renderMarkdownMessages(card).join('\n'), WECOM_MARKDOWN_MAX_BYTES) } };
}

/** The card as one message/send body (without touser/agentid); `taskId` is the card's task_id. */
export function renderWeComCard(card: Card, taskId: string): WeComRendered {
  const { buttons, needInput } = usableButtons(card);
  const link = card.link && bytes(card.link.url) <= WECOM_URL_MAX_BYTES ? card.link : undefined;
  if (buttons.length === 0 && !link) return markdown(card);
  const extra = buttons.length > WECOM_BUTTONS_MAX ? [`…另有 ${buttons.length - WECOM_BUTTONS_MAX} 个操作未显示`] : [];
  const sub = subTitle([...textLines(card), ...extra], inputNotes(card, needInput));
  const common: Record<string, unknown> = {
    source: { desc: truncate(SOURCE, WECOM_SOURCE_DESC_MAX_CHARS), desc_color: sourceColor[card.tone] },
    main_title: {
      title: truncate(card.title, WECOM_TITLE_MAX_CHARS),
      ...(card.status ? { desc: truncate(card.status, WECOM_TITLE_DESC_MAX_CHARS) } : {}),
    },
    ...(sub ? { sub_title_text: truncate(sub, WECOM_SUB_TITLE_MAX_CHARS) } : {}),
    horizontal_content_list: horizontal(card),
  };
  if (buttons.length === 0) {
    return { msgtype: 'template_card', template_card: { card_type: 'text_notice', ...common, task_id: taskId, card_action: { type: 1, url: link!.url } } };
  }
  return {
    msgtype: 'template_card',
    template_card: {
      card_type: 'button_interaction',
      ...common,
      task_id: taskId,
      button_list: buttons.slice(0, WECOM_BUTTONS_MAX).map((b) => ({
        text: truncate(b.label, WECOM_BUTTON_TEXT_MAX_CHARS), style: buttonStyle[b.style], key: b.id,
      })),
    },
  };
}

/** What greys every copy's buttons once the card is decided: its outcome line, or its title. */
export function wecomReplaceName(card: Card): string {
  return truncate(card.status ?? card.title, WECOM_REPLACE_NAME_MAX_CHARS);
}
