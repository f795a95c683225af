import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/client';
import { apiKeys, auditLog, warehouses } from '../db/schema';
import { resolveApiKey } from '../src/people/key-store';
import type { Ctx } from '../src/context';
import { createLogger } from '../src/lib/logger';
import { chatTargetsFor } from '../src/people/chat-bindings';
import { countTables, expectError, expectInvalid } from './assertions';
import { createTestApp, type TestApp } from './harness';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

type Org = Awaited<ReturnType<TestApp['createOrg']>>;

const peopleTables = ['users', 'user_warehouses', 'chat_identities', 'api_keys', 'chat_bindings', 'audit_log', 'idempotency_keys'] as const;
const counts = (org: Org) => countTables(h, org.orgId, peopleTables);

/** A unique external id, since chat identities are unique across every organisation of the database. */
const ext = (name: string) => `${name}-${Math.random().toString(36).slice(2, 10)}`;

async function warehouse(org: Org, code: string) {
  const res = await org.api('POST', '/api/v1/warehouses', { code, name: code, type: 'store' });
  expect(res.status).toBe(201);
  return res.body as { id: string; code: string };
}

async function user(org: Org, body: Record<string, unknown>) {
  const res = await org.api('POST', '/api/v1/users', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; roles: string[] };
}

const audit = (org: Org) => h.db.select().from(auditLog).where(eq(auditLog.orgId, org.orgId)).orderBy(auditLog.id);

describe('users', () => {
  it('creates a user with roles, warehouses and identities, and reads it back by id and in the list', async () => {
    const org = await h.createOrg();
    await warehouse(org, 'S2');
    await warehouse(org, 'S1');
    const wecom = ext('zhangsan');
    const res = await org.api('POST', '/api/v1/users', {
      name: ' 张三 ',
      roles: ['store_manager', 'staff', 'staff'],
      warehouses: ['S2', 'S1', 'S2'],
      identities: [{ platform: 'wecom', externalId: wecom }, { platform: 'sandbox', externalId: 'zs' + wecom }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      name: '张三',
      roles: ['store_manager', 'staff'],
      warehouses: ['S1', 'S2'],
      identities: [{ platform: 'sandbox', app: 'default', externalId: 'zs' + wecom }, { platform: 'wecom', app: 'default', externalId: wecom }],
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect((await org.api('GET', `/api/v1/users/${res.body.id}`)).body).toEqual(res.body);

    const plain = await user(org, { name: 'Ann', roles: ['supervisor'] });
    expect(plain).toMatchObject({ name: 'Ann', roles: ['supervisor'], warehouses: [], identities: [] });
    const list = await org.api('GET', '/api/v1/users');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ users: [plain, res.body] });

    expect(await audit(org)).toMatchObject([
      { entity: 'warehouse' }, { entity: 'warehouse' },
      { entity: 'user', entityId: res.body.id, action: 'create', channel: 'api' },
      { entity: 'user', entityId: plain.id, action: 'create', channel: 'api' },
    ]);
  });

  it('refuses a bad body with every bad field and writes nothing', async () => {
    const org = await h.createOrg();
    const before = await counts(org);
    expectInvalid(await org.api('POST', '/api/v1/users', { name: '', roles: [] }), ['name', 'roles']);
    expectInvalid(await org.api('POST', '/api/v1/users', { name: 'A', roles: ['boss'], identities: [{ platform: 'slack', externalId: 'x' }] }),
      ['roles.0', 'identities.0.platform']);
    expectInvalid(await org.api('POST', '/api/v1/users', { roles: ['staff'], warehouses: 'S1' }), ['name', 'warehouses']);
    const twice = { platform: 'lark', externalId: ext('ou') };
    expectInvalid(await org.api('POST', '/api/v1/users', { name: 'A', roles: ['staff'], identities: [twice, twice] }), ['identities.1']);
    expectError(await org.api('POST', '/api/v1/users', '{"name":'), 400, 'invalid_request');
    expect(await counts(org)).toEqual(before);
  });

  it('answers 404 naming an unknown warehouse, and creates nothing', async () => {
    const org = await h.createOrg();
    await warehouse(org, 'S1');
    const before = await counts(org);
    const res = await org.api('POST', '/api/v1/users', {
      name: 'A', roles: ['staff'], warehouses: ['S1', 'NOPE'], identities: [{ platform: 'sandbox', externalId: ext('a') }],
    });
    expectError(res, 404, 'not_found', /warehouse 'NOPE'/);
    expect(await counts(org)).toEqual(before);
  });

  it('answers 409 naming an identity already bound in this organisation, and creates nothing; another organisation may name the same person', async () => {
    const org = await h.createOrg();
    const other = await h.createOrg();
    const taken = ext('lisi');
    await user(org, { name: 'Li', roles: ['staff'], identities: [{ platform: 'wecom', externalId: taken }] });
    const before = await counts(org);
    const beforeOther = await counts(other);

    const again = await org.api('POST', '/api/v1/users', {
      name: 'Li 2', roles: ['staff'], identities: [{ platform: 'lark', externalId: ext('ou') }, { platform: 'wecom', externalId: taken }],
    });
    expectError(again, 409, 'conflict', new RegExp(`wecom identity '${taken}' is already bound`));
    expect(again.body.error.details).toEqual({ identities: [{ platform: 'wecom', externalId: taken }] });
    expect(await counts(org)).toEqual(before);
    // Identities belong to an organisation: the other one is not told this person exists anywhere else.
    expect(beforeOther).toBeDefined();
    const elsewhere = await other.api('POST', '/api/v1/users', { name: 'Li', roles: ['staff'], identities: [{ platform: 'wecom', externalId: taken }] });
    expect(elsewhere.status).toBe(201);
    // The same external id on another platform is another identity.
    await user(org, { name: 'Li (Lark)', roles: ['staff'], identities: [{ platform: 'lark', externalId: taken }] });
  });

  it('binds one more identity later; binding it again changes nothing; another user\'s is a 409', async () => {
    const org = await h.createOrg();
    const a = await user(org, { name: 'A', roles: ['staff'], identities: [{ platform: 'wecom', externalId: ext('a') }] });
    const b = await user(org, { name: 'B', roles: ['staff'] });
    const sandboxId = ext('sb');

    const res = await org.api('POST', `/api/v1/users/${b.id}/identities`, { platform: 'sandbox', externalId: sandboxId });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: b.id, identities: [{ platform: 'sandbox', externalId: sandboxId }] });
    const auditRows = (await audit(org)).length;

    const again = await org.api('POST', `/api/v1/users/${b.id}/identities`, { platform: 'sandbox', externalId: sandboxId });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(res.body);
    expect((await audit(org)).length).toBe(auditRows);

    const before = await counts(org);
    expectError(await org.api('POST', `/api/v1/users/${a.id}/identities`, { platform: 'sandbox', externalId: sandboxId }), 409, 'conflict');
    expectError(await org.api('POST', `/api/v1/users/${crypto.randomUUID()}/identities`, { platform: 'sandbox', externalId: ext('x') }),
      404, 'not_found', /user/);
    expectInvalid(await org.api('POST', `/api/v1/users/${a.id}/identities`, { platform: 'wecom-robot', externalId: '' }),
      ['platform', 'externalId']);
    expect(await counts(org)).toEqual(before);
    expect((await audit(org)).at(-1)).toMatchObject({ entity: 'user', entityId: b.id, action: 'bind_identity', comment: `sandbox:${sandboxId}` });
  });

  it('answers 404 for an unknown, malformed or another organisation\'s user id', async () => {
    const org = await h.createOrg();
    const other = await h.createOrg();
    const theirs = await user(other, { name: 'X', roles: ['admin'] });
    expectError(await org.api('GET', `/api/v1/users/${theirs.id}`), 404, 'not_found', new RegExp(theirs.id));
    expectError(await org.api('GET', '/api/v1/users/not-a-uuid'), 404, 'not_found', /user 'not-a-uuid'/);
    expect((await org.api('GET', '/api/v1/users')).body).toEqual({ users: [] });
    const before = await counts(other);
    expectError(await org.api('POST', `/api/v1/users/${theirs.id}/identities`, { platform: 'sandbox', externalId: ext('x') }), 404, 'not_found');
    expect(await counts(other)).toEqual(before);
  });

  it('replays an Idempotency-Key and refuses it with another body', async () => {
    const org = await h.createOrg();
    const body = { name: 'Idem', roles: ['staff'] };
    const first = await org.api('POST', '/api/v1/users', body, { 'idempotency-key': 'u-1' });
    const second = await org.api('POST', '/api/v1/users', body, { 'idempotency-key': 'u-1' });
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expectError(await org.api('POST', '/api/v1/users', { ...body, name: 'Other' }, { 'idempotency-key': 'u-1' }), 409, 'conflict');
    expect((await counts(org)).users).toBe(1);
  });
});

describe('the admin scope', () => {
  it('is needed for every people route, before the body is even read, and nothing is written', async () => {
    const org = await h.createOrg({ scopes: ['read', 'write'] });
    const admin = await h.createOrg();
    const someone = await user(admin, { name: 'S', roles: ['staff'] });
    await warehouse(org, 'W1');
    const before = await counts(org);
    const calls: [string, string, unknown?][] = [
      ['POST', '/api/v1/users', { name: 'A', roles: ['staff'] }],
      ['POST', '/api/v1/users', { nonsense: true }],
      ['GET', '/api/v1/users'],
      ['GET', `/api/v1/users/${someone.id}`],
      ['POST', `/api/v1/users/${someone.id}/identities`, { platform: 'sandbox', externalId: 'x' }],
      ['POST', '/api/v1/api-keys', { name: 'k' }],
      ['GET', '/api/v1/api-keys'],
      ['POST', `/api/v1/api-keys/${crypto.randomUUID()}/revoke`],
      ['POST', '/api/v1/warehouses/W1/chats', { platform: 'sandbox', chatId: 'g1' }],
      ['GET', '/api/v1/warehouses/W1/chats'],
    ];
    for (const [method, path, body] of calls) expectError(await org.api(method, path, body), 403, 'forbidden', /'admin' scope/);
    expect(await counts(org)).toEqual(before);
    // Master data stays open to write keys.
    expect((await org.api('GET', '/api/v1/warehouses')).status).toBe(200);
  });
});

describe('api keys', () => {
  it('issues a key shown once that works, lists keys without it, and defaults to read and write', async () => {
    const org = await h.createOrg();
    const res = await org.api('POST', '/api/v1/api-keys', { name: 'scanner' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String), key: expect.stringMatching(/^jxc_/), name: 'scanner', scopes: ['read', 'write'], user: null,
      prefix: res.body.key.slice(0, 8), createdAt: expect.any(String), revokedAt: null,
    });
    const scanner = h.client(res.body.key);
    expect((await scanner('GET', '/api/v1/warehouses')).status).toBe(200);
    expect((await scanner('POST', '/api/v1/warehouses', { code: 'W', name: 'W', type: 'central' })).status).toBe(201);
    expectError(await scanner('GET', '/api/v1/api-keys'), 403, 'forbidden');

    const list = await org.api('GET', '/api/v1/api-keys');
    expect(list.status).toBe(200);
    const { key: _shown, ...listed } = res.body;
    expect(list.body.apiKeys).toHaveLength(2);
    expect(list.body.apiKeys[1]).toEqual(listed);
    expect(JSON.stringify(list.body)).not.toContain(res.body.key);
    expect(JSON.stringify(list.body)).not.toMatch(/hash/i);

    const [stored] = await h.db.select().from(apiKeys).where(eq(apiKeys.id, res.body.id));
    expect(stored!.keyHash).not.toContain(res.body.key);
    expect(await audit(org)).toMatchObject([
      { entity: 'api_key', entityId: res.body.id, action: 'create' },
      { entity: 'warehouse', action: 'create', actorRef: `key:${res.body.id}` },
    ]);
  });

  it('makes a key that acts as a user, with that user\'s roles', async () => {
    const org = await h.createOrg();
    const boss = await user(org, { name: 'Boss', roles: ['admin'] });
    const res = await org.api('POST', '/api/v1/api-keys', { name: 'boss phone', user: boss.id, scopes: ['read', 'write', 'write'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user: boss.id, scopes: ['read', 'write'] });
    expect(await resolveApiKey(h.db, res.body.key)).toEqual({
      keyId: res.body.id, orgId: org.orgId, scopes: ['read', 'write'], userId: boss.id, roles: ['admin'], warehouseIds: [],
    });
    // Their writes are theirs in the audit trail (master data is an admin's: the rule book).
    expect((await h.client(res.body.key)('POST', '/api/v1/warehouses', { code: 'B', name: 'B', type: 'store' })).status).toBe(201);
    expect((await audit(org)).at(-1)).toMatchObject({ entity: 'warehouse', userId: boss.id, actorRef: `key:${res.body.id}` });
  });

  it('answers 404 for an unknown or another organisation\'s user, 400 for bad scopes, and writes nothing', async () => {
    const org = await h.createOrg();
    const other = await h.createOrg();
    const theirs = await user(other, { name: 'X', roles: ['admin'] });
    const before = await counts(org);
    expectError(await org.api('POST', '/api/v1/api-keys', { name: 'k', user: theirs.id }), 404, 'not_found', new RegExp(`user '${theirs.id}'`));
    expectError(await org.api('POST', '/api/v1/api-keys', { name: 'k', user: 'nobody' }), 404, 'not_found', /user 'nobody'/);
    expectInvalid(await org.api('POST', '/api/v1/api-keys', { name: 'k', scopes: ['root'] }), ['scopes.0']);
    expectInvalid(await org.api('POST', '/api/v1/api-keys', { scopes: [] }), ['name', 'scopes']);
    expect(await counts(org)).toEqual(before);
  });

  it('revokes a key: it then answers 401; revoking again keeps the first time; others\' keys are 404', async () => {
    const org = await h.createOrg();
    const other = await h.createOrg();
    const res = await org.api('POST', '/api/v1/api-keys', { name: 'temp', scopes: ['admin'] });
    const temp = h.client(res.body.key);
    expect((await temp('GET', '/api/v1/users')).status).toBe(200);

    expectError(await other.api('POST', `/api/v1/api-keys/${res.body.id}/revoke`), 404, 'not_found', /api key/);
    expect((await temp('GET', '/api/v1/users')).status).toBe(200);

    h.setNow(new Date('2026-03-01T08:00:00Z'));
    const revoked = await org.api('POST', `/api/v1/api-keys/${res.body.id}/revoke`);
    h.setNow(undefined);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: res.body.id, revokedAt: '2026-03-01T08:00:00.000Z' });
    expectError(await temp('GET', '/api/v1/users'), 401, 'unauthorized');
    expect(await resolveApiKey(h.db, res.body.key)).toBeUndefined();

    const again = await org.api('POST', `/api/v1/api-keys/${res.body.id}/revoke`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(revoked.body);
    expect((await audit(org)).filter((a) => a.action === 'revoke')).toHaveLength(1);
    expectError(await org.api('POST', '/api/v1/api-keys/nope/revoke'), 404, 'not_found', /api key 'nope'/);
  });

  it('replays an Idempotency-Key without the plaintext key, which is never stored', async () => {
    const org = await h.createOrg();
    const first = await org.api('POST', '/api/v1/api-keys', { name: 'erp' }, { 'idempotency-key': 'k-1' });
    const second = await org.api('POST', '/api/v1/api-keys', { name: 'erp' }, { 'idempotency-key': 'k-1' });
    expect(first.status).toBe(201);
    expect(first.body.key).toMatch(/^jxc_/);
    expect(second.status).toBe(201);
    expect(second.body).toEqual({ ...first.body, key: null });
    expect((await counts(org)).api_keys).toBe(2);
    const stored = await queryRows(h.db, sql`select response from idempotency_keys where org_id = ${org.orgId}`);
    expect(JSON.stringify(stored)).not.toContain(first.body.key);
  });
});

describe('chat bindings', () => {
  it('binds a chat with every purpose by default, re-binding replaces the purposes, and lists them', async () => {
    const org = await h.createOrg();
    await warehouse(org, 'S1');
    const res = await org.api('POST', '/api/v1/warehouses/S1/chats', { platform: 'lark', chatId: 'oc_abc' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ warehouse: 'S1', platform: 'lark', chatId: 'oc_abc', purposes: ['alerts', 'approvals', 'digest'] });

    const rebound = await org.api('POST', '/api/v1/warehouses/S1/chats', { platform: 'lark', chatId: 'oc_abc', purposes: ['digest', 'alerts', 'digest'] });
    expect(rebound.status).toBe(201);
    expect(rebound.body).toEqual({ warehouse: 'S1', platform: 'lark', chatId: 'oc_abc', purposes: ['alerts', 'digest'] });
    await org.api('POST', '/api/v1/warehouses/S1/chats', { platform: 'wecom-robot', chatId: 'robot-key', purposes: ['approvals'] });

    const list = await org.api('GET', '/api/v1/warehouses/S1/chats');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      chats: [rebound.body, { warehouse: 'S1', platform: 'wecom-robot', chatId: 'robot-key', purposes: ['approvals'] }],
    });
    expect((await audit(org)).filter((a) => a.entity === 'chat_binding').map((a) => a.action)).toEqual(['create', 'update', 'create']);
  });

  it('gives the outbox the chats of a warehouse for one purpose', async () => {
    const org = await h.createOrg();
    const s1 = await warehouse(org, 'S1');
    const s2 = await warehouse(org, 'S2');
    await org.api('POST', '/api/v1/warehouses/S1/chats', { platform: 'sandbox', chatId: 'g-all' });
    await org.api('POST', '/api/v1/warehouses/S1/chats', { platform: 'lark', chatId: 'oc_digest', purposes: ['digest'] });
    await org.api('POST', '/api/v1/warehouses/S2/chats', { platform: 'wecom-aibot', chatId: 'wr1', purposes: ['alerts'] });
    const ctx: Ctx = {
      db: h.db, orgId: org.orgId, actor: { type: 'job', job: 'test' }, now: () => new Date(), timezone: 'Asia/Shanghai', log: createLogger('silent'),
    };
    expect(await chatTargetsFor(ctx, s1.id, 'alerts')).toEqual([{ platform: 'sandbox', chatId: 'g-all' }]);
    expect(await chatTargetsFor(ctx, s1.id, 'digest')).toEqual([{ platform: 'lark', chatId: 'oc_digest' }, { platform: 'sandbox', chatId: 'g-all' }]);
    expect(await chatTargetsFor(ctx, s2.id, 'alerts')).toEqual([{ platform: 'wecom-aibot', chatId: 'wr1' }]);
    expect(await chatTargetsFor(ctx, s2.id, 'approvals')).toEqual([]);
    // Another organisation's context sees none of them.
    expect(await chatTargetsFor({ ...ctx, orgId: (await h.createOrg()).orgId }, s1.id, 'alerts')).toEqual([]);
  });

  it('answers 404 for an unknown warehouse (or another organisation\'s), 400 for a bad body, and writes nothing', async () => {
    const org = await h.createOrg();
    const other = await h.createOrg();
    await warehouse(org, 'S1');
    await warehouse(other, 'THEIRS');
    const before = await counts(org);
    expectError(await org.api('POST', '/api/v1/warehouses/NOPE/chats', { platform: 'sandbox', chatId: 'g' }), 404, 'not_found', /warehouse 'NOPE'/);
    expectError(await org.api('POST', '/api/v1/warehouses/THEIRS/chats', { platform: 'sandbox', chatId: 'g' }), 404, 'not_found', /THEIRS/);
    expectError(await org.api('GET', '/api/v1/warehouses/THEIRS/chats'), 404, 'not_found', /THEIRS/);
    expectInvalid(await org.api('POST', '/api/v1/warehouses/S1/chats', { platform: 'wecom', chatId: 'g' }), ['platform']);
    expectInvalid(await org.api('POST', '/api/v1/warehouses/S1/chats', { platform: 'lark', chatId: '', purposes: [] }), ['chatId', 'purposes']);
    expectInvalid(await org.api('POST', '/api/v1/warehouses/S1/chats', { platform: 'lark', chatId: 'oc_1', purposes: ['spam'] }), ['purposes.0']);
    expect(await counts(org)).toEqual(before);
    const [theirs] = await h.db.select().from(warehouses).where(and(eq(warehouses.orgId, other.orgId), eq(warehouses.code, 'THEIRS')));
    expect(theirs).toBeDefined();
    expect((await counts(other)).chat_bindings).toBe(0);
  });
});
