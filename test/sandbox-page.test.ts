import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPeople, seedDemo } from '../src/demo/seed';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg, sandboxPeople } from './support/approvals';

// The sandbox page's HTTP side, on PGlite and (with TEST_DATABASE_URL) Postgres; test/sandbox-browser.test.ts drives it in Chromium.
let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

describe('GET /sandbox, /sandbox/previews.js and /sandbox/app.js', () => {
  it('serves one HTML page and its same-origin scripts, all under a CSP that allows no inline or foreign script', async () => {
    const page = await h.app.request('/sandbox');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html; charset=utf-8/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    const html = await page.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('机器人沙盒');
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual(['<script defer src="/sandbox/previews.js">', '<script defer src="/sandbox/app.js">']);
    expect(html).not.toMatch(/https?:\/\//); // no external assets

    const js = await h.app.request('/sandbox/app.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('content-security-policy')).toBe(csp);
    const source = await js.text();
    expect(source).toContain('/sandbox/api/people');
    expect(source).not.toContain('innerHTML');
    expect(() => new Function(source)).not.toThrow(); // parses as plain browser JavaScript

    const previews = await h.app.request('/sandbox/previews.js');
    expect(previews.status).toBe(200);
    expect(previews.headers.get('content-security-policy')).toBe(csp);
    const previewSource = await previews.text();
    expect(previewSource).toContain('jxcCardPreview');
    expect(previewSource).not.toContain('innerHTML');
    expect(() => new Function(previewSource)).not.toThrow();
  });

  it('is not there when the sandbox is off', async () => {
    const off = await createTestApp({ config: { SANDBOX: 'off' } });
    try {
      expect((await off.app.request('/sandbox')).status).toBe(404);
      expect((await off.app.request('/sandbox/app.js')).status).toBe(404);
      expect((await off.app.request('/sandbox/previews.js')).status).toBe(404);
      expect((await off.app.request('/sandbox/api/people')).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('GET /sandbox/api/people and /sandbox/api/chats', () => {
  it('list the demo organisation’s people with their sandbox ids and roles, its bound groups and everyone’s 1:1', async () => {
    const demo = (await seedDemo(h.db))!;
    const api = h.client(demo.apiKey);
    const { body: { people, timezone } } = await api('GET', '/sandbox/api/people');
    expect(timezone).toBe('Asia/Shanghai'); // the page writes message times in it, as the cards do

    expect(people).toHaveLength(demoPeople.length);
    expect(people).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: '张主管', roles: ['supervisor'], sandboxIds: ['demo-zhang'] }),
      expect.objectContaining({ name: '王店长', roles: ['store_manager'], warehouses: ['STORE-XH'], sandboxIds: ['demo-wang'] }),
    ]));
    const { body: { chats } } = await api('GET', '/sandbox/api/chats');
    const byChat = (x: any, y: any) => (x.chatId < y.chatId ? -1 : 1);
    expect(chats.filter((c: any) => c.type === 'group').sort(byChat)).toEqual([
      { chatId: '徐汇店群', type: 'group', warehouses: [{ code: 'STORE-XH', name: '徐汇店', purposes: ['alerts', 'approvals', 'digest'] }] },
      { chatId: '总仓群', type: 'group', warehouses: [{ code: 'CENTRAL', name: '总仓', purposes: ['alerts', 'approvals', 'digest'] }] },
      { chatId: '厨房群', type: 'group', warehouses: [{ code: 'KITCHEN', name: '中央厨房', purposes: ['alerts', 'approvals', 'digest'] }] },
    ].sort(byChat));
    const direct = chats.filter((c: any) => c.type === 'direct');
    expect(direct.map((c: any) => c.chatId).sort()).toEqual(demoPeople.map((p) => p.sandboxId).sort());
    expect(direct.find((c: any) => c.chatId === 'demo-zhang').user.name).toBe('张主管');

    // The group's messages are readable by its Chinese chat id, as the page asks for them.
    const messages = await api('GET', `/sandbox/api/chats/${encodeURIComponent('总仓群')}/messages`);
    expect(messages.status).toBe(200);
  });

  it('show only the key’s own organisation: its sandbox people and groups, not another’s, not other platforms’', async () => {
    const a = await approvalOrg(h);
    const ids = await sandboxPeople(a);
    await a.inv.ok('POST', '/api/v1/users', { name: 'No Chat', roles: ['staff'] });
    await a.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'sandbox', chatId: `${a.slug}-group`, purposes: ['approvals'] });
    await a.inv.ok('POST', '/api/v1/warehouses/ST/chats', { platform: 'sandbox', chatId: `${a.slug}-group`, purposes: ['alerts'] });
    await a.inv.ok('POST', '/api/v1/warehouses/WH/chats', { platform: 'lark', chatId: `oc_${a.slug}` });
    const b = await approvalOrg(h);
    await b.inv.ok('POST', `/api/v1/users/${b.as.boss.id}/identities`, { platform: 'sandbox', externalId: `${b.slug}-boss` });

    const people = (await a.inv.ok('GET', '/sandbox/api/people')).people;
    expect(people.map((p: any) => p.name).sort()).toEqual(['Boss', 'Clerk', 'Lead', 'Sup One', 'Sup Two']);
    expect(people.find((p: any) => p.name === 'Sup One')).toEqual({
      id: a.as.sup1.id, name: 'Sup One', roles: ['supervisor'], warehouses: [], sandboxIds: [ids('sup1')],
    });
    const chats = (await a.inv.ok('GET', '/sandbox/api/chats')).chats;
    expect(chats.filter((c: any) => c.type === 'group')).toEqual([{
      chatId: `${a.slug}-group`, type: 'group',
      warehouses: [{ code: 'ST', name: expect.any(String), purposes: ['alerts'] }, { code: 'WH', name: expect.any(String), purposes: ['approvals'] }],
    }]);
    expect(chats.filter((c: any) => c.type === 'direct').map((c: any) => c.chatId).sort()).toEqual(
      ['boss', 'clerk', 'lead', 'sup1', 'sup2'].map(ids).sort());

    expect((await b.inv.ok('GET', '/sandbox/api/people')).people).toEqual([expect.objectContaining({ name: 'Boss', sandboxIds: [`${b.slug}-boss`] })]);
    expect((await b.inv.ok('GET', '/sandbox/api/chats')).chats).toEqual([
      { chatId: `${b.slug}-boss`, type: 'direct', user: { id: b.as.boss.id, name: 'Boss' } },
    ]);
  });

  it('refuse a missing or wrong key with 401', async () => {
    for (const path of ['/sandbox/api/people', '/sandbox/api/chats']) {
      expect((await h.client(undefined)('GET', path)).status).toBe(401);
      expect((await h.client('jxc_wrong')('GET', path)).status).toBe(401);
    }
  });
});
