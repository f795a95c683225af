import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../db/schema';
import { recordOverdue } from '../src/approvals/overdue';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg } from './support/approvals';
import { inventory } from './support/inventory';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterEach(() => h.setNow(undefined));
afterAll(() => h?.close());

const at = (iso: string) => h.setNow(new Date(iso));

describe('service levels', () => {
  it('gives each waiting status its due time, and lists what is past it per warehouse that must act', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    at('2026-11-25T01:00:00Z');
    const waiting = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    expect(waiting.dueAt).toBe('2026-11-25T05:00:00.000Z'); // awaiting approval: 4 h
    const tr = await o.inv.post('transfer', 'WH', [{ sku: 'B', qty: 1 }], { toWarehouse: 'ST' });
    expect(tr.dueAt).toBe('2026-11-27T01:00:00.000Z'); // shipped, not received: 48 h
    const ret = await o.inv.post('customer_return', 'WH', [{ sku: 'A', qty: 1 }]);
    expect(ret).toMatchObject({ status: 'submitted', dueAt: '2026-11-26T01:00:00.000Z' }); // QC: 24 h

    at('2026-11-25T04:59:00Z');
    expect((await o.inv.ok('GET', '/api/v1/documents/overdue')).warehouses).toEqual([]);

    at('2026-11-26T03:00:00Z');
    const overdue = (await o.inv.ok('GET', '/api/v1/documents/overdue')).warehouses;
    expect(overdue.map((g: any) => [g.warehouse, g.documents.map((d: any) => [d.number, d.status, d.overdueHours, d.ageHours])])).toEqual([
      ['WH', [[waiting.number, 'awaiting_approval', 22, 26], [ret.number, 'submitted', 2, 26]]],
    ]);
    at('2026-11-27T02:30:00Z');
    const later = (await o.inv.ok('GET', '/api/v1/documents/overdue?warehouse=ST')).warehouses;
    expect(later).toEqual([{ warehouse: 'ST', name: 'ST', documents: [expect.objectContaining({ number: tr.number, status: 'shipped', overdueHours: 1.5, ageHours: 49.5 })] }]);

    // Each overdue document is announced once per due time, however often the scan runs.
    const ctx = h.jobCtx(o.orgId);
    expect(await recordOverdue(ctx)).toBe(3);
    expect(await recordOverdue(ctx)).toBe(0);
    const announced = await h.db.select().from(outbox).where(and(eq(outbox.orgId, o.orgId), eq(outbox.kind, 'document_overdue')));
    expect(announced.map((r) => r.payload.number).sort()).toEqual([waiting.number, ret.number, tr.number].sort());

    // Received and posted documents are no longer due.
    await o.inv.ok('POST', `/api/v1/documents/${tr.id}/receive`);
    expect((await o.inv.ok('GET', `/api/v1/documents/${tr.id}`)).dueAt).toBeNull();
    expect((await o.inv.ok('GET', '/api/v1/documents/overdue?warehouse=ST')).warehouses).toEqual([]);
  });

  it('lets an organisation set its own due times', async () => {
    const o = await approvalOrg(h);
    const table = await o.inv.ok('PUT', '/api/v1/service-levels', { levels: [{ documentType: 'transfer', status: 'shipped', hours: 2 }] });
    expect(table.levels).toEqual(expect.arrayContaining([{ documentType: 'transfer', status: 'shipped', hours: '2' }]));
    at('2026-11-25T01:00:00Z');
    const tr = await o.inv.post('transfer', 'WH', [{ sku: 'B', qty: 1 }], { toWarehouse: 'ST' });
    expect(tr.dueAt).toBe('2026-11-25T03:00:00.000Z');
    const bad = await o.api('PUT', '/api/v1/service-levels', { levels: [{ documentType: 'issue', status: 'posted', hours: 1 }] });
    expect(bad.status).toBe(400);
    expect((await o.as.sup1.api('PUT', '/api/v1/service-levels', { levels: [] })).status).toBe(403);
    // The same type and status twice is a 400 naming the second, and the table stays as it was.
    const twice = await o.api('PUT', '/api/v1/service-levels', { levels: [
      { documentType: '*', status: 'shipped', hours: 1 }, { documentType: '*', status: 'shipped', hours: 6 },
    ] });
    expect(twice.status).toBe(400);
    expect(twice.body.error.details.map((d: { field: string }) => d.field)).toEqual(['levels.1']);
    expect((await o.inv.ok('GET', '/api/v1/service-levels')).levels).toEqual(table.levels);
  });

  it('shows the due times that apply: an organisation\'s row for every type stands over the default rows of one type', async () => {
    const o = await approvalOrg(h);
    const { levels } = await o.inv.ok('PUT', '/api/v1/service-levels', { levels: [{ documentType: '*', status: 'approved', hours: 1 }] });
    const approved = levels.filter((l: { status: string }) => l.status === 'approved');
    expect(approved).toEqual([{ documentType: '*', status: 'approved', hours: '1' }]);
    at('2026-11-25T01:00:00Z');
    const so = await o.inv.ok('POST', '/api/v1/documents', { type: 'sales_order', warehouse: 'WH', counterparty: 'C', lines: [{ sku: 'A', qty: 1 }], submit: true });
    expect(so.dueAt).toBe('2026-11-25T02:00:00.000Z'); // as the table says: 1 hour, not the default 24
  });
});

describe('events written with the change', () => {
  it('a posting that takes stock below its safety stock writes one low-stock row; staying below writes none', async () => {
    const { api, orgId } = await h.createOrg();
    const inv = inventory(api);
    await inv.warehouse('WH');
    await inv.item('A');
    await inv.receipt('WH', 'A', 10, 1);
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH', minQty: 5, reorderQty: 20 });
    await inv.issue('WH', 'A', 5); // 5 left: not below
    const crossing = await inv.issue('WH', 'A', 1); // 4 < 5
    await inv.issue('WH', 'A', 1); // still below: no new crossing
    const rows = await h.db.select().from(outbox).where(and(eq(outbox.orgId, orgId), eq(outbox.kind, 'low_stock')));
    expect(rows.map((r) => r.payload)).toEqual([expect.objectContaining({ sku: 'A', warehouse: 'WH', qty: '4', minQty: '5', reorderQty: '20', documentId: crossing.id })]);
  });

  it('a submitted customer return asks for QC', async () => {
    const { api, orgId } = await h.createOrg();
    const inv = inventory(api);
    await inv.warehouse('WH');
    await inv.item('A');
    const ret = await inv.post('customer_return', 'WH', [{ sku: 'A', qty: 2 }]);
    const rows = await h.db.select().from(outbox).where(and(eq(outbox.orgId, orgId), eq(outbox.kind, 'return_submitted')));
    expect(rows.map((r) => r.payload.number)).toEqual([ret.number]);
  });
});
