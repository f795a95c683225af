import type { TestApp } from '../harness';
import { inventory } from './inventory';

/** Three days of movements: A (drinks, 箱=24) in WH below its minimum, B (snacks) in ST, C (no category) a lot near expiry. */
export async function stockOrg(h: TestApp) {
  const o = await h.createOrg();
  const inv = inventory(o.api);
  await inv.warehouse('WH');
  await inv.warehouse('ST', 'store');
  await inv.item('A', { name: '可乐', unit: '罐', category: 'drinks', packUnits: [{ name: '箱', factor: 24 }] });
  await inv.item('B', { name: '薯片', unit: '包', category: 'snacks' });
  await inv.item('C', { name: '牛奶', unit: '盒', lotTracked: true, shelfLifeDays: 365 });
  await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 40 });
  await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'B', warehouse: 'ST', minQty: 5 });
  h.setNow(new Date('2026-03-08T02:00:00Z'));
  await inv.receipt('WH', 'A', 48, 2);
  await inv.receipt('ST', 'B', 10, '1.5');
  h.setNow(new Date('2026-03-09T02:00:00Z'));
  const first = await inv.issue('WH', 'A', 12);
  await inv.receipt('WH', 'C', 5, 10, { lot: 'L1', expiresOn: '2026-03-20' });
  h.setNow(new Date('2026-03-10T02:00:00Z'));
  const second = await inv.issue('WH', 'A', 6);
  return { ...o, inv, first, second };
}
