import { formatTime, type Instant } from './format';
import type { Button, Card, Section } from './model';

/** One document on a lead's list: what it is, where it goes, since when; a button when the asker may act. */
export type WorkListDocument = { number: string; type: string; route: string; since: Instant | null; button?: Button };
export type WorkListSection = { title: string; documents: WorkListDocument[]; hint?: string };

export type WorkListCardInput = { title: string; sections: WorkListSection[]; overdue?: number; timezone: string };

/** Rows and buttons per section that keep a card readable on a phone and within every platform's limits. */
export const WORK_LIST_ROWS = 8;
export const WORK_LIST_BUTTONS = 3;

/**
 * `今天有什么要处理的`, `待收货`: the documents waiting on the asker, a section per kind of step, names
 * first (徐汇店 → 总仓), each with the one-tap step the rule book lets the asker take.
 */
export function renderWorkListCard(input: WorkListCardInput): Card {
  const sections: Section[] = input.sections.filter((s) => s.documents.length > 0).map((s) => {
    const shown = s.documents.slice(0, WORK_LIST_ROWS);
    const rest = s.documents.length - shown.length;
    const actions = shown.flatMap((d) => (d.button ? [d.button] : [])).slice(0, WORK_LIST_BUTTONS);
    const notes = [...(rest > 0 ? [`另有 ${rest} 张未列出`] : []), ...(s.hint ? [s.hint] : [])];
    return {
      title: `${s.title} · ${s.documents.length} 张`,
      table: {
        columns: ['单号', '内容', '自'],
        rows: shown.map((d) => [d.number, d.route, d.since ? formatTime(d.since, input.timezone) : '-']),
        ...(notes.length ? { note: notes.join('；') } : {}),
      },
      ...(actions.length ? { actions } : {}),
    };
  });
  const total = input.sections.reduce((n, s) => n + s.documents.length, 0);
  const overdue = input.overdue ? [`其中超时 ${input.overdue} 张，发「超期单据」看明细。`] : [];
  if (total === 0) return { title: `${input.title}：没有`, tone: 'success', fields: [], body: '没有等你处理的单据。', actions: [] };
  return {
    title: `${input.title}：${total} 张`,
    tone: input.overdue ? 'warning' : 'info',
    fields: input.sections.filter((s) => s.documents.length > 0).map((s) => ({ label: s.title, value: `${s.documents.length} 张` })),
    ...(overdue.length ? { body: overdue.join('\n') } : {}),
    sections,
    actions: [],
  };
}
