import { truncate } from './format';
import type { Button, Card, Table } from './model';

/**
 * How much of a card a renderer keeps when the whole does not fit its platform: each renderer
 * tries budgets from generous to tight until its own limits hold. Cut parts are marked with "…".
 */
export type Budget = {
  /** Rows per table. */
  rows: number;
  sections: number;
  fields: number;
  /** Buttons per section (the card's own buttons are kept). */
  sectionButtons: number;
  /** Characters per cell, field value or title. */
  text: number;
  /** Characters of the body. */
  body: number;
};

function fitTable(table: Table, b: Budget): Table {
  const rows = table.rows.slice(0, b.rows).map((r) => r.map((cell) => truncate(cell, b.text)));
  const cut = table.rows.length - rows.length;
  const note = [table.note, cut > 0 ? `…另有 ${cut} 行未显示` : undefined].filter(Boolean).join('；');
  return { columns: table.columns.map((c) => truncate(c, b.text)), rows, ...(note ? { note } : {}) };
}

const fitButton = (button: Button, b: Budget): Button => ({ ...button, label: truncate(button.label, b.text) });

/** The card cut down to the budget; a card already within it comes back equal. */
export function fitCard(card: Card, b: Budget): Card {
  const fields = card.fields.slice(0, b.fields).map((f) => ({ label: truncate(f.label, b.text), value: truncate(f.value, b.text) }));
  const cutFields = card.fields.length - fields.length;
  if (cutFields > 0) fields.push({ label: '…', value: `另有 ${cutFields} 项未显示` });
  const sections = card.sections?.slice(0, b.sections).map((s) => ({
    title: truncate(s.title, b.text),
    ...(s.table ? { table: fitTable(s.table, b) } : {}),
    ...(s.actions ? { actions: s.actions.slice(0, b.sectionButtons).map((x) => fitButton(x, b)) } : {}),
  }));
  const cutSections = (card.sections?.length ?? 0) - (sections?.length ?? 0);
  const body = [card.body === undefined ? '' : truncate(card.body, b.body), cutSections > 0 ? `…另有 ${cutSections} 组未显示` : '']
    .filter(Boolean).join('\n');
  return {
    title: truncate(card.title, b.text),
    tone: card.tone,
    fields,
    ...(body ? { body } : {}),
    ...(card.table ? { table: fitTable(card.table, b) } : {}),
    ...(sections ? { sections } : {}),
    actions: card.actions.map((x) => fitButton(x, b)),
    ...(card.status !== undefined ? { status: truncate(card.status, Math.max(b.text, 200)) } : {}),
    ...(card.link ? { link: card.link } : {}),
  };
}

/** The last resort: title, outcome and the card's own buttons, with a line saying the rest is left out. */
export function minimalCard(card: Card): Card {
  return {
    title: truncate(card.title, 60),
    tone: card.tone,
    fields: [],
    body: '内容过多，卡片中无法完整显示，请在系统中查看。',
    actions: card.actions.slice(0, 4).map((x) => ({
      ...x, label: truncate(x.label, 20),
      ...(x.inputs ? { inputs: x.inputs.slice(0, 3).map((i) => ({ ...i, label: truncate(i.label, 20), ...(i.placeholder ? { placeholder: truncate(i.placeholder, 40) } : {}) })) } : {}),
    })),
    ...(card.status !== undefined ? { status: truncate(card.status, 200) } : {}),
    ...(card.link && card.link.url.length <= 1000 ? { link: { label: truncate(card.link.label, 20), url: card.link.url } } : {}),
  };
}
