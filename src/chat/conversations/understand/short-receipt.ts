import type { Reading } from './reading';
import type { ShortReceiptIntent } from './intent';

/**
 * `TR-20261207-0001 可乐少了2罐`, `TR-… 短缺 红牛 1箱`, `TR-… 缺可乐6`: a transfer's number with
 * a word for "short" is a short receipt; what is short is read against the transfer's lines
 * (src/chat/shortage.ts), so here it stays the words as typed, the number taken out.
 */
const SHORT_WORDS = /少了|少|缺了|缺少|缺|短缺|短了|没到|差了/;

export function readShortReceipt(r: Reading): ShortReceiptIntent | undefined {
  const doc = r.tokens.find((t) => t.t === 'doc');
  if (doc?.t !== 'doc' || !SHORT_WORDS.test(r.text)) return undefined;
  const atom = r.atoms[doc.from]!;
  const shortage = `${r.text.slice(0, atom.start)} ${r.text.slice(atom.end)}`.replace(/\s+/g, ' ').trim();
  return { intent: 'short_receipt', number: doc.number, shortage };
}
