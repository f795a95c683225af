import type { ActionAnswer, PlatformName } from '../../bots/platform';
import { decodeAction } from '../../cards/actions';
import { decideApproval } from '../approvals/decide';
import type { Ctx } from '../context';
import { ForbiddenError, ValidationError } from '../errors';
import { bindChat } from '../people/chat-bindings';
import { decideReturn } from '../conversations/return-draft';
import { pickItem } from '../conversations/pick-item';
import { actOnAlert } from '../alerts/low-stock-alert';
import { renderNoticeCard } from '../../cards/notice-card';
import { postDocument, receiveTransfer, shipTransfer } from '../inventory/documents/transitions';
import { dec } from '../lib/decimal';
import { requireDocumentRole } from './action-policy';
import { parseLineQuantities } from './shortage';
import { cardForSubject } from './subjects';

/**
 * A verified click, as the clicking user. The id only names what was tapped: the service loads the
 * current state and decides whether this user may do it, so a stale or forged card changes nothing.
 * Domain refusals are thrown (the pipeline turns them into a toast and rolls back).
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
      await requireDocumentRole(ctx, action.documentId, 'ship');
      await shipTransfer(ctx, action.documentId);
      return done(ctx, `document:${action.documentId}`, '已标记发货');
    case 'receive':
      await requireDocumentRole(ctx, action.documentId, 'receive');
      await receiveTransfer(ctx, action.documentId);
      return done(ctx, `document:${action.documentId}`, '已确认收货');
    case 'receive_short': {
      const { lines } = await requireDocumentRole(ctx, action.documentId, 'receive');
      const short = parseLineQuantities(form.shortage ?? '', lines, 'shortage');
      const received = lines.map((l) => ({ line: l.lineNo, qty: dec(l.qty).minus(short.get(l.lineNo) ?? 0).toFixed() }));
      const over = lines.find((l) => dec(l.qty).lt(short.get(l.lineNo) ?? 0));
      if (over) throw ValidationError.field('shortage', `${over.sku} 的短缺数量 ${short.get(over.lineNo)} 超过了发货数量 ${dec(over.qty).toFixed()}`);
      await receiveTransfer(ctx, action.documentId, received);
      return done(ctx, `document:${action.documentId}`, '已收货，短缺已记录');
    }
    case 'qc': {
      const { lines } = await requireDocumentRole(ctx, action.documentId, 'qc');
      const accepted = parseLineQuantities(form.accepted ?? '', lines, 'accepted');
      await postDocument(ctx, action.documentId, lines.map((l) => ({ line: l.lineNo, acceptedQty: accepted.get(l.lineNo) ?? '0' })));
      return done(ctx, `qc:${action.documentId}`, '质检已记录，合格品已入库');
    }
    case 'confirm_return':
      return { toast: { kind: 'success', text: '已提交退货，等待质检' }, card: await decideReturn(ctx, action.draftId, 'confirmed') };
    case 'cancel_return':
      return { toast: { kind: 'info', text: '已取消' }, card: await decideReturn(ctx, action.draftId, 'cancelled') };
    case 'ack_alert':
      return { toast: { kind: 'success', text: '已确认，提醒不再重复' }, card: await actOnAlert(ctx, action.alertId, { kind: 'acknowledge' }) };
    case 'snooze_alert':
      return { toast: { kind: 'success', text: `好的，${action.hours} 小时后再提醒` }, card: await actOnAlert(ctx, action.alertId, { kind: 'snooze', hours: action.hours }) };
    case 'pick_item':
      return { card: await pickItem(ctx, action.sessionId, action.itemId, where) };
    case 'bind_chat': {
      if (ctx.actor.type === 'job' || !ctx.actor.roles.includes('admin')) throw new ForbiddenError('只有管理员可以把群绑定到仓库');
      const platform = bindingPlatformOf(where.platform);
      if (!where.chatId || !platform) throw ValidationError.field('chatId', '这个聊天不能绑定到仓库');
      await bindChat(ctx, { warehouse: action.warehouseCode, platform, chatId: where.chatId });
      return { toast: { kind: 'success', text: `已绑定到仓库 ${action.warehouseCode}` },
        card: renderNoticeCard({ title: '群已绑定', tone: 'success', text: `这个群会收到仓库 ${action.warehouseCode} 的提醒、审批和日报。` }) };
    }
    default:
      return { toast: { kind: 'info', text: '这个操作还不能在聊天里完成，请在系统里处理' } };
  }
}

async function done(ctx: Ctx, subject: string, text: string): Promise<ActionAnswer> {
  return { toast: { kind: 'success', text }, card: await cardForSubject(ctx, subject) };
}

/** The chat-binding platform a group on this chat platform is bound as (a WeCom app's 1:1 chats cannot be). */
const bindingPlatformOf = (p: PlatformName) => (p === 'lark' || p === 'sandbox' || p === 'wecom-aibot' ? p : undefined);
