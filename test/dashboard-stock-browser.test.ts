import { describe, expect, it } from 'vitest';
import { browserApp, CHROMIUM, haveChromium, watchPage } from './support/browser';
import { stockOrg } from './support/stock';

// The dashboard's stock section in Debian's chromium: tiles, SVG charts, and the lists behind them.
if (!haveChromium) console.warn(`dashboard stock browser test skipped: ${CHROMIUM} does not exist (apt-get install chromium)`);

const b = browserApp();

describe.skipIf(!haveChromium)(`the dashboard's stock tiles in chromium (${CHROMIUM})`, () => {
  it('shows stock value, below safety stock, near expiry and issues, charts them, and opens the items and documents behind them', { timeout: 60_000 }, async () => {
    const o = await stockOrg(b.h); // the clock stays at 2026-03-10 10:00 in Shanghai
    const draft = await o.inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', lines: [{ sku: 'A', qty: 1 }] });
    const page = await b.served.browser.newPage({ viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(10_000);
    const problems = watchPage(page);
    await page.goto(`${b.served.base}/dashboard`);
    await page.fill('#apikey', o.key);
    await page.click('#signin-form button[type=submit]');
    await page.waitForSelector('#board:not([hidden])');

    await expect.poll(() => page.textContent('#stock-value')).toBe('¥125.00');
    expect(await page.textContent('#stock-below')).toBe('1');
    expect(await page.textContent('#stock-near')).toBe('¥50.00');
    expect(await page.textContent('#stock-issues')).toBe('2');
    expect(await page.textContent('#stock-issues-sub')).toContain('¥36.00');
    // Charts drawn from the data: two warehouses, three categories, 30 days of value, two days with issues.
    expect(await page.locator('#stock-by-warehouse g.bar').count()).toBe(2);
    expect(await page.locator('#stock-by-category g.bar').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label')))).toEqual(['drinks', '未分类', 'snacks']);
    expect(await page.locator('#stock-trend-value circle').count()).toBe(30);
    expect(await page.locator('#stock-trend-value circle').last().getAttribute('data-value')).toBe('125.00');
    expect(await page.locator('#stock-trend-issues rect.day').count()).toBe(2);

    // Every tile opens its list: below safety stock, in units and packs, names before codes.
    await page.click('#stock-tile-below');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('低于安全库存的商品（1）');
    const below = await page.textContent('#stock-drill-table');
    expect(below).toContain('可乐');
    expect(below).toContain('30 罐 (1 箱 6 罐)');
    expect(await page.textContent('#stock-drill-api')).toBe('GET /api/v1/metrics/stock/items?view=below_safety');
    // Beside on hand, reserved, on order and available (nothing on order here), Chinese over the API name.
    expect(await page.locator('#stock-drill-table th').allTextContents()).toEqual(['商品', '仓库', '现有qtyLabel', '预留reserved', '在订onOrder', '可用availableLabel', '安全库存safetyStock', '金额value']);
    expect(await page.locator('#stock-drill-table td').allTextContents()).toContain('0 罐');

    await page.click('#stock-tile-near');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('临期批次（1）');
    expect(await page.textContent('#stock-drill-table')).toContain('2026-03-20');

    // A warehouse's bar opens its items; a day's column opens its issue documents.
    await page.click('#stock-by-warehouse g.bar[data-label="ST"]');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('有库存的商品：ST（1）');
    expect(await page.textContent('#stock-drill-table')).toContain('薯片');
    await page.click('#stock-trend-issues rect.day[data-date="2026-03-10"]');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('出库单 2026-03-10（1）');
    expect(await page.textContent('#stock-drill-table')).toContain(o.second.number);
    await page.click('#stock-tile-issues');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('出库单 2026-02-09 至 2026-03-10（2）');
    expect(await page.textContent('#stock-drill-table')).toContain(o.first.number);

    // The dashboard's own tiles open their documents and items too.
    await page.click('.tile[data-tile="backlog"]');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('待处理单据（1）');
    expect(await page.textContent('#stock-drill-table')).toContain(draft.number);
    expect(await page.textContent('#stock-drill-table')).toContain('草稿');
    await page.click('.tile[data-tile="overdue"]');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('超时单据（0）');
    await page.click('.tile[data-tile="alerts"]');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('低于安全库存的商品（1）');

    // 损耗: nothing written off yet; a posted damaged write-off in ST shows by reason once the filter reloads.
    expect(await page.textContent('#stock-wastage')).toBe('¥0.00');
    const writeOff = await o.inv.ok('POST', '/api/v1/documents', { type: 'adjustment', warehouse: 'ST', submit: true, lines: [{ sku: 'B', qty: -2, reason: 'damaged' }] });
    expect(writeOff.status).toBe('posted');

    // The period picker (the browser's own date is not the test clock's) and the warehouse filter narrow the section.
    // The answers for the whole company are held back until the filtered ones have drawn: a late answer
    // to an older request must not draw over the newer one.
    let heldBack = 0;
    const released: Promise<void>[] = [];
    const wholeCompany = (url: URL) => url.pathname === '/api/v1/metrics/stock' && !url.searchParams.has('warehouse');
    await page.route(wholeCompany, (route) => {
      heldBack++;
      released.push(new Promise<void>((done, fail) => setTimeout(() => { route.continue().then(done, fail); }, 1_500)));
    });
    await page.fill('#from', '2026-02-09');
    await page.fill('#to', '2026-03-10');
    await page.selectOption('#warehouse', 'ST');
    await expect.poll(() => page.textContent('#stock-value')).toBe('¥12.00');
    expect(heldBack).toBeGreaterThan(0);
    await Promise.all(released); // (unrouting first would let the held requests through at once)
    await page.unroute(wholeCompany);
    await page.waitForTimeout(300); // the late answers have arrived; give them the chance to draw
    expect(await page.textContent('#stock-value')).toBe('¥12.00');
    expect(await page.locator('#warehouse').inputValue()).toBe('ST');
    await expect.poll(() => page.textContent('#stock-wastage')).toBe('¥3.00');
    expect(await page.locator('#stock-wastage-by-reason g.bar').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label')))).toEqual(['破损']);
    await page.click('#stock-wastage-by-reason g.bar[data-label="破损"]');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('损耗：破损（1）');
    expect(await page.textContent('#stock-drill-table')).toContain('薯片');
    expect(await page.textContent('#stock-drill-table')).toContain('2 包');
    expect(await page.textContent('#stock-drill-api')).toBe('GET /api/v1/metrics/wastage?from=2026-02-09&to=2026-03-10&warehouse=ST');
    await page.click('#stock-tile-wastage');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('报损调整单（1）');
    expect(await page.textContent('#stock-drill-table')).toContain(writeOff.number);
    expect(await page.textContent('#stock-drill-api')).toBe('GET /api/v1/documents?type=adjustment&status=posted&reversal=false&limit=200&from=2026-02-09&to=2026-03-10&warehouse=ST');
    await page.click('#stock-drill-close');

    // The exceptions and accuracy tiles open the period's documents behind them: a reversal and a stocktake counted off its book.
    const reversal = await o.inv.ok('POST', `/api/v1/documents/${writeOff.id}/reverse`, {});
    // 9.9 against 10: in binary floats 9.9 − 10 is -0.09999999999999964; the page shows the API's exact variance.
    const count = await o.inv.ok('POST', '/api/v1/documents', { type: 'stocktake', warehouse: 'ST', submit: true, lines: [{ sku: 'B', qty: '9.9' }] });
    await page.click('.tile[data-tile="exceptions"]');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('期间异常单据（2）');
    const exceptions = await page.textContent('#stock-drill-table');
    expect(exceptions).toContain(reversal.number);
    expect(exceptions).toContain('红字冲销');
    expect(exceptions).toContain(count.number);
    expect(exceptions).toContain('有差异（短收·盘点差异）');
    expect(await page.textContent('#stock-drill-api')).toContain('/api/v1/documents?status=rejected&from=2026-02-09&to=2026-03-10&warehouse=ST');
    await page.click('.tile[data-tile="accuracy"]');
    await expect.poll(() => page.textContent('#stock-drill-title')).toBe('盘点行（1）');
    expect(await page.locator('#stock-drill-table td').allTextContents()).toEqual([count.number, 'ST', 'B', '10', '9.9', '-0.1']);
    await page.click('#stock-drill-close');
    expect(await page.isHidden('#stock-drill')).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });
});
