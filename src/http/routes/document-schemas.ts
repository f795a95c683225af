import { z } from '@hono/zod-openapi';
import { documentStatuses, documentTypes } from '../../../db/schema';
import { codeString, nonNegativeDecimal, signedDecimal, sku, textField, warehouseCode } from '../schemas';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date');

export const DocumentLineBody = z.object({
  sku,
  qty: signedDecimal(3).openapi({ description: 'positive; a stocktake: the counted quantity; an adjustment: signed' }),
  unitCost: nonNegativeDecimal(6).optional().openapi({ description: 'required for opening and receipt; values a surplus elsewhere' }),
  lot: codeString('lot').optional(),
  expiresOn: isoDate.optional(),
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
  lines: z.array(DocumentLineBody).min(1, 'at least one line is required').max(1000),
  submit: z.boolean().optional(),
}).openapi('CreateDocument');

export const QcBody = z.object({
  lines: z.array(z.object({ line: z.number().int().positive(), acceptedQty: nonNegativeDecimal(3) })).optional(),
});
export const ReceiveBody = z.object({
  lines: z.array(z.object({ line: z.number().int().positive(), qty: nonNegativeDecimal(3) })).optional(),
});
export const ApproveBody = z.object({ comment: textField('comment', 500).optional() });
export const RejectBody = z.object({ reason: textField('reason', 500) });
export const OverdueQuery = z.object({ warehouse: z.string().max(64).optional() });
export const Overdue = z.object({
  warehouses: z.array(z.object({
    warehouse: z.string(), name: z.string(),
    documents: z.array(z.object({
      id: z.string(), number: z.string(), type: z.string(), status: z.string(), dueAt: z.string(),
      waitingSince: z.string().nullable(), ageHours: z.number(), overdueHours: z.number(),
    })),
  })),
}).openapi('Overdue');

export const CancelBody = z.object({ comment: textField('comment', 500).optional() });

export const DocumentParams = z.object({ id: z.string().min(1).max(64).openapi({ description: 'document id or number' }) });

export const DocumentQuery = z.object({
  status: z.enum(documentStatuses).optional(),
  type: z.enum(documentTypes).optional(),
  number: z.string().max(64).optional(),
  warehouse: z.string().max(64).optional(),
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
});

export const Document = z.object({
  id: z.string(), number: z.string(), type: z.enum(documentTypes), status: z.enum(documentStatuses),
  warehouse: z.string(), toWarehouse: z.string().nullable(), counterparty: z.string().nullable(),
  reason: z.string().nullable(), note: z.string().nullable(), externalRef: z.string().nullable(),
  returnOf: z.string().nullable(), totalValue: z.string(), hasDiscrepancy: z.boolean(),
  lines: z.array(DocumentLine),
  approvals: z.array(z.object({
    level: z.number(), status: z.enum(['waiting', 'pending', 'approved', 'rejected']), roles: z.array(z.string()), users: z.array(z.string()),
    rules: z.array(z.string()), by: z.string().nullable(), byUserId: z.string().nullable(), at: z.string().nullable(), comment: z.string().nullable(),
  })),
  reverses: z.string().nullable(), reversedBy: z.string().nullable(), rejectReason: z.string().nullable(),
  createdAt: z.string().nullable(), submittedAt: z.string().nullable(), approvedAt: z.string().nullable(),
  rejectedAt: z.string().nullable(), shippedAt: z.string().nullable(), receivedAt: z.string().nullable(),
  postedAt: z.string().nullable(), cancelledAt: z.string().nullable(), dueAt: z.string().nullable(),
}).openapi('Document');

