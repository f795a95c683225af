import { z } from 'zod';

/** Why a customer brought goods back; the same codes the return-draft card names (cards/format.ts). */
export const returnReasons = ['expired', 'near_expiry', 'damaged', 'wrong_item', 'quality', 'other'] as const;
export type ReturnReason = (typeof returnReasons)[number];

/** What an approver can type about a document waiting for them (a reject needs a reason). */
export const decisions = ['approve', 'reject'] as const;
export type DecisionWord = (typeof decisions)[number];

const documentNumber = z.string().regex(/^[A-Z]{2}-\d{8}-\d{4,6}$/);

// Slot values are what the person typed, trimmed; never an empty string (an absent slot is left out).
const typed = z.string().min(1).refine((s) => s === s.trim(), 'trimmed');
const itemWords = z.string().refine((s) => s === s.trim(), 'trimmed');

/**
 * What a chat message asks for. One schema is the contract for the handler and for the fuzz
 * test, which checks that every answer `understand` gives is one of these shapes.
 */
export const intentSchema = z.discriminatedUnion('intent', [
  /** `item` is '' when only the question was typed (`库存`): ask which item. */
  z.strictObject({ intent: z.literal('stock'), item: itemWords, warehouse: typed.optional() }),
  z.strictObject({ intent: z.literal('stock_barcode'), barcode: z.string().regex(/^\d{8,14}$/), warehouse: typed.optional() }),
  z.strictObject({
    intent: z.literal('return'),
    /** '' when no item was named (`退货` alone). */
    item: itemWords,
    /** `amount` is a decimal string; `unit` as typed (箱, cases, pcs…), absent for a bare number. */
    qty: z.strictObject({ amount: z.string().regex(/^\d+(\.\d+)?$/), unit: typed.optional() }).optional(),
    reason: z.enum(returnReasons),
    /** The reason in the person's own words, when they said more than a reason keyword. */
    reasonText: typed.optional(),
    customer: typed.optional(),
    warehouse: typed.optional(),
  }),
  z.strictObject({ intent: z.literal('document'), number: documentNumber }),
  /**
   * `批准 PO-20261125-0012`, `驳回 PO-20261125-0012 价格太高`: every document number typed, in
   * order, none twice (zero or several are answered with what to type); `reason` is the rest of
   * the message in the person's words — a reject's reason, an approval's comment.
   */
  z.strictObject({ intent: z.literal('decide'), decision: z.enum(decisions), numbers: z.array(documentNumber), reason: typed.optional() }),
  z.strictObject({ intent: z.literal('pending_approvals') }),
  z.strictObject({ intent: z.literal('low_stock'), warehouse: typed.optional() }),
  z.strictObject({ intent: z.literal('bind'), code: z.string().regex(/^\d{6}$/) }),
  /** `绑定本群`: an admin asks to bind the group this was typed in to a warehouse. */
  z.strictObject({ intent: z.literal('bind_group') }),
  z.strictObject({ intent: z.literal('help') }),
  /** `text` is the normalised message, for "没看懂「…」". */
  z.strictObject({ intent: z.literal('unknown'), text: z.string() }),
]);

export type Intent = z.infer<typeof intentSchema>;
export type IntentName = Intent['intent'];
export type ReturnIntent = Extract<Intent, { intent: 'return' }>;
export type DecideIntent = Extract<Intent, { intent: 'decide' }>;
