import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, documents, items } from '../db/schema';
import { countRows, expectError } from './assertions';
import { createTestApp, type TestApp } from './harness';
import { inventory } from './support/inventory';
import { itemRows, toCsv, toXlsx, uploader, type Cell } from './support/imports';
import { readHeader } from '../src/imports/columns';
import { createDocument } from '../src/inventory/documents/create';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

/** A fresh organisation with an upload function bound to its key. */
async function org(scopes?: string[]) {
  const o = await h.createOrg(scopes ? { scopes } : {});
  return { ...o, upload: uploader(h, o.key), inv: inventory(o.api) };
}

const itemCount = (orgId: string) => h.db.$count(items, eq(items.orgId, orgId));

/** 10,000 items with three bad rows: a missing unit, a bad number, a sku repeated from row 2. */
function badItems(): { rows: Cell[][]; expected: { row: number; column: string; message: string }[] } {
  const rows = itemRows(10_000);
  rows[100]![2] = null; // row 101 as the sheet numbers it (the header is row 1)
  rows[5001]![9] = '3O'; // row 5002: the letter O, not a zero
  rows[9001]![0] = 'I00001'; // row 9002
  return {
    rows,
    expected: [
      { row: 101, column: 'unit', message: 'unit is required' },
      { row: 5002, column: 'shelfLifeDays', message: "'3O' is not a whole number" },
      { row: 9002, column: 'sku', message: "sku 'I00001' is already on row 2" },
    ],
  };
}

function corrected(rows: Cell[][]): Cell[][] {
  const fixed = rows.map((r) => [...r]);
  fixed[100]![2] = 'pcs';
  fixed[5001]![9] = 30;
  fixed[9001]![0] = 'I09001';
  return fixed;
}

describe.each([
  ['CSV', (rows: Cell[][]) => Promise.resolve<string | Uint8Array>(toCsv(rows))],
  ['.xlsx', (rows: Cell[][]) => toXlsx(rows)],
])('10,000 items as %s', (_format, encode) => {
  it('reports exactly the 3 bad rows and writes nothing, then imports the corrected file whole', async () => {
    const o = await org();
    const { rows, expected } = badItems();
    const before = await countRows(h, o.orgId);

    const bad = await o.upload('items', await encode(rows));
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ rows: 10_000, created: 0, errors: expected });
    expect(await countRows(h, o.orgId)).toEqual(before);

    const good = await o.upload('items', await encode(corrected(rows)));
    expect(good.status, JSON.stringify(good.body.errors?.slice(0, 3))).toBe(200);
    expect(good.body).toEqual({ rows: 10_000, created: 10_000, errors: [] });
    expect(await itemCount(o.orgId)).toBe(10_000);
    const counts = await countRows(h, o.orgId);
    expect(counts.item_barcodes).toBe(20_000);
    // One audit row for the import, not one per item.
    expect(counts.audit_log).toBe(before.audit_log + 1);

    const item = await o.inv.ok('GET', '/api/v1/items/I00030');
    expect(item).toMatchObject({
      sku: 'I00030', name: '商品 30', unit: 'pcs', category: '饮料', barcodes: ['6973' + '00030', '7973' + '00030'],
      aliases: ['alias30', '别名30'], packUnits: [{ name: '箱', factor: '24' }, { name: '包', factor: '6' }],
      valuationMethod: 'moving_average', lotTracked: true, shelfLifeDays: 30,
    });
    expect((await o.inv.ok('GET', '/api/v1/items/I00007')).name).toBe('Item 7, "large"');
    expect((await o.inv.ok('GET', '/api/v1/items/I00004')).valuationMethod).toBe('fifo');
    expect((await o.inv.ok('GET', '/api/v1/items/I09001')).lotTracked).toBe(false);

    // The same file again: every sku and barcode now exists, and nothing more is written.
    const again = await o.upload('items', await encode(corrected(rows).slice(0, 3)));
    expect(again.status).toBe(422);
    expect(again.body.errors).toEqual([
      { row: 2, column: 'sku', message: "item with sku 'I00001' already exists" },
      { row: 2, column: 'barcodes', message: "barcode '697300001' is already used by item 'I00001'" },
      { row: 2, column: 'barcodes', message: "barcode '797300001' is already used by item 'I00001'" },
      { row: 3, column: 'sku', message: "item with sku 'I00002' already exists" },
      { row: 3, column: 'barcodes', message: "barcode '697300002' is already used by item 'I00002'" },
      { row: 3, column: 'barcodes', message: "barcode '797300002' is already used by item 'I00002'" },
    ]);
    expect(await itemCount(o.orgId)).toBe(10_000);
  });
});

describe('CSV as Excel saves it', () => {
  it('reads a BOM, CRLF, quoted commas, quotes and line breaks, loose header names, and skips blank rows', async () => {
    const o = await org();
    const csv = '\uFEFF SKU ,Name,UNIT,Pack Units,lot_tracked,shelf life days\r\n'
      + 'A,"Apple, red ""Fuji""",pcs,箱=24,是,10\r\n'
      + 'B,"two\r\nlines",pcs,,否,\r\n'
      + ',,,,,\r\n'
      + 'C,Cherry,kg,,0,\r\n'
      + ',,,,,\r\n,,,,,\r\n';
    const res = await o.upload('items', csv);
    expect(res.body).toEqual({ rows: 3, created: 3, errors: [] });
    expect(res.status).toBe(200);
    expect(await o.inv.ok('GET', '/api/v1/items/A')).toMatchObject({ name: 'Apple, red "Fuji"', lotTracked: true, shelfLifeDays: 10 });
    expect((await o.inv.ok('GET', '/api/v1/items/B')).name).toBe('two\r\nlines');
  });

  it('numbers rows as the sheet shows them: a quoted line break stays in its row, blank rows still count', async () => {
    const o = await org();
    const csv = 'sku,name,unit\nA,"line one\nline two",pcs\n\nB,Banana,\nC,Cherry,pcs;\n';
    const res = await o.upload('items', csv);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ rows: 3, created: 0, errors: [{ row: 4, column: 'unit', message: 'unit is required' }] });
  });

  it('takes a semicolon-separated file (Excel in some locales) and thousands separators in numbers', async () => {
    const o = await org();
    await o.inv.warehouse('WH1');
    await o.inv.item('A');
    const res = await o.upload('opening', 'warehouse;sku;qty;unitCost\nWH1;A;"1,200";2.5\n');
    expect(res.body).toMatchObject({ rows: 1, created: 1, errors: [] });
    expect(await o.inv.valuation('A', 'WH1')).toMatchObject({ qty: '1200', value: '3000.00' });
  });

  it('refuses a file that is not UTF-8, naming the Excel format to save as', async () => {
    const o = await org();
    const gbk = new Uint8Array([0x73, 0x6b, 0x75, 0x0a, 0xc6, 0xbb, 0xb9, 0xfb, 0x0a]); // "sku\n苹果" in GBK
    expectError(await o.upload('items', gbk, { type: 'text/csv' }), 400, 'invalid_request', /UTF-8/);
  });

  it('reports a quote left open on the row where it starts', async () => {
    const o = await org();
    const res = await o.upload('warehouses', 'code,name,type\nW1,One,store\nW2,"Two,store\nW3,Three,store\n');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ row: 3, column: null, message: expect.stringMatching(/cannot be read.*Quote Not Closed/) }]);
  });
});

describe('header row', () => {
  it('reports unknown and headerless columns on row 1 and still checks every row', async () => {
    const o = await org();
    const res = await o.upload('items', 'sku,name,unit,colour,\nA,Apple,pcs,red,\nB,Banana,,yellow,x\n');
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { row: 1, column: 'colour', message: expect.stringContaining("unknown column 'colour'; the columns are sku, name, unit") },
      { row: 1, column: 'E', message: 'column E has values but no header' },
      { row: 3, column: 'unit', message: 'unit is required' },
    ]);
    expect(await itemCount(o.orgId)).toBe(0);
  });

  it('reports a missing required column once, on row 1, rather than on every row', async () => {
    const o = await org();
    const res = await o.upload('items', 'sku,name,Name\nA,Apple,Apple\nB,Banana,Banana\n');
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      rows: 2,
      created: 0,
      errors: [
        { row: 1, column: 'Name', message: "column 'Name' appears twice (columns B and C)" },
        { row: 1, column: 'unit', message: "required column 'unit' is missing" },
      ],
    });
  });

  it('reads the header of a sheet of 200,000 rows (the width was a spread of every row: a stack overflow, 500)', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => ({ row: i + 2, cells: [`W${i}`, `n${i}`, 'store'] }));
    const header = readHeader({ header: ['code', 'name', 'type'], rows, errors: [] }, { columns: ['code', 'name', 'type'], required: ['code'] });
    expect(header).toMatchObject({ usable: true, errors: [] });
  });

  it('answers a header with no rows with nothing to do', async () => {
    const o = await org();
    expect((await o.upload('warehouses', 'code,name,type\r\n')).body).toEqual({ rows: 0, created: 0, errors: [] });
  });
});

describe('items: the same rules as POST /items', () => {
  it('reports every problem of every row, pack units and barcodes included', async () => {
    const o = await org();
    await o.inv.item('OLD', { barcodes: ['999'] });
    const rows: Cell[][] = [
      ['sku', 'name', 'unit', 'barcodes', 'packUnits', 'valuationMethod', 'lotTracked', 'shelfLifeDays'],
      ['A', 'Apple', 'pcs', '100|100', '箱=1|pcs=6', 'lifo', 'maybe', '-3'],
      ['B', 'Banana', 'pcs', '200|999', '箱24', null, null, '12.5'],
      ['OLD', 'Old', 'pcs', '300', '箱=24|箱=12', null, null, null],
      ['D', 'D'.repeat(201), 'pcs', '200', '包=6.1234567', null, null, null],
    ];
    const res = await o.upload('items', toCsv(rows));
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      { row: 2, column: 'barcodes', message: "barcode 2: barcode '100' is listed twice" },
      { row: 2, column: 'packUnits', message: "pack unit 1 factor: must be greater than 1" },
      { row: 2, column: 'packUnits', message: "pack unit 2 name: pack unit 'pcs' is the base unit" },
      { row: 2, column: 'valuationMethod', message: expect.stringContaining('moving_average') },
      { row: 2, column: 'lotTracked', message: "'maybe' is not true or false (write true/false, yes/no, 1/0 or 是/否)" },
      { row: 2, column: 'shelfLifeDays', message: "'-3' is not a whole number" },
      { row: 3, column: 'barcodes', message: "barcode '999' is already used by item 'OLD'" },
      { row: 3, column: 'packUnits', message: "'箱24' is not a pack unit: write name=factor, such as 箱=24|包=6" },
      { row: 3, column: 'shelfLifeDays', message: "'12.5' is not a whole number" },
      { row: 4, column: 'sku', message: "item with sku 'OLD' already exists" },
      { row: 4, column: 'packUnits', message: "pack unit 2 name: pack unit '箱' is listed twice" },
      { row: 5, column: 'name', message: 'name must be at most 200 characters' },
      { row: 5, column: 'barcodes', message: "barcode '200' is already on row 3" },
      { row: 5, column: 'packUnits', message: 'pack unit 1 factor: has more than 6 decimal places' },
    ]);
    expect(await itemCount(o.orgId)).toBe(1);
  });

  it('gives new items the organisation default valuation, like POST /items', async () => {
    const o = await org();
    expect((await o.upload('items', 'sku,name,unit\nA,Apple,pcs\n')).status).toBe(200);
    expect((await o.inv.ok('GET', '/api/v1/items/A')).valuationMethod).toBe('moving_average');
  });
});

describe('dry run', () => {
  it('checks a clean file and reports what it would create, writing nothing', async () => {
    const o = await org();
    const before = await countRows(h, o.orgId);
    const res = await o.upload('items', toCsv(itemRows(500)), { dryRun: true });
    // `created` on a dry run is what a real run would create; nothing is written.
    expect(res).toEqual({ status: 200, body: { rows: 500, created: 500, errors: [] } });
    expect(await countRows(h, o.orgId)).toEqual(before);
  });

  it('lists every bad row the same way as a real run', async () => {
    const o = await org();
    const { rows, expected } = badItems();
    const res = await o.upload('items', toCsv(rows.slice(0, 200)), { dryRun: true });
    expect(res).toEqual({ status: 422, body: { rows: 199, created: 0, errors: expected.slice(0, 1) } });
  });
});

describe('warehouses', () => {
  it('imports code, name and type, refusing codes repeated in the file or already there', async () => {
    const o = await org();
    await o.inv.warehouse('OLD');
    const bad = await o.upload('warehouses', 'code,name,type\nW1,总仓,central\nW1,Again,store\nOLD,Old,store\nW3,,cold\n');
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      { row: 3, column: 'code', message: "code 'W1' is already on row 2" },
      { row: 4, column: 'code', message: "warehouse with code 'OLD' already exists" },
      { row: 5, column: 'name', message: 'name is required' },
    ]);
    const good = await o.upload('warehouses', 'code,name,type\nW1,总仓,central\nW2,门店,store\n');
    expect(good.body).toEqual({ rows: 2, created: 2, errors: [] });
    const list = await o.inv.ok('GET', '/api/v1/warehouses');
    expect(list.warehouses.map((w: any) => [w.code, w.name, w.type])).toEqual([['OLD', 'OLD', 'central'], ['W1', '总仓', 'central'], ['W2', '门店', 'store']]);
  });
});

describe('opening balances', () => {
  async function stocked() {
    const o = await org();
    await o.inv.warehouse('WH1');
    await o.inv.warehouse('WH2', 'store');
    await o.inv.warehouse('WH3', 'store');
    await o.inv.item('A', { unit: '罐', packUnits: [{ name: '箱', factor: 24 }, { name: '提', factor: 3 }, { name: '件', factor: 1.5 }] });
    await o.inv.item('F', { valuationMethod: 'fifo' });
    await o.inv.item('L', { lotTracked: true, shelfLifeDays: 30 });
    return o;
  }
  const openings = (orgId: string) => h.db.select().from(documents).where(and(eq(documents.orgId, orgId), eq(documents.type, 'opening')));

  it('posts one opening document per warehouse, converting pack units to the base unit', async () => {
    const o = await stocked();
    const rows: Cell[][] = [
      ['warehouse', 'sku', 'qty', 'unitCost', 'unit', 'lot', 'expiresOn'],
      ['WH1', 'A', 2, 30, '箱', null, null], // 48 罐 at 1.25
      ['WH2', 'A', 5, '1.5', null, null, null],
      ['WH1', 'F', '10', '2.345678', null, null, null],
      ['WH1', 'L', 4, 3, null, 'B1', '2027-01-31'],
      ['WH1', 'L', 6, 3, null, 'B2', null],
      ['WH2', 'F', 1, 10, 'pcs', null, null],
    ];
    const res = await o.upload('opening', toCsv(rows));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ rows: 6, created: 6, errors: [] });
    expect(res.body.documents.map((d: any) => d.warehouse)).toEqual(['WH1', 'WH2']);

    const docs = await openings(o.orgId);
    expect(docs.map((d) => d.status)).toEqual(['posted', 'posted']);
    expect(await o.inv.valuation('A', 'WH1')).toMatchObject({ qty: '48', value: '60.00', unitCost: '1.25' });
    expect(await o.inv.valuation('A', 'WH2')).toMatchObject({ qty: '5', value: '7.50' });
    expect(await o.inv.valuation('F', 'WH1')).toMatchObject({ qty: '10', value: '23.46' });
    expect(await o.inv.valuation('F', 'WH2')).toMatchObject({ qty: '1', value: '10.00' });
    expect(await o.inv.valuation('L', 'WH1')).toMatchObject({ qty: '10', value: '30.00' });
    const stock = await o.inv.ok('GET', '/api/v1/stock?sku=L&warehouse=WH1');
    expect(stock.balances.map((b: any) => [b.lot, b.qty])).toEqual([['B1', '4'], ['B2', '6']]);
    expect(stock.balances[0].expiresOn).toBe('2027-01-31');
    const audits = await h.db.$count(auditLog, and(eq(auditLog.orgId, o.orgId), eq(auditLog.entity, 'import')));
    expect(audits).toBe(1);
  });

  it('converts a pack-unit cost to six places per base unit', async () => {
    const o = await stocked();
    const res = await o.upload('opening', 'warehouse,sku,qty,unitCost,unit\nWH1,A,1,10,提\n');
    expect(res.status).toBe(200);
    const [doc] = await openings(o.orgId);
    const view = await o.inv.ok('GET', `/api/v1/documents/${doc!.id}`);
    expect(view.lines[0]).toMatchObject({ qty: '3', unitCost: '3.333333', value: '10.00' });
  });

  it('values a line priced per pack exactly: 100,000 提 at 10 is 1,000,000.00, not 300,000 × 3.333333', async () => {
    const o = await stocked();
    const res = await o.upload('opening', 'warehouse,sku,qty,unitCost,unit\nWH1,A,100000,10,提\n');
    expect(res.status).toBe(200);
    const [doc] = await openings(o.orgId);
    const view = await o.inv.ok('GET', `/api/v1/documents/${doc!.id}`);
    expect(view.lines[0]).toMatchObject({ qty: '300000', unitCost: '3.333333', value: '1000000.00' });
    expect(view.totalValue).toBe('1000000.00');
    expect(await o.inv.valuation('A', 'WH1')).toMatchObject({ qty: '300000', value: '1000000.00' });
    // Issued whole, it leaves at its value: nothing stays behind in the books.
    await o.inv.issue('WH1', 'A', 300000);
    expect(await o.inv.valuation('A', 'WH1')).toMatchObject({ qty: '0', value: '0.00' });
  });

  it('refuses a line value that its unit cost does not round to, or on a document that is not stock coming in', async () => {
    const o = await stocked();
    const create = (type: 'opening' | 'issue', value: string) =>
      createDocument(h.jobCtx(o.orgId), { type, warehouse: 'WH1', lines: [{ sku: 'A', qty: '300000', unitCost: '3.333333', value }] }).catch((e) => e);
    // 300,000 × 3.333333 = 999,999.90; a cost rounded to six places allows 0.15 either way, and half a cent.
    expect((await create('opening', '1000000.20')).issues).toEqual([{ field: 'lines.0.value', message: '1000000.20 is not 300000 × 3.333333' }]);
    expect((await create('issue', '1000000.00')).issues).toEqual([{ field: 'lines.0.value', message: 'only opening and receipt lines carry a value' }]);
    expect(await openings(o.orgId)).toEqual([]);
    expect((await create('opening', '1000000.00')).id).toEqual(expect.any(String));
  });

  it('reports unknown warehouses, items and units, bad numbers and dates, and the lot rules, writing nothing', async () => {
    const o = await stocked();
    const rows: Cell[][] = [
      ['warehouse', 'sku', 'qty', 'unitCost', 'unit', 'lot', 'expiresOn'],
      ['WH9', 'A', 1, 1, null, null, null],
      ['WH1', 'NOPE', 1, 1, null, null, null],
      ['WH1', 'A', 1, 1, '盒', null, null],
      ['WH2', 'A', 'one', '-1', null, null, null],
      ['WH1', 'F', '0', '1.1234567', null, null, null],
      ['WH1', 'L', 1, 1, null, null, null],
      ['WH2', 'A', 1, 1, null, 'B1', '2027-02-30'],
      ['WH2', 'F', 1, 1, null, null, '2027-01-01'],
      ['WH1', 'L', 1, 1, null, 'B1', '2027-01-31'],
      ['WH2', 'L', 1, 1, null, 'B1', '2027-02-01'],
      ['WH1', 'L', 2, 1, null, 'B1', null],
      ['WH2', 'L', null, 1, null, 'B2', null],
      ['WH3', 'A', '0.001', 1, '件', null, null],
    ];
    const before = await h.db.$count(documents, eq(documents.orgId, o.orgId));
    const res = await o.upload('opening', toCsv(rows));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      rows: 13,
      created: 0,
      errors: [
        { row: 2, column: 'warehouse', message: "unknown warehouse 'WH9'" },
        { row: 3, column: 'sku', message: "unknown item 'NOPE'" },
        { row: 4, column: 'unit', message: "unknown unit '盒' for A: use 罐, 箱, 提, 件" },
        { row: 5, column: 'qty', message: "'one' is not a number such as 12.5" },
        { row: 5, column: 'unitCost', message: 'must be 0 or more' },
        { row: 6, column: 'qty', message: 'must be greater than 0' },
        { row: 6, column: 'unitCost', message: "'1.1234567' has more than 6 decimal places" },
        { row: 7, column: 'lot', message: 'L is lot-tracked: name the lot' },
        { row: 8, column: 'lot', message: 'A is not lot-tracked: leave lot empty' },
        { row: 8, column: 'expiresOn', message: "'2027-02-30' is not a date: write YYYY-MM-DD, such as 2026-03-31" },
        { row: 9, column: 'expiresOn', message: 'F is not lot-tracked: leave expiresOn empty' },
        { row: 11, column: 'expiresOn', message: 'lot B1 of L expires on 2027-01-31 on row 10' },
        { row: 12, column: 'sku', message: 'L lot B1 in WH1 is already on row 10' },
        { row: 13, column: 'qty', message: 'qty is required' },
        { row: 14, column: 'qty', message: '0.001 件 is 0.0015 罐, more than 3 decimal places of 罐' },
      ],
    });
    expect(await h.db.$count(documents, eq(documents.orgId, o.orgId))).toBe(before);
  });

  it('accepts an .xlsx with real date and number cells', async () => {
    const o = await stocked();
    const rows: Cell[][] = [
      ['warehouse', 'sku', 'qty', 'unitCost', 'lot', 'expiresOn'],
      ['WH1', 'L', 12, 2.5, 'B7', new Date(Date.UTC(2027, 5, 30))],
      ['WH1', 'A', 1.5, 0.333333, null, null],
    ];
    const res = await o.upload('opening', await toXlsx(rows));
    expect(res.body).toMatchObject({ rows: 2, created: 2, errors: [] });
    const stock = await o.inv.ok('GET', '/api/v1/stock?sku=L&warehouse=WH1');
    expect(stock.balances[0]).toMatchObject({ lot: 'B7', expiresOn: '2027-06-30', qty: '12', value: '30.00' });
    expect(await o.inv.valuation('A', 'WH1')).toMatchObject({ qty: '1.5', value: '0.50' });
  });

  it('reads a number cell as Excel shows it, to 15 digits: =0.1+0.2 is 0.3 and =10*1.13 is 11.3, not refused for 17 decimals', async () => {
    const o = await stocked();
    const res = await o.upload('opening', await toXlsx([['warehouse', 'sku', 'qty', 'unitCost'], ['WH1', 'A', 0.1 + 0.2, 10 * 1.13]]));
    expect(res.body).toMatchObject({ rows: 1, created: 1, errors: [] });
    expect(await o.inv.valuation('A', 'WH1')).toMatchObject({ qty: '0.3', value: '3.39' });
  });

  it('the dry run refuses what the real run would: a value too large to store, a warehouse the uploader may not post at', async () => {
    const o = await stocked();
    const huge = 'warehouse,sku,qty,unitCost\nWH1,A,99999999999999,99999999999999\n';
    const expected = [{ row: 2, column: 'unitCost', message: expect.stringContaining('too large to store') }];
    for (const dryRun of [true, false]) {
      const res = await o.upload('opening', huge, { dryRun });
      expect([res.status, res.body.errors], `dryRun ${dryRun}`).toEqual([422, expected]);
    }
    const staff = await o.inv.ok('POST', '/api/v1/users', { name: '王五', roles: ['staff'], warehouses: ['WH1'] });
    const { key } = await o.inv.ok('POST', '/api/v1/api-keys', { name: 'staff', user: staff.id, scopes: ['read', 'write'] });
    const asStaff = uploader(h, key);
    const both = 'warehouse,sku,qty,unitCost\nWH1,A,1,1\nWH2,A,1,1\n';
    for (const dryRun of [true, false]) expect((await asStaff('opening', both, { dryRun })).status, `dryRun ${dryRun}`).toBe(403);
    expect((await asStaff('opening', 'warehouse,sku,qty,unitCost\nWH1,A,1,1\n', { dryRun: true })).status).toBe(200);
  });

  it('refuses a date that contradicts a lot already on file', async () => {
    const o = await stocked();
    await o.inv.receipt('WH1', 'L', 1, 1, { lot: 'OLD', expiresOn: '2027-03-01' });
    const res = await o.upload('opening', 'warehouse,sku,qty,unitCost,lot,expiresOn\nWH2,L,1,1,OLD,2027-04-01\nWH2,L,1,1,NEW,2027/4/1\n');
    expect(res.body.errors).toEqual([{ row: 2, column: 'expiresOn', message: 'lot OLD of L already expires on 2027-03-01' }]);
  });

  it('posts an opening of 5,000 lines in one warehouse as one document', async () => {
    const o = await stocked();
    expect((await o.upload('items', toCsv(itemRows(5000)))).status).toBe(200);
    const rows: Cell[][] = [['warehouse', 'sku', 'qty', 'unitCost', 'lot']];
    for (let i = 1; i <= 5000; i++) rows.push(['WH1', `I${String(i).padStart(5, '0')}`, i % 9 + 1, '0.5', i % 6 === 0 ? `LOT${i}` : null]);
    const res = await o.upload('opening', toCsv(rows));
    expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(200);
    expect(res.body.documents).toHaveLength(1);
    expect(await o.inv.valuation('I04999', 'WH1')).toMatchObject({ qty: '5', value: '2.50' }); // 4999 % 9 + 1 at 0.5
  });

  it('with an Idempotency-Key, posts a retried upload once', async () => {
    const o = await stocked();
    const csv = 'warehouse,sku,qty,unitCost\nWH1,A,5,2\n';
    const first = await o.upload('opening', csv, { headers: { 'idempotency-key': 'opening-2026' } });
    const again = await o.upload('opening', csv, { headers: { 'idempotency-key': 'opening-2026' } });
    expect(first.status).toBe(200);
    // The replay is the first answer; only each document's link is signed afresh for whoever asks now
    // (its expiry counts from this response), so the two may differ in `exp` and `sig` by a second.
    const unsigned = (res: typeof first) => ({ ...res, body: { ...res.body, documents: res.body.documents.map((d: any) => ({ ...d, url: d.url.replace(/\?.*$/, '') })) } });
    expect(unsigned(again)).toEqual(unsigned(first));
    expect(again.body.documents[0].url).toMatch(new RegExp(`^/documents/${first.body.documents[0].id}\\?exp=\\d+&sig=[0-9a-f]{64}$`));
    expect(await openings(o.orgId)).toHaveLength(1);
    expect(await o.inv.valuation('A', 'WH1')).toMatchObject({ qty: '5' });
    const other = await o.upload('opening', 'warehouse,sku,qty,unitCost\nWH1,A,6,2\n', { headers: { 'idempotency-key': 'opening-2026' } });
    expectError(other, 409, 'conflict');
  });
});

describe('the request', () => {
  it('needs a CSV or .xlsx body, a known kind, and the write scope', async () => {
    const o = await org();
    expectError(await o.upload('items', '{"sku":"A"}', { type: 'application/json' }), 415, 'unsupported_media_type');
    expectError(await o.upload('items', 'sku,name,unit\n', { type: 'text/plain' }), 415, 'unsupported_media_type');
    expectError(await o.upload('items', ''), 400, 'invalid_request', /empty/);
    expectError(await o.upload('items', '\uFEFF\r\n\r\n'), 400, 'invalid_request', /empty/);
    expectError(await o.upload('items', new Uint8Array([1, 2, 3]), { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
      400, 'invalid_request', /xlsx/);
    expectError(await o.upload('stock', 'a\n'), 400, 'invalid_request', /kind must be one of items, warehouses, opening/);
    expectError(await o.upload('items', 'sku\n', { dryRun: 'maybe' as never }), 400, 'invalid_request', /dryRun/);
    expect((await o.upload('items', 'sku,name,unit\nA,B,C\n', { type: 'text/csv; charset=utf-8' })).status).toBe(200);

    const reader = await org(['read']);
    expectError(await reader.upload('items', 'sku,name,unit\nA,B,C\n'), 403, 'forbidden');
    const writer = await org(['write']);
    expect((await writer.upload('items', 'sku,name,unit\nA,B,C\n')).status).toBe(200);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await (await h.app.request('/api/v1/openapi.json')).json() as any;
    expect(Object.keys(doc.paths['/api/v1/imports'].post.requestBody.content)).toEqual([
      'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    ]);
  });
});
