import { and, eq, gt } from 'drizzle-orm';
import type { Outbound } from '../../../../bots/platform';
import { formatQtyWithPack } from '../../../../cards/format';
import type { DraftLine } from '../../../../cards/document-draft-card';
import { stockBalances } from '../../../../db/schema';
import type { Ctx } from '../../../context';
import type { DocumentLineInput } from '../../../inventory/documents/inputs';
import { dec, type Decimal } from '../../../lib/decimal';
import { MOVED_OUT_DAYS, movedOut } from '../../../inventory/moved-out';
import { allows, authorize, personOf } from '../../../people/permissions';
import { readEntries } from '../../shortage';
import { findWarehouse, preferredWarehouses, type ChatPlace, type WarehouseRef } from '../chat-place';
import { proposeDocument } from '../document-draft';
import { findItem, type FoundItem } from '../find-item';
import type { DocumentRequestIntent } from '../understand/intent';
import { toBaseQty } from './return-report';

const words = { transfer: '调拨', wastage: '报损', count: '盘点' } as const;
const examples = { transfer: '调拨 红牛 5箱 到 徐汇店', wastage: '报损 牛奶 3盒 破损', count: '盘点 可乐 实盘 46' } as const;
// Units people put after a number before the item is known (`红牛 5 箱`); the item's own are checked later.
const UNIT_WORDS = /^(?:箱|件|瓶|罐|听|包|袋|盒|提|桶|个|支|条|cases?|boxes?|bottles?|cans?|packs?|pcs|units?)$/i;

/** Why stock was written off, as the 损耗 report counts it (the words typed stay on the document). */
const wastageClasses: [RegExp, string][] = [
  [/破损|破了|坏了|损坏|压坏|漏了|碎了|damaged|broken/i, 'damaged'], [/临期/, 'near_expiry'], [/过期|expired/i, 'expired'],
  [/变质|发霉|spoiled/i, 'spoiled'], [/丢失|丢了|被盗|lost/i, 'lost'], [/试吃|赠送/, 'sample'],
];
export const wastageClassOf = (reason: string | undefined) => wastageClasses.find(([re]) => re.test(reason ?? ''))?.[1] ?? 'other';

type Found = { item: FoundItem; qty: string; book: Decimal; lot?: string; out?: Decimal };

/**
 * `调拨 红牛 5箱 到 徐汇店`, `报损 牛奶 3盒 破损`, `盘点 可乐 实盘 46`: the card to confirm, with the
 * lines in units and packs, what confirming will do, and 确定吗？ for a count far from the book or a transfer or write-off far above
 * what left the warehouse in 90 days; or
 * the one thing still missing, in words. The rule book is asked before the card is shown, and again
 * by the verb on the tap; nothing is written until then.
 */
export async function answerDocumentRequest(ctx: Ctx, place: ChatPlace, intent: DocumentRequestIntent): Promise<Outbound[]> {
  const { kind } = intent;
  const word = words[kind];
  if (!intent.lines) return [{ text: `${word}什么、多少？例如：${examples[kind]}` }];
  const from = intent.from ? await findWarehouse(ctx, intent.from) : await likelySource(ctx, place, intent);
  if (!from) return [{ text: intent.from ? `没有叫「${intent.from}」的仓库。` : `在哪个仓库${word}？加上仓库，例如：${examples[kind]} @总仓` }];
  let to: WarehouseRef | undefined;
  if (kind === 'transfer') {
    if (!intent.to) return [{ text: `调到哪个仓库？例如：${examples.transfer}` }];
    to = await findWarehouse(ctx, intent.to);
    if (!to) return [{ text: `没有叫「${intent.to}」的仓库。` }];
    if (to.id === from.id) return [{ text: `调出和调入都是${from.name}：调到哪个仓库？例如：${examples.transfer}` }];
  }
  await authorize(ctx, 'create', { warehouseId: from.id });

  const found: Found[] = [];
  for (const entry of readEntries(intent.lines, (w) => UNIT_WORDS.test(w))) {
    if (!('ref' in entry)) return [{ text: `看不懂「${entry.text}」：请写成 商品 数量，例如：${examples[kind]}` }];
    const match = await findItem(ctx, entry.ref);
    if (match.kind === 'none') {
      return [{ text: `没找到「${entry.ref}」。${match.suggestions.length ? `你是不是要找：${match.suggestions.map((s) => s.name).join('、')}？` : ''}` }];
    }
    if (match.kind === 'ambiguous') return [{ text: `「${entry.ref}」有几种：${match.candidates.map((c) => c.name).join('、')}。请写全名再发一次。` }];
    const item = match.item;
    const qty = toBaseQty(item, entry.amount, entry.unit);
    if ('unknownUnit' in qty) return [{ text: `${item.name} 没有单位「${qty.unknownUnit}」，可以用：${qty.known.join('、')}。` }];
    if (kind !== 'count' && !dec(qty.qty).gt(0)) return [{ text: `${word}数量要大于 0。` }];
    const lots = await lotsOf(ctx, item.id, from.id);
    if (kind === 'count' && lots.length > 1) return [{ text: `${item.name} 在${from.name}有 ${lots.length} 个批次，按批次盘点请在系统里做。` }];
    const book = lots.reduce((s, l) => s.plus(l.qty), dec(0));
    if (kind !== 'count' && dec(qty.qty).gt(book)) {
      const has = (v: string) => formatQtyWithPack(v, item.unit, item.packUnits);
      return [{ text: `${from.name}的${item.name}只有 ${has(book.toFixed())}，不够${word} ${has(qty.qty)}。` }];
    }
    const out = kind === 'count' ? undefined : await movedOut(ctx, item.id, { warehouseId: from.id });
    found.push({ item, qty: qty.qty, book, ...(out ? { out } : {}), ...(kind === 'count' && lots[0]?.lot ? { lot: lots[0].lot } : {}) });
  }

  const reasonClass = kind === 'wastage' ? wastageClassOf(intent.reason) : undefined;
  const lines: DocumentLineInput[] = found.map((f) => ({
    sku: f.item.sku, qty: kind === 'wastage' ? dec(f.qty).neg().toFixed() : f.qty, ...(reasonClass ? { reason: reasonClass } : {}), ...(f.lot ? { lot: f.lot } : {}),
  }));
  const shown: DraftLine[] = found.map((f) => ({ name: f.item.name, unit: f.item.unit, packUnits: f.item.packUnits, qty: f.qty, ...(kind === 'count' ? { book: f.book.toFixed() } : {}) }));
  return [{ card: await proposeDocument(ctx, place.userId, {
    input: {
      type: kind === 'transfer' ? 'transfer' : kind === 'count' ? 'stocktake' : 'adjustment',
      warehouse: from.code, ...(to ? { toWarehouse: to.code } : {}),
      ...(kind === 'wastage' ? { reason: `报损：${intent.reason ?? '未说明'}` } : {}),
      lines,
    },
    card: {
      kind, from: { code: from.code, name: from.name }, ...(to ? { to: { code: to.code, name: to.name } } : {}),
      ...(kind === 'wastage' ? { reason: intent.reason ?? '未说明' } : {}),
      lines: shown, next: nextStep(ctx, kind, from, to), warnings: kind === 'count' ? found.flatMap(farFromBook) : found.flatMap((f) => aboveHistory(f, word, from)),
    },
  }) }];
}

/**
 * Where a document names no warehouse: this chat's, then the asker's own; of several, the first that
 * holds the first item named (someone at 总仓 and 冷库 writing off milk means the milk at 总仓). A
 * count keeps the first: counting nothing is a count too.
 */
async function likelySource(ctx: Ctx, place: ChatPlace, intent: DocumentRequestIntent): Promise<WarehouseRef | undefined> {
  const candidates = await preferredWarehouses(ctx, place);
  const first = readEntries(intent.lines, (w) => UNIT_WORDS.test(w))[0];
  if (candidates.length < 2 || intent.kind === 'count' || !first || !('ref' in first)) return candidates[0];
  const match = await findItem(ctx, first.ref);
  if (match.kind !== 'found') return candidates[0];
  for (const c of candidates) if ((await lotsOf(ctx, match.item.id, c.id)).length > 0) return c;
  return candidates[0];
}

async function lotsOf(ctx: Ctx, itemId: string, warehouseId: string) {
  return ctx.db.select({ lot: stockBalances.lot, qty: stockBalances.qty }).from(stockBalances)
    .where(and(eq(stockBalances.orgId, ctx.orgId), eq(stockBalances.itemId, itemId), eq(stockBalances.warehouseId, warehouseId), gt(stockBalances.qty, '0')));
}

/** A count off the book by more than the book itself (or a whole pack): likely a slip of the finger. */
function farFromBook(f: Found): string[] {
  const pack = Math.max(1, ...f.item.packUnits.map((p) => Number(p.factor)));
  const diff = dec(f.qty).minus(f.book).abs();
  if (diff.lte(f.book) || diff.lte(pack)) return [];
  const q = (v: string) => formatQtyWithPack(v, f.item.unit, f.item.packUnits);
  return [`${f.item.name} 实盘 ${q(f.qty)}，账面是 ${q(f.book.toFixed())}，相差很大`];
}

/**
 * A transfer or write-off above everything that left this warehouse in 90 days (and above a whole
 * pack): as with a return far above sales, likely a slip (`100箱` for `10箱`).
 */
function aboveHistory(f: Found, word: string, from: WarehouseRef): string[] {
  const pack = Math.max(1, ...f.item.packUnits.map((p) => Number(p.factor)));
  const out = f.out ?? dec(0);
  if (dec(f.qty).lte(out) || dec(f.qty).lte(pack)) return [];
  const q = (v: string) => formatQtyWithPack(v, f.item.unit, f.item.packUnits);
  return [`${f.item.name} ${word} ${q(f.qty)}，比${from.name}近 ${MOVED_OUT_DAYS} 天出库的 ${q(out.toFixed())} 都多`];
}

/** What a tap on 确认 will do for this person, by the rule book. */
function nextStep(ctx: Ctx, kind: DocumentRequestIntent['kind'], from: WarehouseRef, to?: WarehouseRef): string {
  const person = personOf(ctx.actor);
  const may = (action: 'ship' | 'post_count') => person === null || allows(person, action, { warehouseId: from.id });
  const approval = '超过审批金额的会先发给审批人。';
  if (kind === 'transfer') {
    return may('ship') ? `确认后从${from.name}发货，${to!.name}收到后确认收货；${approval}` : `确认后提交，等${from.name}的仓库主管发货；${approval}`;
  }
  if (may('post_count')) return kind === 'count' ? `确认后按实盘调整${from.name}的账面；${approval}` : `确认后从${from.name}扣减库存；${approval}`;
  return `确认后提交，等${from.name}的仓库主管过账。`;
}
