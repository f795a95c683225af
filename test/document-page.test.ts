import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceSecrets } from '../db/schema';
import { DOCUMENT_LINK_VALIDITY_SECONDS, documentUrls, linkSecretForSigning, signDocumentLink } from '../src/web/document-links';
import { startFakeRobot } from './fakes/wecom-robot-server';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';
import { inventory } from './support/inventory';
import { deliverAt } from './support/jobs';

// The document page a card links to: signed links instead of an API key, on this engine.
const PUBLIC_URL = 'https://jxc.example.com/';
let h: TestApp;
let robot: Awaited<ReturnType<typeof startFakeRobot>>;
beforeAll(async () => {
  robot = await startFakeRobot();
  h = await createTestApp({ config: { PUBLIC_URL, WECOM_API_BASE: robot.url } });
});
afterAll(async () => {
  await h?.close();
  await robot?.close();
});

/** The link's path and query, as the app is asked for it. */
const pathOf = (url: string) => {
  expect(url.startsWith('https://jxc.example.com/documents/')).toBe(true);
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};
const get = async (path: string) => {
  const res = await h.app.request(path);
  return { status: res.status, type: res.headers.get('content-type'), headers: res.headers, text: await res.text() };
};
const linkFor = async (orgId: string, documentId: string, now = new Date()) =>
  (await documentUrls({ publicUrl: PUBLIC_URL, linkSecret: undefined, db: h.db, orgId, now: () => now })!(documentId))!;

/** An organisation with a warehouse, an item named `name`, and a posted receipt of it. */
async function receiptOrg(name = '红牛 250ml') {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.warehouse('WH');
  await inv.item('A', { name, unit: '罐' });
  const doc = await inv.receipt('WH', 'A', 24, '3.5');
  return { ...org, inv, doc };
}

describe('the document page', () => {
  it('a valid link shows the document: number, type, status, warehouse, lines with names, units and values', async () => {
    const o = await receiptOrg();
    const page = await get(pathOf(await linkFor(o.orgId, o.doc.id)));
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toContain('no-store');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.text).toContain('<meta name="viewport"');
    for (const text of [o.doc.number, '入库单', '已过账', 'WH', 'A', '红牛 250ml', '24 罐', '¥3.5', '¥84.00', '明细（1 行）']) expect(page.text).toContain(text);
  });

  it('needs no API key, and writes nothing', async () => {
    const o = await receiptOrg();
    const path = pathOf(await linkFor(o.orgId, o.doc.id));
    const [before] = await h.db.select({ n: count() }).from(serviceSecrets);
    const res = await h.app.request(path, { headers: { authorization: 'Bearer nonsense' } });
    expect(res.status).toBe(200);
    expect((await h.db.select({ n: count() }).from(serviceSecrets))[0]).toEqual(before);
    expect((await o.api('GET', `/api/v1/documents/${o.doc.id}`)).body.status).toBe('posted');
  });

  it('a tampered or missing signature is 403 "链接无效"', async () => {
    const o = await receiptOrg();
    const url = new URL(await linkFor(o.orgId, o.doc.id));
    const sig = url.searchParams.get('sig')!;
    const exp = url.searchParams.get('exp')!;
    const base = `/documents/${o.doc.id}`;
    for (const path of [
      base, `${base}?exp=${exp}`, `${base}?sig=${sig}`,
      `${base}?exp=${Number(exp) + 1}&sig=${sig}`,
      `${base}?exp=${exp}&sig=${sig.slice(0, -1)}${sig.endsWith('a') ? 'b' : 'a'}`,
      `${base}?exp=${exp}&sig=${signDocumentLink('x'.repeat(40), { orgId: o.orgId, documentId: o.doc.id, exp: Number(exp) })}`,
    ]) {
      const page = await get(path);
      expect(page.status, path).toBe(403);
      expect(page.text).toContain('链接无效');
      expect(page.text).not.toContain(o.doc.number);
    }
  });

  it('an expired link is 403 saying so, and how to get a new one', async () => {
    const o = await receiptOrg();
    const issued = new Date(Date.now() - (DOCUMENT_LINK_VALIDITY_SECONDS + 60) * 1000);
    const page = await get(pathOf(await linkFor(o.orgId, o.doc.id, issued)));
    expect(page.status).toBe(403);
    expect(page.text).toContain('链接已过期');
    expect(page.text).toContain(`把单号 ${o.doc.number} 发给机器人`);
    expect(page.text).not.toContain('红牛');
    // The same link is good on a clock within its 90 days.
    h.setNow(new Date(issued.getTime() + 1000));
    try {
      expect((await get(pathOf(await linkFor(o.orgId, o.doc.id, issued)))).status).toBe(200);
    } finally {
      h.setNow(undefined);
    }
  });

  it("another organisation's document with this organisation's signature is refused, an unknown one is 404", async () => {
    const mine = await receiptOrg('我的商品');
    const theirs = await receiptOrg('别人的商品');
    const crossed = new URL(await linkFor(mine.orgId, theirs.doc.id));
    const page = await get(`${crossed.pathname}${crossed.search}`);
    expect(page.status).toBe(403);
    expect(page.text).not.toContain('别人的商品');
    expect(page.text).not.toContain(theirs.doc.number);
    const unknown = await get(pathOf(await linkFor(mine.orgId, '0b6f3c2e-4a1d-4c8e-9f7a-2d5e8c1b3a90')));
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('找不到单据');
    const byNumber = await get(pathOf(await linkFor(mine.orgId, mine.doc.number)));
    expect(byNumber.status).toBe(404);
  });

  it('escapes every value: an item named <script> is shown as text', async () => {
    const o = await receiptOrg('<script>alert("x")</script>&"\'');
    const page = await get(pathOf(await linkFor(o.orgId, o.doc.id)));
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>');
    expect(page.text).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&quot;&#39;');
  });

  it('shows approvals (level, status, who, when, reason) and a transfer between two warehouses', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'transfers', documentTypes: ['transfer'], levels: [{ roles: ['supervisor'] }, { roles: ['admin'] }] }]);
    const doc = await o.submit('transfer', [{ sku: 'A', qty: 3 }], { toWarehouse: 'ST' });
    await o.as.sup1.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, { comment: '同意调拨' });
    await o.as.boss.inv.ok('POST', `/api/v1/documents/${doc.id}/reject`, { reason: '门店<满>了' });
    const page = await get(pathOf(await linkFor(o.orgId, doc.id)));
    expect(page.status).toBe(200);
    for (const text of ['调拨单', '已驳回', '调出仓', '调入仓', 'ST', '第 1/2 级', '已批准', 'Sup One', '同意调拨', '第 2/2 级', 'Boss', '驳回原因', '门店&lt;满&gt;了']) {
      expect(page.text).toContain(text);
    }
  });
});

describe('links in chat, end to end', () => {
  it('the approval card delivered to a sandbox group links to the page, which shows the document', async () => {
    const o = await approvalOrg(h);
    const id = await sandboxPeople(o);
    await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: `${o.slug}-group`, purposes: ['approvals'] });
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 2 }]);
    await deliverAt(h, new Date());
    const [message] = (await o.inv.ok('GET', `/sandbox/api/chats/${o.slug}-group/messages`)).messages;
    expect(message.card.title).toContain(doc.number);
    expect(message.card.link.label).toBe('查看单据');
    const page = await get(pathOf(message.card.link.url));
    expect(page.status).toBe(200);
    expect(page.text).toContain(doc.number);
    expect(page.text).toContain('待审批');

    // A decision taken in chat answers with the card as it now stands, still linked.
    const tapped = await o.inv.ok('POST', '/sandbox/api/actions', { userId: id('sup1'), messageId: message.id, actionId: `approve:${doc.id}` });
    expect(tapped.card.link.url).toContain(`/documents/${doc.id}?exp=`);
  });

  it('typing the number in the sandbox chat answers with the status card, linked to the page', async () => {
    const o = await approvalOrg(h);
    const id = await sandboxPeople(o);
    const doc = await o.submit('issue', [{ sku: 'B', qty: 1 }]);
    const answer = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: id('lead'), userId: id('lead'), text: doc.number.toLowerCase() });
    const card = answer.replies[0].card;
    expect(card.title).toContain(doc.number);
    const page = await get(pathOf(card.link.url));
    expect(page.status).toBe(200);
    expect(page.text).toContain(doc.number);
    expect(page.text).toContain('明细（1 行）');
  });

  it('the group robot markdown carries the link', async () => {
    const o = await approvalOrg(h);
    const key = `robot-${o.slug}`;
    await o.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'wecom-robot', chatId: key, purposes: ['approvals'] });
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    await deliverAt(h, new Date());
    const text = robot.postsTo(key).join('\n');
    expect(text).toContain(doc.number);
    const link = /\[查看单据\]\((https:\/\/jxc\.example\.com\/documents\/[^)\s]+)\)/.exec(text);
    expect(link).not.toBeNull();
    expect((await get(pathOf(link![1]!))).status).toBe(200);
  });
});

describe('the signing secret', () => {
  it('is made once when LINK_SECRET is unset, the same for every concurrent caller, and kept; without PUBLIC_URL no card links', async () => {
    const fresh = await createTestApp();
    try {
      const o = await approvalOrg(fresh);
      const id = await sandboxPeople(o);
      const doc = await o.submit('issue', [{ sku: 'B', qty: 1 }]);
      const answer = await o.inv.ok('POST', '/sandbox/api/messages', { chatId: id('lead'), userId: id('lead'), text: doc.number });
      expect(answer.replies[0].card.title).toContain(doc.number);
      expect(answer.replies[0].card.link).toBeUndefined();
      expect(await fresh.db.select().from(serviceSecrets)).toEqual([]);

      const secrets = await Promise.all(Array.from({ length: 5 }, () => linkSecretForSigning(undefined, fresh.db)));
      expect(new Set(secrets).size).toBe(1);
      expect(secrets[0]).toMatch(/^[0-9a-f]{64}$/);
      const rows = await fresh.db.select().from(serviceSecrets);
      expect(rows.map((r) => [r.name, r.value])).toEqual([['document_links', secrets[0]]]);
      // Inside a transaction it is read through the transaction (one connection on the embedded engine).
      expect(await fresh.db.transaction((tx) => linkSecretForSigning(undefined, fresh.db, tx))).toBe(secrets[0]);
    } finally {
      await fresh.close();
    }
  });

  it('is LINK_SECRET when set: links signed with it open the page, the database secret is neither made nor used', async () => {
    const linkSecret = 's'.repeat(32);
    const configured = await createTestApp({ config: { PUBLIC_URL, LINK_SECRET: linkSecret } });
    try {
      const org = await configured.createOrg();
      const inv = inventory(org.api);
      await inv.warehouse('WH');
      await inv.item('A');
      const doc = await inv.receipt('WH', 'A', 1, 1);
      const url = (await documentUrls({ publicUrl: PUBLIC_URL, linkSecret, db: configured.db, orgId: org.orgId, now: () => new Date() })!(doc.id))!;
      const u = new URL(url);
      expect(u.searchParams.get('sig')).toBe(signDocumentLink(linkSecret, { orgId: org.orgId, documentId: doc.id, exp: Number(u.searchParams.get('exp')) }));
      expect((await configured.app.request(`${u.pathname}${u.search}`)).status).toBe(200);
      expect(await configured.db.select().from(serviceSecrets)).toEqual([]);
    } finally {
      await configured.close();
    }
  });
});

describe('printing', () => {
  it('shows the company, lines in units and packs, the history, signature boxes and a QR code; layout picks A4 or an 80 mm receipt', async () => {
    const o = await h.createOrg();
    const inv = inventory(o.api);
    await inv.warehouse('WH');
    await inv.item('COKE', { name: '可口可乐 330ml', unit: '罐', packUnits: [{ name: '箱', factor: 24 }] });
    const doc = await inv.receipt('WH', 'COKE', 60, '2.1');
    const path = pathOf(await linkFor(o.orgId, doc.id));
    const page = await get(path);
    expect(page.status).toBe(200);
    // createOrg names the organisation by its slug; names come before codes.
    for (const text of [o.slug, '60 罐 (2 箱 12 罐)', '可口可乐 330ml', '处理记录', '创建 → 草稿', '过账 → 已过账', '接口', 'class="signatures"', '送货', '<svg']) {
      expect(page.text).toContain(text);
    }
    expect(page.text.indexOf('可口可乐 330ml')).toBeLessThan(page.text.indexOf('COKE'));
    expect(page.text).toContain('@page{size:A4');
    expect(page.text).toContain(`href="?exp=`);
    expect(page.headers.get('content-security-policy')).not.toContain('script-src');

    const receipt = await get(`${path}&layout=receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain('@page{size:80mm auto');
    expect(receipt.text).not.toContain('@page{size:A4');

    const bad = await get(`${path}&layout=letter`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('layout');
    expect(bad.text).toContain('receipt');
  });
});
