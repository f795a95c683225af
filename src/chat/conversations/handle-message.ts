import type { Outbound } from '../../../bots/platform';
import type { ChatUser } from '../identity';
import type { Ctx } from '../../context';
import { answerAdjustOrder } from './answers/adjust-order';
import { answerBindGroup } from './answers/bind-group';
import { answerDecision } from './answers/decide-approval';
import { answerReturnReport } from './answers/return-report';
import { answerDocument, answerLowStock, answerPendingApprovals } from './answers/status-questions';
import { answerShortReceipt } from './answers/short-receipt';
import { answerCancelLatest } from './answers/cancel-latest';
import { answerDocumentRequest } from './answers/document-request';
import { answerMovement } from './answers/movement';
import { answerStock, answerStockQuestion } from './answers/stock-question';
import { answerWork } from './answers/work-lists';
import { answerUnitCost } from './answers/unit-cost';
import { answerRequisition } from './answers/requisition';
import { answerWorkReport } from './answers/work-report';
import type { ChatPlace } from './chat-place';
import { normalizeText } from './normalize';
import { fallbackHelpText, FULL_HELP_TEXT, understand } from './understand';

export { FULL_HELP_TEXT as HELP_TEXT };

/**
 * The answer to a bound user's message, platform-neutral: understood first (a pure grammar), then
 * the service that intent calls. Anything not understood gets a short help — never silence.
 */
export async function handleMessage(ctx: Ctx, user: ChatUser, place: ChatPlace, text: string): Promise<Outbound[]> {
  const intent = understand(text);
  // The readers take counts, not signs: `要货 可乐 -1` was a requisition for 1. A minus before a number is asked about instead.
  if (TAKES_QUANTITIES.has(intent.intent) && NEGATIVE_NUMBER.test(normalizeText(text))) {
    return [{ text: '数量不能是负数，请写正数。要减少库存请用 报损 或 盘点，例如：报损 可乐 2瓶 破损' }];
  }
  switch (intent.intent) {
    case 'stock': return answerStock(ctx, place, intent, normalizeText(text));
    case 'stock_barcode': return answerStockQuestion(ctx, place, intent.barcode, intent.warehouse);
    case 'return': return answerReturnReport(ctx, place, intent, undefined, normalizeText(text));
    case 'document': return answerDocument(ctx, intent.number);
    case 'movement': return answerMovement(ctx, place, intent, normalizeText(text));
    case 'work': return answerWork(ctx, place, intent);
    case 'short_receipt': return answerShortReceipt(ctx, place, intent);
    case 'document_request': return answerDocumentRequest(ctx, place, intent);
    case 'cancel_latest': return answerCancelLatest(ctx, place, intent);
    case 'pending_approvals': return answerPendingApprovals(ctx, place, user);
    case 'low_stock': return answerLowStock(ctx, place, intent.warehouse);
    case 'decide': return answerDecision(ctx, intent);
    case 'work_report': return answerWorkReport(ctx, place, intent, text);
    case 'unit_cost': return answerUnitCost(ctx, place, intent.item, normalizeText(text));
    case 'adjust_order': return answerAdjustOrder(ctx, user, intent);
    case 'requisition': return answerRequisition(ctx, place, intent);
    case 'bind': return [{ text: `你已经绑定为「${user.name}」，不需要再绑定。` }];
    case 'bind_group': return answerBindGroup(ctx, user, place);
    case 'help': return [{ text: FULL_HELP_TEXT }];
    case 'unknown': return [{ text: fallbackHelpText(intent.text) }];
  }
}

const TAKES_QUANTITIES = new Set(['return', 'short_receipt', 'document_request', 'requisition', 'adjust_order', 'work_report']);
/** A minus standing before a number (`-1`, `: -2`), not one inside a code (`COKE-330`, `IS-20261208-0001`). */
const NEGATIVE_NUMBER = /(?:^|[\s:：=，,])[-−]\s*\d/u;

/** What someone the bot does not know yet is told: how to get bound. */
export const WHO_ARE_YOU =
  '你好！我还不认识你。请找管理员为你生成一个六位绑定码，然后发「绑定 123456」给我（把数字换成你的码）。';
