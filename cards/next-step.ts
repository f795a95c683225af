import { encodeAction } from './actions';
import type { Button } from './model';
import { orderButton } from './order-card';

/** The verb of a document's one-tap next step, if its state has one a card can take. */
export type NextStep = 'ship' | 'receive' | 'post';

/**
 * The step a document waits for that a card can take: ship a transfer (approved, or submitted by
 * someone who may not ship it), confirm a shipped one, post a count or an adjustment waiting for its
 * lead. Approvals keep to their own card (it shows the value and lines an approver must see); open
 * sales orders and requisitions have their own buttons (一键发货 / 按单调拨).
 */
export function nextStepOf(doc: { type: string; status: string }): NextStep | undefined {
  if (doc.type === 'transfer') {
    if (doc.status === 'approved' || doc.status === 'submitted') return 'ship';
    if (doc.status === 'shipped') return 'receive';
    return undefined;
  }
  if ((doc.type === 'adjustment' || doc.type === 'stocktake') && (doc.status === 'submitted' || doc.status === 'approved')) return 'post';
  return undefined;
}

const labels: Record<NextStep, string> = { ship: '标记发货', receive: '确认收货', post: '过账' };

/** The button for the next step; the server checks the state and the clicker again. */
export function nextStepButton(doc: { id: string; type: string; status: string }, suffix = ''): Button | undefined {
  if ((doc.type === 'sales_order' || doc.type === 'requisition') && doc.status === 'approved') return orderButton(doc, suffix);
  const step = nextStepOf(doc);
  return step && { id: encodeAction({ verb: step, documentId: doc.id }), label: `${labels[step]}${suffix}`, style: 'primary' };
}
