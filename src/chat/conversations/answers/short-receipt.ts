import type { Outbound } from '../../../../bots/platform';
import { documentStatusName } from '../../../../cards/format';
import type { Ctx } from '../../../context';
import { DomainError } from '../../../errors';
import { lockDocument } from '../../../inventory/documents/load';
import { authorize } from '../../../people/permissions';
import { documentCardFor } from '../../cards/document-card';
import { nameLines, parseLineQuantities, receivedAfterShortage } from '../../shortage';
import type { ChatPlace } from '../chat-place';
import { proposeShortReceipt } from '../receipt-draft';
import type { ShortReceiptIntent } from '../understand/intent';

/**
 * `TR-… 可乐少了2罐`: the short-receipt card to confirm (shipped, received, short per line) — never
 * the full receipt. Asked of the rule book first, so someone who may not receive hears that; a
 * shortage it cannot read is answered with what to write, and nothing is recorded until the tap.
 */
export async function answerShortReceipt(ctx: Ctx, place: ChatPlace, intent: ShortReceiptIntent): Promise<Outbound[]> {
  let found;
  try {
    found = await lockDocument(ctx, intent.number);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'not_found') return [{ text: `找不到单据 ${intent.number}。` }];
    throw err;
  }
  const { doc, lines } = found;
  if (doc.type !== 'transfer' || doc.status !== 'shipped') {
    const why = doc.type !== 'transfer' ? '不是调拨单' : `现在是「${documentStatusName(doc.status)}」`;
    return [{ text: `${doc.number} ${why}，没有要收的货。` }, { card: await documentCardFor(ctx, doc.id) }];
  }
  await authorize(ctx, 'receive', { warehouseId: doc.toWarehouseId ?? doc.warehouseId });
  const named = await nameLines(ctx, lines);
  if (!intent.shortage.replace(/少了|少|缺了|缺少|缺|短缺|短了|没到|差了|收货|有/g, '').trim()) {
    return [{ text: `${doc.number} 少了什么、少多少？例如：${doc.number} ${named[0]!.aliases[0] ?? named[0]!.name}少了2${named[0]!.unit}` }];
  }
  const received = receivedAfterShortage(named, parseLineQuantities(intent.shortage, named, 'shortage'));
  return [{ card: await proposeShortReceipt(ctx, place.userId, { documentId: doc.id, received }) }];
}
