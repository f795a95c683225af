/**
 * The platform-neutral card: what every card file builds and every renderer (Lark JSON 2.0,
 * WeCom template_card, the sandbox) turns into its platform's shape. Pure data, no platform types,
 * plain JSON (no Dates): the sandbox stores cards as they are and renders them when read.
 */
export type Tone = 'info' | 'success' | 'warning' | 'danger' | 'neutral';

export type Field = { label: string; value: string };

/** A text the user types before the button fires (a reject reason, a shortage quantity). */
export type Input = { name: string; label: string; placeholder?: string; required: boolean };

export type Button = {
  /** An encoded action id (cards/actions.ts): all the server needs, never who may do it. */
  id: string;
  label: string;
  style: 'primary' | 'danger' | 'default';
  /** Inputs shown with the button; their values arrive as the action's form. */
  inputs?: Input[];
};

/**
 * A small table, e.g. the documents of an overdue card or the warehouses of a stock answer. Cells
 * are plain text. `note` says what was left out ("另有 12 张未列出"); a renderer that must shorten
 * the table to fit its platform's limits writes its own note.
 */
export type Table = { columns: string[]; rows: string[][]; note?: string };

/** A titled part of a card, e.g. one warehouse's overdue documents with a button per document. */
export type Section = { title: string; table?: Table; actions?: Button[] };

export type Card = {
  title: string;
  tone: Tone;
  fields: Field[];
  body?: string;
  table?: Table;
  /** Shown after the table, in order; their buttons are the card's too (a decided card has none anywhere). */
  sections?: Section[];
  actions: Button[];
  /** The outcome line shown once decided, e.g. "已批准 · 张三 · 11-25 14:05"; decided cards have no actions. */
  status?: string;
  /** A link to the document page when PUBLIC_URL is set. */
  link?: { label: string; url: string };
};

export const card = (c: Card): Card => c;
