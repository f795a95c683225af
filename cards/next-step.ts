import { encodeAction } from './actions';
import type { Button } from './model';

/**
 * The one-tap next step a document's state allows from a card: ship an approved transfer, confirm
 * a shipped one. Approvals keep to their own card (it shows the value and lines an approver must
 * see); other steps are done in the system. The server checks the state and the clicker again.
 */
export function nextStepButton(doc: { id: string; type: string; status: string }, suffix = ''): Button | undefined {
  if (doc.type !== 'transfer') return undefined;
  if (doc.status === 'approved') return { id: encodeAction({ verb: 'ship', documentId: doc.id }), label: `标记发货${suffix}`, style: 'primary' };
  if (doc.status === 'shipped') return { id: encodeAction({ verb: 'receive', documentId: doc.id }), label: `确认收货${suffix}`, style: 'primary' };
  return undefined;
}
