import { roleName } from '../../../cards/format';
import type { DocumentView } from '../../inventory/documents/view';
import { isOrder } from '../../orders/kinds';

/**
 * Who must act on a document now, and since when, as its status card says it (当前处理): the
 * approval level waiting, the warehouse that must check in, post, ship or receive, or the one who
 * drafted it. None once the document is done (posted, received, rejected, cancelled).
 */
export function holderOf(doc: DocumentView, names?: ReadonlyMap<string, string>): { who: string; since: string } | null {
  const place = (code: string | null) => (code ? names?.get(code) ?? code : '');
  const at = (since: string | null, who: string) => (since ? { who, since } : null);
  switch (doc.status) {
    case 'draft':
      return at(doc.createdAt, '制单人（未提交）');
    case 'awaiting_approval': {
      const pending = doc.approvals.find((a) => a.status === 'pending');
      const lastDecided = doc.approvals.map((a) => a.at).filter((t): t is string => t !== null).sort().at(-1);
      const who = pending ? `第 ${pending.level} 级审批（${pending.roles.length ? pending.roles.map(roleName).join('、') : '指定审批人'}）` : '审批人';
      return at(lastDecided ?? doc.submittedAt, who);
    }
    case 'submitted':
      return at(doc.submittedAt, `${place(doc.warehouse)} ${nextStep(doc.type)}`);
    case 'approved':
      return at(doc.approvedAt, `${place(doc.warehouse)} ${nextStep(doc.type)}`);
    case 'in_progress':
      return at(doc.approvedAt ?? doc.submittedAt, `${place(doc.warehouse)} 生产`);
    case 'shipped':
      return at(doc.shippedAt, `${place(doc.toWarehouse)} 收货`);
    default:
      return null;
  }
}

/** What the warehouse does next with a submitted or approved document of this type. */
function nextStep(type: string): string {
  if (type === 'customer_return') return '质检';
  if (type === 'purchase_order') return '收货';
  return isOrder(type) || type === 'transfer' ? '发货' : '过账';
}
