import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserApp, CHROMIUM, haveChromium, watchPage } from './support/browser';
import { itemRows, toCsv, toXlsx, XLSX } from './support/imports';
import { inventory } from './support/inventory';

// The admin pages in Debian's chromium against the real app on a loopback port, at phone width.
if (!haveChromium) console.warn(`admin browser test skipped: ${CHROMIUM} does not exist (apt-get install chromium)`);

const b = browserApp(60_000);

/** A phone-sized page signed in with `key` on an admin page; `problems` collects what went wrong unless `expected` allows it. */
async function open(path: string, key: string, expected?: (status: number, url: string) => boolean) {
  const page = await b.served.browser.newPage({ viewport: { width: 390, height: 844 } });
  page.setDefaultTimeout(15_000);
  const problems = watchPage(page, expected);
  await page.goto(`${b.served.base}${path}`);
  await page.fill('#apikey', key);
  await page.click('#signin-form button[type=submit]');
  await page.waitForSelector('#content:not([hidden])');
  return { page, problems };
}

/** A poll with room for a loaded machine (expect.poll alone gives up after a second). */
const poll = <T>(fn: () => Promise<T>) => expect.poll(fn, { timeout: 30_000 });
const fitsPhone = async (page: Page) => expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
const refused = (status: number) => status === 400 || status === 404 || status === 409;

describe.skipIf(!haveChromium)(`the admin pages in chromium (${CHROMIUM})`, () => {
  it('items: lists with packs, barcodes, aliases, pinyin and supplier; a bad pack or lead time is refused at its field; creates and edits', { timeout: 60_000 }, async () => {
    const o = await b.h.createOrg();
    const inv = inventory(o.api);
    await inv.item('COLA', { name: '可乐', unit: '罐', barcodes: ['6901'], aliases: ['快乐水'], packUnits: [{ name: '箱', factor: 24 }], supplier: '太古' });
    const { page, problems } = await open('/admin/items', o.key, refused);
    await page.waitForSelector('[data-sku=COLA]');
    const card = await page.textContent('[data-sku=COLA]');
    expect(card).toMatch(/^可乐COLA/); // the name before the code
    expect(card).toContain('箱=24罐');
    expect(card).toContain('6901');
    expect(card).toContain('快乐水');
    expect(card).toMatch(/拼音pinyin.*kele/);
    expect(card).toMatch(/供应商supplier太古/);

    // Editing changes how it is bought; a bad lead time is refused at its field.
    await page.click('[data-sku=COLA] button');
    expect(await page.inputValue('#f-supplier')).toBe('太古');
    expect(await page.getAttribute('#f-name', 'readonly')).not.toBeNull();
    await page.fill('#f-leadTimeDays', '-2');
    await page.click('#item-save');
    await poll(() => page.textContent('[data-error-for=leadTimeDays]')).not.toBe('');
    await page.fill('#f-leadTimeDays', '3');
    await page.fill('#f-minOrderQty', '48');
    await page.click('#item-save');
    await poll(() => page.textContent('[data-sku=COLA]')).toMatch(/采购周期leadTimeDays3 天.*最小订货量minOrderQty48 罐/);
    expect((await inv.ok('GET', '/api/v1/items/COLA'))).toMatchObject({ name: '可乐', supplier: '太古', leadTimeDays: 3, minOrderQty: '48' });

    await page.fill('#f-sku', 'SPRITE');
    await page.fill('#f-name', '雪碧');
    await page.fill('#f-unit', '罐');
    await page.fill('#f-packUnits', '箱=0');
    await page.click('#item-save');
    await poll(() => page.textContent('[data-error-for=packUnits]')).not.toBe('');
    expect(await page.getAttribute('[data-field=packUnits]', 'class')).toContain('invalid');
    await page.fill('#f-packUnits', '箱=12');
    await page.click('#item-save');
    await page.waitForSelector('[data-sku=SPRITE]');
    expect(await page.textContent('[data-sku=SPRITE]')).toContain('箱=12罐');
    expect(await page.textContent('[data-error-for=packUnits]')).toBe('');
    // A taken sku: the 409 lands at the sku field.
    await page.fill('#f-sku', 'COLA');
    await page.fill('#f-name', '又一个可乐');
    await page.fill('#f-unit', '罐');
    await page.click('#item-save');
    await poll(() => page.textContent('[data-error-for=sku]')).toContain('COLA');
    await fitsPhone(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('warehouses: a taken code and an empty chat id are refused at their fields; binds a group, then changes its purposes', { timeout: 60_000 }, async () => {
    const o = await b.h.createOrg();
    const inv = inventory(o.api);
    await inv.ok('POST', '/api/v1/warehouses', { code: 'CENTRAL', name: '总仓', type: 'central' });
    await inv.ok('POST', '/api/v1/warehouses/CENTRAL/chats', { platform: 'lark', chatId: 'oc_abc', purposes: ['alerts'] });
    const { page, problems } = await open('/admin/warehouses', o.key, refused);
    await page.waitForSelector('[data-code=CENTRAL] [data-chat=oc_abc]');
    expect(await page.textContent('[data-code=CENTRAL]')).toMatch(/总仓CENTRAL[\s\S]*飞书 lark · oc_abc · 提醒/);

    await page.fill('#w-code', 'CENTRAL');
    await page.fill('#w-name', '又一个总仓');
    await page.click('#warehouse-form button[type=submit]');
    await poll(() => page.textContent('#warehouse-form [data-error-for=code]')).toContain('CENTRAL');
    await page.fill('#w-code', 'S1');
    await page.fill('#w-name', '一号店');
    await page.selectOption('#w-type', 'store');
    await page.click('#warehouse-form button[type=submit]');
    await page.waitForSelector('[data-code=S1]');
    // Its chats load after the row shows (读取群聊…).
    await poll(() => page.textContent('[data-code=S1]')).toContain('还没有绑定群聊');

    await page.selectOption('#b-warehouse', 'S1');
    await page.selectOption('#b-platform', 'sandbox');
    await page.click('#bind-form button[type=submit]');
    await poll(() => page.textContent('#bind-form [data-error-for=chatId]')).not.toBe('');
    await page.fill('#b-chatId', 'store-1-group');
    await page.check('#bind-form input[name=purposes][value=approvals]');
    await page.click('#bind-form button[type=submit]');
    await page.waitForSelector('[data-code=S1] [data-chat=store-1-group]');
    expect(await page.textContent('[data-code=S1] [data-chat=store-1-group]')).toContain('沙盒 sandbox · store-1-group · 审批');
    // Binding the same chat again changes its purposes.
    await page.click('[data-code=S1] [data-chat=store-1-group] button');
    await page.uncheck('#bind-form input[name=purposes][value=approvals]');
    await page.check('#bind-form input[name=purposes][value=digest]');
    await page.click('#bind-form button[type=submit]');
    await poll(() => page.textContent('[data-code=S1] [data-chat=store-1-group]')).toContain('日报');
    expect((await inv.ok('GET', '/api/v1/warehouses/S1/chats')).chats).toEqual([{ warehouse: 'S1', platform: 'sandbox', chatId: 'store-1-group', purposes: ['digest'] }]);
    await fitsPhone(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('people: roles are required at their field; creates with a warehouse and an identity, adds one, makes a bind code', { timeout: 60_000 }, async () => {
    const o = await b.h.createOrg();
    const inv = inventory(o.api);
    await inv.ok('POST', '/api/v1/warehouses', { code: 'S1', name: '一号店', type: 'store' });
    await inv.ok('POST', '/api/v1/users', { name: '老王', roles: ['supervisor'], identities: [{ platform: 'lark', externalId: 'ou_wang' }] });
    const { page, problems } = await open('/admin/people', o.key, refused);
    await page.waitForSelector('[data-user=老王]');
    expect(await page.textContent('[data-user=老王]')).toMatch(/主管[\s\S]*全部仓库[\s\S]*飞书：ou_wang/);

    await page.fill('#u-name', '小李');
    await page.click('#user-form button[type=submit]');
    await poll(() => page.textContent('#user-form [data-error-for=roles]')).toContain('at least one role');
    await page.check('#user-form input[name=roles][value=store_manager]');
    await page.check('#user-form input[name=warehouses][value=S1]');
    await page.selectOption('#u-platform', 'sandbox');
    await page.fill('#u-externalId', 'li');
    await page.click('#user-form button[type=submit]');
    await page.waitForSelector('[data-user=小李]');
    expect(await page.textContent('[data-user=小李]')).toMatch(/门店店长[\s\S]*一号店（S1）[\s\S]*沙盒：li/);

    await page.click('[data-user=小李] button:has-text("添加聊天身份")');
    await page.selectOption('#i-platform', 'wecom');
    await page.click('#identity-form button[type=submit]');
    await poll(() => page.textContent('#identity-form [data-error-for=externalId]')).not.toBe('');
    await page.fill('#i-externalId', 'LiSi');
    await page.click('#identity-form button[type=submit]');
    await poll(() => page.textContent('[data-user=小李]')).toContain('企业微信：LiSi');

    await page.click('[data-user=小李] button:has-text("生成绑定码")');
    await poll(() => page.textContent('[data-user=小李] .bind-code')).toMatch(/绑定 \d{6}/);
    await fitsPhone(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('approval rules: previews from the draft, refuses an empty level at its place, saves the levels in order', { timeout: 60_000 }, async () => {
    const o = await b.h.createOrg();
    const inv = inventory(o.api);
    await inv.ok('POST', '/api/v1/warehouses', { code: 'CENTRAL', name: '总仓', type: 'central' });
    await inv.ok('PUT', '/api/v1/approval-rules', { rules: [
      { name: '大额调拨', documentTypes: ['transfer'], warehouses: ['CENTRAL'], minValue: 500, levels: [{ roles: ['supervisor'] }] },
    ] });
    const { page, problems } = await open('/admin/approval-rules', o.key, refused);
    await page.waitForSelector('fieldset.rule[data-rule="0"]');
    expect(await page.inputValue('fieldset.rule[data-rule="0"] input[name=name]')).toBe('大额调拨');

    await page.selectOption('#p-type', 'transfer');
    await page.selectOption('#p-warehouse', 'CENTRAL');
    await page.fill('#p-value', '800');
    await page.click('#preview-form button[type=submit]');
    await poll(() => page.textContent('#preview-result')).toBe('从 总仓 的调拨单，金额 ¥800，需要：第 1 级 主管（大额调拨）');

    // A second level with nobody in it: refused at that level, nothing saved.
    await page.click('fieldset.rule[data-rule="0"] button:has-text("添加一级")');
    await page.click('#rules-save');
    await poll(() => page.textContent('[data-error-for="rules.0.levels.1"]')).toContain('at least one role or user');
    expect((await inv.ok('GET', '/api/v1/approval-rules')).rules[0].levels).toHaveLength(1);
    await page.check('fieldset.rule[data-rule="0"] li.level[data-level="1"] input[name=roles][value=admin]');
    // The preview follows the unsaved draft.
    await page.click('#preview-form button[type=submit]');
    await poll(() => page.textContent('#preview-result')).toContain('第 2 级 管理员');
    await page.click('#rules-save');
    await poll(() => page.textContent('#rules-form .form-ok')).toBe('已保存 1 条规则');
    expect((await inv.ok('GET', '/api/v1/approval-rules')).rules[0].levels).toEqual([{ roles: ['supervisor'], users: [] }, { roles: ['admin'], users: [] }]);
    await fitsPhone(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('reorder rules: an unknown sku is refused at its field; sets a rule and changes it', { timeout: 60_000 }, async () => {
    const o = await b.h.createOrg();
    const inv = inventory(o.api);
    await inv.ok('POST', '/api/v1/warehouses', { code: 'CENTRAL', name: '总仓', type: 'central' });
    await inv.item('COLA', { name: '可乐', unit: '罐' });
    await inv.item('TEA', { name: '绿茶', unit: '瓶' });
    await inv.ok('POST', '/api/v1/warehouses', { code: 'KITCHEN', name: '中央厨房', type: 'kitchen' });
    await inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'COLA', warehouse: 'CENTRAL', minQty: 24, coverDays: 10 });
    const { page, problems } = await open('/admin/reorder-rules', o.key, refused);
    await poll(() => page.textContent('#rules')).toContain('可乐（COLA）总仓（CENTRAL）24 罐');

    await page.fill('#r-sku', 'NOPE');
    await page.fill('#r-minQty', '5');
    await page.click('#rule-form button[type=submit]');
    await poll(() => page.textContent('#rule-form [data-error-for=sku]')).toContain('NOPE');
    await page.fill('#r-sku', 'TEA');
    await page.fill('#r-minQty', '-1');
    await page.click('#rule-form button[type=submit]');
    await poll(() => page.textContent('#rule-form [data-error-for=minQty]')).not.toBe('');
    await page.fill('#r-minQty', '12');
    await page.fill('#r-reorderQty', '48');
    await page.selectOption('#r-source', 'KITCHEN');
    await page.fill('#r-coverDays', '14');
    await page.click('#rule-form button[type=submit]');
    await poll(() => page.textContent('#rules')).toContain('绿茶（TEA）总仓（CENTRAL）12 瓶48 瓶KITCHEN默认 / 14 天');
    await page.click('#rules tbody tr:first-child button');
    expect(await page.inputValue('#r-sku')).toBe('COLA');
    expect(await page.inputValue('#r-coverDays')).toBe('10');
    await page.fill('#r-minQty', '30');
    await page.click('#rule-form button[type=submit]');
    // What the form did not touch is kept (a PUT replaces the whole rule).
    await poll(() => page.textContent('#rules')).toContain('可乐（COLA）总仓（CENTRAL）30 罐—供应商默认 / 10 天');
    await fitsPhone(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('API keys: a missing name is refused at its field; a new key is shown once and works; revoked, it stops', { timeout: 60_000 }, async () => {
    const o = await b.h.createOrg();
    const { page, problems } = await open('/admin/api-keys', o.key, refused);
    await page.waitForSelector('#keys tbody tr[data-key=test]');
    expect(await page.textContent('#keys tbody tr[data-key=test]')).toContain('正在使用');

    await page.click('#key-form button[type=submit]');
    await poll(() => page.textContent('#key-form [data-error-for=name]')).not.toBe('');
    await page.fill('#k-name', '扫码枪');
    await page.check('#key-form input[name=scopes][value=read]');
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('#new-key:not([hidden])');
    const key = (await page.textContent('#new-key-value'))!;
    expect(key).toMatch(/^jxc_/);
    expect((await b.h.client(key)('GET', '/api/v1/me')).body.key).toMatchObject({ name: '扫码枪', scopes: ['read'] });
    await page.waitForSelector('#keys tbody tr[data-key=扫码枪]');

    await page.click('#keys tbody tr[data-key=扫码枪] button');
    expect(await page.textContent('#keys tbody tr[data-key=扫码枪] button')).toBe('确认撤销？');
    await page.click('#keys tbody tr[data-key=扫码枪] button');
    await poll(() => page.textContent('#keys tbody tr[data-key=扫码枪]')).toContain('已撤销');
    expect((await b.h.client(key)('GET', '/api/v1/me')).status).toBe(401);
    await fitsPhone(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('imports: a dry run lists each problem by row and column; the fixed file imports with a progress bar and links', { timeout: 120_000 }, async () => {
    const o = await b.h.createOrg();
    const { page, problems } = await open('/admin/imports', o.key);
    // Every text the progress line shows, as it shows it.
    await page.evaluate(`new MutationObserver(() => (window.seen = window.seen || []).push(document.getElementById('import-progress').textContent))
      .observe(document.getElementById('import-progress'), { childList: true, characterData: true, subtree: true })`);
    const rows = itemRows(1500);
    rows[3]![2] = null; // row 4: no unit
    rows[700]![9] = 'x'; // row 701: not a number
    // Dropped on the drop zone, as a person drags it from their files.
    await page.evaluate((csv) => void ((globalThis as any).csvToDrop = csv), toCsv(rows));
    await page.evaluate(`(() => {
      const files = new DataTransfer();
      files.items.add(new File([window.csvToDrop], 'items.csv', { type: 'text/csv' }));
      document.getElementById('drop').dispatchEvent(new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
    })()`);
    await page.waitForSelector('#report table', { timeout: 30_000 });
    expect(await page.textContent('#file-name')).toMatch(/^items\.csv · \d+ KB$/);
    expect(await page.locator('#report tbody tr').evaluateAll((trs: any[]) => trs.map((tr) => Array.from(tr.children, (td: any) => td.textContent))))
      .toEqual([['4', 'unit', 'unit is required'], ['701', 'shelfLifeDays', "'x' is not a whole number"]]);
    expect(await page.textContent('#verdict')).toContain('发现 2 个问题，涉及 2 行（共 1500 行）');
    expect(await page.isDisabled('#import-go')).toBe(true);

    rows[3]![2] = 'pcs';
    rows[700]![9] = 30;
    await page.setInputFiles('#file', { name: 'items.xlsx', mimeType: XLSX, buffer: Buffer.from(await toXlsx(rows)) });
    await poll(() => page.textContent('#verdict')).toBe('检查通过：全部 1500 行都没有问题，可以正式导入。');
    expect(await page.locator('#report table').count()).toBe(0);
    expect((await o.api('GET', '/api/v1/items?limit=5')).body.items).toEqual([]);

    await page.evaluate('window.seen = []');
    await page.click('#import-go');
    await poll(() => page.textContent('#verdict')).toBe('已导入 1500 行。');
    const seen = (await page.evaluate('window.seen')) as string[];
    // The bar moved through checking and writing as the server reported it, not only at the end.
    expect(seen).toContain('检查 1500 / 1500 行');
    expect(seen).toContain('写入 1000 / 1500 行');
    expect(seen.at(-1)).toBe('写入 1500 / 1500 行');
    expect(await page.getAttribute('#done a', 'href')).toBe('/admin/items');
    expect((await o.api('GET', '/api/v1/items?q=I01500')).body.items[0].sku).toBe('I01500');

    // Opening balances: the posted document is linked to its page.
    const inv = inventory(o.api);
    await inv.ok('POST', '/api/v1/warehouses', { code: 'WH1', name: '一号仓', type: 'central' });
    await page.selectOption('#kind', 'opening');
    await page.setInputFiles('#file', { name: 'opening.csv', mimeType: 'text/csv', buffer: Buffer.from('warehouse,sku,qty,unitCost\nWH1,I00001,10,2.5\n') });
    await poll(() => page.textContent('#verdict')).toContain('检查通过');
    await page.click('#import-go');
    await poll(() => page.textContent('#verdict')).toBe('已导入 1 行。');
    const number = (await page.textContent('#done a'))!.replace('期初单 ', '');
    expect(number).toMatch(/^OB-/);
    await page.click('#done a');
    await page.waitForURL(/\/documents\//);
    expect(await page.textContent('body')).toContain(number);
    await fitsPhone(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("a staff member's key reads but is refused by the rule book on save, and the page says why", { timeout: 60_000 }, async () => {
    const o = await b.h.createOrg();
    const inv = inventory(o.api);
    const staff = await inv.ok('POST', '/api/v1/users', { name: '小张', roles: ['staff'] });
    const { key } = await inv.ok('POST', '/api/v1/api-keys', { name: '小张的 key', user: staff.id });
    const { page, problems } = await open('/admin/items', key, (status) => status === 403);
    await page.waitForSelector('#not-admin:not([hidden])');
    expect(await page.textContent('#who')).toContain('小张');
    await page.fill('#f-sku', 'X');
    await page.fill('#f-name', 'X');
    await page.fill('#f-unit', 'pcs');
    await page.click('#item-save');
    await poll(() => page.textContent('#item-form .form-error')).toMatch(/^没有权限：.*admin/);
    expect((await inv.ok('GET', '/api/v1/items')).items).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
