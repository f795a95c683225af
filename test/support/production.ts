import type { TestApp } from '../harness';
import { inventory } from './inventory';

/**
 * A kitchen to produce in: warehouse K; work centres MIX (labour 30/h, machine 12/h) and PACK
 * (labour 24/h, no machine); FLOUR 100 kg at 4, OIL 10 kg at 12, CUP 500 at 0.30 (moving average);
 * SUGAR (FIFO) 10 at 2 then 10 at 3. Items NOODLE (moving average), CUPNOODLE and JAM (FIFO) have no stock.
 */
export async function kitchenOrg(h: TestApp) {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.warehouse('K');
  for (const sku of ['FLOUR', 'OIL', 'CUP', 'NOODLE']) await inv.item(sku);
  await inv.item('CUPNOODLE', { valuationMethod: 'fifo' });
  await inv.item('SUGAR', { valuationMethod: 'fifo' });
  await inv.item('JAM', { valuationMethod: 'fifo' });
  await inv.ok('PUT', '/api/v1/work-centers/MIX', { name: '和面线', laborRate: 30, machineRate: 12 });
  await inv.ok('PUT', '/api/v1/work-centers/PACK', { name: '包装线', laborRate: 24, machineRate: 0 });
  await inv.receipt('K', 'FLOUR', 100, 4);
  await inv.receipt('K', 'OIL', 10, 12);
  await inv.receipt('K', 'CUP', 500, '0.3');
  await inv.receipt('K', 'SUGAR', 10, 2);
  await inv.receipt('K', 'SUGAR', 10, 3);
  const bom = (sku: string, body: unknown) => inv.ok('PUT', `/api/v1/boms/${sku}`, body);
  /** Creates and submits a production order: in progress at once (no approval rules). */
  const order = (sku: string, qty: number | string, extra: Record<string, unknown> = {}) =>
    inv.ok('POST', '/api/v1/documents', { type: 'production', warehouse: 'K', lines: [{ sku, qty }], submit: true, ...extra });
  const report = (doc: { id: string }, body: unknown, headers: Record<string, string> = {}) =>
    org.api('POST', `/api/v1/documents/${doc.id}/work-reports`, body, headers);
  const complete = (doc: { id: string }, body: unknown) => org.api('POST', `/api/v1/documents/${doc.id}/complete`, body);
  return { ...org, inv, bom, order, report, complete };
}

/** The two-level cup noodle: NOODLE (10 blocks from 1 kg flour +5% scrap and 0.2 kg oil, 3 min at MIX) in a CUP (+2%), 0.5 min at PACK. */
export async function cupNoodleBoms(k: Awaited<ReturnType<typeof kitchenOrg>>) {
  await k.bom('NOODLE', { outputQty: 10, lines: [{ sku: 'FLOUR', qty: 1, scrapPct: 5 }, { sku: 'OIL', qty: '0.2' }], operations: [{ name: '压面', workCenter: 'MIX', minutesPerUnit: 3 }] });
  await k.bom('CUPNOODLE', { lines: [{ sku: 'NOODLE', qty: 1 }, { sku: 'CUP', qty: 1, scrapPct: 2 }], operations: [{ name: '包装', workCenter: 'PACK', minutesPerUnit: '0.5' }] });
}
