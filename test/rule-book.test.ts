import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alerts } from '../db/schema';
import { runLowStockScan } from '../jobs/low-stock-scan';
import { createTestApp, type TestApp } from './harness';
import { countDocumentRows } from './support/documents';
import { inventory } from './support/inventory';

// Every action of the rule book, for every role, at the person's own warehouse and at another, through
// each door that offers it: the API (a key bound to the person), a chat message and a card tap in the
// sandbox. All doors must agree with the table below — written out here, independently of
// src/people/permissions.ts — and a refusal writes nothing.

const roles = ['admin', 'supervisor', 'warehouse_lead', 'store_manager', 'staff'] as const;
type Role = (typeof roles)[number];
const above: Role[] = ['admin', 'supervisor'];

/** Who may, at the warehouse they are assigned (`own`) and at another one (`other`). */
const book: Record<string, { own: Role[]; other: Role[] }> = {
  create: { own: [...roles], other: above },
  submit: { own: [...roles], other: above },
  ship: { own: [...above, 'warehouse_lead'], other: above },
  qc: { own: [...above, 'warehouse_lead'], other: above },
  post_count: { own: [...above, 'warehouse_lead'], other: above },
  receive: { own: [...above, 'warehouse_lead', 'store_manager'], other: above },
  alert: { own: [...above, 'warehouse_lead', 'store_manager'], other: above },
  cancel: { own: [...above, 'warehouse_lead'], other: above },
  reverse: { own: above, other: above },
  admin: { own: ['admin'], other: ['admin'] },
};
const allowed = (action: string, role: Role, place: 'own' | 'other') => book[action]![place].includes(role);

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

type Org = Awaited<ReturnType<typeof ruleBookOrg>>;

/**
 * W1 (everyone's own warehouse) and W2 (no one's), item A stocked in both, B lot-free for counts,
 * one person per role assigned to W1, each with an API key bound to them and a sandbox identity.
 * The org's own key (no person: an integration) makes every fixture.
 */
async function ruleBookOrg() {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.warehouse('W1');
  await inv.warehouse('W2', 'store');
  await inv.item('A', { name: '可乐', unit: '瓶' });
  await inv.receipt('W1', 'A', 1000, 2);
  await inv.receipt('W2', 'A', 1000, 2);
  const people = {} as Record<Role, { id: string; api: ReturnType<TestApp['client']>; sandboxId: string }>;
  for (const role of roles) {
    const sandboxId = `${org.slug}-${role}`;
    const user = await inv.ok('POST', '/api/v1/users', { name: role, roles: [role], warehouses: ['W1'], identities: [{ platform: 'sandbox', externalId: sandboxId }] });
    const { key } = await inv.ok('POST', '/api/v1/api-keys', { name: role, user: user.id, scopes: role === 'admin' ? ['admin'] : ['read', 'write'] });
    people[role] = { id: user.id, api: h.client(key), sandboxId };
  }
  await inv.ok('POST', '/api/v1/warehouses/W1/chats', { platform: 'sandbox', chatId: `${org.slug}-g1` });
  // Any message of the organisation's sandbox will do to tap on: the server trusts nothing on the card.
  const anchor = (await inv.ok('POST', '/sandbox/api/messages', { chatId: `${org.slug}-g1`, userId: people.admin.sandboxId, text: '帮助' })).replies[0].id as string;
  return { ...org, inv, people, anchor };
}

const at = (place: 'own' | 'other') => (place === 'own' ? 'W1' : 'W2');
const elsewhere = (place: 'own' | 'other') => (place === 'own' ? 'W2' : 'W1');

/** Fixtures, made by the integration key: a document in the state the action starts from, at `place`. */
const fixtures = {
  draftIssue: (o: Org, place: 'own' | 'other') => o.inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: at(place), lines: [{ sku: 'A', qty: 1 }] }),
  draftTransfer: (o: Org, place: 'own' | 'other') =>
    o.inv.ok('POST', '/api/v1/documents', { type: 'transfer', warehouse: at(place), toWarehouse: elsewhere(place), lines: [{ sku: 'A', qty: 1 }] }),
  shippedInto: (o: Org, place: 'own' | 'other') =>
    o.inv.ok('POST', '/api/v1/documents', { type: 'transfer', warehouse: elsewhere(place), toWarehouse: at(place), lines: [{ sku: 'A', qty: 1 }], submit: true }),
  returnAwaitingQc: (o: Org, place: 'own' | 'other') =>
    o.inv.ok('POST', '/api/v1/documents', { type: 'customer_return', warehouse: at(place), lines: [{ sku: 'A', qty: 1 }], submit: true }),
  draftAdjustment: (o: Org, place: 'own' | 'other') =>
    o.inv.ok('POST', '/api/v1/documents', { type: 'adjustment', warehouse: at(place), reason: 'scrap', lines: [{ sku: 'A', qty: -1 }] }),
  postedReceipt: (o: Org, place: 'own' | 'other') => o.inv.receipt(at(place), 'A', 1, 2),
};

/** One door's attempt: whether it went through. A refusal must be a 403 / an error toast naming the rule, and write nothing. */
type Attempt = (o: Org, role: Role, place: 'own' | 'other') => Promise<boolean>;

async function viaApi(o: Org, role: Role, method: string, path: string, body?: unknown): Promise<boolean> {
  const before = await countDocumentRows(h, o.orgId);
  const res = await o.people[role].api(method, path, body);
  if (res.status < 300) return true;
  expect(res.status, JSON.stringify(res.body)).toBe(403);
  expect(res.body.error.code).toBe('forbidden');
  expect(res.body.error.message).toMatch(/needs|assigned/);
  expect(await countDocumentRows(h, o.orgId)).toEqual(before);
  return false;
}

async function viaTap(o: Org, role: Role, actionId: string, form?: Record<string, string>): Promise<boolean> {
  const before = await countDocumentRows(h, o.orgId);
  const res = await o.people[role].api('POST', '/sandbox/api/actions', { userId: o.people[role].sandboxId, messageId: o.anchor, actionId, ...(form ? { form } : {}) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  if (res.body.toast?.kind !== 'error') return true;
  expect(res.body.toast.text).toMatch(/不负责仓库|要由|只有管理员/);
  expect(await countDocumentRows(h, o.orgId)).toEqual(before);
  return false;
}

const doors: Record<string, Record<string, Attempt>> = {
  create: {
    api: (o, role, place) => viaApi(o, role, 'POST', '/api/v1/documents', { type: 'issue', warehouse: at(place), lines: [{ sku: 'A', qty: 1 }] }),
    chat: async (o, role, place) => {
      // A return typed in chat becomes a document when its reporter confirms it.
      const before = await countDocumentRows(h, o.orgId);
      const say = await o.people[role].api('POST', '/sandbox/api/messages', { chatId: o.people[role].sandboxId, userId: o.people[role].sandboxId, text: `退货 可乐 1瓶 破损 @${at(place)}` });
      const card = say.body.replies.find((r: { card?: unknown }) => r.card);
      // Refused before any card (as transfers and counts are), or by the tap on it: either way nothing is written.
      if (!card) {
        expect(say.body.replies[0].text).toMatch(/不负责仓库|要由|只有管理员|没有权限/);
        expect(await countDocumentRows(h, o.orgId)).toEqual(before);
        return false;
      }
      const confirm = card.card.actions.find((a: { id: string }) => a.id.startsWith('confirm_return:')).id;
      return viaTap(o, role, confirm);
    },
  },
  submit: {
    api: async (o, role, place) => viaApi(o, role, 'POST', `/api/v1/documents/${(await fixtures.draftIssue(o, place)).id}/submit`),
  },
  ship: {
    api: async (o, role, place) => viaApi(o, role, 'POST', `/api/v1/documents/${(await fixtures.draftTransfer(o, place)).id}/ship`),
    tap: async (o, role, place) => viaTap(o, role, `ship:${(await fixtures.draftTransfer(o, place)).id}`),
  },
  receive: {
    api: async (o, role, place) => viaApi(o, role, 'POST', `/api/v1/documents/${(await fixtures.shippedInto(o, place)).id}/receive`),
    tap: async (o, role, place) => viaTap(o, role, `receive:${(await fixtures.shippedInto(o, place)).id}`),
  },
  qc: {
    api: async (o, role, place) => viaApi(o, role, 'POST', `/api/v1/documents/${(await fixtures.returnAwaitingQc(o, place)).id}/post`, { lines: [{ line: 1, acceptedQty: 1 }] }),
    tap: async (o, role, place) => viaTap(o, role, `qc:${(await fixtures.returnAwaitingQc(o, place)).id}`, { accepted: '1' }),
  },
  post_count: {
    api: async (o, role, place) => viaApi(o, role, 'POST', `/api/v1/documents/${(await fixtures.draftAdjustment(o, place)).id}/post`),
    tap: async (o, role, place) => viaTap(o, role, `post:${(await fixtures.draftAdjustment(o, place)).id}`),
  },
  cancel: {
    api: async (o, role, place) => viaApi(o, role, 'POST', `/api/v1/documents/${(await fixtures.draftIssue(o, place)).id}/cancel`),
    tap: async (o, role, place) => viaTap(o, role, `cancel:${(await fixtures.draftIssue(o, place)).id}`),
  },
  reverse: {
    api: async (o, role, place) => viaApi(o, role, 'POST', `/api/v1/documents/${(await fixtures.postedReceipt(o, place)).id}/reverse`),
  },
  admin: {
    api: (o, role, place) => viaApi(o, role, 'PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: at(place), minQty: 1 }),
    tap: (o, role, place) => viaTap(o, role, `bind_chat:${at(place)}`),
  },
};

describe('the rule book, at every door', () => {
  for (const [action, byDoor] of Object.entries(doors)) {
    it(`${action}: ${Object.keys(byDoor).join(', ')}`, async () => {
      const o = await ruleBookOrg();
      const seen: string[] = [];
      for (const role of roles) {
        for (const place of ['own', 'other'] as const) {
          for (const [door, attempt] of Object.entries(byDoor)) {
            const went = await attempt(o, role, place);
            seen.push(`${door} ${role} ${place}: ${went ? 'allowed' : 'refused'}`);
          }
        }
      }
      const want = roles.flatMap((role) => (['own', 'other'] as const).flatMap((place) =>
        Object.keys(byDoor).map((door) => `${door} ${role} ${place}: ${allowed(action, role, place) ? 'allowed' : 'refused'}`)));
      expect(seen).toEqual(want);
    });
  }

  it('alert: acknowledging a low-stock alert, by tap', async () => {
    const o = await ruleBookOrg();
    const seen: string[] = [];
    for (const role of roles) {
      for (const place of ['own', 'other'] as const) {
        // A safety stock above what is there opens an alert at the next scan.
        await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: at(place), minQty: 5000 });
        await runLowStockScan({ db: h.db, log: h.deps.log }, new Date());
        const [alert] = await h.db.select().from(alerts).where(and(eq(alerts.orgId, o.orgId), eq(alerts.status, 'open')));
        const went = await viaTap(o, role, `ack_alert:${alert!.id}`);
        seen.push(`${role} ${place}: ${went ? 'allowed' : 'refused'}`);
        // No rule, and the scan resolves the alert, for the next one.
        await o.inv.ok('PUT', '/api/v1/reorder-rules', { sku: 'A', warehouse: at(place), minQty: 0 });
        await runLowStockScan({ db: h.db, log: h.deps.log }, new Date());
      }
    }
    expect(seen).toEqual(roles.flatMap((role) => (['own', 'other'] as const).map((place) => `${role} ${place}: ${allowed('alert', role, place) ? 'allowed' : 'refused'}`)));
  });

  it('cancel: the creator may take back their own document while nobody has acted on it, not after', async () => {
    const o = await ruleBookOrg();
    const staff = inventory(o.people.staff.api);
    const draft = await staff.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'W1', lines: [{ sku: 'A', qty: 1 }] });
    expect((await o.people.staff.api('POST', `/api/v1/documents/${draft.id}/cancel`)).status).toBe(200);
    // Staff may submit a count but not post it: it waits for the lead, and its creator may still take it back.
    const count = await staff.ok('POST', '/api/v1/documents', { type: 'adjustment', warehouse: 'W1', reason: '破损', lines: [{ sku: 'A', qty: -1 }], submit: true });
    expect(count.status).toBe('submitted');
    expect((await o.people.staff.api('POST', `/api/v1/documents/${count.id}/cancel`)).status).toBe(200);
    // Someone else's draft is not theirs to cancel.
    const other = await fixtures.draftIssue(o, 'own');
    expect((await o.people.staff.api('POST', `/api/v1/documents/${other.id}/cancel`)).status).toBe(403);
  });

  it('submit: staff take a transfer or a count as far as they may; the rest waits for the lead, who is told', async () => {
    const o = await ruleBookOrg();
    const staff = inventory(o.people.staff.api);
    const transfer = await staff.ok('POST', '/api/v1/documents', { type: 'transfer', warehouse: 'W1', toWarehouse: 'W2', lines: [{ sku: 'A', qty: 1 }], submit: true });
    expect(transfer.status).toBe('submitted');
    expect(transfer.dueAt).not.toBeNull();
    const issue = await staff.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'W1', lines: [{ sku: 'A', qty: 1 }], submit: true });
    expect(issue.status).toBe('posted');
    const lead = inventory(o.people.warehouse_lead.api);
    expect((await lead.ok('POST', `/api/v1/documents/${transfer.id}/ship`)).status).toBe('shipped');
    const waiting = await h.db.query.outbox.findMany({ where: (t, { and, eq }) => and(eq(t.orgId, o.orgId), eq(t.kind, 'document_waiting')) });
    expect(waiting.map((w) => (w.payload as { number: string }).number)).toEqual([transfer.number]);
  });
});
