import { z } from 'zod';

/** Why a customer brought goods back; the same codes the return-draft card names (cards/format.ts). */
export const returnReasons = ['expired', 'near_expiry', 'damaged', 'wrong_item', 'quality', 'other'] as const;
export type ReturnReason = (typeof returnReasons)[number];

/** What an approver can type about a document waiting for them (a reject needs a reason). */
export const decisions = ['approve', 'reject'] as const;
export type DecisionWord = (typeof decisions)[number];

/** What a ledger question counts (`今天卖了多少可乐`, `红牛在途多少`). */
export const measures = ['sold', 'received', 'in_transit'] as const;
export type Measure = (typeof measures)[number];

/** The periods a ledger question can name, local days in APP_TIMEZONE, weeks from Monday. */
export const periods = ['today', 'yesterday', 'this_week', 'last_week', 'this_month', 'last_month'] as const;
export type Period = (typeof periods)[number];

/** A lead's work lists: overdue documents, transfers to receive, returns to inspect, lots near expiry, the digest, all of it. */
export const workLists = ['overdue', 'awaiting_receipt', 'awaiting_qc', 'near_expiry', 'digest', 'todo'] as const;
export type WorkList = (typeof workLists)[number];

const documentNumber = z.string().regex(/^[A-Z]{2}-\d{8}-\d{4,6}$/);
const amount = z.string().regex(/^\d+(\.\d+)?$/);

// Slot values are what the person typed, trimmed; never an empty string (an absent slot is left out).
const typed = z.string().min(1).refine((s) => s === s.trim(), 'trimmed');
const itemWords = z.string().refine((s) => s === s.trim(), 'trimmed');

/**
 * What a chat message asks for. One schema is the contract for the handler and for the fuzz
 * test, which checks that every answer `understand` gives is one of these shapes.
 */
/** Documents typed in chat (`调拨 …`, `报损 …`, `盘点 …`), read by document-request.ts. */
export const documentKinds = ['transfer', 'wastage', 'count'] as const;
export type DocumentKind = (typeof documentKinds)[number];

export const documentRequestSchema = z.strictObject({
  intent: z.literal('document_request'),
  kind: z.enum(documentKinds),
  /** The items and quantities as typed, trimmed: `红牛 5箱`; '' when none were typed. */
  lines: z.string().refine((s) => s === s.trim(), 'trimmed'),
  from: z.string().min(1).optional(),
  to: z.string().min(1).optional(),
  /** Wastage: why, in the person's words (`破损`). */
  reason: z.string().min(1).optional(),
});
export type DocumentRequestIntent = z.infer<typeof documentRequestSchema>;

/**
 * `取消刚才的退货`, `我刚才那个调拨取消掉`, `撤销上一个`: the asker's latest draft (or document
 * they may still cancel), of a kind when one is named.
 */
export const cancelLatestSchema = z.strictObject({
  intent: z.literal('cancel_latest'),
  what: z.enum(['return', 'transfer', 'wastage', 'count', 'work_report', 'receipt']).optional(),
});
export type CancelLatestIntent = z.infer<typeof cancelLatestSchema>;

/** A transfer's number with a word for "short", read by short-receipt.ts. */
export const shortReceiptSchema = z.strictObject({
  intent: z.literal('short_receipt'),
  number: z.string().regex(/^[A-Z]{2}-\d{8}-\d{4,6}$/),
  /** The message without the number: `可乐少了2罐`; '' when only the number and a short word were typed. */
  shortage: z.string().refine((s) => s === s.trim(), 'trimmed'),
});
export type ShortReceiptIntent = z.infer<typeof shortReceiptSchema>;

export const intentSchema = z.discriminatedUnion('intent', [
  /**
   * `item` is '' when only the question was typed (`库存`): ask which item (or, with a warehouse,
   * what it holds). `items`: each item when several were named (`可乐和红牛`, `可乐、红牛`); `bare`:
   * the message was nothing but the words of `item` (`可乐`, `kele?`), so when no item matches it
   * was probably not about one.
   */
  z.strictObject({
    intent: z.literal('stock'), item: itemWords, items: z.array(typed).min(2).optional(), warehouse: typed.optional(), bare: z.literal(true).optional(),
  }),
  /**
   * `今天卖了多少可乐`, `上周进了多少货` (item ''), `红牛在途多少`: `period` only for what moved (sold,
   * received); `items` as for a stock question.
   */
  z.strictObject({
    intent: z.literal('movement'), measure: z.enum(measures), item: itemWords, items: z.array(typed).min(2).optional(),
    period: z.enum(periods).optional(), warehouse: typed.optional(),
  }),
  /** `超期单据`, `待收货 @徐汇店`, `临期`, `日报`, `今天有什么要处理的`. */
  z.strictObject({ intent: z.literal('work'), list: z.enum(workLists), warehouse: typed.optional() }),
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
  shortReceiptSchema, documentRequestSchema, cancelLatestSchema,
  /**
   * `批准 PO-20261125-0012`, `驳回 PO-20261125-0012 价格太高`: every document number typed, in
   * order, none twice (zero or several are answered with what to type); `reason` is the rest of
   * the message in the person's words — a reject's reason, an approval's comment.
   */
  z.strictObject({ intent: z.literal('decide'), decision: z.enum(decisions), numbers: z.array(documentNumber), reason: typed.optional() }),
  /**
   * `报工 MO-20261206-0003 包装 2小时 合格200 报废3` (or `机时1.5`): what was read of it; parts not
   * typed are left out, and numbers that said nothing about what they are come back in `unclear`.
   */
  z.strictObject({
    intent: z.literal('work_report'),
    number: documentNumber.optional(),
    operation: typed.optional(),
    workCenter: typed.optional(),
    laborHours: amount.optional(),
    machineHours: amount.optional(),
    goodQty: amount.optional(),
    scrapQty: amount.optional(),
    unclear: z.array(typed).optional(),
  }),
  /**
   * `改 可乐 3箱`, `改 RQ-20261207-0001 红牛 5箱`: new quantities for a draft order, as typed after the
   * opening word (`lines`, '' when nothing followed); `number` names the draft, else the person's latest.
   */
  z.strictObject({ intent: z.literal('adjust_order'), lines: z.string(), number: documentNumber.optional() }),
  /**
   * `要货 可乐 10箱 红牛 5箱 @浦东店`: each item named with the quantity next to it (before or after);
   * an item typed without one comes back without `qty`, for the bot to ask about.
   */
  z.strictObject({
    intent: z.literal('requisition'),
    lines: z.array(z.strictObject({ item: typed, qty: z.strictObject({ amount, unit: typed.optional() }).optional() })),
    warehouse: typed.optional(),
  }),
  /** `成本 杯面`, `cost cup noodles`: '' when no item was named. */
  z.strictObject({ intent: z.literal('unit_cost'), item: itemWords }),
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
export type WorkReportIntent = Extract<Intent, { intent: 'work_report' }>;
export type StockIntent = Extract<Intent, { intent: 'stock' }>;
export type MovementIntent = Extract<Intent, { intent: 'movement' }>;
export type WorkIntent = Extract<Intent, { intent: 'work' }>;
export type RequisitionIntent = Extract<Intent, { intent: 'requisition' }>;
