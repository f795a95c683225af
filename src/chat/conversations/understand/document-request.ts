import type { Reading } from './reading';
import type { CancelLatestIntent, DocumentKind, DocumentRequestIntent } from './intent';

/**
 * Documents typed in chat, each opening with its word:
 * - `调拨 红牛 5箱 到 徐汇店`, `调货 可乐 2箱 从总仓 到徐汇店` — a transfer (from the asker's
 *   warehouse unless `从`/`@` names one);
 * - `报损 牛奶 3盒 破损` — wastage: an adjustment taking stock off, with its reason;
 * - `盘点 可乐 实盘 46`, `盘点 可乐 46 @徐汇店` — a count of one item.
 * Items and quantities stay as typed (`红牛 5箱`; several with commas), read against the items
 * by the answer; warehouses stay as typed too.
 */
const OPENING: [RegExp, DocumentKind][] = [
  [/^(?:(?:调拨|调货|调库)(?!单)\s*|调\s+)/, 'transfer'],
  [/^(?:报损耗|报损|报废|损耗)(?!单)\s*/, 'wastage'],
  [/^(?:盘点|盘库|实盘)(?!单)\s*/, 'count'],
  [/^(?:transfer|move)\s+/i, 'transfer'],
  [/^(?:scrap|write off|wastage)\s+/i, 'wastage'],
  [/^(?:count|stocktake)\s+/i, 'count'],
];
const WASTAGE_REASONS = /(?:破损|破了|坏了|损坏|压坏|过期了?|临期|变质|发霉|丢失|丢了|被盗|漏了|碎了|试吃|赠送|damaged|broken|expired|lost|spoiled)$/i;

export function readDocumentRequest(r: Reading): DocumentRequestIntent | undefined {
  // A document number makes it about that document (`调拨单 TR-…`).
  const opening = r.tokens.some((t) => t.t === 'doc') ? undefined : OPENING.find(([re]) => re.test(r.text));
  if (!opening) return undefined;
  const [re, kind] = opening;
  let rest = r.text.replace(re, '');
  const take = (pattern: RegExp) => {
    const m = pattern.exec(rest);
    if (!m) return undefined;
    rest = `${rest.slice(0, m.index)} ${rest.slice(m.index + m[0].length)}`;
    return m[1] ?? m[2];
  };
  // A warehouse is one word after its marker: `到 徐汇店`, `到徐汇店`, `从总仓`, `@总仓`, `在徐汇店`.
  // Nothing before the marker is taken (`5箱到徐汇店` keeps its 箱); English markers stand apart.
  const to = kind === 'transfer' ? take(/(?:调到|调往|送到|发到|到|去|给)\s*([^\s,，]+)|(?<=^|\s)to\s+([^\s,，]+)/iu) : undefined;
  const from = take(/(?:从|@|在)\s*([^\s,，]+)|(?<=^|\s)from\s+([^\s,，]+)/iu);
  rest = rest.replace(/实盘|盘点数|数量|counted/g, ' ');
  let reason: string | undefined;
  if (kind === 'wastage') {
    const m = WASTAGE_REASONS.exec(rest.trim()) ?? /(?:原因|因为)[:：]?\s*(\S.*)$/.exec(rest);
    if (m) {
      reason = (m[1] ?? m[0]).trim();
      rest = rest.trim().slice(0, rest.trim().length - m[0].length);
    }
  }
  const lines = rest.replace(/\s+/g, ' ').trim();
  return { intent: 'document_request', kind, lines, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(reason ? { reason } : {}) };
}

const CANCEL = /取消|撤销|撤回|作废|不要了|删掉|cancel|undo/i;
const LATEST = /刚才|刚刚|上一个|上一张|上一条|最近|那个|这个|那张|那条|latest|last/i;
const KINDS: [RegExp, NonNullable<CancelLatestIntent['what']>][] = [
  [/退货|退/, 'return'], [/调拨|调货/, 'transfer'], [/报损|报废|损耗/, 'wastage'], [/盘点/, 'count'], [/报工/, 'work_report'], [/收货/, 'receipt'],
];

export function readCancelLatest(r: Reading): CancelLatestIntent | undefined {
  if (r.tokens.some((t) => t.t === 'doc') || !CANCEL.test(r.text) || !LATEST.test(r.text)) return undefined;
  const what = KINDS.find(([re]) => re.test(r.text))?.[1];
  return { intent: 'cancel_latest', ...(what ? { what } : {}) };
}
