import { z } from '@hono/zod-openapi';
import { documentStatuses, documentTypes } from '../../../db/schema';
import { calendarDate, clientString, codeString, nonNegativeDecimal, positiveDecimal, signedDecimal, sku, textField, warehouseCode } from '../schemas';
import { ProductionDetails } from './production-schemas';

export const DocumentLineBody = z.object({
  sku,
  qty: signedDecimal(3).openapi({ description: 'positive; a stocktake: the counted quantity; an adjustment: signed' }),
  unitCost: nonNegativeDecimal(6).optional().openapi({ description: 'required for opening and receipt; values a surplus elsewhere' }),
  lot: codeString('lot').optional(),
  expiresOn: calendarDate('expiresOn').optional(),
  reason: textField('reason').optional(),
  previousQty: nonNegativeDecimal(3).optional().openapi({ description: 'opening only: what the old system showed' }),
});

export const CreateDocumentBody = z.object({
  type: z.enum(documentTypes),
  warehouse: warehouseCode.optional().openapi({ description: 'the warehouse acted on (a transfer: its source); required' }),
  toWarehouse: warehouseCode.optional(),
  counterparty: textField('counterparty').optional(),
  reason: textField('reason').optional(),
  externalRef: textField('externalRef', 100).optional().openapi({ description: 'created once per organisation, like an Idempotency-Key' }),
  returnOf: textField('returnOf', 64).optional().openapi({ description: 'number or id of the posted issue or receipt returned' }),
  note: textField('note', 2000).optional(),
  orderOf: textField('orderOf', 64).optional().openapi({ description: 'receipt, issue or transfer: number or id of the purchase order, sales order or requisition it fulfils' }),
  expectedOn: calendarDate('expectedOn').optional().openapi({ description: 'purchase order: when the goods are expected; past it the order is overdue' }),
  dueOn: calendarDate('dueOn').optional().openapi({ description: 'sales order or requisition: when it is needed' }),
  lines: z.array(DocumentLineBody).min(1, 'at least one line is required').max(1000),
  submit: z.boolean().optional(),
  bomVersion: z.number().int().positive().optional().openapi({ description: 'production: the BOM version (default: the active one at submission)' }),
  materials: z.array(z.object({ sku, qty: positiveDecimal(3) })).max(200).optional()
    .openapi({ description: 'production: materials for the whole quantity, replacing the BOM (rework lists the output itself)' }),
}).openapi('CreateDocument');

export const QcBody = z.object({
  lines: z.array(z.object({ line: z.number().int().positive(), acceptedQty: nonNegativeDecimal(3) })).optional(),
});
export const ReceiveBody = z.object({
  lines: z.array(z.object({ line: z.number().int().positive(), qty: nonNegativeDecimal(3) })).optional(),
});
export const ApproveBody = z.object({ comment: textField('comment', 500).optional() });
export const RejectBody = z.object({ reason: textField('reason', 500) });
export const OverdueQuery = z.object({ warehouse: clientString('warehouse').max(64).optional() });
export const Overdue = z.object({
  warehouses: z.array(z.object({
    warehouse: z.string(), name: z.string(),
    documents: z.array(z.object({
      id: z.string(), number: z.string(), type: z.string(), status: z.string(), dueAt: z.string(),
      waitingSince: z.string().nullable(), ageHours: z.number(), overdueHours: z.number(),
    })),
  })),
}).openapi('Overdue');

export const FulfilBody = z.object({
  lines: z.array(z.object({ line: z.number().int().positive(), qty: positiveDecimal(3) })).max(1000).optional()
    .openapi({ description: 'order lines and quantities to fill (default: everything still open)' }),
});

export const CancelBody = z.object({ comment: textField('comment', 500).optional() });

export const DocumentParams = z.object({ id: clientString('id').min(1).max(64).openapi({ description: 'document id or number' }) });

export const DocumentQuery = z.object({
  status: z.enum(documentStatuses).optional(),
  type: z.enum(documentTypes).optional(),
  number: clientString('number').max(64).optional(),
  warehouse: clientString('warehouse').max(64).optional(),
  hasDiscrepancy: z.enum(['true', 'false']).transform((v) => v === 'true').optional()
    .openapi({ description: 'true: transfers received short and stocktakes with a line counted off its book quantity; false: the others' }),
  reversal: z.enum(['true', 'false']).transform((v) => v === 'true').optional().openapi({ description: 'true: only reversals (红字冲销); false: none' }),
  from: calendarDate('from').optional().openapi({ description: 'created on or after this local day (APP_TIMEZONE)' }),
  to: calendarDate('to').optional().openapi({ description: 'created on or before this local day (APP_TIMEZONE)' }),
  before: z.string().uuid().optional().openapi({ description: 'a document id: page on from it (newest first)' }),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

const nullableDecimal = z.string().nullable();

export const DocumentLine = z.object({
  line: z.number(), sku: z.string(), qty: z.string(), unitCost: nullableDecimal, value: nullableDecimal,
  lot: z.string().nullable(), expiresOn: z.string().nullable(), reason: z.string().nullable(),
  previousQty: nullableDecimal, bookQty: nullableDecimal, variance: nullableDecimal,
  receivedQty: nullableDecimal, discrepancyQty: nullableDecimal, discrepancyValue: nullableDecimal,
  acceptedQty: nullableDecimal, rejectedQty: nullableDecimal,
  fulfilledQty: z.string().optional().openapi({ description: 'orders: received, issued or shipped against the line' }),
  cancelledQty: z.string().optional().openapi({ description: 'orders: called off' }),
  openQty: z.string().optional().openapi({ description: 'orders: still expected (purchase orders, requisitions) or reserved (sales orders)' }),
});

export const Document = z.object({
  id: z.string(), number: z.string(), type: z.enum(documentTypes), status: z.enum(documentStatuses),
  warehouse: z.string(), toWarehouse: z.string().nullable(), counterparty: z.string().nullable(),
  reason: z.string().nullable(), note: z.string().nullable(), externalRef: z.string().nullable(),
  returnOf: z.string().nullable(), orderOf: z.string().nullable(),
  expectedOn: z.string().nullable().optional(), dueOn: z.string().nullable().optional(), totalValue: z.string(), hasDiscrepancy: z.boolean(),
  lines: z.array(DocumentLine),
  approvals: z.array(z.object({
    level: z.number(), status: z.enum(['waiting', 'pending', 'approved', 'rejected']), roles: z.array(z.string()), users: z.array(z.string()),
    rules: z.array(z.string()), by: z.string().nullable(), byUserId: z.string().nullable(), at: z.string().nullable(), comment: z.string().nullable(),
  })),
  reverses: z.string().nullable(), reversedBy: z.string().nullable(), rejectReason: z.string().nullable(),
  createdAt: z.string().nullable(), submittedAt: z.string().nullable(), approvedAt: z.string().nullable(),
  rejectedAt: z.string().nullable(), shippedAt: z.string().nullable(), receivedAt: z.string().nullable(),
  postedAt: z.string().nullable(), cancelledAt: z.string().nullable(), dueAt: z.string().nullable(),
}).extend(ProductionDetails.partial().shape).openapi('Document');

