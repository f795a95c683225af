import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, outbox } from '../db/schema';
import { createTestApp, type TestApp } from './harness';
import { approvalOrg } from './support/approvals';

let h: TestApp;
beforeAll(async () => {
  h = await createTestApp();
});
afterAll(() => h?.close());

const supervisors = [{ roles: ['supervisor'] }];

describe('approval rules: each criterion matches and does not match', () => {
  const cases: { name: string; rule: Record<string, unknown>; type?: string; lines: unknown[]; extra?: Record<string, unknown>; needs: boolean }[] = [
    { name: 'document type', rule: { documentTypes: ['issue'] }, lines: [{ sku: 'A', qty: 1 }], needs: true },
    { name: 'other document type', rule: { documentTypes: ['adjustment'] }, lines: [{ sku: 'A', qty: 1 }], needs: false },
    { name: 'warehouse', rule: { documentTypes: ['issue'], warehouses: ['WH'] }, lines: [{ sku: 'A', qty: 1 }], needs: true },
    { name: 'other warehouse', rule: { documentTypes: ['issue'], warehouses: ['ST'] }, lines: [{ sku: 'A', qty: 1 }], needs: false },
    { name: 'warehouse type', rule: { documentTypes: ['issue'], warehouseTypes: ['central'] }, lines: [{ sku: 'A', qty: 1 }], needs: true },
    { name: 'other warehouse type', rule: { documentTypes: ['issue'], warehouseTypes: ['store'] }, lines: [{ sku: 'A', qty: 1 }], needs: false },
    { name: 'a transfer by its source', rule: { documentTypes: ['transfer'], warehouseTypes: ['central'] }, type: 'transfer', lines: [{ sku: 'A', qty: 1 }], extra: { toWarehouse: 'ST' }, needs: true },
    { name: 'category on any line', rule: { documentTypes: ['issue'], categories: ['snacks'] }, lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 1 }], needs: true },
    { name: 'category on no line', rule: { documentTypes: ['issue'], categories: ['snacks'] }, lines: [{ sku: 'A', qty: 1 }], needs: false },
    { name: 'value at the threshold', rule: { documentTypes: ['issue'], minValue: 50 }, lines: [{ sku: 'A', qty: 5 }], needs: true },
    { name: 'value under the threshold', rule: { documentTypes: ['issue'], minValue: 50 }, lines: [{ sku: 'A', qty: 4 }], needs: false },
    { name: 'quantity at the threshold', rule: { documentTypes: ['issue'], minQty: 10 }, lines: [{ sku: 'B', qty: 6 }, { sku: 'A', qty: 4 }], needs: true },
    { name: 'quantity under the threshold', rule: { documentTypes: ['issue'], minQty: 10 }, lines: [{ sku: 'B', qty: 9 }], needs: false },
    // 100 counted as 97 and 100 B counted as 110: |−3 × 10| + |10 × 1| = 40 of absolute variance, though the net is −20.
    { name: 'stocktake absolute variance', rule: { documentTypes: ['stocktake'], minValue: 40 }, type: 'stocktake', lines: [{ sku: 'A', qty: 97 }, { sku: 'B', qty: 110 }], needs: true },
    { name: 'stocktake variance under', rule: { documentTypes: ['stocktake'], minValue: 41 }, type: 'stocktake', lines: [{ sku: 'A', qty: 97 }, { sku: 'B', qty: 110 }], needs: false },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.needs ? 'needs approval' : 'posts at once'}`, async () => {
      const o = await approvalOrg(h);
      await o.rules([{ name: c.name, levels: supervisors, ...c.rule }]);
      const doc = await o.submit(c.type ?? 'issue', c.lines, c.extra);
      // The clerk is staff: a count needing no approval waits for the warehouse lead to post it (the rule book).
      const moved = c.type === 'transfer' ? 'shipped' : c.type === 'stocktake' ? 'submitted' : 'posted';
      expect(doc.status).toBe(c.needs ? 'awaiting_approval' : moved);
      expect(doc.approvals).toHaveLength(c.needs ? 1 : 0);
      // However far it went on in the same transaction, the submission's time is on the document.
      expect(doc.submittedAt).toEqual(expect.any(String));
    });
  }
});

describe('deciding', () => {
  it('decides levels in order; the last approval posts; every rule’s levels apply once', async () => {
    const o = await approvalOrg(h);
    await o.rules([
      { name: 'big issues', documentTypes: ['issue'], minValue: 100, levels: supervisors },
      { name: 'drinks', documentTypes: ['issue'], categories: ['drinks'], levels: [{ roles: ['supervisor'] }, { roles: ['admin'] }] },
    ]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 20 }]);
    expect(doc.approvals.map((a: any) => [a.level, a.status, a.roles, a.rules])).toEqual([
      [1, 'pending', ['supervisor'], ['big issues', 'drinks']],
      [2, 'waiting', ['admin'], ['drinks']],
    ]);
    const jump = await o.as.boss.api('POST', `/api/v1/documents/${doc.id}/approve`, {});
    expect(jump.status).toBe(403); // level 2 cannot jump ahead of level 1
    const first = await o.as.sup1.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, { comment: 'ok' });
    expect(first).toMatchObject({ status: 'awaiting_approval' });
    expect(first.approvals[0]).toMatchObject({ status: 'approved', by: 'Sup One', comment: 'ok' });
    expect(first.approvals[1]).toMatchObject({ status: 'pending' });
    const again = await o.as.sup2.api('POST', `/api/v1/documents/${doc.id}/approve`, {});
    expect(again.status).toBe(409); // level 1 is decided: named, with when
    expect(again.body.error.message).toContain('Sup One');
    expect(again.body.error.details).toMatchObject({ level: 1, decision: 'approved', by: 'Sup One' });
    const last = await o.as.boss.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {});
    expect(last).toMatchObject({ status: 'posted', totalValue: '200.00' });
    expect(await o.inv.valuation('A', 'WH')).toMatchObject({ qty: '80' });
    const stale = await o.as.boss.api('POST', `/api/v1/documents/${doc.id}/approve`, {});
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toContain('Boss');
  });

  it('a level given twice in one rule is two signatures by two people; two rules asking the same level ask it once', async () => {
    const o = await approvalOrg(h);
    await o.rules([
      { name: 'two supervisors', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }, { roles: ['supervisor'] }] },
      { name: 'one supervisor', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] },
    ]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    expect(doc.approvals.map((a: any) => [a.level, a.rules])).toEqual([[1, ['two supervisors', 'one supervisor']], [2, ['two supervisors']]]);
    expect((await o.as.sup1.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {})).status).toBe('awaiting_approval');
    // The same supervisor again: one person decides one level at most.
    expect((await o.as.sup1.api('POST', `/api/v1/documents/${doc.id}/approve`, {})).status).toBe(403);
    expect((await o.as.sup2.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {})).status).toBe('posted');
  });

  it('refuses self-approval, the wrong role and a key that acts for no user', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'all issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor', 'staff'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    const own = await o.as.clerk.api('POST', `/api/v1/documents/${doc.id}/approve`, {});
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('own document');
    expect((await o.as.lead.api('POST', `/api/v1/documents/${doc.id}/approve`, {})).status).toBe(403);
    expect((await o.api('POST', `/api/v1/documents/${doc.id}/approve`, {})).status).toBe(403);
    const after = await o.inv.ok('GET', `/api/v1/documents/${doc.id}`);
    expect(after).toMatchObject({ status: 'awaiting_approval' });
    expect(after.approvals[0].status).toBe('pending');
  });

  it('who submits someone else\'s draft does not decide it either; another holder of the level does', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'all issues', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }]);
    // The clerk drafts; a supervisor (who holds the level) submits it for approval.
    const draft = await o.as.clerk.inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', lines: [{ sku: 'A', qty: 2 }] });
    expect((await o.as.sup1.inv.ok('POST', `/api/v1/documents/${draft.id}/submit`, {})).status).toBe('awaiting_approval');
    const own = await o.as.sup1.api('POST', `/api/v1/documents/${draft.id}/approve`, {});
    expect(own.status, JSON.stringify(own.body)).toBe(403);
    expect(own.body.error.message).toContain('own document');
    const rejectOwn = await o.as.sup1.api('POST', `/api/v1/documents/${draft.id}/reject`, { reason: 'x' });
    expect(rejectOwn.status).toBe(403);
    expect(await o.inv.ok('GET', `/api/v1/documents/${draft.id}`)).toMatchObject({ status: 'awaiting_approval', approvals: [{ status: 'pending' }] });
    expect((await o.as.sup2.inv.ok('POST', `/api/v1/documents/${draft.id}/approve`, {})).status).toBe('posted');
  });

  it('a level named by a warehouse role is for holders at the document\'s warehouse: a store\'s lead does not decide it', async () => {
    const o = await approvalOrg(h);
    const storeLead = await o.inv.ok('POST', '/api/v1/users', { name: 'Store Lead', roles: ['warehouse_lead'], warehouses: ['ST'] });
    const { key } = await o.inv.ok('POST', '/api/v1/api-keys', { name: 'store lead key', user: storeLead.id, scopes: ['read', 'write'] });
    const storeLeadApi = h.client(key);
    await o.rules([{ name: 'leads', documentTypes: ['issue'], levels: [{ roles: ['warehouse_lead'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    const refused = await storeLeadApi('POST', `/api/v1/documents/${doc.id}/approve`, {});
    expect(refused.status, JSON.stringify(refused.body)).toBe(403);
    expect(await o.inv.ok('GET', `/api/v1/documents/${doc.id}`)).toMatchObject({ status: 'awaiting_approval', approvals: [{ status: 'pending' }] });
    // The lead assigned to every warehouse (none listed) decides it.
    expect((await o.as.lead.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {})).status).toBe('posted');
  });

  it('a named user can hold a level', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'lead decides', documentTypes: ['issue'], levels: [{ users: [o.as.lead.id] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    expect((await o.as.sup1.api('POST', `/api/v1/documents/${doc.id}/approve`, {})).status).toBe(403);
    expect((await o.as.lead.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {})).status).toBe('posted');
  });

  it('two approvers tapping at once give one decision', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: supervisors }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 3 }]);
    const [a, b] = await Promise.all([
      o.as.sup1.api('POST', `/api/v1/documents/${doc.id}/approve`, {}),
      o.as.sup2.api('POST', `/api/v1/documents/${doc.id}/reject`, { reason: 'no' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const ledger = (await o.inv.ledger('A', 'WH')).filter((e: any) => e.document === doc.id);
    expect(ledger).toHaveLength(a.status === 200 ? 1 : 0);
  });

  it('a rejection keeps its reason and the document can then only be cancelled', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: supervisors }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 3 }]);
    expect((await o.as.sup1.api('POST', `/api/v1/documents/${doc.id}/reject`, {})).status).toBe(400); // a reason is required
    const rejected = await o.as.sup1.inv.ok('POST', `/api/v1/documents/${doc.id}/reject`, { reason: '数量不对' });
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '数量不对' });
    expect(rejected.approvals[0]).toMatchObject({ status: 'rejected', by: 'Sup One', comment: '数量不对' });
    expect((await o.api('POST', `/api/v1/documents/${doc.id}/post`)).status).toBe(409);
    expect((await o.api('POST', `/api/v1/documents/${doc.id}/submit`)).status).toBe(409);
    expect((await o.inv.ok('POST', `/api/v1/documents/${doc.id}/cancel`)).status).toBe('cancelled');
  });

  it('a failed posting at the last approval leaves the document awaiting approval, with a clear error', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'issues', documentTypes: ['issue'], minQty: 60, levels: supervisors }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 70 }]);
    await o.inv.issue('WH', 'A', 50); // under the threshold: posts, and leaves 50
    const res = await o.as.sup1.api('POST', `/api/v1/documents/${doc.id}/approve`, {});
    expect(res.status).toBe(422);
    expect(res.body.error.details).toMatchObject({ sku: 'A', warehouse: 'WH', needed: '70', available: '50' });
    const after = await o.inv.ok('GET', `/api/v1/documents/${doc.id}`);
    expect(after.status).toBe('awaiting_approval');
    expect(after.approvals[0]).toMatchObject({ status: 'pending', by: null });
  });

  it('a transfer’s last approval ships it', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'transfers', documentTypes: ['transfer'], levels: supervisors }]);
    const doc = await o.submit('transfer', [{ sku: 'A', qty: 2 }], { toWarehouse: 'ST' });
    expect((await o.as.sup2.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {})).status).toBe('shipped');
  });

  it('a count submitted before a rule that now covers it is not stuck: posting it is refused, submitting it again asks for approval', async () => {
    const o = await approvalOrg(h);
    // The clerk (staff) submits a count: it waits for the warehouse lead to post it.
    const count = await o.submit('stocktake', [{ sku: 'A', qty: 97 }]);
    expect(count.status).toBe('submitted');
    await o.rules([{ name: 'counts', documentTypes: ['stocktake'], levels: supervisors }]);
    const post = await o.as.lead.api('POST', `/api/v1/documents/${count.id}/post`);
    expect(post.status).toBe(409);
    expect(post.body.error.message).toContain('submit it for approval first');
    const asked = await o.as.lead.inv.ok('POST', `/api/v1/documents/${count.id}/submit`, {});
    expect(asked).toMatchObject({ status: 'awaiting_approval', approvals: [{ level: 1, status: 'pending' }] });
    // The lead asked for the approval: not theirs to decide (a supervisor's anyway); a supervisor's approval posts it.
    expect((await o.as.sup1.inv.ok('POST', `/api/v1/documents/${count.id}/approve`, {})).status).toBe('posted');
    expect(await o.inv.valuation('A', 'WH')).toMatchObject({ qty: '97' });
    // With no rule covering it, a submitted document submitted again is a conflict, as before.
    await o.rules([]);
    const other = await o.submit('stocktake', [{ sku: 'B', qty: 100 }]);
    expect((await o.as.lead.api('POST', `/api/v1/documents/${other.id}/submit`, {})).status).toBe(409);
    expect(await o.inv.ok('GET', `/api/v1/documents/${other.id}`)).toMatchObject({ status: 'submitted', approvals: [] });
  });

  it('no path skips approval: posting or shipping a draft that needs it is refused', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'issues', documentTypes: ['issue'], levels: supervisors }]);
    const draft = await o.as.clerk.inv.ok('POST', '/api/v1/documents', { type: 'issue', warehouse: 'WH', lines: [{ sku: 'A', qty: 1 }] });
    const res = await o.api('POST', `/api/v1/documents/${draft.id}/post`);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('needs approval');
  });

  it('writes the audit trail and the outbox in the same transaction', async () => {
    const o = await approvalOrg(h);
    await o.rules([{ name: 'two', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }, { roles: ['admin'] }] }]);
    const doc = await o.submit('issue', [{ sku: 'A', qty: 1 }]);
    await o.as.sup1.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {});
    await o.as.boss.inv.ok('POST', `/api/v1/documents/${doc.id}/approve`, {});
    // In the order written: without an order, rows come in heap order, which delivery's updates shuffle.
    const events = await h.db.select().from(outbox).where(eq(outbox.orgId, o.orgId)).orderBy(asc(outbox.id));
    expect(events.filter((e) => e.payload.documentId === doc.id).map((e) => [e.kind, e.payload.level ?? e.payload.outcome])).toEqual([
      ['approval_requested', 1], ['approval_requested', 2], ['approval_decided', 'approved'], ['document_done', undefined],
    ]);
    const trail = await h.db.select().from(auditLog).where(and(eq(auditLog.orgId, o.orgId), eq(auditLog.entityId, doc.id))).orderBy(asc(auditLog.id));
    expect(trail.map((t) => [t.action, t.fromStatus, t.toStatus, t.channel])).toEqual([
      ['create', null, 'draft', 'api'],
      ['submit', 'draft', 'submitted', 'api'],
      ['request_approval', 'submitted', 'awaiting_approval', 'api'],
      ['approve', 'awaiting_approval', 'awaiting_approval', 'api'],
      ['approve', 'awaiting_approval', 'approved', 'api'],
      ['post', 'approved', 'posted', 'api'],
    ]);
    expect(trail.find((t) => t.action === 'approve')!.userId).toBe(o.as.sup1.id);
  });
});
