import { and, eq, inArray } from 'drizzle-orm';
import { items, type PackUnit } from '../../db/schema';
import type { Ctx } from '../context';
import type { LineWithItem } from '../inventory/documents/load';
import { ValidationError } from '../errors';
import { dec } from '../lib/decimal';
import { formatQtyWithPack } from '../../cards/format';
import { toBaseQty } from './conversations/answers/return-report';
import { parseChineseNumber } from './conversations/understand/chinese-number';

/** A document line as people name it in a shortage or QC note: by sku, name or alias, in its units and packs. */
export type NamedLine = { lineNo: number; sku: string; qty: string; name: string; aliases: string[]; unit: string; packUnits: PackUnit[] };

/** The lines of a document with what their items are called (one query). */
export async function nameLines(ctx: Ctx, lines: readonly LineWithItem[]): Promise<NamedLine[]> {
  const ids = [...new Set(lines.map((l) => l.itemId))];
  const rows = ids.length ? await ctx.db.select({ id: items.id, name: items.name, aliases: items.aliases, unit: items.unit, packUnits: items.packUnits })
    .from(items).where(and(eq(items.orgId, ctx.orgId), inArray(items.id, ids))) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return lines.map((l) => {
    const i = byId.get(l.itemId)!;
    return { lineNo: l.lineNo, sku: l.sku, qty: l.qty, name: i.name, aliases: i.aliases ?? [], unit: i.unit, packUnits: i.packUnits };
  });
}

// Any number of decimals: `0.0004` is read as the amount (and refused), never as `0.000` in the name and 4.
const NUM = String.raw`\d+(?:\.\d+)?|[零〇一二两俩三四五六七八九十百千半]+`;
// What people write between an item and how many: `可乐:6`, `可乐 少了 2罐`, `红牛缺1箱`.
const SAID = String.raw`[\s:：=]*(?:少了|少|缺了|缺少|缺|短缺|短了|差了|差|只到了|只到|到了)?\s*`;
const ENTRY = new RegExp(String.raw`^(.*?)${SAID}(${NUM})\s*(\p{L}{0,6})$`, 'u');
const QTY_ONLY = new RegExp(String.raw`^(?:少了|少|缺|差)?(?:${NUM})\p{L}{0,6}$`, 'u');
const ENDS_WITH_QTY = new RegExp(String.raw`(?:\d|[零〇一二两俩三四五六七八九十百千半])\p{L}{0,6}$`, 'u');
// Words around the list that name no item: `收货 可乐 6`, `有短缺：红牛 1箱`.
const LEAD = /^(?:收货|收到|到货|有短缺|短缺|其中|但是|但|合格|实收)[\s:：，,]*/;

const key = (s: string) => s.toLowerCase().replace(/\s+/g, '');

/**
 * Reads what people type for "these arrived short" or "these passed QC", in names or codes and
 * units: `可乐 6, 红牛 1箱`, `可乐少了2罐`, `COKE-330:6`, or a bare number for a one-line document.
 * Returns the quantity in base units per line number. Throws ValidationError naming what it could not read.
 */
export function parseLineQuantities(text: string, lines: readonly NamedLine[], field: 'shortage' | 'accepted' | 'qty'): Map<number, string> {
  const what = field === 'accepted' ? '合格' : field === 'shortage' ? '短缺' : '新的';
  const out = new Map<number, string>();
  const isUnit = (w: string) => lines.some((l) => 'qty' in toBaseQty(l, '1', w));
  for (const entry of readEntries(text.replace(LEAD, ''), isUnit)) {
    if (!('ref' in entry)) throw ValidationError.field(field, `看不懂「${entry.text}」：请写成 商品 数量，例如 ${example(lines)}`);
    const line = lineFor(entry.ref.replace(LEAD, '').trim(), lines, field);
    const qty = toBaseQty(line, entry.amount, entry.unit);
    if ('unknownUnit' in qty) throw ValidationError.field(field, `${line.name} 没有单位「${qty.unknownUnit}」，可以用：${qty.known.join('、')}`);
    out.set(line.lineNo, dec(out.get(line.lineNo) ?? 0).plus(qty.qty).toFixed());
  }
  if (out.size === 0) throw ValidationError.field(field, `请填写${what}数量，例如 ${example(lines)}`);
  return out;
}

/**
 * What arrived per line once the shortage is taken off what was shipped. Throws ValidationError when
 * a shortage is more than the line shipped.
 */
export function receivedAfterShortage(lines: readonly NamedLine[], short: Map<number, string>): { line: number; qty: string }[] {
  const over = lines.find((l) => dec(l.qty).lt(short.get(l.lineNo) ?? 0));
  if (over) {
    const q = (v: string) => formatQtyWithPack(v, over.unit, over.packUnits);
    throw ValidationError.field('shortage', `${over.name} 的短缺数量 ${q(short.get(over.lineNo)!)} 超过了发货数量 ${q(dec(over.qty).toFixed())}`);
  }
  return lines.map((l) => ({ line: l.lineNo, qty: dec(l.qty).minus(short.get(l.lineNo) ?? 0).toFixed() }));
}

/** An item and how many, as typed: `红牛 1箱` → ref 红牛, amount 1, unit 箱; or the text that could not be read so. */
export type TypedEntry = { text: string; ref: string; amount: string; unit?: string } | { text: string };

/**
 * `可乐 6, 红牛 1箱`, `可乐少了2罐`, `COKE-330:6`: items and quantities as people type them, shared by
 * shortages, QC notes and documents typed in chat. `isUnit` says which words are units (`4 cases`).
 */
export function readEntries(text: string, isUnit: (word: string) => boolean): TypedEntry[] {
  return entriesOf(text.normalize('NFKC').trim(), isUnit).map((entry) => {
    const m = ENTRY.exec(entry);
    const amount = m ? (/^\d/.test(m[2]!) ? m[2]! : parseChineseNumber(m[2]!)) : undefined;
    return m && amount !== undefined ? { text: entry, ref: m[1]!.trim(), amount, ...(m[3] ? { unit: m[3] } : {}) } : { text: entry };
  });
}

/**
 * Entries split at commas and semicolons, and at spaces after a quantity (`可乐 6 红牛 1箱`), never
 * inside `可乐330ml 6` or `redbull 4 cases`.
 */
function entriesOf(text: string, isUnitWord: (word: string) => boolean): string[] {
  const isUnit = (w: string | undefined) => w !== undefined && /^\p{L}+$/u.test(w) && isUnitWord(w);
  const entries: string[] = [];
  for (const part of text.split(/[,;，；、\n]+/).map((p) => p.trim()).filter(Boolean)) {
    const words = part.split(/\s+/);
    let group: string[] = [];
    words.forEach((w, i) => {
      group.push(w);
      const next = words[i + 1];
      if (ENDS_WITH_QTY.test(w) && !(next && QTY_ONLY.test(next)) && !isUnit(next)) {
        entries.push(group.join(' '));
        group = [];
      }
    });
    if (group.length) entries.push(group.join(' '));
  }
  return entries;
}

/** The line an entry names: its sku, then its name or an alias, then a name that contains it; one line alone needs no name. */
function lineFor(ref: string, lines: readonly NamedLine[], field: string): NamedLine {
  if (!ref) {
    if (lines.length === 1) return lines[0]!;
    throw ValidationError.field(field, `这张单有多行，请写上商品，例如 ${example(lines)}`);
  }
  const k = key(ref);
  const tiers = [
    lines.filter((l) => key(l.sku) === k),
    lines.filter((l) => key(l.name) === k || l.aliases.some((a) => key(a) === k)),
    lines.filter((l) => key(l.name).includes(k) || l.aliases.some((a) => k.includes(key(a)) && key(a).length > 0)),
  ];
  const found = tiers.find((t) => t.length > 0);
  if (!found) throw ValidationError.field(field, `这张单上没有「${ref}」，单上有：${lines.map((l) => l.name).join('、')}`);
  if (new Set(found.map((l) => l.lineNo)).size > 1) {
    throw ValidationError.field(field, `「${ref}」对应多行：${found.map((l) => `${l.name} (${l.sku})`).join('、')}，请写商品编码`);
  }
  return found[0]!;
}

/** `可口可乐 330ml 2, 红牛 1箱`-style example made of this document's own items. */
const example = (lines: readonly NamedLine[]) =>
  lines.slice(0, 2).map((l, i) => `${l.aliases[0] ?? l.name} ${i === 0 ? 2 : `1${l.packUnits[0]?.name ?? ''}`}`).join(', ');
