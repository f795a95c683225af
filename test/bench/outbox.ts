import { and, count, eq, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { deliveries, outbox, sandboxMessages } from '../../db/schema';
import { runOutboxDelivery } from '../../jobs/outbox-delivery';
import { inventory } from '../support/inventory';
import { scaled, type Scenario } from './context';
import { check, perSecond, round, sampleMemory, since } from './measure';

const WAREHOUSES = ['XH', 'JA', 'PD', 'MH', 'LK'];
const CHATS_PER_WAREHOUSE = 20;

/**
 * Outbox delivery: issues that need approval are submitted in five warehouses, each with twenty
 * sandbox groups bound for approvals, so every submission queues one event that fans out to twenty
 * approval cards. runOutboxDelivery is then run back to back until nothing is left: fan-out, claims
 * of 50 under a lease, each card rendered from the document's current state and sent.
 */
export const outboxDelivery: Scenario = {
  name: 'outbox delivery',
  async run(ctx) {
    const { h } = ctx;
    const { api, orgId } = await h.createOrg();
    const inv = inventory(api);
    const perWarehouse = scaled(ctx, 10);
    await inv.ok('POST', '/api/v1/users', { name: '张主管', roles: ['supervisor'] });
    await inv.item('RB250', { name: '红牛 250ml', unit: '罐', packUnits: [{ name: '箱', factor: 24 }] });
    await inv.ok('PUT', '/api/v1/approval-rules', { rules: [{ name: '出库审批', documentTypes: ['issue'], levels: [{ roles: ['supervisor'] }] }] });
    for (const code of WAREHOUSES) {
      await inv.ok('POST', '/api/v1/warehouses', { code, name: `${code} 门店`, type: 'store' });
      await inv.receipt(code, 'RB250', 1000, '4.5');
      for (let c = 0; c < CHATS_PER_WAREHOUSE; c++) {
        await inv.ok('POST', `/api/v1/warehouses/${code}/chats`, { platform: 'sandbox', chatId: `oc_${code}_${c}`, purposes: ['approvals'] });
      }
    }
    for (let d = 0; d < perWarehouse; d++) {
      for (const code of WAREHOUSES) {
        const doc = await inv.post('issue', code, [{ sku: 'RB250', qty: 1 + d }], { counterparty: '门店领用' });
        check(doc.status === 'awaiting_approval', `issue in ${code} is ${doc.status}, expected awaiting_approval`);
      }
    }
    const events = (await h.db.select({ n: count() }).from(outbox).where(and(eq(outbox.orgId, orgId), eq(outbox.status, 'pending'))))[0]!.n;
    const expected = WAREHOUSES.length * CHATS_PER_WAREHOUSE * perWarehouse;
    check(events === WAREHOUSES.length * perWarehouse, `expected ${WAREHOUSES.length * perWarehouse} pending outbox events, found ${events}`);

    const deps = { db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: h.deps.config.APP_TIMEZONE };
    let runs = 0;
    let fannedOut = 0;
    let sent = 0;
    let last = 0;
    const start = performance.now();
    for (;;) {
      // Each run gets its own instant, so the deliveries it sent can be told apart afterwards.
      const now = new Date(Math.max(Date.now(), last + 1));
      last = now.getTime();
      const s = await runOutboxDelivery(deps, now);
      sampleMemory();
      runs++;
      fannedOut += s.fannedOut;
      sent += s.sent;
      check(s.retried === 0 && s.dead === 0, `delivery run ${runs}: ${s.retried} retried, ${s.dead} dead`);
      if (s.fannedOut === 0 && s.sent === 0) break;
      check(runs < 10_000, 'outbox delivery does not finish');
    }
    const wall = since(start);
    const [delivered] = await h.db.select({ n: count() }).from(deliveries).where(and(eq(deliveries.orgId, orgId), eq(deliveries.status, 'sent')));
    const [cards] = await h.db.select({ n: count() }).from(sandboxMessages).where(and(eq(sandboxMessages.orgId, orgId), sql`${sandboxMessages.card} is not null`));
    check(fannedOut === expected && sent === expected && delivered!.n === expected && cards!.n === expected,
      `expected ${expected} deliveries, fanned out ${fannedOut}, sent ${sent}, rows sent ${delivered!.n}, cards in chats ${cards!.n}`);

    // The wait the platform's per-chat pacing forced: in each run, a chat's k-th message waits (k-1) gaps.
    const gapMs = Math.ceil(1000 / h.deps.platforms.get('sandbox', 'default', orgId)!.perChatPerSecond);
    const perRun = await queryRows<{ most: number }>(h.db, sql`
      select max(n)::int as most from (select sent_at, target_id, count(*) as n from deliveries
        where org_id = ${orgId} group by sent_at, target_id) x group by sent_at`);
    const pacingMs = perRun.reduce((sum, r) => sum + (Number(r.most) - 1) * gapMs, 0);
    return {
      metrics: {
        deliveries: expected,
        chats: WAREHOUSES.length * CHATS_PER_WAREHOUSE,
        'outbox events': events,
        'delivery runs': runs,
        'wall ms': Math.round(wall),
        'deliveries/s': perSecond(expected, wall),
        'ms/delivery': round(wall / expected, 2),
        'per-chat gap ms': gapMs,
        'pacing wait ms': pacingMs,
        'deliveries/s without pacing': perSecond(expected, Math.max(1, wall - pacingMs)),
      },
      notes: [
        `sandbox paces ${1000 / gapMs}/s per chat (${gapMs} ms between two messages to one chat in a run); spread over ${WAREHOUSES.length * CHATS_PER_WAREHOUSE} chats, that wait is the 'pacing wait' share of the wall time`,
        'every delivery checked sent, and every approval card found in its sandbox chat',
      ],
    };
  },
};
