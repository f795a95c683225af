import { fitCard, minimalCard, type Budget } from './fit';
import type { Button, Card, Field, Table, Tone } from './model';

/**
 * The neutral card as Lark card JSON 2.0: `update_multi` (every copy changes with an update),
 * fields as two-column rows, tables as `table` elements, buttons with a callback value `{a: <action
 * id>}`, and a button with inputs as a `form` whose submit carries the inputs in `form_value`.
 * Lark refuses a card over 30 KB or 200 elements, so a card that would exceed them is cut down
 * (rows, fields, sections; the card's own buttons stay) rather than failing to send.
 */
export const LARK_CARD_MAX_BYTES = 30 * 1024;
export const LARK_CARD_MAX_ELEMENTS = 200;

type Json = Record<string, unknown>;

const templates: Record<Tone, string> = { info: 'blue', success: 'green', warning: 'orange', danger: 'red', neutral: 'grey' };

/** Lark markdown reads these characters as syntax; HTML entities show them as they are. */
const escapeMarkdown = (text: string) => text.replace(/[&<>*_~[\]`\\#]/g, (c) => `&#${c.charCodeAt(0)};`);

const plain = (content: string) => ({ tag: 'plain_text', content });
const markdown = (content: string): Json => ({ tag: 'markdown', content });
const note = (content: string): Json => ({ tag: 'div', text: { tag: 'plain_text', content, text_size: 'notation', text_color: 'grey' } });

const callback = (b: Button) => [{ type: 'callback', value: { a: b.id } }];

const button = (b: Button): Json => ({ tag: 'button', text: plain(b.label), type: b.style, behaviors: callback(b) });

/** Buttons side by side, wrapping on narrow screens. */
const buttonRow = (buttons: Json[]): Json => ({
  tag: 'column_set', flex_mode: 'flow', horizontal_spacing: 'small',
  columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
});

/** Inputs and their submit button; Lark checks `required` before the callback fires. */
const form = (b: Button, i: number): Json => ({
  tag: 'form', name: `form_${i}`,
  elements: [
    ...(b.inputs ?? []).map((input) => ({
      tag: 'input', name: input.name, required: input.required, max_length: 500,
      label: plain(input.label), label_position: 'top',
      ...(input.placeholder ? { placeholder: plain(input.placeholder) } : {}),
    })),
    { tag: 'button', name: `submit_${i}`, text: plain(b.label), type: b.style, form_action_type: 'submit', behaviors: callback(b) },
  ],
});

function buttons(list: Button[], offset: number): Json[] {
  const simple = list.filter((b) => !b.inputs?.length);
  return [
    ...(simple.length ? [buttonRow(simple.map(button))] : []),
    ...list.filter((b) => b.inputs?.length).map((b, i) => form(b, offset + i)),
  ];
}

/** Two fields a row. */
function fieldRows(fields: Field[]): Json[] {
  const rows: Json[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const pair = fields.slice(i, i + 2);
    rows.push({
      tag: 'column_set', flex_mode: 'none', horizontal_spacing: 'default',
      columns: [0, 1].map((k) => ({
        tag: 'column', width: 'weighted', weight: 1,
        elements: pair[k] ? [markdown(`**${escapeMarkdown(pair[k].label)}**\n${escapeMarkdown(pair[k].value)}`)] : [],
      })),
    });
  }
  return rows;
}

function table(t: Table): Json[] {
  const key = (i: number) => `c${i}`;
  return [
    ...(t.rows.length ? [{
      tag: 'table', page_size: Math.min(10, t.rows.length), row_height: 'low',
      header_style: { text_align: 'left', background_style: 'grey', bold: true, lines: 1 },
      columns: t.columns.map((c, i) => ({ name: key(i), display_name: c, data_type: 'text', width: 'auto' })),
      rows: t.rows.map((r) => Object.fromEntries(t.columns.map((_, i) => [key(i), r[i] ?? '']))),
    }] : []),
    ...(t.note ? [note(t.note)] : []),
  ];
}

function build(card: Card): Json {
  const elements: Json[] = [...fieldRows(card.fields)];
  if (card.body) elements.push({ tag: 'div', text: plain(card.body) });
  if (card.table) elements.push(...table(card.table));
  let forms = 0;
  for (const s of card.sections ?? []) {
    elements.push(markdown(`**${escapeMarkdown(s.title)}**`));
    if (s.table) elements.push(...table(s.table));
    if (s.actions?.length) {
      elements.push(...buttons(s.actions, forms));
      forms += s.actions.filter((b) => b.inputs?.length).length;
    }
  }
  if (card.status) elements.push({ tag: 'hr' }, markdown(`**${escapeMarkdown(card.status)}**`));
  elements.push(...buttons(card.actions, forms));
  if (card.link) {
    elements.push({ tag: 'button', text: plain(card.link.label), type: 'default', behaviors: [{ type: 'open_url', default_url: card.link.url }] });
  }
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: card.title } },
    header: { title: plain(card.title), template: templates[card.tone] },
    body: { elements },
  };
}

/** Components count wherever they sit: in `elements` (body, columns, forms) or as columns. */
function countElements(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + countElements(x), 0);
  if (node === null || typeof node !== 'object') return 0;
  let n = 0;
  for (const [k, v] of Object.entries(node)) {
    if ((k === 'elements' || k === 'columns') && Array.isArray(v)) {
      // A table's `columns` are its header, not components.
      if (k === 'columns' && (node as Json).tag === 'table') continue;
      n += v.length;
    }
    n += countElements(v);
  }
  return n;
}

export type LarkLimits = { ok: boolean; bytes: number; elements: number };

/** Whether card JSON is within what Lark accepts: its UTF-8 size and its components. */
export function checkLarkLimits(json: unknown): LarkLimits {
  const bytes = new TextEncoder().encode(JSON.stringify(json)).length;
  const elements = countElements(json);
  return { ok: bytes <= LARK_CARD_MAX_BYTES && elements <= LARK_CARD_MAX_ELEMENTS, bytes, elements };
}

/** From the whole card (within sane bounds) down to a few rows a table. */
const budgets: Budget[] = [
  { rows: 100, sections: 10, fields: 20, sectionButtons: 5, text: 300, body: 3000 },
  { rows: 30, sections: 8, fields: 12, sectionButtons: 3, text: 100, body: 1500 },
  { rows: 10, sections: 5, fields: 8, sectionButtons: 2, text: 50, body: 600 },
  { rows: 3, sections: 3, fields: 6, sectionButtons: 1, text: 30, body: 200 },
];

export function renderLarkCard(card: Card): Record<string, unknown> {
  for (const b of budgets) {
    const json = build(fitCard(card, b));
    if (checkLarkLimits(json).ok) return json;
  }
  return build(minimalCard(card));
}
