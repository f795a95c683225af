import type { Button, Card, Field, Input, Tone } from './model';

export type SandboxTable = { title?: string; columns: string[]; rows: string[][]; note?: string };
export type SandboxAction = { id: string; label: string; style: Button['style']; inputs?: Input[] };

/**
 * The card as the sandbox API shows it (README "Chat: the sandbox, …"): `{title, tone, fields, body?,
 * actions: [{id, label, style, inputs?}], status?}`, plus
 * - `tables`: the card's table, then one per section titled with the section's title;
 * - `link`: `{label, url}` when the card links to a page.
 * `actions` lists every button of the card, a section's included, in the order shown: a test or
 * the sandbox page taps any of them by `id` (and sends the `inputs` as `form`).
 * The sandbox has no size limits: nothing is cut.
 */
export type SandboxCard = {
  title: string;
  tone: Tone;
  fields: Field[];
  body?: string;
  tables?: SandboxTable[];
  actions: SandboxAction[];
  status?: string;
  link?: { label: string; url: string };
};

const action = (b: Button): SandboxAction => ({
  id: b.id, label: b.label, style: b.style, ...(b.inputs?.length ? { inputs: b.inputs.map((i) => ({ ...i })) } : {}),
});

export function renderSandboxCard(card: Card): SandboxCard {
  const tables: SandboxTable[] = [
    ...(card.table ? [{ ...card.table }] : []),
    ...(card.sections ?? []).flatMap((s) => (s.table ? [{ title: s.title, ...s.table }] : [{ title: s.title, columns: [], rows: [] }])),
  ];
  const actions = [...(card.sections ?? []).flatMap((s) => s.actions ?? []), ...card.actions].map(action);
  return {
    title: card.title,
    tone: card.tone,
    fields: card.fields.map((f) => ({ label: f.label, value: f.value })),
    ...(card.body ? { body: card.body } : {}),
    ...(tables.length ? { tables } : {}),
    actions,
    ...(card.status ? { status: card.status } : {}),
    ...(card.link ? { link: { ...card.link } } : {}),
  };
}
