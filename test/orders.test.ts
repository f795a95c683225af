import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './assertions';
import { createTestApp, type TestApp } from './harness';
import { expectNoWrites, stockedOrg } from './support/documents';
import { approvalOrg } from './support/approvals';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

type Org = Awaited<ReturnType<typeof stockedOrg>>;

const create = (org: Org, body: Record<string, unknown>) => org.inv.ok('POST', '/api/v1/documents', body, [201]);
const get = async (org: Org, ref: string) => (await org.api('GET', `/api/v1/documents/${ref}`)).body;
const act = (org: Org, ref: string, verb: string, body?: unknown) => org.api('POST', `/api/v1/documents/${ref}/${verb}`, body);
const balance = async (org: Org, sku: string, warehouse: string) =>
  (await org.inv.ok('GET', `/api/v1/stock?sku=${sku}&warehouse=${warehouse}`)).balances[0];
const lineFigures = (doc: any) => doc.lines.map((l: any) => [l.sku, l.qty, l.receivedQty ?? l.fulfilledQty, l.cancelledQty, l.openQty]);

/** A purchase order for 10 A at 3 into WH1, expected on the given day, submitted (no approval rules: open at once). */
const purchaseOrder = (org: Org, extra: Record<string, unknown> = {}) => create(org, {
  type: 'purchase_order', warehouse: 'WH1', counterparty: '可口可乐公司', expectedOn: '2026-12-10',
  lines: [{ sku: 'A', qty: 10, unitCost: 3 }], submit: true, ...extra,
});

describe('purchase orders', () => {
  it('opens on submit, is received in parts at the order price, refuses more than is open, and is received in full', async () => {
    const org = await stockedOrg(h);
    const po = await purchaseOrder(org);
    expect(po).toMatchObject({ type: 'purchase_order', status: 'approved', totalValue: '30.00', expectedOn: '2026-12-10', counterparty: '可口可乐公司' });
    expect(po.number).toMatch(/^PO-\d{8}-\d{4}$/);
    expect(lineFigures(po)).toEqual([['A', '10', '0', '0', '10']]);
    // An order moves no stock: on hand unchanged, 10 on order.
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ qty: '10', onOrder: '10', reserved: '0', available: '10' });

    const first = await create(org, { type: 'receipt', warehouse: 'WH1', orderOf: po.number, lines: [{ sku: 'A', qty: 4 }], submit: true });
    expect(first).toMatchObject({ status: 'posted', orderOf: po.number, lines: [{ qty: '4', unitCost: '3', value: '12.00' }] });
    expect(lineFigures(await get(org, po.id))).toEqual([['A', '10', '4', '0', '6']]);
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ qty: '14', value: '32.00', onOrder: '6' });

    const over = await expectNoWrites(h, org.orgId, () => org.api('POST', '/api/v1/documents',
      { type: 'receipt', warehouse: 'WH1', orderOf: po.number, lines: [{ sku: 'A', qty: 7 }], submit: true }));
    expectError(over, 422, 'over_order', /6 still open/);

    // A draft receipt within the open rest, then the rest received elsewhere: posting the draft is refused under the order's lock.
    const draft = await create(org, { type: 'receipt', warehouse: 'WH1', orderOf: po.id, lines: [{ sku: 'A', qty: 6, unitCost: '3.5' }] });
    await create(org, { type: 'receipt', warehouse: 'WH1', orderOf: po.id, lines: [{ sku: 'A', qty: 6 }], submit: true });
    expect(await get(org, po.id)).toMatchObject({ status: 'received', lines: [{ receivedQty: '10', openQty: '0' }] });
    expectError(await act(org, draft.id, 'submit'), 409, 'conflict', /received/);
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ qty: '20', onOrder: '0' });
  });

  it('a receipt takes an item ordered on two lines at two prices line by line, at each line\'s price', async () => {
    const org = await stockedOrg(h);
    const before = await balance(org, 'A', 'WH1');
    const po = await create(org, { type: 'purchase_order', warehouse: 'WH1', counterparty: 'S', submit: true,
      lines: [{ sku: 'A', qty: 10, unitCost: 3 }, { sku: 'A', qty: 10, unitCost: 4 }] });
    // 15 received: all 10 of line 1 at 3 and 5 of line 2 at 4 = 50.00 (not 15 × 3 = 45.00).
    const first = await create(org, { type: 'receipt', warehouse: 'WH1', orderOf: po.number, submit: true, lines: [{ sku: 'A', qty: 15 }] });
    expect(first.lines).toMatchObject([{ qty: '15', value: '50.00', unitCost: '3.333333' }]);
    expect(first.totalValue).toBe('50.00');
    // The last 5, all of line 2: its price.
    const rest = await create(org, { type: 'receipt', warehouse: 'WH1', orderOf: po.number, submit: true, lines: [{ sku: 'A', qty: 5 }] });
    expect(rest.lines).toMatchObject([{ qty: '5', value: '20.00', unitCost: '4' }]);
    expect(await get(org, po.id)).toMatchObject({ status: 'received' });
    const after = await balance(org, 'A', 'WH1');
    expect(Number(after.value) - Number(before.value)).toBeCloseTo(70, 2);
    // A line priced by hand still takes its order line: the unpriced line after it is line 2's, at 5.
    const po2 = await create(org, { type: 'purchase_order', warehouse: 'WH1', counterparty: 'S', submit: true,
      lines: [{ sku: 'A', qty: 2, unitCost: 3 }, { sku: 'A', qty: 2, unitCost: 5 }] });
    const mixed = await create(org, { type: 'receipt', warehouse: 'WH1', orderOf: po2.number, submit: true,
      lines: [{ sku: 'A', qty: 2, unitCost: 9 }, { sku: 'A', qty: 2 }] });
    expect(mixed.lines).toMatchObject([{ value: '18.00', unitCost: '9' }, { value: '10.00', unitCost: '5' }]);
  });

  it('cancels the open rest (采购取消) and keeps what was received; a reversed receipt opens its order again', async () => {
    const org = await stockedOrg(h);
    const po = await purchaseOrder(org);
    const receipt = await create(org, { type: 'receipt', warehouse: 'WH1', orderOf: po.number, lines: [{ sku: 'A', qty: 3 }], submit: true });
    const reversed = await act(org, receipt.id, 'reverse');
    expect(reversed.status).toBe(201);
    expect(lineFigures(await get(org, po.id))).toEqual([['A', '10', '0', '0', '10']]);
    await create(org, { type: 'receipt', warehouse: 'WH1', orderOf: po.number, lines: [{ sku: 'A', qty: 3 }], submit: true });

    const cancelled = await act(org, po.id, 'cancel', { comment: '供应商缺货' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(lineFigures(cancelled.body)).toEqual([['A', '10', '3', '7', '0']]);
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ qty: '13', onOrder: '0' });
    const late = await org.api('POST', '/api/v1/documents', { type: 'receipt', warehouse: 'WH1', orderOf: po.number, lines: [{ sku: 'A', qty: 1 }] });
    expectError(late, 409, 'conflict', /cancelled/);
    // Reversing a receipt of a cancelled order gives its stock back, not an open quantity: still nothing open.
    const [second] = (await org.inv.ok('GET', `/api/v1/documents?type=receipt&status=posted`)).documents.filter((d: any) => d.orderOf === po.number);
    expect((await act(org, second.id, 'reverse')).status).toBe(201);
    const after = await get(org, po.id);
    expect(after.status).toBe('cancelled');
    expect(lineFigures(after)).toEqual([['A', '10', '0', '7', '0']]);
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ qty: '10', onOrder: '0' });
  });

  it('asks for approval at the ordered value, and falls overdue for its warehouse after the expected day', async () => {
    const org = await stockedOrg(h);
    await org.inv.ok('PUT', '/api/v1/approval-rules', { rules: [{ name: 'big buys', documentTypes: ['purchase_order'], minValue: 100, levels: [{ roles: ['supervisor'] }] }] });
    const small = await purchaseOrder(org);
    expect(small.status).toBe('approved');
    const big = await purchaseOrder(org, { lines: [{ sku: 'A', qty: 50, unitCost: 3 }] });
    expect(big).toMatchObject({ status: 'awaiting_approval', totalValue: '150.00' });
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ onOrder: '10' });
    const refused = await org.api('POST', '/api/v1/documents', { type: 'receipt', warehouse: 'WH1', orderOf: big.number, lines: [{ sku: 'A', qty: 1 }] });
    expectError(refused, 409, 'conflict');

    // Shanghai: 2026-12-10 ends at 16:00 UTC.
    expect(small.dueAt).toBe('2026-12-10T16:00:00.000Z');
    // The big one's approval falls overdue too (after 4 h): only the open orders are looked at here.
    const openOverdue = async () => (await org.inv.ok('GET', '/api/v1/documents/overdue')).warehouses
      .map((g: any) => [g.warehouse, g.documents.filter((d: any) => d.status === 'approved').map((d: any) => d.number)]);
    h.setNow(new Date('2026-12-10T15:59:00Z'));
    try {
      expect(await openOverdue()).toEqual([['WH1', []]]);
      h.setNow(new Date('2026-12-10T17:00:00Z'));
      expect(await openOverdue()).toEqual([['WH1', [small.number]]]);
    } finally {
      h.setNow(undefined);
    }
  });

  it('refuses an order without prices, a receipt naming the wrong kind of order or another warehouse', async () => {
    const org = await stockedOrg(h);
    const bad = await org.api('POST', '/api/v1/documents', { type: 'purchase_order', warehouse: 'WH1', lines: [{ sku: 'A', qty: 1 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.field)).toEqual(['lines.0.unitCost']);
    const po = await purchaseOrder(org);
    expectError(await org.api('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH1', orderOf: po.number, lines: [{ sku: 'A', qty: 1 }] }), 422, 'unprocessable');
    expectError(await org.api('POST', '/api/v1/documents', { type: 'receipt', warehouse: 'WH2', orderOf: po.number, lines: [{ sku: 'A', qty: 1 }] }), 422, 'unprocessable');
    expectError(await org.api('POST', '/api/v1/documents', { type: 'receipt', warehouse: 'WH1', orderOf: 'PO-20000101-0001', lines: [{ sku: 'A', qty: 1 }] }), 404, 'not_found');
  });
});

describe('sales orders', () => {
  it('reserves what is open; fulfil posts an issue for part, then the rest, and the order is posted', async () => {
    const org = await stockedOrg(h);
    const so = await create(org, { type: 'sales_order', warehouse: 'WH1', counterparty: '星巴克 人民广场店', dueOn: '2026-12-09', lines: [{ sku: 'A', qty: 6 }], submit: true });
    expect(so).toMatchObject({ status: 'approved', dueOn: '2026-12-09' });
    expect(so.number).toMatch(/^SO-/);
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ qty: '10', reserved: '6', available: '4', onOrder: '0' });

    const part = await org.api('POST', `/api/v1/documents/${so.id}/fulfil`, { lines: [{ line: 1, qty: 2 }] }, { 'idempotency-key': 'ship-1' });
    expect(part.status).toBe(201);
    // The same call again (a retry) answers the first issue and fills nothing more.
    const replay = await org.api('POST', `/api/v1/documents/${so.id}/fulfil`, { lines: [{ line: 1, qty: 2 }] }, { 'idempotency-key': 'ship-1' });
    expect(replay.body.id).toBe(part.body.id);
    expect(part.body).toMatchObject({ type: 'issue', status: 'posted', orderOf: so.number, counterparty: '星巴克 人民广场店', lines: [{ sku: 'A', qty: '2' }] });
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ qty: '8', reserved: '4', available: '4' });
    const over = await expectNoWrites(h, org.orgId, () => act(org, so.id, 'fulfil', { lines: [{ line: 1, qty: 5 }] }));
    expectError(over, 422, 'over_order', /line 1 \(A\): 5 is more than the 4 still open/);
    // An empty list, or a line given twice, is a mistake named on the field: not "nothing open", not the last quantity.
    await expectNoWrites(h, org.orgId, async () => {
      const none = await act(org, so.id, 'fulfil', { lines: [] });
      expectError(none, 400, 'invalid_request');
      expect(none.body.error.details[0].field).toBe('lines');
      const twice = await act(org, so.id, 'fulfil', { lines: [{ line: 1, qty: 1 }, { line: 1, qty: 2 }] });
      expectError(twice, 400, 'invalid_request', /given twice/);
      expect(twice.body.error.details[0].field).toBe('lines.1.line');
    });

    const rest = await act(org, so.id, 'fulfil');
    expect(rest.status).toBe(201);
    expect(rest.body.lines).toMatchObject([{ qty: '4' }]);
    expect(await get(org, so.id)).toMatchObject({ status: 'posted', lines: [{ fulfilledQty: '6', openQty: '0' }] });
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ qty: '4', reserved: '0', available: '4' });
    expectError(await act(org, so.id, 'fulfil'), 409, 'conflict');
  });

  it('fulfil by line fills the line named, not the first line of its item', async () => {
    const org = await stockedOrg(h);
    const so = await create(org, { type: 'sales_order', warehouse: 'WH1', counterparty: 'C', submit: true, lines: [{ sku: 'A', qty: 3 }, { sku: 'A', qty: 5 }] });
    const second = await act(org, so.id, 'fulfil', { lines: [{ line: 2, qty: 5 }] });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(lineFigures(await get(org, so.id))).toEqual([['A', '3', '0', '0', '3'], ['A', '5', '5', '0', '0']]);
    // Line 1 is still open in full; before, the 5 filled line 1 first and this was refused as over the order.
    const first = await act(org, so.id, 'fulfil', { lines: [{ line: 1, qty: 3 }] });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(await get(org, so.id)).toMatchObject({ status: 'posted' });
    expect(lineFigures(await get(org, so.id))).toEqual([['A', '3', '3', '0', '0'], ['A', '5', '5', '0', '0']]);
    // An issue naming the order by items (not through fulfil) still fills its item's lines in line order.
    const so2 = await create(org, { type: 'sales_order', warehouse: 'WH1', counterparty: 'C', submit: true, lines: [{ sku: 'A', qty: 1 }, { sku: 'A', qty: 1 }] });
    await create(org, { type: 'issue', warehouse: 'WH1', orderOf: so2.number, submit: true, lines: [{ sku: 'A', qty: 1 }] });
    expect(lineFigures(await get(org, so2.id))).toEqual([['A', '1', '1', '0', '0'], ['A', '1', '0', '0', '1']]);
  });

  it('a lot-tracked item\'s reservation is spread over its lots first expiry first: no lot shows less available than it holds while another has plenty', async () => {
    const org = await stockedOrg(h);
    await org.inv.ok('POST', '/api/v1/items', { sku: 'LT', name: '鲜奶', unit: '盒', lotTracked: true }, [201]);
    await create(org, { type: 'receipt', warehouse: 'WH1', submit: true, lines: [
      { sku: 'LT', qty: 10, unitCost: 2, lot: 'B-LATE', expiresOn: '2027-03-31' },
      { sku: 'LT', qty: 2, unitCost: 2, lot: 'A-SOON', expiresOn: '2027-01-31' },
      { sku: 'LT', qty: 3, unitCost: 2, lot: 'C-NONE' },
    ] });
    const lotsNow = async () => (await org.inv.ok('GET', '/api/v1/stock?sku=LT&warehouse=WH1')).balances
      .map((b: any) => [b.lot, b.qty, b.reserved, b.available]);
    await create(org, { type: 'sales_order', warehouse: 'WH1', counterparty: 'C', lines: [{ sku: 'LT', qty: 5 }], submit: true });
    // Listed by lot code; reserved first on the lot that expires first, then the next; the undated lot last.
    expect(await lotsNow()).toEqual([['A-SOON', '2', '2', '0'], ['B-LATE', '10', '3', '7'], ['C-NONE', '3', '0', '3']]);
    // More reserved than held: what no lot covers stays on the last one to ship, whose available goes negative, as the item's does.
    await create(org, { type: 'sales_order', warehouse: 'WH1', counterparty: 'C', lines: [{ sku: 'LT', qty: 12 }], submit: true });
    expect(await lotsNow()).toEqual([['A-SOON', '2', '2', '0'], ['B-LATE', '10', '10', '0'], ['C-NONE', '3', '5', '-2']]);
  });

  it('a shortage on fulfil writes nothing and names what is missing; cancel releases the reservation', async () => {
    const org = await stockedOrg(h);
    const so = await create(org, { type: 'sales_order', warehouse: 'WH1', counterparty: 'C', lines: [{ sku: 'A', qty: 15 }], submit: true });
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ reserved: '15', available: '-5' });
    const short = await expectNoWrites(h, org.orgId, () => act(org, so.id, 'fulfil'));
    expectError(short, 422, 'insufficient_stock');
    expect(short.body.error.details).toMatchObject({ sku: 'A', warehouse: 'WH1', needed: '15', available: '10' });
    expect((await get(org, so.id)).status).toBe('approved');
    expect((await act(org, so.id, 'cancel')).body.status).toBe('cancelled');
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ reserved: '0', available: '10' });
  });

  it('falls overdue 24 hours after it opened, for the warehouse that must ship it', async () => {
    const org = await stockedOrg(h);
    h.setNow(new Date('2026-12-01T02:00:00Z'));
    try {
      const so = await create(org, { type: 'sales_order', warehouse: 'WH1', counterparty: 'C', lines: [{ sku: 'A', qty: 1 }], submit: true });
      expect(so.dueAt).toBe('2026-12-02T02:00:00.000Z');
      h.setNow(new Date('2026-12-02T03:00:00Z'));
      const overdue = (await org.inv.ok('GET', '/api/v1/documents/overdue')).warehouses;
      expect(overdue.map((g: any) => [g.warehouse, g.documents.map((d: any) => d.number)])).toEqual([['WH1', [so.number]]]);
      const fulfilled = await act(org, so.id, 'fulfil');
      expect((await org.inv.ok('GET', '/api/v1/documents/overdue')).warehouses).toEqual([]);
      // The issue reversed, the order is open again and falls due again, counted from the reversal.
      h.setNow(new Date('2026-12-03T05:00:00Z'));
      const issue = fulfilled.body.documents?.[0] ?? (await org.inv.ok('GET', '/api/v1/documents?type=issue')).documents.find((d: any) => d.orderOf === so.number);
      expect((await act(org, issue.id, 'reverse')).status).toBe(201);
      expect(await get(org, so.id)).toMatchObject({ status: 'approved', dueAt: '2026-12-04T05:00:00.000Z' });
      h.setNow(new Date('2026-12-04T06:00:00Z'));
      const again = (await org.inv.ok('GET', '/api/v1/documents/overdue')).warehouses;
      expect(again.map((g: any) => [g.warehouse, g.documents.map((d: any) => d.number)])).toEqual([['WH1', [so.number]]]);
    } finally {
      h.setNow(undefined);
    }
  });
});

describe('requisitions', () => {
  it('a store asks its warehouse: on order at the store, fulfil ships a transfer (in transit), the store receives it', async () => {
    const org = await stockedOrg(h);
    const rq = await create(org, { type: 'requisition', warehouse: 'WH2', toWarehouse: 'WH1', lines: [{ sku: 'A', qty: 7 }], submit: true });
    expect(rq).toMatchObject({ status: 'approved', warehouse: 'WH2', toWarehouse: 'WH1' });
    expect(rq.number).toMatch(/^RQ-/);
    expect(await balance(org, 'A', 'WH2')).toMatchObject({ qty: '0', onOrder: '7', inTransit: '0' });
    expect(await balance(org, 'A', 'WH1')).toMatchObject({ qty: '10', reserved: '0' });

    const transfer = await act(org, rq.id, 'fulfil', { lines: [{ line: 1, qty: 5 }] });
    expect(transfer.status).toBe(201);
    expect(transfer.body).toMatchObject({ type: 'transfer', status: 'shipped', warehouse: 'WH1', toWarehouse: 'WH2', orderOf: rq.number });
    expect(await balance(org, 'A', 'WH2')).toMatchObject({ qty: '0', onOrder: '2', inTransit: '5' });
    expect((await act(org, transfer.body.id, 'receive')).status).toBe(200);
    expect(await balance(org, 'A', 'WH2')).toMatchObject({ qty: '5', onOrder: '2', inTransit: '0' });

    await act(org, rq.id, 'fulfil');
    expect(await get(org, rq.id)).toMatchObject({ status: 'posted', lines: [{ fulfilledQty: '7', openQty: '0' }] });
  });

  it('asks the one central warehouse when it names none, or the source its reorder rules name; with neither, toWarehouse is required', async () => {
    const org = await stockedOrg(h);
    const rq = await create(org, { type: 'requisition', warehouse: 'WH2', lines: [{ sku: 'A', qty: 1 }] });
    expect(rq.toWarehouse).toBe('WH1');
    await org.inv.warehouse('WH3');
    const res = await org.api('POST', '/api/v1/documents', { type: 'requisition', warehouse: 'WH2', lines: [{ sku: 'A', qty: 1 }] });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: any) => d.field)).toEqual(['toWarehouse']);
    // The store's reorder rule names its source: that warehouse supplies it.
    await org.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH2', minQty: 1, source: 'WH3' });
    expect((await create(org, { type: 'requisition', warehouse: 'WH2', lines: [{ sku: 'A', qty: 1 }] })).toWarehouse).toBe('WH3');
  });

  it('only the supplying warehouse fills it: a store manager may ask but not ship', async () => {
    const org = await stockedOrg(h);
    const [wh2] = (await org.inv.ok('GET', '/api/v1/warehouses')).warehouses.filter((w: any) => w.code === 'WH2');
    const user = await org.inv.ok('POST', '/api/v1/users', { name: '店长', roles: ['store_manager'], warehouses: ['WH2'] });
    const { key } = await org.inv.ok('POST', '/api/v1/api-keys', { name: 'sm', user: user.id, scopes: ['read', 'write'] });
    void wh2;
    const manager = h.client(key);
    const rq = await manager('POST', '/api/v1/documents', { type: 'requisition', warehouse: 'WH2', toWarehouse: 'WH1', lines: [{ sku: 'A', qty: 2 }], submit: true });
    expect(rq.status, JSON.stringify(rq.body)).toBe(201);
    expect(rq.body.status).toBe('approved');
    const refused = await expectNoWrites(h, org.orgId, () => manager('POST', `/api/v1/documents/${rq.body.id}/fulfil`));
    expectError(refused, 403, 'forbidden', /ship at WH1/);
  });
});

describe('dashboard', () => {
  it('lists open orders by age and the fill rate of the period\'s sales orders', async () => {
    const org = await stockedOrg(h);
    h.setNow(new Date('2026-12-01T02:00:00Z'));
    try {
      await purchaseOrder(org);
      const so = await create(org, { type: 'sales_order', warehouse: 'WH1', counterparty: 'C', lines: [{ sku: 'A', qty: 4 }], submit: true });
      const cancelled = await create(org, { type: 'sales_order', warehouse: 'WH1', counterparty: 'C', lines: [{ sku: 'A', qty: 2 }], submit: true });
      h.setNow(new Date('2026-12-03T02:00:00Z'));
      const full = await create(org, { type: 'sales_order', warehouse: 'WH1', counterparty: 'C', lines: [{ sku: 'A', qty: 1 }], submit: true });
      await act(org, so.id, 'fulfil', { lines: [{ line: 1, qty: 3 }] });
      await act(org, cancelled.id, 'cancel');
      await act(org, full.id, 'fulfil');
      const d = await org.inv.ok('GET', '/api/v1/metrics/dashboard');
      expect(d.orders.open).toEqual([
        { type: 'purchase_order', documents: 1, ages: { under_1d: 0, '1_3d': 1, '3_7d': 0, over_7d: 0 } },
        { type: 'sales_order', documents: 1, ages: { under_1d: 0, '1_3d': 1, '3_7d': 0, over_7d: 0 } },
      ]);
      // 3 of 4, none of 2 (cancelled), 1 of 1: 4 of 7 issued; one order filled in full.
      expect(d.orders.fillRate).toEqual({ orders: 3, filledOrders: 1, orderedQty: '7', fulfilledQty: '4', rate: '0.5714' });
    } finally {
      h.setNow(undefined);
    }
  });
});

describe('who ships a sales order', () => {
  it('an issue that fills a sales order is shipping: staff submit it, the warehouse lead posts it, as 一键发货', async () => {
    const o = await approvalOrg(h); // WH holds 100 of A
    const so = await o.submit('sales_order', [{ sku: 'A', qty: 5 }], { counterparty: 'C' });
    expect(so.status).toBe('approved');
    const issue = await o.submit('issue', [{ sku: 'A', qty: 5 }], { orderOf: so.number });
    expect(issue.status).toBe('submitted'); // waits for the lead; nothing left the shelf
    expect((await o.inv.valuation('A', 'WH')).qty).toBe('100');
    const refused = await o.as.clerk.api('POST', `/api/v1/documents/${issue.id}/post`, {});
    expect(refused.status).toBe(403);
    expect((await o.as.lead.inv.ok('POST', `/api/v1/documents/${issue.id}/post`, {})).status).toBe('posted');
    expect((await o.inv.ok('GET', `/api/v1/documents/${so.id}`)).status).toBe('posted');
    // An issue filling no order stays the clerk's to post.
    expect((await o.submit('issue', [{ sku: 'A', qty: 1 }])).status).toBe('posted');
  });
});
