import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, organizations } from '../db/schema';
import { countRows, expectError, expectInvalid } from './assertions';
import { createTestApp, type TestApp } from './harness';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

const pen = {
  sku: 'PEN-1',
  name: 'Red pen',
  unit: 'pcs',
  category: 'stationery',
  barcodes: ['6901234567890', '111'],
  aliases: ['红笔'],
  packUnits: [{ name: 'box', factor: 24 }, { name: 'case', factor: '288.5' }],
  valuationMethod: 'fifo',
  lotTracked: true,
  shelfLifeDays: 365,
};

describe('items', () => {
  it('creates an item and reads it back by sku and in the list, with an audit row', async () => {
    const org = await h.createOrg();
    const res = await org.api('POST', '/api/v1/items', pen);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      sku: 'PEN-1',
      name: 'Red pen',
      unit: 'pcs',
      category: 'stationery',
      barcodes: ['111', '6901234567890'],
      aliases: ['红笔'],
      pinyin: ['hb', 'hongbi'],
      packUnits: [{ name: 'box', factor: '24' }, { name: 'case', factor: '288.5' }],
      valuationMethod: 'fifo',
      lotTracked: true,
      shelfLifeDays: 365,
      supplier: null,
      leadTimeDays: null,
      minOrderQty: null,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect((await org.api('GET', '/api/v1/items/PEN-1')).body).toEqual(res.body);
    expect((await org.api('GET', '/api/v1/items')).body).toEqual({ items: [res.body] });

    const audit = await h.db.select().from(auditLog).where(eq(auditLog.orgId, org.orgId));
    expect(audit).toMatchObject([{ entity: 'item', entityId: res.body.id, action: 'create', channel: 'api' }]);
    expect(audit[0]!.actorRef).toMatch(/^key:/);
  });

  it('fills the defaults, taking the valuation method from the organisation', async () => {
    const org = await h.createOrg();
    await h.db.update(organizations).set({ defaultValuation: 'fifo' }).where(eq(organizations.id, org.orgId));
    const res = await org.api('POST', '/api/v1/items', { sku: ' B-1 ', name: 'Bolt', unit: 'pcs' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      sku: 'B-1', category: null, barcodes: [], aliases: [], packUnits: [],
      valuationMethod: 'fifo', lotTracked: false, shelfLifeDays: null,
    });
    const other = await h.createOrg();
    expect((await other.api('POST', '/api/v1/items', { sku: 'B-1', name: 'Bolt', unit: 'pcs' })).body.valuationMethod)
      .toBe('moving_average');
  });

  it('searches: exact sku or barcode first, then part of sku, name or alias, without wildcards', async () => {
    const org = await h.createOrg();
    const make = (sku: string, extra: object = {}) => org.api('POST', '/api/v1/items', { sku, name: sku, unit: 'pcs', ...extra });
    await make('APEN-2', { name: 'Blue Pen' });
    await make('PEN', { name: 'Pencil' });
    await make('INK', { name: 'Ink', aliases: ['pen ink'] });
    await make('TAPE', { name: 'Tape', barcodes: ['PEN'] });
    await make('X%1', { name: 'Percent' });
    await make('X_1', { name: 'Underscore' });
    const skus = async (q: string) =>
      ((await org.api('GET', `/api/v1/items?q=${encodeURIComponent(q)}`)).body.items as { sku: string }[]).map((i) => i.sku);

    expect(await skus('PEN')).toEqual(['PEN', 'TAPE', 'APEN-2', 'INK']);
    expect(await skus('pen')).toEqual(['APEN-2', 'INK', 'PEN']);
    expect(await skus('%')).toEqual(['X%1']);
    expect(await skus('_')).toEqual(['X_1']);
    expect(await skus('nothing')).toEqual([]);
    const limited = await org.api('GET', '/api/v1/items?limit=2');
    expect(limited.body.items.map((i: { sku: string }) => i.sku)).toEqual(['APEN-2', 'INK']);
    expect((await org.api('GET', '/api/v1/items?q=TAPE')).body.items[0].barcodes).toEqual(['PEN']);
  });

  it('answers 404 naming an unknown sku', async () => {
    const org = await h.createOrg();
    expectError(await org.api('GET', '/api/v1/items/NOPE'), 404, 'not_found', /NOPE/);
  });

  describe('refuses bad input and writes nothing', () => {
    const cases: [string, unknown, string[]][] = [
      ['a body that is not an object', [1], ['']],
      ['a missing sku', { name: 'x', unit: 'pcs' }, ['sku']],
      ['several missing fields', {}, ['sku', 'name', 'unit']],
      ['a number for the name', { ...pen, name: 5 }, ['name']],
      ['a string for lotTracked', { ...pen, lotTracked: 'yes' }, ['lotTracked']],
      ['an unknown valuation method', { ...pen, valuationMethod: 'lifo' }, ['valuationMethod']],
      ['a fractional shelf life', { ...pen, shelfLifeDays: 1.5 }, ['shelfLifeDays']],
      ['a negative shelf life', { ...pen, shelfLifeDays: -1 }, ['shelfLifeDays']],
      ['too many decimals in a pack factor', { ...pen, packUnits: [{ name: 'box', factor: '1.1234567' }] }, ['packUnits.0.factor']],
      ['an exponent in a pack factor', { ...pen, packUnits: [{ name: 'box', factor: '1e3' }] }, ['packUnits.0.factor']],
      ['a pack factor of 1', { ...pen, packUnits: [{ name: 'box', factor: 1 }] }, ['packUnits.0.factor']],
      ['a pack unit named as the base unit', { ...pen, packUnits: [{ name: 'pcs', factor: 2 }] }, ['packUnits.0.name']],
      ['a pack unit twice', { ...pen, packUnits: [{ name: 'box', factor: 2 }, { name: 'box', factor: 3 }] }, ['packUnits.1.name']],
      ['a barcode twice', { ...pen, barcodes: ['1', '2', '1'] }, ['barcodes.2']],
      ['an empty sku', { ...pen, sku: '  ' }, ['sku']],
    ];
    it.each(cases)('%s', async (_name, body, fields) => {
      const org = await h.createOrg();
      const before = await countRows(h, org.orgId);
      expectInvalid(await org.api('POST', '/api/v1/items', body), fields);
      expect(await countRows(h, org.orgId)).toEqual(before);
    });

    it('malformed JSON', async () => {
      const org = await h.createOrg();
      const before = await countRows(h, org.orgId);
      const res = await org.api('POST', '/api/v1/items', '{"sku":');
      expectError(res, 400, 'invalid_request', /JSON/);
      expect(await countRows(h, org.orgId)).toEqual(before);
    });
  });

  it('refuses a duplicate sku and a barcode of another item with 409, naming them', async () => {
    const org = await h.createOrg();
    expect((await org.api('POST', '/api/v1/items', pen)).status).toBe(201);
    const before = await countRows(h, org.orgId);
    expectError(await org.api('POST', '/api/v1/items', { ...pen, barcodes: [] }), 409, 'conflict', /PEN-1/);
    const res = await org.api('POST', '/api/v1/items', { ...pen, sku: 'PEN-2', barcodes: ['new', '111'] });
    expectError(res, 409, 'conflict', /barcode '111'.*'PEN-1'/);
    expect(await countRows(h, org.orgId)).toEqual(before);
  });

  it('keeps organisations apart', async () => {
    const a = await h.createOrg();
    const b = await h.createOrg();
    expect((await a.api('POST', '/api/v1/items', pen)).status).toBe(201);
    expect((await b.api('GET', '/api/v1/items')).body).toEqual({ items: [] });
    expect((await b.api('GET', '/api/v1/items?q=PEN-1')).body).toEqual({ items: [] });
    expect((await b.api('GET', '/api/v1/items?q=111')).body).toEqual({ items: [] });
    expectError(await b.api('GET', '/api/v1/items/PEN-1'), 404, 'not_found', /PEN-1/);
    // The same sku and barcodes are free in another organisation.
    expect((await b.api('POST', '/api/v1/items', pen)).status).toBe(201);
    expect((await a.api('GET', '/api/v1/items')).body.items).toHaveLength(1);
  });

  it('needs a key (401) with the write scope (403) to create', async () => {
    const org = await h.createOrg({ scopes: ['read'] });
    const before = await countRows(h, org.orgId);
    expectError(await org.api('POST', '/api/v1/items', pen), 403, 'forbidden', /write/);
    expectError(await h.client(undefined)('POST', '/api/v1/items', pen), 401, 'unauthorized');
    expectError(await h.client(undefined)('GET', '/api/v1/items'), 401, 'unauthorized');
    expect((await org.api('GET', '/api/v1/items')).status).toBe(200);
    expect(await countRows(h, org.orgId)).toEqual(before);
  });

  it('replays an Idempotency-Key and refuses it with another body', async () => {
    const org = await h.createOrg();
    const headers = { 'idempotency-key': 'k-1' };
    const first = await org.api('POST', '/api/v1/items', pen, headers);
    // The same request spelled differently (a factor as a string) is still the same request.
    const same = { ...pen, packUnits: [{ name: 'box', factor: '24' }, { name: 'case', factor: 288.5 }] };
    const again = await org.api('POST', '/api/v1/items', same, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const after = await countRows(h, org.orgId);
    expect(after).toMatchObject({ items: 1, item_barcodes: 2, audit_log: 1, idempotency_keys: 1 });

    expectError(await org.api('POST', '/api/v1/items', { ...pen, sku: 'OTHER' }, headers), 409, 'conflict', /k-1/);
    expect(await countRows(h, org.orgId)).toEqual(after);
    // A failed create keeps no key, so a corrected retry may use it.
    const bad = await org.api('POST', '/api/v1/items', { ...pen, sku: 'PEN-1', barcodes: [] }, { 'idempotency-key': 'k-2' });
    expectError(bad, 409, 'conflict', /PEN-1/);
    expect((await org.api('POST', '/api/v1/items', { ...pen, sku: 'PEN-2', barcodes: [] }, { 'idempotency-key': 'k-2' })).status).toBe(201);
  });
});

describe('warehouses', () => {
  it('creates and lists warehouses by code; a duplicate code is 409', async () => {
    const org = await h.createOrg();
    const wh2 = await org.api('POST', '/api/v1/warehouses', { code: 'WH2', name: '二号仓', type: 'store' });
    const wh1 = await org.api('POST', '/api/v1/warehouses', { code: 'WH1', name: 'Central', type: 'central' });
    expect(wh1.status).toBe(201);
    expect(wh1.body).toEqual({ id: expect.any(String), code: 'WH1', name: 'Central', type: 'central', createdAt: expect.any(String) });
    expect((await org.api('GET', '/api/v1/warehouses')).body).toEqual({ warehouses: [wh1.body, wh2.body] });

    const before = await countRows(h, org.orgId);
    expectError(await org.api('POST', '/api/v1/warehouses', { code: 'WH1', name: 'x', type: 'store' }), 409, 'conflict', /WH1/);
    expectInvalid(await org.api('POST', '/api/v1/warehouses', { code: 'WH3', name: 'x' }), ['type']);
    expectInvalid(await org.api('POST', '/api/v1/warehouses', { code: 3, name: 'x', type: 'store' }), ['code']);
    expectError(await org.api('POST', '/api/v1/warehouses', '{"code":'), 400, 'invalid_request');
    expect(await countRows(h, org.orgId)).toEqual(before);
    const audit = await h.db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.entity, 'warehouse')));
    expect(audit).toHaveLength(2);
  });

  it('keeps organisations apart and honours Idempotency-Key', async () => {
    const a = await h.createOrg();
    const b = await h.createOrg();
    const body = { code: 'WH1', name: 'Central', type: 'central' };
    const first = await a.api('POST', '/api/v1/warehouses', body, { 'idempotency-key': 'w' });
    expect((await a.api('POST', '/api/v1/warehouses', body, { 'idempotency-key': 'w' })).body).toEqual(first.body);
    expect((await b.api('GET', '/api/v1/warehouses')).body).toEqual({ warehouses: [] });
    // The key belongs to organisation A: B using it creates its own warehouse.
    expect((await b.api('POST', '/api/v1/warehouses', body, { 'idempotency-key': 'w' })).status).toBe(201);
    expect((await countRows(h, a.orgId)).warehouses).toBe(1);
  });
});

describe('reorder rules', () => {
  async function setUp() {
    const org = await h.createOrg();
    await org.api('POST', '/api/v1/items', { sku: 'A', name: 'A', unit: 'pcs' });
    await org.api('POST', '/api/v1/warehouses', { code: 'WH1', name: 'Central', type: 'central' });
    return org;
  }

  it('creates, then replaces the rule of an item in a warehouse', async () => {
    const org = await setUp();
    const created = await org.api('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH1', minQty: 5, reorderQty: '12.50' });
    expect(created.status).toBe(200);
    const defaults = { safetyStock: null, leadTimeDays: null, coverDays: null, source: 'supplier' };
    expect(created.body).toEqual({ sku: 'A', warehouse: 'WH1', minQty: '5', reorderQty: '12.5', ...defaults });
    const updated = await org.api('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH1', minQty: '0.125' });
    expect(updated.body).toEqual({ sku: 'A', warehouse: 'WH1', minQty: '0.125', reorderQty: null, ...defaults });
    expect((await countRows(h, org.orgId)).reorder_rules).toBe(1);
    const audit = await h.db.select().from(auditLog).where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.entity, 'reorder_rule')));
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
  });

  it('keeps what replenishment needs: safety stock, lead time, cover and the supplying warehouse', async () => {
    const org = await setUp();
    await org.api('POST', '/api/v1/warehouses', { code: 'S1', name: '一号店', type: 'store' });
    const res = await org.api('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'S1', minQty: 5, safetyStock: '8', leadTimeDays: 2, coverDays: 5, source: 'WH1' });
    expect(res.body).toEqual({ sku: 'A', warehouse: 'S1', minQty: '5', reorderQty: null, safetyStock: '8', leadTimeDays: 2, coverDays: 5, source: 'WH1' });
    const self = await org.api('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'S1', minQty: 5, source: 'S1' });
    expect(self.status).toBe(400);
    expect(self.body.error.details).toEqual([{ field: 'source', message: 'S1 cannot supply itself' }]);
    const unknown = await org.api('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'S1', minQty: 5, source: 'NOPE' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain('NOPE');
  });

  it('patches how an item is bought, and only by an admin', async () => {
    const org = await setUp();
    const res = await org.api('PATCH', '/api/v1/items/A', { supplier: '可口可乐华东', leadTimeDays: 3, minOrderQty: '48' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sku: 'A', supplier: '可口可乐华东', leadTimeDays: 3, minOrderQty: '48' });
    const cleared = await org.api('PATCH', '/api/v1/items/A', { minOrderQty: null });
    expect(cleared.body).toMatchObject({ supplier: '可口可乐华东', leadTimeDays: 3, minOrderQty: null });
    expect((await org.api('PATCH', '/api/v1/items/NOPE', { leadTimeDays: 1 })).status).toBe(404);
    expect((await org.api('PATCH', '/api/v1/items/A', { leadTimeDays: -1 })).status).toBe(400);
  });

  const bad: [string, object, string[]][] = [
    ['a missing minQty', { sku: 'A', warehouse: 'WH1' }, ['minQty']],
    ['a negative minQty', { sku: 'A', warehouse: 'WH1', minQty: -1 }, ['minQty']],
    ['a zero reorderQty', { sku: 'A', warehouse: 'WH1', minQty: 1, reorderQty: 0 }, ['reorderQty']],
    ['too many decimals', { sku: 'A', warehouse: 'WH1', minQty: '1.2345' }, ['minQty']],
    ['an exponent', { sku: 'A', warehouse: 'WH1', minQty: '1e3' }, ['minQty']],
    ['a boolean quantity', { sku: 'A', warehouse: 'WH1', minQty: true }, ['minQty']],
  ];
  it.each(bad)('refuses %s with 400 and writes nothing', async (_name, body, fields) => {
    const org = await setUp();
    const before = await countRows(h, org.orgId);
    expectInvalid(await org.api('PUT', '/api/v1/reorder-rules', body), fields);
    expect(await countRows(h, org.orgId)).toEqual(before);
  });

  it('answers 404 naming an unknown or foreign sku or warehouse, 403 for a read-only key', async () => {
    const org = await setUp();
    const other = await setUp();
    const before = await countRows(h, org.orgId);
    expectError(await org.api('PUT', '/api/v1/reorder-rules', { sku: 'NOPE', warehouse: 'WH1', minQty: 1 }), 404, 'not_found', /NOPE/);
    expectError(await org.api('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH9', minQty: 1 }), 404, 'not_found', /WH9/);
    await other.api('POST', '/api/v1/items', { sku: 'B', name: 'B', unit: 'pcs' });
    expectError(await org.api('PUT', '/api/v1/reorder-rules', { sku: 'B', warehouse: 'WH1', minQty: 1 }), 404, 'not_found', /'B'/);
    expectError(await org.api('PUT', '/api/v1/reorder-rules', '{"sku":'), 400, 'invalid_request');
    const reader = h.client((await h.createOrg({ scopes: ['read'] })).key);
    expectError(await reader('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: 'WH1', minQty: 1 }), 403, 'forbidden');
    expect(await countRows(h, org.orgId)).toEqual(before);
  });
});

it('documents the master-data paths in the OpenAPI document', async () => {
  const doc = (await h.client(undefined)('GET', '/api/v1/openapi.json')).body;
  for (const path of ['/api/v1/items', '/api/v1/items/{sku}', '/api/v1/warehouses', '/api/v1/reorder-rules']) {
    expect(Object.keys(doc.paths)).toContain(path);
  }
  expect(doc.paths['/api/v1/items'].post.responses['201']).toBeDefined();
  expect(doc.components.schemas.CreateItem.properties.packUnits).toBeDefined();
});
