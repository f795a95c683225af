/**
 * Button values, encoded and decoded in one place. A click carries only this id: the server loads
 * the current state and checks the verified clicker's rights; nothing in it is trusted for who may act.
 * Format: `verb:arg[:arg…]`, short enough for every platform's limits (WeCom keys ≤ 1024 bytes).
 */
export type Action =
  | { verb: 'approve'; documentId: string }
  | { verb: 'reject'; documentId: string }
  | { verb: 'ship'; documentId: string }
  | { verb: 'post'; documentId: string }
  | { verb: 'cancel'; documentId: string }
  | { verb: 'receive'; documentId: string }
  | { verb: 'receive_short'; documentId: string }
  | { verb: 'qc'; documentId: string }
  | { verb: 'fulfil'; documentId: string }
  | { verb: 'ack_alert'; alertId: string }
  | { verb: 'snooze_alert'; alertId: string; hours: number }
  | { verb: 'confirm_return'; draftId: string }
  | { verb: 'cancel_return'; draftId: string }
  | { verb: 'confirm_work'; draftId: string }
  | { verb: 'cancel_work'; draftId: string }
  | { verb: 'confirm_requisition'; draftId: string }
  | { verb: 'cancel_requisition'; draftId: string }
  | { verb: 'confirm_receipt'; draftId: string }
  | { verb: 'cancel_receipt'; draftId: string }
  | { verb: 'confirm_doc'; draftId: string }
  | { verb: 'cancel_doc'; draftId: string }
  | { verb: 'pick_item'; sessionId: string; itemId: string }
  | { verb: 'bind_chat'; warehouseCode: string }
  /** Replenishment: a draft purchase order or requisition from a low-stock alert, with the suggested quantity. */
  | { verb: 'draft_po' | 'draft_rq'; alertId: string }
  /** Replenishment: submit a draft order made from a card, or change its quantities first. */
  | { verb: 'submit_draft' | 'adjust_draft'; documentId: string }
  /** The weekly 要货建议 of a store (warehouse id) for the week starting on a date (YYYYMMDD): its requisitions. */
  | { verb: 'weekly_rq'; warehouseId: string; week: string };

type Verb = Action['verb'];

const docVerbs = ['approve', 'reject', 'ship', 'post', 'cancel', 'receive', 'receive_short', 'qc', 'fulfil', 'submit_draft', 'adjust_draft'] as const;
const alertDraftVerbs = ['draft_po', 'draft_rq'] as const;
const alertVerbs = ['ack_alert'] as const;
/** A chat draft's 确认 / 取消: returns, work reports, 要货, short receipts and documents typed in chat. */
const returnVerbs = [
  'confirm_return', 'cancel_return', 'confirm_work', 'cancel_work', 'confirm_requisition', 'cancel_requisition',
  'confirm_receipt', 'cancel_receipt', 'confirm_doc', 'cancel_doc',
] as const;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const code = /^[\p{L}\p{N}_.-]{1,64}$/u;
/** A snooze longer than a month is a forged id, not a choice anyone made on a card. */
export const MAX_SNOOZE_HOURS = 24 * 30;

export function encodeAction(a: Action): string {
  switch (a.verb) {
    case 'snooze_alert': return `${a.verb}:${a.alertId}:${a.hours}`;
    case 'ack_alert': return `${a.verb}:${a.alertId}`;
    case 'confirm_return': case 'cancel_return': case 'confirm_work': case 'cancel_work':
    case 'confirm_requisition': case 'cancel_requisition':
    case 'confirm_receipt': case 'cancel_receipt': case 'confirm_doc': case 'cancel_doc': return `${a.verb}:${a.draftId}`;
    case 'pick_item': return `${a.verb}:${a.sessionId}:${a.itemId}`;
    case 'bind_chat': return `${a.verb}:${a.warehouseCode}`;
    case 'draft_po': case 'draft_rq': return `${a.verb}:${a.alertId}`;
    case 'weekly_rq': return `${a.verb}:${a.warehouseId}:${a.week}`;
    default: return `${a.verb}:${a.documentId}`;
  }
}

/** The action an id names, or undefined for anything malformed (a forged or stale click). */
export function decodeAction(id: string): Action | undefined {
  const [verb, ...args] = id.split(':') as [Verb, ...string[]];
  const [a, b] = args;
  if ((docVerbs as readonly string[]).includes(verb)) return args.length === 1 && uuid.test(a!) ? { verb, documentId: a! } as Action : undefined;
  if ((alertDraftVerbs as readonly string[]).includes(verb)) return args.length === 1 && uuid.test(a!) ? { verb, alertId: a! } as Action : undefined;
  if (verb === 'weekly_rq') return args.length === 2 && uuid.test(a!) && /^\d{8}$/.test(b!) ? { verb, warehouseId: a!, week: b! } : undefined;
  if ((alertVerbs as readonly string[]).includes(verb)) return args.length === 1 && uuid.test(a!) ? { verb: 'ack_alert', alertId: a! } : undefined;
  if ((returnVerbs as readonly string[]).includes(verb)) return args.length === 1 && uuid.test(a!) ? { verb, draftId: a! } as Action : undefined;
  if (verb === 'snooze_alert') {
    // Digits only, as encodeAction writes them: Number() alone would take "0x10", "1e2" or " 4".
    const hours = /^[1-9][0-9]{0,3}$/.test(b ?? '') ? Number(b) : NaN;
    return args.length === 2 && uuid.test(a!) && hours <= MAX_SNOOZE_HOURS ? { verb, alertId: a!, hours } : undefined;
  }
  if (verb === 'pick_item') return args.length === 2 && uuid.test(a!) && uuid.test(b!) ? { verb, sessionId: a!, itemId: b! } : undefined;
  if (verb === 'bind_chat') return args.length === 1 && code.test(a!) ? { verb, warehouseCode: a! } : undefined;
  return undefined;
}
