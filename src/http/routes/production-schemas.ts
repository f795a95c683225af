import { z } from '@hono/zod-openapi';
import { codeString, nonNegativeDecimal, positiveDecimal, sku, textField } from '../schemas';

const decimal = z.string();

export const WorkCenterBody = z.object({ name: textField('name'), laborRate: nonNegativeDecimal(4), machineRate: nonNegativeDecimal(4) });
export const WorkCenter = z.object({ code: z.string(), name: z.string(), laborRate: decimal, machineRate: decimal }).openapi('WorkCenter');

export const BomBody = z.object({
  outputQty: positiveDecimal(3).optional().openapi({ description: 'the lines make this many units (default 1)' }),
  lines: z.array(z.object({
    sku, qty: positiveDecimal(6), scrapPct: nonNegativeDecimal(3).optional().openapi({ description: 'scrap allowance, percent' }),
  })).min(1, 'at least one line is required').max(500),
  operations: z.array(z.object({
    name: textField('name', 100), workCenter: codeString('work center'), minutesPerUnit: nonNegativeDecimal(4).optional(),
  })).max(100).optional(),
});
export const Bom = z.object({
  sku: z.string(), version: z.number(), active: z.boolean(), outputQty: decimal,
  lines: z.array(z.object({ sku: z.string(), qty: decimal, scrapPct: decimal })),
  operations: z.array(z.object({ seq: z.number(), name: z.string(), workCenter: z.string(), minutesPerUnit: decimal })),
  createdAt: z.string(),
}).openapi('Bom');
export const VersionQuery = z.object({ version: z.coerce.number().int().positive().optional() });

type Cost = { sku: string; version: number; unitCost: string; material: string; labor: string; machine: string;
  lines: { sku: string; qty: string; unitCost: string; value: string; bom?: Cost }[] };
export const StandardCost: z.ZodType<Cost> = z.lazy(() => z.object({
  sku: z.string(), version: z.number(), unitCost: decimal, material: decimal, labor: decimal, machine: decimal,
  lines: z.array(z.object({ sku: z.string(), qty: decimal, unitCost: decimal, value: decimal, bom: StandardCost.optional() })),
})).openapi('StandardCost');

export const WorkReportBody = z.object({
  operation: textField('operation', 100),
  workCenter: codeString('work center').optional().openapi({ description: 'default: the work centre of the BOM operation of that name' }),
  laborHours: nonNegativeDecimal(3).optional(), machineHours: nonNegativeDecimal(3).optional(),
  goodQty: nonNegativeDecimal(3).optional(), scrapQty: nonNegativeDecimal(3).optional(),
});
export const WorkReport = z.object({
  id: z.string(), operation: z.string(), workCenter: z.string(), laborHours: decimal, machineHours: decimal, goodQty: decimal, scrapQty: decimal,
  laborCost: decimal, machineCost: decimal, cost: decimal, absorbed: z.boolean(), by: z.string().nullable(), at: z.string(),
}).openapi('WorkReport');

export const CompleteBody = z.object({
  qty: positiveDecimal(3),
  materials: z.array(z.object({ sku, qty: positiveDecimal(3) })).max(200).optional()
    .openapi({ description: 'what was actually used (default: the quota for qty)' }),
  final: z.boolean().optional().openapi({ description: 'the last completion: the order is posted' }),
});

export const ProductionDetails = z.object({
  workReports: z.array(WorkReport),
  completions: z.array(z.object({
    seq: z.number(), qty: decimal, materialCost: decimal, laborCost: decimal, machineCost: decimal, value: decimal, unitCost: decimal,
    final: z.boolean(), at: z.string(), reversedBy: z.string().nullable(),
  })),
  completedQty: decimal,
});
