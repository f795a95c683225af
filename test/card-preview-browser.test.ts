import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documents } from '../db/schema';
import { runOutboxDelivery } from '../src/chat/delivery';
import { seedDemo } from '../src/demo/seed';
import { createTestApp, type TestApp } from './harness';
import { CHROMIUM, haveChromium, serveToBrowser, watchPage } from './support/browser';

// The sandbox page's platform toggle in Debian's chromium, on the demo organisation: the same card
// drawn from the Lark, WeCom app and group robot renderings the API serves.
if (!haveChromium) console.warn(`card preview browser test skipped: ${CHROMIUM} does not exist (apt-get install chromium)`);

let h: TestApp;
let served: Awaited<ReturnType<typeof serveToBrowser>> | undefined;
let demo: { orgId: string; apiKey: string };

beforeAll(async () => {
  if (!haveChromium) return;
  h = await createTestApp({ config: { PUBLIC_URL: 'https://jxc.example.com' } });
  demo = (await seedDemo(h.db))!;
  await runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai', publicUrl: 'https://jxc.example.com' }, new Date());
  served = await serveToBrowser(h);
}, 90_000);
afterAll(async () => {
  await served?.close();
  await h?.close();
});

describe.skipIf(!haveChromium)('card previews on the sandbox page in chromium', () => {
  it('toggles the demo approval card between the sandbox, Lark, WeCom app and group robot views', { timeout: 40_000 }, async () => {
    const [transfer] = await h.db.select().from(documents).where(eq(documents.type, 'transfer'));
    const page = await served!.browser.newPage({ viewport: { width: 390, height: 844 } });
    page.setDefaultTimeout(10_000);
    const problems = watchPage(page);
    await page.goto(`${served!.base}/sandbox`);
    await page.fill('#key', demo.apiKey);
    await page.click('#signin-form button');
    await page.waitForSelector('#app:not([hidden])');
    await page.selectOption('#who', 'demo-zhang');
    await page.click('.chat-item[data-chat="总仓群"]');

    const row = page.locator('.msg-row', { has: page.locator('.card-title', { hasText: transfer!.number }) });
    await row.locator('.card').waitFor();
    expect(await row.locator('.views button').allTextContents()).toEqual(['沙盒', '飞书', '企业微信应用', '企微智能机器人', '企微群机器人']);

    // Lark: a header coloured by the card's tone, fields as markdown columns, the buttons, the size against Lark's limits.
    await row.locator('.views button[data-view="lark"]').click();
    const lark = row.locator('.preview .lk');
    await lark.waitFor();
    expect(await row.locator('.card').isHidden()).toBe(true);
    expect(await lark.locator('.lk-head').textContent()).toContain(transfer!.number);
    expect(await lark.locator('.lk-md b').allTextContents()).toContain('单号');
    expect(await lark.locator('.pv-btn').allTextContents()).toEqual(expect.arrayContaining(['批准', '驳回', '查看单据 ↗']));
    expect(await lark.locator('.pv-meta').textContent()).toMatch(/^\d+ 字节 \/ 30 KB · \d+ 个组件 \/ 200$/);
    await row.locator('.pv-json summary').click();
    const larkJson = JSON.parse((await row.locator('.pv-json pre').textContent())!);
    expect(larkJson.schema).toBe('2.0');

    // WeCom app: a button_interaction template card; 驳回 needs a typed reason, so the card says how.
    await row.locator('.views button[data-view="wecomApp"]').click();
    const wecom = row.locator('.preview .wc');
    await wecom.waitFor();
    expect(await wecom.locator('.wc-title').textContent()).toContain(transfer!.number);
    expect(await wecom.locator('.pv-btn').allTextContents()).toEqual(['批准']);
    expect(await wecom.locator('.wc-sub').textContent()).toContain(`驳回请发：驳回 ${transfer!.number}`);
    expect(await wecom.locator('.pv-meta').textContent()).toBe('button_interaction');

    // Group robot: markdown only, bold title, quoted fields, the link.
    await row.locator('.views button[data-view="wecomRobot"]').click();
    const robot = row.locator('.preview .wc-md').first();
    await robot.waitFor();
    expect(await robot.locator('b').first().textContent()).toContain(transfer!.number);
    expect(await robot.locator('.wc-quote').count()).toBeGreaterThan(1);
    expect(await robot.locator('.wc-link').textContent()).toBe('查看单据');

    // Back to the sandbox view: the live card with its buttons again.
    await row.locator('.views button[data-view="sandbox"]').click();
    await row.locator('.card').waitFor();
    expect(await row.locator('.preview').count()).toBe(0);
    expect(await row.locator('.card').getByRole('button', { name: '批准' }).count()).toBe(1);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });
});
