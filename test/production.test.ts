import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';
import { expectNoWrites } from './support/documents';
import { cupNoodleBoms, kitchenOrg } from './support/production';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

describe('BOMs and the standard cost', () => {
  it('rolls a two-level BOM up at today’s costs, through the intermediate that has no stock', async () => {
    const k = await kitchenOrg(h);
    await cupNoodleBoms(k);
    const cost = await k.inv.ok('GET', '/api/v1/boms/CUPNOODLE/cost');
    // NOODLE per block: FLOUR 1 kg × 1.05 / 10 = 0.105 kg × 4 = 0.42; OIL 0.2 / 10 = 0.02 kg × 12 = 0.24 → material 0.66;
    // 压面 3 min = 0.05 h × 30 = 1.5 labour, × 12 = 0.6 machine → 2.76.
    expect(cost.lines[0]).toMatchObject({ sku: 'NOODLE', qty: '1', unitCost: '2.76', value: '2.76' });
    expect(cost.lines[0].bom).toMatchObject({ sku: 'NOODLE', version: 1, material: '0.66', labor: '1.5', machine: '0.6', unitCost: '2.76' });
    expect(cost.lines[0].bom.lines).toEqual([
      { sku: 'FLOUR', qty: '0.105', unitCost: '4', value: '0.42' },
      { sku: 'OIL', qty: '0.02', unitCost: '12', value: '0.24' },
    ]);
    // CUP 1 × 1.02 = 1.02 × 0.30 = 0.306; material 2.76 + 0.306 = 3.066; 包装 0.5 min = 1/120 h × 24 = 0.2 labour, no machine.
    expect(cost.lines[1]).toEqual({ sku: 'CUP', qty: '1.02', unitCost: '0.3', value: '0.306' });
    expect(cost).toMatchObject({ sku: 'CUPNOODLE', version: 1, material: '3.066', labor: '0.2', machine: '0', unitCost: '3.266' });
  });

  it('keeps versions, refuses a cycle with 422 bom_cycle, and a new version never changes a submitted order', async () => {
    const k = await kitchenOrg(h);
    await cupNoodleBoms(k);
    const cycle = await k.api('PUT', '/api/v1/boms/NOODLE', { lines: [{ sku: 'CUPNOODLE', qty: 1 }] });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error.code).toBe('bom_cycle');
    expect(cycle.body.error.message).toContain('NOODLE → CUPNOODLE → NOODLE');
    // The output among its own components is the shortest cycle: 422 too, as API.md has it.
    const self = await k.api('PUT', '/api/v1/boms/JAM', { lines: [{ sku: 'SUGAR', qty: 1 }, { sku: 'JAM', qty: 1 }] });
    expect(self.status).toBe(422);
    expect(self.body.error).toMatchObject({ code: 'bom_cycle', details: { path: ['JAM', 'JAM'] } });
    expect(self.body.error.message).toContain('JAM → JAM');
    const twice = await k.api('PUT', '/api/v1/boms/JAM', { lines: [{ sku: 'SUGAR', qty: 1 }, { sku: 'SUGAR', qty: 2 }] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details[0].field).toBe('lines.1.sku');

    await k.bom('JAM', { lines: [{ sku: 'SUGAR', qty: '1.5' }] });
    const mo = await k.order('JAM', 4);
    // v1 standard cost: 1.5 SUGAR at the average (10 × 2 + 10 × 3) / 20 = 2.5 → 3.75 a jar; 4 jars → 15.00.
    expect(mo).toMatchObject({ status: 'in_progress', totalValue: '15.00', lines: [{ sku: 'JAM', qty: '4', unitCost: '3.75', value: '15.00' }] });
    const v2 = await k.bom('JAM', { lines: [{ sku: 'SUGAR', qty: 2 }] });
    expect(v2).toMatchObject({ version: 2, active: true });
    expect(await k.inv.ok('GET', '/api/v1/boms/JAM?version=1')).toMatchObject({ version: 1, active: false, lines: [{ sku: 'SUGAR', qty: '1.5' }] });
    // The order keeps v1: completing 4 takes 4 × 1.5 = 6 SUGAR, not 8.
    const done = await k.complete(mo, { qty: 4 });
    expect(done.status).toBe(200);
    // FIFO: 6 from the first layer at 2 → 12.00.
    expect(done.body).toMatchObject({ status: 'posted', completedQty: '4', completions: [{ seq: 1, qty: '4', materialCost: '12.00', value: '12.00', unitCost: '3' }] });
  });
});

describe('production orders', () => {
  it('ask for approval like any document, valued at their standard cost; approved, they are in progress', async () => {
    const k = await kitchenOrg(h);
    await cupNoodleBoms(k);
    await k.inv.ok('PUT', '/api/v1/approval-rules', { rules: [{ name: '大单', documentTypes: ['production'], minValue: 300, levels: [{ roles: ['supervisor'] }] }] });
    // 50 × 3.266 = 163.30, under 300: no approval.
    expect(await k.order('CUPNOODLE', 50)).toMatchObject({ status: 'in_progress', totalValue: '163.30' });
    // 100 × 3.266 = 326.60.
    const big = await k.order('CUPNOODLE', 100);
    expect(big).toMatchObject({ status: 'awaiting_approval', totalValue: '326.60', lines: [{ unitCost: '3.266', value: '326.60' }] });
    expect((await k.complete(big, { qty: 1 })).status).toBe(409);
    const sup = await k.inv.ok('POST', '/api/v1/users', { name: 'Sup', roles: ['supervisor'] });
    const { key } = await k.inv.ok('POST', '/api/v1/api-keys', { name: 'sup', user: sup.id, scopes: ['read', 'write'] });
    const approved = await h.client(key)('POST', `/api/v1/documents/${big.id}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'in_progress', approvals: [{ status: 'approved', by: 'Sup' }] });
  });

  it('takes a FIFO material from two layers, and each completion absorbs the work reported before it', async () => {
    const k = await kitchenOrg(h);
    await k.bom('JAM', { lines: [{ sku: 'SUGAR', qty: '1.5' }], operations: [{ name: '熬制', workCenter: 'MIX', minutesPerUnit: 6 }] });
    const mo = await k.order('JAM', 10);
    expect(mo.number).toMatch(/^MO-\d{8}-\d{4}$/);
    // 2 h × 30 + 1 h × 12 = 60 + 12 = 72.00.
    const first = await k.report(mo, { operation: '熬制', laborHours: 2, machineHours: 1, goodQty: 8 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ workCenter: 'MIX', laborCost: '60.00', machineCost: '12.00', cost: '72.00', absorbed: false });

    const one = await k.complete(mo, { qty: 8 });
    expect(one.status).toBe(200);
    // 8 × 1.5 = 12 SUGAR: 10 at 2 (20.00) + 2 at 3 (6.00) = 26.00; + 72.00 of work = 98.00; 98 / 8 = 12.25.
    expect(one.body).toMatchObject({ status: 'in_progress', completedQty: '8', postedAt: null,
      completions: [{ seq: 1, qty: '8', materialCost: '26.00', laborCost: '60.00', machineCost: '12.00', value: '98.00', unitCost: '12.25' }] });
    expect(await k.inv.layers('JAM', 'K')).toEqual([expect.objectContaining({ qty: '8', unitCost: '12.25', number: mo.number })]);
    const sugar = (await k.inv.ledger('SUGAR', 'K')).filter((e: any) => e.number === mo.number);
    // One ledger row for the lot, valued by both layers: -12 for -(20.00 + 6.00).
    expect(sugar.map((e: any) => [e.qty, e.value])).toEqual([['-12', '-26.00']]);

    // 0.5 h × 30 = 15.00, reported between the completions.
    await k.report(mo, { operation: '熬制', laborHours: '0.5' });
    const two = await k.complete(mo, { qty: 2 });
    // 2 × 1.5 = 3 SUGAR at 3 = 9.00; + 15.00 = 24.00; 24 / 2 = 12. Ten done of ten: posted.
    expect(two.body).toMatchObject({ status: 'posted', completedQty: '10', totalValue: '122.00',
      lines: [{ sku: 'JAM', qty: '10', value: '122.00', unitCost: '12.2' }] });
    expect(two.body.completions[1]).toMatchObject({ seq: 2, materialCost: '9.00', laborCost: '15.00', value: '24.00', unitCost: '12', final: true });
    expect(two.body.workReports.map((w: any) => w.absorbed)).toEqual([true, true]);
    // SUGAR left: 5 at 3 = 15.00; JAM: 98.00 + 24.00 = 122.00.
    expect(await k.inv.valuation('SUGAR', 'K')).toMatchObject({ qty: '5', value: '15.00' });
    expect(await k.inv.valuation('JAM', 'K')).toMatchObject({ qty: '10', value: '122.00' });
    const again = await k.complete(mo, { qty: 1 });
    expect(again.status).toBe(409);
  });

  it('refuses a shortage with 422 and writes nothing', async () => {
    const k = await kitchenOrg(h);
    await k.bom('JAM', { lines: [{ sku: 'SUGAR', qty: 2 }] });
    const mo = await k.order('JAM', 11);
    await k.report(mo, { operation: 'boil', workCenter: 'MIX', laborHours: 1 });
    // 11 × 2 = 22 SUGAR needed, 20 on hand.
    const res = await expectNoWrites(h, k.orgId, () => k.complete(mo, { qty: 11 }));
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'insufficient_stock', details: { sku: 'SUGAR', warehouse: 'K', needed: '22', available: '20' } });
    expect((await k.inv.ok('GET', `/api/v1/documents/${mo.id}`))).toMatchObject({ status: 'in_progress', completedQty: '0', completions: [] });
  });

  it('reverses the last completion with a red-letter document: the output leaves its own layer, the materials come back', async () => {
    const k = await kitchenOrg(h);
    await k.bom('JAM', { lines: [{ sku: 'SUGAR', qty: '1.5' }] });
    const mo = await k.order('JAM', 10);
    await k.report(mo, { operation: 'boil', workCenter: 'MIX', laborHours: 1 });
    await k.complete(mo, { qty: 8 }); // 12 SUGAR = 20.00 + 6.00; + 30.00 work = 56.00, 7 a jar
    await k.report(mo, { operation: 'boil', workCenter: 'MIX', laborHours: '0.1' });
    await k.complete(mo, { qty: 2 }); // 3 SUGAR at 3 = 9.00; + 3.00 = 12.00, 6 a jar: posted
    const rv = await k.inv.ok('POST', `/api/v1/documents/${mo.id}/reverse`);
    expect(rv.number).toMatch(/^RV-/);
    // Out of JAM: the second completion's own layer, 2 at 6 = 12.00 (not the older 7s).
    expect(rv).toMatchObject({ type: 'production', status: 'posted', reverses: mo.number, totalValue: '-12.00', lines: [{ sku: 'JAM', qty: '-2', value: '-12.00' }] });
    expect(await k.inv.valuation('JAM', 'K')).toMatchObject({ qty: '8', value: '56.00' });
    // SUGAR back with the piece it left with: 5 at 3 → 15.00 - 9.00 + 9.00.
    expect(await k.inv.valuation('SUGAR', 'K')).toMatchObject({ qty: '8', value: '24.00' });
    const after = await k.inv.ok('GET', `/api/v1/documents/${mo.id}`);
    expect(after).toMatchObject({ status: 'in_progress', completedQty: '8', totalValue: '56.00', postedAt: null });
    expect(after.completions[1]).toMatchObject({ seq: 2, reversedBy: rv.number });
    // The 3.00 of work waits for the next completion again.
    expect(after.workReports.map((w: any) => w.absorbed)).toEqual([true, false]);
    const again = await k.complete(mo, { qty: 2 });
    expect(again.body.completions[2]).toMatchObject({ seq: 3, materialCost: '9.00', laborCost: '3.00', value: '12.00' });
    // An order with completions standing cannot be called off; one with none can.
    const idle = await k.order('JAM', 1);
    expect((await k.api('POST', `/api/v1/documents/${idle.id}/cancel`, {})).body.status).toBe('cancelled');
    await k.inv.ok('POST', `/api/v1/documents/${mo.id}/reverse`);
    expect((await k.api('POST', `/api/v1/documents/${mo.id}/cancel`, {})).status).toBe(409);
  });

  it('reworks: the output itself among the materials, given explicitly', async () => {
    const k = await kitchenOrg(h);
    await k.bom('JAM', { lines: [{ sku: 'SUGAR', qty: 1 }] });
    const mo = await k.order('JAM', 4);
    await k.complete(mo, { qty: 4 }); // 4 SUGAR at 2 = 8.00: JAM 4 at 2
    // Rework 2 jars: each takes back 1 jar and 0.5 SUGAR (for the whole order: 2 JAM, 1 SUGAR), 0.2 h at MIX.
    const rework = await k.order('JAM', 2, { materials: [{ sku: 'JAM', qty: 2 }, { sku: 'SUGAR', qty: 1 }], note: '返工' });
    await k.report(rework, { operation: '返工', workCenter: 'MIX', laborHours: '0.2' });
    const done = await k.complete(rework, { qty: 2 });
    // JAM 2 at 2 = 4.00 (the oldest layer) + SUGAR 1 at 2 = 2.00 → 6.00; + 0.2 × 30 = 6.00 → 12.00, 6 a jar.
    expect(done.body).toMatchObject({ status: 'posted', completions: [{ materialCost: '6.00', laborCost: '6.00', value: '12.00', unitCost: '6' }] });
    // JAM: 2 left at 2 + 2 reworked at 6 = 16.00.
    expect(await k.inv.layers('JAM', 'K')).toEqual([
      expect.objectContaining({ qty: '2', unitCost: '2', number: mo.number }),
      expect.objectContaining({ qty: '2', unitCost: '6', number: rework.number }),
    ]);
  });

  it('completes a lot-tracked output on two days into one lot, dated at its first completion', async () => {
    const k = await kitchenOrg(h);
    await k.inv.item('PIE', { lotTracked: true, shelfLifeDays: 3 });
    await k.bom('PIE', { lines: [{ sku: 'SUGAR', qty: 1 }] });
    const mo = await k.order('PIE', 4);
    try {
      h.setNow(new Date('2026-12-01T04:00:00Z'));
      expect((await k.complete(mo, { qty: 2 })).status).toBe(200);
      h.setNow(new Date('2026-12-02T04:00:00Z'));
      // Worked out again the date would be 12-05; the lot (the order's number) keeps 12-04.
      const second = await k.complete(mo, { qty: 2 });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ status: 'posted', completedQty: '4' });
    } finally {
      h.setNow(undefined);
    }
    const rows = (await k.inv.ok('GET', '/api/v1/stock?sku=PIE&warehouse=K')).balances.map((b: any) => [b.lot, b.qty, b.expiresOn]);
    expect(rows).toEqual([[mo.number, '4', '2026-12-04']]);
  });

  it('refuses an order that lists a material twice (its consumption is kept per item), and writes nothing', async () => {
    const k = await kitchenOrg(h);
    const res = await expectNoWrites(h, k.orgId, () => k.api('POST', '/api/v1/documents', {
      type: 'production', warehouse: 'K', lines: [{ sku: 'JAM', qty: 2 }], submit: true,
      materials: [{ sku: 'SUGAR', qty: 2 }, { sku: 'FLOUR', qty: 1 }, { sku: 'SUGAR', qty: 3 }],
    }));
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'materials.2.sku', message: expect.stringContaining('SUGAR is listed twice') })]);
  });

  it('work reports: Idempotency-Key once, 409 unless in progress, the operation’s work centre from the BOM, a named field when wrong', async () => {
    const k = await kitchenOrg(h);
    await k.bom('JAM', { lines: [{ sku: 'SUGAR', qty: 1 }], operations: [{ name: '熬制', workCenter: 'MIX', minutesPerUnit: 6 }] });
    const mo = await k.order('JAM', 2);
    const a = await k.report(mo, { operation: '熬制', machineHours: '1.5' }, { 'idempotency-key': 'wr-1' });
    const b = await k.report(mo, { operation: '熬制', machineHours: '1.5' }, { 'idempotency-key': 'wr-1' });
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.cost).toBe('18.00'); // 1.5 × 12
    expect((await k.inv.ok('GET', `/api/v1/documents/${mo.id}`)).workReports).toHaveLength(1);
    const unknown = await k.report(mo, { operation: '包装', laborHours: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].field).toBe('workCenter');
    expect((await k.report(mo, { operation: '熬制' })).body.error.details[0].field).toBe('laborHours');
    expect((await k.report(mo, { operation: '熬制', laborHours: -1 })).body.error.details[0].field).toBe('laborHours');
    // API.md's formula, rounded once: 1.25 × 30.5 + 0.75 × 12.5 = 38.125 + 9.375 = 47.50 (not 38.13 + 9.38 = 47.51);
    // the parts split the cent between them (the tie goes to labour): 38.13 + 9.37.
    await k.inv.ok('PUT', '/api/v1/work-centers/FRY', { name: '油炸线', laborRate: '30.5', machineRate: '12.5' });
    const fried = await k.report(mo, { operation: '油炸', workCenter: 'FRY', laborHours: '1.25', machineHours: '0.75' });
    expect(fried.body.cost).toBe('47.50');
    expect((await k.inv.ok('GET', `/api/v1/documents/${mo.id}`)).workReports.at(-1)).toMatchObject({ laborCost: '38.13', machineCost: '9.37', cost: '47.50' });
    await k.complete(mo, { qty: 2 });
    expect((await k.report(mo, { operation: '熬制', laborHours: 1 })).status).toBe(409);
  });
});
