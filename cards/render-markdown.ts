import type { Card } from './model';

/** WeCom group robot markdown: at most 4096 bytes a message (longer cards are split). */
export const ROBOT_MARKDOWN_MAX_BYTES = 4096;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
const tone: Record<Card['tone'], string> = { info: 'info', success: 'info', warning: 'warning', danger: 'warning', neutral: 'comment' };

/**
 * A card as WeCom markdown, for one-way notices (the group robot): no buttons can answer there, so
 * actions become a line telling where to act, and the document link when PUBLIC_URL is set.
 * Returns one or more messages, each within ROBOT_MARKDOWN_MAX_BYTES, split at line boundaries.
 */
export function renderMarkdownMessages(card: Card): string[] {
  const lines: string[] = [`**${card.title}**`];
  for (const f of card.fields) lines.push(`> ${f.label}：<font color="${tone[card.tone]}">${f.value}</font>`);
  if (card.body) lines.push(...card.body.split('\n'));
  const tables = [card.table, ...(card.sections ?? []).map((s) => s.table && { ...s.table, title: s.title })].filter(Boolean) as { columns: string[]; rows: string[][]; title?: string; note?: string }[];
  for (const t of tables) {
    if (t.title) lines.push(`**${t.title}**`);
    for (const row of t.rows) lines.push(`· ${row.map((c, i) => (t.columns[i] ? `${t.columns[i]} ${c}` : c)).join('，')}`);
    if (t.note) lines.push(t.note);
  }
  if (card.status) lines.push(`<font color="comment">${card.status}</font>`);
  if (card.actions.length) lines.push('<font color="comment">请在企业微信应用或飞书中处理。</font>');
  if (card.link) lines.push(`[${card.link.label}](${card.link.url})`);
  return split(lines);
}

function split(lines: string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of lines) {
    // A single line longer than the limit is cut by characters, never mid-character.
    let line = raw;
    while (bytes(line) > ROBOT_MARKDOWN_MAX_BYTES) {
      let cut = line.length;
      while (bytes(line.slice(0, cut)) > ROBOT_MARKDOWN_MAX_BYTES - 1) cut = Math.floor(cut * 0.9);
      if (current) out.push(current);
      out.push(line.slice(0, cut));
      current = '';
      line = line.slice(cut);
    }
    const next = current ? `${current}\n${line}` : line;
    if (bytes(next) > ROBOT_MARKDOWN_MAX_BYTES) {
      out.push(current);
      current = line;
    } else current = next;
  }
  if (current) out.push(current);
  return out;
}
