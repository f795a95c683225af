import type { Queryable } from '../db/client';
import { scanLowStock, type LowStockScanSummary } from '../src/alerts/low-stock-scan';
import type { Config } from '../src/config';
import type { Logger } from '../src/lib/logger';

export type LowStockScanDeps = { db: Queryable; log: Logger; config?: Partial<Pick<Config, 'LOW_STOCK_REMIND_HOURS'>> | undefined };
export type { LowStockScanSummary };

/** Every 10 minutes: the low-stock pass over every organisation (`scanLowStock`). */
export async function runLowStockScan(deps: LowStockScanDeps, now: Date): Promise<LowStockScanSummary> {
  const summary = await scanLowStock(deps.db, now, deps.config?.LOW_STOCK_REMIND_HOURS ?? 24);
  if (summary.opened || summary.resolved || summary.snoozesEnded || summary.reminded) deps.log.info('low-stock scan', summary);
  return summary;
}
