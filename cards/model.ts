/**
 * The platform-neutral card: what every card file builds and every renderer (Lark JSON 2.0,
 * WeCom template_card, the sandbox) turns into its platform's shape. Pure data, no platform types.
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

/** A small table, e.g. the documents of an overdue card or the warehouses of a stock answer. */
export type Table = { columns: string[]; rows: string[][] };

export type Card = {
  title: string;
  tone: Tone;
  fields: Field[];
  body?: string;
  table?: Table;
  actions: Button[];
  /** The outcome line shown once decided, e.g. "已批准 · 张三 · 11-25 14:05"; decided cards have no actions. */
  status?: string;
  /** A link to the document page when PUBLIC_URL is set. */
  link?: { label: string; url: string };
};

export const card = (c: Card): Card => c;
