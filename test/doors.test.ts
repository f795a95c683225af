import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys, chatApps, chatIdentities, documentApprovals } from '../db/schema';
import { runOutboxDelivery } from '../src/chat/delivery';
import { larkMessageEvent, type FakeLark } from './fakes/lark-server';
import { type TestApp } from './harness';
import { pushLark, withLarkApp } from './support/lark-app';
import { approvalOrg, sandboxPeople } from './support/approvals';
import { countDocumentRows } from './support/documents';

// The ways round the rule book that the doors used to leave open: acting as someone else in the
// sandbox, a key minting more than its person holds, and one organisation claiming another's people.

const ENCRYPT_KEY = 'doors key';
const VTOK = 'doors-vtok';
const keys = { encryptKey: ENCRYPT_KEY, verificationToken: VTOK };
let h: TestApp;
let fake: FakeLark;
withLarkApp(keys, (app, lark) => ([h, fake] = [app, lark]));

describe('the sandbox is a door like the others', () => {
  it('a key bound to staff cannot approve, speak or read as the supervisor; an admin key may act as anyone', async () => {
    const o = await approvalOrg(h);
    const id = await sandboxPeople(o);
    await o.rules([{ name: 'transfers', documentTypes: ['transfer'], levels: [{ roles: ['supervisor'] }] }]);
    const doc = await o.submit('transfer', [{ sku: 'A', qty: 1 }], { toWarehouse: 'ST' });
    expect(doc.status).toBe('awaiting_approval');
    const anchor = (await o.inv.ok('POST', '/sandbox/api/messages', { chatId: id('clerk'), userId: id('clerk'), text: '帮助' })).replies[0].id;

    const before = await countDocumentRows(h, o.orgId);
    const tap = await o.as.clerk.api('POST', '/sandbox/api/actions', { userId: id('sup1'), messageId: anchor, actionId: `approve:${doc.id}` });
    expect(tap.status).toBe(403);
    expect(tap.body.error.code).toBe('forbidden');
    const say = await o.as.clerk.api('POST', '/sandbox/api/messages', { chatId: id('sup1'), userId: id('sup1'), text: `批准 ${doc.number}` });
    expect(say.status).toBe(403);
    expect(await countDocumentRows(h, o.orgId)).toEqual(before);
    const [level] = await h.db.select().from(documentApprovals).where(eq(documentApprovals.documentId, doc.id));
    expect(level!.status).toBe('pending');
    // Nor can it read the supervisor's one-to-one chat, or pretend to be someone nobody has bound.
    expect((await o.as.clerk.api('GET', `/sandbox/api/chats/${encodeURIComponent(id('sup1'))}/messages`)).status).toBe(403);
    expect((await o.as.clerk.api('POST', '/sandbox/api/messages', { chatId: 'x', userId: 'nobody-yet', text: '绑定 123456' })).status).toBe(403);

    // As themselves it works, and the people list shows only them.
    expect((await o.as.clerk.api('POST', '/sandbox/api/messages', { chatId: id('clerk'), userId: id('clerk'), text: '帮助' })).status).toBe(200);
    expect((await o.as.clerk.api('GET', '/sandbox/api/people')).body.people.map((p: { name: string }) => p.name)).toEqual(['Clerk']);
    expect((await o.api('GET', '/sandbox/api/people')).body.people).toHaveLength(5);

    // The organisation's admin key speaks as the supervisor, and the decision is the supervisor's.
    const approved = await o.api('POST', '/sandbox/api/actions', { userId: id('sup1'), messageId: anchor, actionId: `approve:${doc.id}` });
    expect(approved.body.toast.kind).toBe('success');
    expect((await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).approvals[0].byUserId).toBe(o.as.sup1.id);
  });

  it('a key bound to an admin may act as anyone; one bound to a supervisor only as the supervisor', async () => {
    const o = await approvalOrg(h);
    const id = await sandboxPeople(o);
    const bossKey = (await o.inv.ok('POST', '/api/v1/api-keys', { name: 'boss admin', user: o.as.boss.id, scopes: ['admin'] })).key;
    expect((await h.client(bossKey)('POST', '/sandbox/api/messages', { chatId: id('lead'), userId: id('lead'), text: '帮助' })).status).toBe(200);
    expect((await o.as.sup1.api('POST', '/sandbox/api/messages', { chatId: id('lead'), userId: id('lead'), text: '帮助' })).status).toBe(403);
  });
});

describe('a key never holds more than its people', () => {
  it('an admin-scoped key bound to staff cannot mint keys; nobody binds an admin key to staff', async () => {
    const o = await approvalOrg(h);
    // Made before the rule existed, or by hand: the person behind it still decides.
    const { key } = await o.inv.ok('POST', '/api/v1/api-keys', { name: 'old', user: o.as.boss.id, scopes: ['admin'] });
    await h.db.update(apiKeys).set({ userId: o.as.clerk.id }).where(and(eq(apiKeys.orgId, o.orgId), eq(apiKeys.name, 'old')));
    const minted = await h.client(key)('POST', '/api/v1/api-keys', { name: 'escalated', scopes: ['admin'] });
    expect(minted.status).toBe(403);
    expect(minted.body.error.message).toContain('admin');

    const bound = await o.api('POST', '/api/v1/api-keys', { name: 'staff admin', user: o.as.clerk.id, scopes: ['admin'] });
    expect(bound.status).toBe(403);
    expect(bound.body.error.message).toContain('Clerk');
    // The boss (an admin) may give the boss an admin key, and staff a read/write one.
    expect((await o.api('POST', '/api/v1/api-keys', { name: 'staff rw', user: o.as.clerk.id, scopes: ['read', 'write'] })).status).toBe(201);
    const bossKey = (await o.inv.ok('POST', '/api/v1/api-keys', { name: 'boss', user: o.as.boss.id, scopes: ['admin'] })).key;
    expect((await h.client(bossKey)('POST', '/api/v1/api-keys', { name: 'integration', scopes: ['read'] })).status).toBe(201);
    // A read/write key bound to an admin cannot mint an admin key: the key itself does not hold it.
    const rw = (await o.inv.ok('POST', '/api/v1/api-keys', { name: 'boss rw', user: o.as.boss.id, scopes: ['read', 'write'] })).key;
    expect((await h.client(rw)('POST', '/api/v1/api-keys', { name: 'x', scopes: ['admin'] })).status).toBe(403);
  });
});

describe('chat identities belong to one organisation', () => {
  const deliver = () => runOutboxDelivery({ db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai' }, new Date());
  const push = (body: Record<string, unknown>) => pushLark(h, keys, body);

  it("another organisation binding the same open_id learns nothing and cannot take the person's messages", async () => {
    const a = await approvalOrg(h);
    const b = await approvalOrg(h);
    const openId = `ou_${a.slug}_lead`;
    expect((await a.api('POST', `/api/v1/users/${a.as.lead.id}/identities`, { platform: 'lark', externalId: openId })).status).toBe(201);
    // B is not told the open_id exists elsewhere: the same answer as for any new identity.
    expect((await b.api('POST', `/api/v1/users/${b.as.clerk.id}/identities`, { platform: 'lark', externalId: openId })).status).toBe(201);

    // With two organisations naming the person and the app serving neither, nobody answers for them.
    const ambiguous = larkMessageEvent({ chatId: `oc_${a.slug}`, senderOpenId: openId, text: '帮助' });
    expect((await push(ambiguous)).status).toBe(200);
    await h.drainInbound();
    await deliver();
    expect(fake.shown.filter((m) => m.replyTo === ambiguous.event.message.message_id).map((m) => String(m.content?.text))).toEqual([
      expect.stringContaining('绑定'),
    ]);

    // Once the app serves A (CHAT_ORG, the bootstrap or the demo organisation at start-up), the person is A's.
    await h.db.insert(chatApps).values({ platform: 'lark', app: 'default', orgId: a.orgId })
      .onConflictDoUpdate({ target: [chatApps.platform, chatApps.app], set: { orgId: a.orgId } });
    const hello = larkMessageEvent({ chatId: `oc_${a.slug}`, senderOpenId: openId, text: '帮助' });
    await push(hello);
    await h.drainInbound();
    await deliver();
    expect(fake.shown.filter((m) => m.replyTo === hello.event.message.message_id).map((m) => String(m.content?.text))).toEqual([
      expect.stringContaining('库存'),
    ]);
    // And B can bind no more identities on an app that serves A: they could never reach B.
    const refused = await b.api('POST', `/api/v1/users/${b.as.lead.id}/identities`, { platform: 'lark', externalId: `ou_${b.slug}_x` });
    expect(refused.status).toBe(403);
    expect(await h.db.select().from(chatIdentities).where(and(eq(chatIdentities.orgId, b.orgId), eq(chatIdentities.externalId, `ou_${b.slug}_x`)))).toEqual([]);
    await h.db.delete(chatApps);
  });
});
