import type { Card, Field, Tone } from './model';

export type NoticeCardInput = { title: string; text: string; tone?: Tone; fields?: Field[] };

/** A plain notice: help, a refusal, a confirmation that needs no buttons. */
export function renderNoticeCard(input: NoticeCardInput): Card {
  return { title: input.title, tone: input.tone ?? 'info', fields: input.fields ?? [], ...(input.text ? { body: input.text } : {}), actions: [] };
}
