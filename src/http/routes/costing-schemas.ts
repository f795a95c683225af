import { z } from '@hono/zod-openapi';
import { poolDrivers } from '../../../db/schema';
import { nonNegativeDecimal, textField } from '../schemas';

const decimal = z.string();
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM').openapi({ example: '2026-12' });

export const PeriodParams = z.object({ period });
export const PoolsBody = z.object({
  pools: z.array(z.object({
    name: textField('name', 100), amount: nonNegativeDecimal(2), driver: z.enum(poolDrivers),
    formula: z.string().max(500).optional().openapi({ description: 'driver "formula": arithmetic over qty, laborHours, machineHours, materialCost, runs', example: 'runs * 120' }),
  })).max(50),
});
export const Pools = z.object({
  period: z.string(),
  pools: z.array(z.object({ name: z.string(), amount: decimal, driver: z.enum(poolDrivers), formula: z.string().nullable() })),
}).openapi('CostPools');
export const Close = z.object({
  period: z.string(), status: z.literal('closed'), closedAt: z.string(),
  allocations: z.array(z.object({ pool: z.string(), document: z.string(), number: z.string(), sku: z.string(), amount: decimal })),
  orders: z.array(z.object({
    document: z.string(), number: z.string(), sku: z.string(), step: z.number(), qty: decimal, runs: z.number(),
    direct: decimal, inherited: decimal, passedOn: decimal, stockValue: decimal, variance: decimal, revaluation: z.string().nullable(),
  })),
}).openapi('CostClose');
export const Reopen = z.object({ period: z.string(), status: z.literal('open'), reversals: z.array(z.string()) });
export const UnitCostQuery = z.object({
  compare: period.optional().openapi({ description: 'another month to put beside each row' }),
  format: z.enum(['json', 'csv', 'xlsx']).optional(),
});
export const UnitCosts = z.object({
  period: z.string(), status: z.enum(['open', 'closed']),
  rows: z.array(z.object({
    sku: z.string(), name: z.string(), qty: decimal, material: decimal, labor: decimal, machine: decimal, overhead: decimal, total: decimal, unitCost: decimal,
    compare: z.object({ period: z.string(), unitCost: decimal.nullable(), diff: decimal.nullable(), diffPct: decimal.nullable() }).optional(),
  })),
}).openapi('UnitCostTable');
