import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../db/schema';
import { seedDemo } from '../src/demo/seed';
import { runOutboxDelivery } from '../src/chat/delivery';
import { createTestApp, type TestApp } from './harness';
import { CHROMIUM, haveChromium, serveToBrowser, watchPage } from './support/browser';

// The sandbox page in Debian's Chromium, against the real app on a loopback port with the demo
// organisation seeded and its queued cards delivered, as `npm start` would.
if (!haveChromium) console.warn(`sandbox browser test skipped: ${CHROMIUM} does not exist (apt-get install chromium)`);

let h: TestApp;
let served: Awaited<ReturnType<typeof serveToBrowser>> | undefined;
let base: string;
let browser: Browser;
let demo: { orgId: string; apiKey: string };

beforeAll(async () => {
  if (!haveChromium) return;
  h = await createTestApp();
  demo = (await seedDemo(h.db))!;
  await runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date());
  served = await serveToBrowser(h);
  ({ base, browser } = served);
}, 30_000);

afterAll(async () => {
  await served?.close();
  await h?.close();
});

describe.skipIf(!haveChromium)('the sandbox page in Chromium (skipped when Debian chromium is not installed)', () => {
  it('signs in with the key, approves the demo transfer as 张主管 in 总仓群, and answers 库存 可乐', { timeout: 30_000 }, async () => {
    const [transfer] = await h.db.select().from(documents).where(eq(documents.type, 'transfer'));
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } }); // a phone
    // The deliberate wrong key is the one expected failure.
    const problems = watchPage(page, (status, url) => status === 401 && url.includes('/sandbox/api/'));
    page.setDefaultTimeout(8_000);

    await page.goto(`${base}/sandbox`);
    await page.fill('#key', 'jxc_not-a-key');
    await page.click('#signin-form button');
    await expect.poll(() => page.textContent('#signin-error')).toContain('密钥无效');

    await page.fill('#key', demo.apiKey);
    await page.click('#signin-form button');
    await page.waitForSelector('#app:not([hidden])');
    expect(await page.evaluate(() => (globalThis as any).localStorage.getItem('jxc-sandbox-key'))).toBe(demo.apiKey);
    await page.selectOption('#who', 'demo-zhang');
    await page.click('.chat-item[data-chat="总仓群"]');

    const card = page.locator('.card', { hasText: transfer!.number });
    await card.locator('.card-title', { hasText: '待审批' }).waitFor();
    await card.getByRole('button', { name: '批准' }).click();
    await expect.poll(() => page.textContent('#toast')).toBeTruthy();
    await card.locator('.card-title', { hasText: '已批准' }).waitFor();
    expect(await card.locator('.status').textContent()).toContain('张主管');
    expect(await card.getByRole('button').count()).toBe(0);
    expect((await h.db.select().from(documents).where(eq(documents.id, transfer!.id)))[0]!.status).not.toBe('awaiting_approval');

    await page.fill('#text', '库存 可乐');
    await page.press('#text', 'Enter');
    await page.locator('.msg-row.mine .bubble', { hasText: '库存 可乐' }).waitFor();
    const stock = page.locator('.card', { hasText: '库存：可口可乐' });
    await stock.waitFor();
    expect(await stock.textContent()).toContain('总仓');

    // Reloading keeps the key; signing out forgets it.
    await page.reload();
    await page.waitForSelector('#app:not([hidden])');
    await page.click('#signout');
    await page.waitForSelector('#signin:not([hidden])');
    expect(await page.evaluate(() => (globalThis as any).localStorage.getItem('jxc-sandbox-key'))).toBeNull();
    expect(problems).toEqual([]);
  });
});
