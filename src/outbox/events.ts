import type { OutboxKind } from '../../db/schema';

/**
 * What each outbox event carries: the one definition writers and the fan-out share. Ids are enough
 * for the cards (rendered from the current state when sent); the rest is for logs and the audit.
 */
type DocumentRef = { documentId: string; number: string; type: string; warehouseId: string };

export type OutboxEvents = {
  /** A level of approval waits: its card to the approvals groups and the level's people. */
  approval_requested: DocumentRef & { level: number; roles: string[]; users: string[] };
  /** The same, again, for a level waiting too long. */
  approval_reminder: DocumentRef & { level: number; roles: string[]; users: string[]; reminder: number };
  /** A level waited past APPROVAL_ESCALATE_HOURS: the card one to one to the next role up. */
  approval_escalated: DocumentRef & { level: number; fromRoles: string[]; roles: string[] };
  /** Approved or rejected: every copy of the approval card shows it. */
  approval_decided: DocumentRef & { outcome: 'approved' | 'rejected'; by: string; comment: string | null };
  /** A customer return waits for QC by the warehouse's leads. */
  return_submitted: DocumentRef;
  /** A submitted transfer, count or adjustment waits for the warehouse's lead to ship or post it. */
  document_waiting: DocumentRef & { step: string };
  /** One document past its due time (per due time passed). */
  document_overdue: DocumentRef & { status: string; dueAt: string };
  /** A warehouse's overdue documents, as one card (escalated: to the supervisors). */
  overdue: { warehouseId: string; warehouse: string; documents: number; oldestDueAt: string; escalated: boolean };
  /** An item fell below its safety stock in a warehouse (announced, re-announced, or reminded). */
  low_stock: {
    alertId: string; itemId: string; warehouseId: string; sku: string; warehouse: string;
    qty: string; minQty: string; reorderQty: string | null; documentId: string | null; reason?: 'snooze_ended' | 'reminder';
  };
  /** An alert was acknowledged, snoozed or resolved: every copy of its card shows it. */
  alert_changed: { alertId: string };
  /** A warehouse holds lots near expiry (once a local day). */
  near_expiry: { warehouseId: string; subject: string; date: string; lots: number; nearExpiryDays: number };
  /** A digest chat's daily digest (once a local day per chat and warehouse). */
  daily_digest: { warehouseId: string; platform: string; chatId: string; subject: string; date: string; nearExpiryDays: number };
  /** A production order completed some output: what came in, at what unit cost, for the output warehouse's group. */
  production_completed: DocumentRef & { completionId: string; toWarehouseId: string; qty: string; unitCost: string };
  /** A sales order or requisition is open: its card (一键发货 / 按单调拨) to the group of the warehouse that fills it (`warehouseId`). */
  order_opened: DocumentRef;
  /** Monday's 要货建议 of a store (`week`: that Monday, YYYYMMDD) for its group. */
  weekly_requisition: { warehouseId: string; week: string };
  /** An open order was filled, reopened or cancelled (by any door): every copy of its card shows it. */
  order_changed: { documentId: string; status: string };
  /** A transfer left its source: the destination's group (or its receivers one to one) gets the receipt card. */
  transfer_shipped: DocumentRef & { toWarehouseId: string };
  /**
   * A document reached its end (posted; a transfer received): the person who asked for it hears it
   * (unless they did it themselves), and a received transfer's receipt cards show what arrived.
   */
  document_done: DocumentRef & { status: 'posted' | 'received'; requestedBy: string | null; by: string | null };
  /** A month's cost close: the unit cost table's top movers, for every chat bound for `digest`. */
  period_closed: { period: string; closeId: string };
};

// Every kind the table allows has a payload here, and nothing else.
export type Payload<K extends OutboxKind> = OutboxEvents[K];
const _every: Record<OutboxKind, true> = {} as { [K in keyof OutboxEvents]: true };
void _every;
