import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';
import { CHROMIUM, haveChromium, serveToBrowser, watchPage } from './support/browser';
import { deliverAt } from './support/jobs';

// The printable document page in Debian's chromium: its QR code, read back from a screenshot with
// jsqr, must be the signed link the card carries; that link opens the read-only page on a phone.
if (!haveChromium) console.warn(`document print browser test skipped: ${CHROMIUM} does not exist (apt-get install chromium)`);

const PUBLIC_URL = 'https://jxc.example.com';
let h: TestApp;
let served: Awaited<ReturnType<typeof serveToBrowser>> | undefined;

beforeAll(async () => {
  if (!haveChromium) return;
  h = await createTestApp({ config: { PUBLIC_URL } });
  served = await serveToBrowser(h);
}, 90_000);
afterAll(async () => {
  await served?.close();
  await h?.close();
});

/** The QR code on the page, decoded from a screenshot of it (what a phone's camera would read). */
async function readQr(page: Page): Promise<string | undefined> {
  const png = PNG.sync.read(await page.locator('.qr svg').screenshot());
  return jsQR(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height)?.data;
}

describe.skipIf(!haveChromium)(`the printable document page in chromium (${CHROMIUM})`, () => {
  it('prints on A4 and an 80 mm receipt with a QR code of the card\'s signed link, which opens the status and history read-only', { timeout: 60_000 }, async () => {
    const o = await approvalOrg(h);
    const id = await sandboxPeople(o);
    await o.inv.item('COKE', { name: '可口可乐 330ml', unit: '罐', packUnits: [{ name: '箱', factor: 24 }] });
    await o.inv.receipt('WH', 'COKE', 240, '2.1');
    await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: `${o.slug}-group`, purposes: ['approvals'] });
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'COKE', qty: 48 }]);
    await deliverAt(h, new Date());
    const [message] = (await o.inv.ok('GET', `/sandbox/api/chats/${o.slug}-group/messages`)).messages;
    // Sup One approves in chat: the issue posts, and the card still links to the same page.
    await o.inv.ok('POST', '/sandbox/api/actions', { userId: id('sup1'), messageId: message.id, actionId: `approve:${doc.id}` });
    const link: string = message.card.link.url;
    expect(link).toMatch(new RegExp(`^${PUBLIC_URL}/documents/${doc.id}\\?exp=\\d+&sig=[0-9a-f]{64}$`));
    const local = (url: string) => `${served!.base}${new URL(url).pathname}${new URL(url).search}`;

    const page = await served!.browser.newPage({ viewport: { width: 794, height: 1123 } }); // A4 at 96 dpi
    page.setDefaultTimeout(10_000);
    const problems = watchPage(page);
    await page.goto(local(link));
    await page.emulateMedia({ media: 'print' });
    expect(await page.textContent('.company')).toBe(o.slug);
    expect(await page.textContent('table.lines')).toContain('48 罐 (2 箱)');
    expect(await page.locator('.signatures .sign').count()).toBe(4);
    expect(await page.locator('.signatures').isVisible()).toBe(true);
    expect(await page.locator('.screen-only').first().isVisible()).toBe(false);
    expect(await readQr(page)).toBe(link);

    // The receipt layout, reached from the page's own link, is 80 mm wide and carries the same QR code.
    await page.emulateMedia({ media: 'screen' });
    await page.click('text=80mm 小票版');
    await page.waitForURL(/layout=receipt/);
    expect(await page.evaluate("document.querySelector('main').getBoundingClientRect().width")).toBeLessThanOrEqual(302);
    await page.emulateMedia({ media: 'print' });
    expect(await readQr(page)).toBe(link);
    await page.close();

    // Scanned on a phone: the status and who did what, and nothing to press.
    const phone = await served!.browser.newPage({ viewport: { width: 390, height: 844 } });
    phone.setDefaultTimeout(10_000);
    const phoneProblems = watchPage(phone);
    await phone.goto(local(link));
    expect(await phone.textContent('.number')).toContain('已过账');
    const history = await phone.textContent('.history');
    expect(history).toContain('提交审批 → 待审批');
    expect(history).toMatch(/批准 → 已批准.*Sup One · 聊天：第 1 级/);
    expect(history).toContain('审批规则：issues');
    expect(history).toContain('过账 → 已过账');
    expect(await phone.locator('button, form, input, script').count()).toBe(0);
    expect(await phone.locator('.signatures').isVisible()).toBe(false);
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await readQr(phone)).toBe(link);
    await phone.close();
    expect([...problems, ...phoneProblems]).toEqual([]);
  });
});
