import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, expectInvalid } from './assertions';
import { createTestApp, type TestApp } from './harness';
import { itemRows, toCsv } from './support/imports';
import { inventory } from './support/inventory';

// The endpoints the admin pages read: who a key is, the reorder rules, an approval preview, and an
// import that streams its progress.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

describe('GET /api/v1/me', () => {
  it('names the organisation, the key and its person; an integration key has no person; no key is a 401', async () => {
    const o = await h.createOrg();
    const me = await o.api('GET', '/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ organization: { slug: o.slug }, key: { name: 'test', scopes: ['admin'] }, user: null });
    expect(me.body.key.prefix).toBe(o.key.slice(0, 8));

    const inv = inventory(o.api);
    await inv.warehouse('WH');
    const user = await inv.ok('POST', '/api/v1/users', { name: '王五', roles: ['staff'], warehouses: ['WH'] });
    const { key } = await inv.ok('POST', '/api/v1/api-keys', { name: '王五的 key', user: user.id });
    const theirs = await h.client(key)('GET', '/api/v1/me');
    expect(theirs.body).toMatchObject({ key: { name: '王五的 key', scopes: ['read', 'write'] }, user: { id: user.id, name: '王五', roles: ['staff'], warehouses: ['WH'] } });
    expectError(await h.client(undefined)('GET', '/api/v1/me'), 401, 'unauthorized');
  });
});

describe('GET /api/v1/reorder-rules', () => {
  it('lists the rules with names, by warehouse then sku, and filters by sku or warehouse', async () => {
    const o = await h.createOrg();
    const inv = inventory(o.api);
    await inv.warehouse('B');
    await inv.warehouse('A');
    await inv.item('X', { name: '可乐' });
    await inv.item('Y', { name: '雪碧' });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'Y', warehouse: 'A', minQty: 5 });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'X', warehouse: 'B', minQty: '2.5', reorderQty: 10 });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'X', warehouse: 'A', minQty: 1 });
    const all = await inv.ok('GET', '/api/v1/reorder-rules');
    expect(all.rules.map((r: any) => `${r.warehouse}/${r.sku}`)).toEqual(['A/X', 'A/Y', 'B/X']);
    expect(all.rules[2]).toEqual({
      sku: 'X', name: '可乐', unit: 'pcs', warehouse: 'B', warehouseName: 'B', minQty: '2.5', reorderQty: '10',
      safetyStock: null, leadTimeDays: null, coverDays: null, source: 'supplier', updatedAt: expect.any(String),
    });
    // Supplied by another warehouse: named by its code, as PUT takes it.
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'Y', warehouse: 'B', minQty: 1, source: 'A', coverDays: 3, safetyStock: 2 });
    expect((await inv.ok('GET', '/api/v1/reorder-rules?sku=Y&warehouse=B')).rules)
      .toMatchObject([{ source: 'A', coverDays: 3, safetyStock: '2', leadTimeDays: null }]);
    expect((await inv.ok('GET', '/api/v1/reorder-rules?sku=X')).rules).toHaveLength(2);
    expect((await inv.ok('GET', '/api/v1/reorder-rules?warehouse=B')).rules).toHaveLength(2);
    // Another organisation sees none of them.
    expect((await inventory((await h.createOrg()).api).ok('GET', '/api/v1/reorder-rules')).rules).toEqual([]);
  });
});

describe('POST /api/v1/approval-rules/preview', () => {
  it('answers the levels a document would need, by the stored rules or a draft set, and saves nothing', async () => {
    const o = await h.createOrg();
    const inv = inventory(o.api);
    await inv.ok('POST', '/api/v1/warehouses', { code: 'CENTRAL', name: '总仓', type: 'central' });
    await inv.ok('POST', '/api/v1/warehouses', { code: 'S1', name: '一号店', type: 'store' });
    await inv.ok('PUT', '/api/v1/approval-rules', { rules: [
      { name: '大额调拨', documentTypes: ['transfer'], warehouses: ['CENTRAL'], minValue: 500, levels: [{ roles: ['supervisor'] }] },
      { name: '巨额', documentTypes: ['transfer', 'issue'], minValue: 5000, levels: [{ roles: ['supervisor'] }, { roles: ['admin'] }] },
    ] });
    const preview = (body: unknown) => o.api('POST', '/api/v1/approval-rules/preview', body);

    expect((await preview({ documentType: 'transfer', warehouse: 'CENTRAL', value: 800 })).body)
      .toEqual({ levels: [{ roles: ['supervisor'], users: [], rules: ['大额调拨'] }] });
    expect((await preview({ documentType: 'transfer', warehouse: 'CENTRAL', value: '499.99' })).body).toEqual({ levels: [] });
    expect((await preview({ documentType: 'transfer', warehouse: 'S1', value: 800 })).body).toEqual({ levels: [] });
    // The same level asked by two rules is asked once, at its first place.
    expect((await preview({ documentType: 'transfer', warehouse: 'CENTRAL', value: 6000 })).body.levels)
      .toEqual([{ roles: ['supervisor'], users: [], rules: ['大额调拨', '巨额'] }, { roles: ['admin'], users: [], rules: ['巨额'] }]);

    // A draft set is judged instead of the stored one, and nothing is saved.
    const draft = [{ name: '门店领料', documentTypes: ['issue'], warehouseTypes: ['store'], levels: [{ roles: ['store_manager'] }] }];
    expect((await preview({ documentType: 'issue', warehouse: 'S1', rules: draft })).body.levels)
      .toEqual([{ roles: ['store_manager'], users: [], rules: ['门店领料'] }]);
    expect((await inv.ok('GET', '/api/v1/approval-rules')).rules.map((r: any) => r.name)).toEqual(['大额调拨', '巨额']);

    // The preview agrees with what submitting asks.
    await inv.item('A');
    await inv.receipt('CENTRAL', 'A', 100, 8);
    const doc = await inv.post('transfer', 'CENTRAL', [{ sku: 'A', qty: 100 }], { toWarehouse: 'S1' });
    expect(doc.status).toBe('awaiting_approval');
    expect(doc.approvals).toHaveLength(1);

    expectInvalid(await preview({ documentType: 'nope', warehouse: 'CENTRAL', value: -1 }), ['documentType', 'value']);
    expectError(await preview({ documentType: 'issue', warehouse: 'NOWHERE' }), 404, 'not_found', /NOWHERE/);
    expectError(await preview({ documentType: 'issue', warehouse: 'S1', rules: [{ ...draft[0], warehouses: ['GONE'] }] }), 404, 'not_found', /GONE/);
  });
});

describe('POST /api/v1/imports with Accept: application/x-ndjson', () => {
  const streamed = async (key: string, kind: string, csv: string, dryRun = false) => {
    const res = await h.app.request(`/api/v1/imports?kind=${kind}&dryRun=${dryRun}`, {
      method: 'POST', body: csv, headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv', accept: 'application/x-ndjson' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    return (await res.text()).trim().split('\n').map((l) => JSON.parse(l));
  };

  it('reports rows checked and written as it goes, then the result as the plain answer has it', async () => {
    const o = await h.createOrg();
    const lines = await streamed(o.key, 'items', toCsv(itemRows(1200)));
    const progress = lines.slice(0, -1).map((l) => l.progress);
    expect(progress.filter((p) => p.phase === 'check').map((p) => p.done)).toEqual([250, 500, 750, 1000, 1200]);
    expect(progress.filter((p) => p.phase === 'write').map((p) => [p.done, p.total])).toEqual([[1000, 1200], [1200, 1200]]);
    expect(lines.at(-1)).toEqual({ status: 200, result: { rows: 1200, created: 1200, errors: [] } });
    expect((await o.api('GET', '/api/v1/items?q=I01200')).body.items[0].sku).toBe('I01200');
  });

  it('ends with 422 and every bad row, writing nothing; a refused key ends with its error', async () => {
    const o = await h.createOrg();
    const rows = itemRows(3);
    rows[2]![2] = null;
    const lines = await streamed(o.key, 'items', toCsv(rows));
    expect(lines.at(-1)).toEqual({ status: 422, result: { rows: 3, created: 0, errors: [{ row: 3, column: 'unit', message: 'unit is required' }] } });
    expect((await o.api('GET', '/api/v1/items')).body.items).toEqual([]);

    // A staff member's key: the rule book (master data is for admins) refuses inside the stream.
    const staff = await o.api('POST', '/api/v1/users', { name: '小李', roles: ['staff'] });
    const { key } = (await o.api('POST', '/api/v1/api-keys', { name: 'staff', user: staff.body.id })).body;
    const refused = await streamed(key, 'items', toCsv(itemRows(1)));
    expect(refused.at(-1)).toMatchObject({ status: 403, error: { code: 'forbidden' } });
  });

  it('links each opening document to its signed page', async () => {
    const o = await h.createOrg();
    const inv = inventory(o.api);
    await inv.warehouse('WH1');
    await inv.item('A');
    const lines = await streamed(o.key, 'opening', 'warehouse,sku,qty,unitCost\nWH1,A,10,2\n');
    const [doc] = lines.at(-1).result.documents;
    expect(doc).toMatchObject({ warehouse: 'WH1', number: expect.stringMatching(/^OB-/) });
    expect(doc.url).toMatch(new RegExp(`^/documents/${doc.id}\\?exp=\\d+&sig=[0-9a-f]{64}$`));
    const page = await h.app.request(doc.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(doc.number);
  });
});

describe('GET /admin/<page> and their scripts', () => {
  const pages = ['items', 'warehouses', 'people', 'approval-rules', 'reorder-rules', 'api-keys', 'imports'];

  it('serves each page and its same-origin scripts under a CSP that allows no inline or foreign script, data set only as text', async () => {
    const home = await h.app.request('/admin');
    expect(home.status).toBe(302);
    expect(home.headers.get('location')).toBe('/admin/items');
    const common = await h.app.request('/admin/common.js');
    expect(common.headers.get('content-type')).toMatch(/^text\/javascript/);
    const commonSource = await common.text();
    expect(commonSource).toContain("'jxc.dashboard.apiKey'"); // one sign-in with the dashboard
    expect(() => new Function(commonSource)).not.toThrow();
    for (const path of pages) {
      const page = await h.app.request(`/admin/${path}`);
      expect(page.status, path).toBe(200);
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      const html = await page.text();
      expect(html).toContain('<html lang="zh-CN">');
      expect([...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]))
        .toEqual(['<script defer src="/dashboard/dom.js">', '<script defer src="/admin/common.js">', `<script defer src="/admin/${path}.js">`]);
      expect(html).not.toMatch(/\son[a-z]+=/); // no inline handlers
      const js = await h.app.request(`/admin/${path}.js`);
      expect(js.status, path).toBe(200);
      expect(js.headers.get('content-security-policy')).toBe(csp);
      const source = await js.text();
      expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
      expect(() => new Function(source)).not.toThrow();
    }
    expect(commonSource).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
