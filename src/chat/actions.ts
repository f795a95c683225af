import type { ActionAnswer, PlatformName } from '../../bots/platform';
import { decodeAction } from '../../cards/actions';
import { renderNoticeCard } from '../../cards/notice-card';
import { actOnAlert } from '../alerts/low-stock-alert';
import type { Ctx } from '../context';
import { ValidationError } from '../errors';
import { cancelDocument } from '../inventory/documents/cancel';
import { decideApproval } from '../inventory/documents/decide';
import { lockDocument } from '../inventory/documents/load';
import { postDocument } from '../inventory/documents/post';
import { fulfilOrder } from '../inventory/documents/fulfil';
import { getDocument } from '../inventory/documents/view';
import { receiveTransfer } from '../inventory/documents/receive';
import { shipTransfer } from '../inventory/documents/ship';
import { bindChat } from '../people/chat-bindings';
import { authorize } from '../people/permissions';
import { alertCard } from './cards/alert-card';
import { cardForSubject } from './cards/subjects';
import { decideReturn } from './conversations/return-draft';
import { pickItem } from './conversations/pick-item';
import { decideWorkReport } from './conversations/work-report-draft';
import { decideShortReceipt } from './conversations/receipt-draft';
import { decideDocument } from './conversations/document-draft';
import { nameLines, parseLineQuantities, receivedAfterShortage } from './shortage';
import { adjustDraftOrder } from '../replenishment/adjust-draft';
import { draftFromAlert, draftWeekly } from '../replenishment/card-drafts';
import { submitDocument } from '../inventory/documents/submit';
import { decideRequisition } from './conversations/requisition-draft';

/**
 * A verified click, as the clicking user. The id only names what was tapped: the verb it calls
 * loads the current state and asks the rule book (`src/people/permissions.ts`) whether this person
 * may, so a stale or forged card changes nothing. Domain refusals are thrown (the pipeline turns
 * them into a toast and rolls back).
 */
export async function handleAction(
  ctx: Ctx,
  actionId: string,
  form: Record<string, string>,
  where: { platform: PlatformName; chatId: string | null },
): Promise<ActionAnswer> {
  const action = decodeAction(actionId);
  if (!action) return { toast: { kind: 'error', text: '这个按钮已失效，请刷新卡片' } };
  switch (action.verb) {
    case 'approve':
      await decideApproval(ctx, action.documentId, { decision: 'approve' });
      return done(ctx, `approval:${action.documentId}`, '已批准');
    case 'reject': {
      const reason = form.reason?.trim();
      if (!reason) throw ValidationError.field('reason', '请填写驳回原因');
      await decideApproval(ctx, action.documentId, { decision: 'reject', reason });
      return done(ctx, `approval:${action.documentId}`, '已驳回');
    }
    case 'ship':
      await shipTransfer(ctx, action.documentId);
      return done(ctx, `document:${action.documentId}`, '已标记发货');
    case 'post':
      await postDocument(ctx, action.documentId);
      return done(ctx, `document:${action.documentId}`, '已过账');
    case 'cancel':
      await cancelDocument(ctx, action.documentId);
      return done(ctx, `document:${action.documentId}`, '已取消');
    case 'receive':
      await receiveTransfer(ctx, action.documentId);
      return done(ctx, `document:${action.documentId}`, '已确认收货');
    case 'receive_short': {
      const { doc, lines } = await lockDocument(ctx, action.documentId);
      // Asked before the form is read, so someone who may not receive hears that, not a parsing hint.
      await authorize(ctx, 'receive', { warehouseId: doc.toWarehouseId ?? doc.warehouseId });
      const named = await nameLines(ctx, lines);
      await receiveTransfer(ctx, action.documentId, receivedAfterShortage(named, parseLineQuantities(form.shortage ?? '', named, 'shortage')));
      return done(ctx, `document:${action.documentId}`, '已收货，短缺已记录');
    }
    case 'qc': {
      const { doc, lines } = await lockDocument(ctx, action.documentId);
      await authorize(ctx, 'qc', { warehouseId: doc.warehouseId });
      const accepted = parseLineQuantities(form.accepted ?? '', await nameLines(ctx, lines), 'accepted');
      await postDocument(ctx, action.documentId, lines.map((l) => ({ line: l.lineNo, acceptedQty: accepted.get(l.lineNo) ?? '0' })));
      return done(ctx, `qc:${action.documentId}`, '质检已记录，合格品已入库');
    }
    case 'fulfil': {
      // 一键发货 / 按单调拨: a shortage is thrown (nothing written) and answered with what is missing.
      const made = await fulfilOrder(ctx, action.documentId);
      const doc = await getDocument(ctx, made.id);
      return done(ctx, `order:${action.documentId}`, doc.type === 'transfer' ? `已调拨发出：${doc.number}` : `已发货：${doc.number}`);
    }
    case 'confirm_return':
      return { toast: { kind: 'success', text: '已提交退货，等待质检' }, card: await decideReturn(ctx, action.draftId, 'confirmed') };
    case 'cancel_return':
      return { toast: { kind: 'info', text: '已取消' }, card: await decideReturn(ctx, action.draftId, 'cancelled') };
    case 'confirm_work':
      return { toast: { kind: 'success', text: '报工已登记' }, card: await decideWorkReport(ctx, action.draftId, 'confirmed') };
    case 'cancel_work':
      return { toast: { kind: 'info', text: '已取消' }, card: await decideWorkReport(ctx, action.draftId, 'cancelled') };
    case 'confirm_requisition':
      return { toast: { kind: 'success', text: '要货单已提交' }, card: await decideRequisition(ctx, action.draftId, 'confirmed') };
    case 'cancel_requisition':
      return { toast: { kind: 'info', text: '已取消' }, card: await decideRequisition(ctx, action.draftId, 'cancelled') };
    case 'confirm_receipt':
      return { toast: { kind: 'success', text: '已收货，短缺已记录' }, card: await decideShortReceipt(ctx, action.draftId, 'confirmed') };
    case 'cancel_receipt':
      return { toast: { kind: 'info', text: '已取消' }, card: await decideShortReceipt(ctx, action.draftId, 'cancelled') };
    case 'confirm_doc':
      return { toast: { kind: 'success', text: '已提交' }, card: await decideDocument(ctx, action.draftId, 'confirmed') };
    case 'cancel_doc':
      return { toast: { kind: 'info', text: '已取消' }, card: await decideDocument(ctx, action.draftId, 'cancelled') };
    case 'ack_alert':
      await actOnAlert(ctx, action.alertId, { kind: 'acknowledge' });
      return { toast: { kind: 'success', text: '已确认，提醒不再重复' }, card: await alertCard(ctx, action.alertId) };
    case 'snooze_alert':
      await actOnAlert(ctx, action.alertId, { kind: 'snooze', hours: action.hours });
      return { toast: { kind: 'success', text: `好的，${action.hours} 小时后再提醒` }, card: await alertCard(ctx, action.alertId) };
    case 'pick_item':
      return { card: await pickItem(ctx, action.sessionId, action.itemId, where) };
    case 'draft_po': case 'draft_rq': {
      const id = await draftFromAlert(ctx, action.alertId, action.verb === 'draft_po' ? 'purchase_order' : 'requisition');
      return { toast: { kind: 'success', text: '草稿已生成：可改数量后提交' }, card: await cardForSubject(ctx, `order_draft:${id}`) };
    }
    case 'weekly_rq': {
      const ids = await draftWeekly(ctx, action.warehouseId, action.week);
      // Usually one requisition (one supplying warehouse); the card opened is the first.
      return { toast: { kind: 'success', text: `已生成 ${ids.length} 张要货单草稿：可改数量后提交` }, card: await cardForSubject(ctx, `order_draft:${ids[0]}`) };
    }
    case 'adjust_draft': {
      const { doc, lines } = await lockDocument(ctx, action.documentId);
      // Asked before the form is read, so someone who may not change it hears that, not a parsing hint.
      await authorize(ctx, 'create', { warehouseId: doc.warehouseId });
      await adjustDraftOrder(ctx, action.documentId, parseLineQuantities(form.qty ?? '', await nameLines(ctx, lines), 'qty'));
      return done(ctx, `order_draft:${action.documentId}`, '数量已更新');
    }
    case 'submit_draft':
      await submitDocument(ctx, action.documentId);
      return done(ctx, `document:${action.documentId}`, '已提交');
    case 'bind_chat': {
      const platform = bindingPlatformOf(where.platform);
      if (!where.chatId || !platform) throw ValidationError.field('chatId', '这个聊天不能绑定到仓库');
      await bindChat(ctx, { warehouse: action.warehouseCode, platform, chatId: where.chatId });
      return { toast: { kind: 'success', text: `已绑定到仓库 ${action.warehouseCode}` },
        card: renderNoticeCard({ title: '群已绑定', tone: 'success', text: `这个群会收到仓库 ${action.warehouseCode} 的提醒、审批和日报。` }) };
    }
  }
}

async function done(ctx: Ctx, subject: string, text: string): Promise<ActionAnswer> {
  return { toast: { kind: 'success', text }, card: await cardForSubject(ctx, subject) };
}

/** The chat-binding platform a group on this chat platform is bound as (a WeCom app's 1:1 chats cannot be). */
const bindingPlatformOf = (p: PlatformName) => (p === 'lark' || p === 'sandbox' || p === 'wecom-aibot' ? p : undefined);
