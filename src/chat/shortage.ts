import type { LineWithItem } from '../inventory/documents/load';
import { ValidationError } from '../errors';
import { dec } from '../lib/decimal';

/**
 * Reads what people type for "these arrived short" or "these passed QC": `A001:2, B002:1`
 * (sku and quantity; 全角 colons and commas too), or a bare number for a one-line document.
 * Returns quantity per line number. Throws ValidationError naming what it could not read.
 */
export function parseLineQuantities(text: string, lines: Pick<LineWithItem, 'lineNo' | 'sku'>[], field: string): Map<number, string> {
  const t = text.normalize('NFKC').trim();
  if (/^\d+(\.\d{1,3})?$/.test(t)) {
    if (lines.length !== 1) throw ValidationError.field(field, '这张单有多行，请按「商品编码:数量」写，例如 A001:2, B002:1');
    return new Map([[lines[0]!.lineNo, t]]);
  }
  const out = new Map<number, string>();
  for (const part of t.split(/[,;，；\s]+/).filter(Boolean)) {
    const m = /^(.+?)[:：=](\d+(?:\.\d{1,3})?)$/.exec(part);
    if (!m) throw ValidationError.field(field, `看不懂「${part}」：请写成 商品编码:数量`);
    const line = lines.find((l) => l.sku.toLowerCase() === m[1]!.toLowerCase());
    if (!line) throw ValidationError.field(field, `这张单上没有商品 ${m[1]}`);
    out.set(line.lineNo, dec(m[2]!).toFixed());
  }
  if (out.size === 0) throw ValidationError.field(field, `请填写${field === 'accepted' ? '合格' : '短缺'}数量`);
  return out;
}
