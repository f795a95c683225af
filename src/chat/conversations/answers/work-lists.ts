import { sql } from 'drizzle-orm';
import { encodeAction } from '../../../../cards/actions';
import type { Button } from '../../../../cards/model';
import { renderOverdueCard } from '../../../../cards/overdue-card';
import { renderWorkListCard, type WorkListDocument, type WorkListSection } from '../../../../cards/work-list-card';
import type { Outbound } from '../../../../bots/platform';
import { queryRows } from '../../../../db/client';
import { listOverdue } from '../../../approvals/overdue';
import type { Ctx } from '../../../context';
import { DEFAULT_NEAR_EXPIRY_DAYS, nearExpiryCounts } from '../../../inventory/near-expiry';
import { localDate } from '../../../lib/calendar';
import { may, personOf, type Action } from '../../../people/permissions';
import { digestCard } from '../../cards/digest-card';
import { nearExpiryCard } from '../../cards/near-expiry-card';
import { findWarehouse, preferredWarehouses, type ChatPlace, type WarehouseRef } from '../chat-place';
import type { WorkIntent } from '../understand';
import { approvalsWaitingOn } from './status-questions';

/** Cards of one answer that lists per warehouse (digests, near-expiry lots): a supervisor has many warehouses. */
export const MAX_WAREHOUSE_CARDS = 3;

/**
 * A lead's work questions: `超期单据`, `待收货`, `待质检`, `临期`, `日报`, `今天有什么要处理的`. The
 * scope is the warehouse named, else the asker's own (none assigned: all of them); each document
 * comes with the step the rule book lets the asker take from the card.
 */
export async function answerWork(ctx: Ctx, place: ChatPlace, intent: WorkIntent): Promise<Outbound[]> {
  const named = intent.warehouse ? await findWarehouse(ctx, intent.warehouse) : undefined;
  if (intent.warehouse && !named) return [{ text: `没有叫「${intent.warehouse}」的仓库。` }];
  const scope = named ? [named] : await ownWarehouses(ctx, place);
  const ids = scope?.map((w) => w.id);
  switch (intent.list) {
    case 'overdue': {
      const groups = (await listOverdue(ctx)).filter((g) => !scope || scope.some((w) => w.code === g.warehouse));
      return [{ card: renderOverdueCard({ groups, timezone: ctx.timezone }) }];
    }
    case 'awaiting_receipt':
      return [{ card: renderWorkListCard({ title: '待收货', sections: [await toReceive(ctx, ids)], timezone: ctx.timezone }) }];
    case 'awaiting_qc':
      return [{ card: renderWorkListCard({ title: '待质检', sections: [await toInspect(ctx, ids)], timezone: ctx.timezone }) }];
    case 'near_expiry': return nearExpiry(ctx, ids);
    case 'digest': return digests(ctx, scope ?? await busiest(ctx));
    case 'todo': return [{ card: await todoCard(ctx, place, scope) }];
  }
}

/** The warehouses a person works at (the chat's bound ones first); undefined: everywhere (supervisors, admins, people assigned none). */
async function ownWarehouses(ctx: Ctx, place: ChatPlace): Promise<WarehouseRef[] | undefined> {
  const person = personOf(ctx.actor);
  if (!person || person.roles.some((r) => r === 'supervisor' || r === 'admin')) return undefined;
  const mine = await preferredWarehouses(ctx, place);
  return mine.length ? mine : undefined;
}

type Waiting = { id: string; number: string; type: string; warehouse_id: string; to_warehouse_id: string | null; from_name: string; to_name: string | null; since: Date | string | null };

/** Documents of the given types and status acting at the scope (a shipped transfer acts at its destination). */
async function waiting(ctx: Ctx, types: string[], status: string, ids: string[] | undefined, since: string): Promise<Waiting[]> {
  const acting = status === 'shipped' ? sql`d.to_warehouse_id` : sql`d.warehouse_id`;
  return queryRows<Waiting>(ctx.db, sql`
    select d.id, d.number, d.type, d.warehouse_id, d.to_warehouse_id, w.name as from_name, t.name as to_name, d.${sql.raw(since)} as since
    from documents d join warehouses w on w.id = d.warehouse_id left join warehouses t on t.id = d.to_warehouse_id
    where d.org_id = ${ctx.orgId} and d.status = ${status} and d.type in (${sql.join(types.map((t) => sql`${t}`), sql`, `)})
      ${ids ? (ids.length ? sql`and ${acting} in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})` : sql`and false`) : sql``}
    order by d.${sql.raw(since)} nulls last, d.number limit 50`);
}

const route = (d: Waiting) => (d.to_name ? `${d.from_name} → ${d.to_name}` : d.from_name);

/** A button for the step, only when the rule book lets the asker take it. */
function step(ctx: Ctx, action: Action, warehouseId: string, verb: 'ship' | 'receive' | 'post', label: string, id: string, number: string): Button | undefined {
  return may(ctx.actor, action, { warehouseId }) ? { id: encodeAction({ verb, documentId: id }), label: `${label} ${number}`, style: 'primary' } : undefined;
}

const row = (d: Waiting, what: string, button?: Button): WorkListDocument => ({ number: d.number, type: d.type, route: `${what} ${route(d)}`, since: d.since, ...(button && { button }) });

async function toReceive(ctx: Ctx, ids?: string[]): Promise<WorkListSection> {
  const docs = await waiting(ctx, ['transfer'], 'shipped', ids, 'shipped_at');
  return { title: '待收货', documents: docs.map((d) => row(d, '调拨', step(ctx, 'receive', d.to_warehouse_id!, 'receive', '确认收货', d.id, d.number))) };
}

async function toShip(ctx: Ctx, ids?: string[]): Promise<WorkListSection> {
  const docs = await waiting(ctx, ['transfer'], 'approved', ids, 'approved_at');
  return { title: '待发货', documents: docs.map((d) => row(d, '调拨', step(ctx, 'ship', d.warehouse_id, 'ship', '标记发货', d.id, d.number))) };
}

/** Returns wait for QC, which takes the accepted quantities on the QC card: sent by number, the card opens. */
async function toInspect(ctx: Ctx, ids?: string[]): Promise<WorkListSection> {
  const docs = await waiting(ctx, ['customer_return'], 'submitted', ids, 'submitted_at');
  return { title: '待质检', documents: docs.map((d) => row(d, '客户退货', undefined)), hint: '发单号打开质检卡片' };
}

async function toPost(ctx: Ctx, ids?: string[]): Promise<WorkListSection> {
  const docs = await waiting(ctx, ['stocktake', 'adjustment'], 'submitted', ids, 'submitted_at');
  return { title: '待过账', documents: docs.map((d) => row(d, d.type === 'stocktake' ? '盘点' : '调整', step(ctx, 'post_count', d.warehouse_id, 'post', '过账', d.id, d.number))) };
}

/** `今天有什么要处理的`: approvals waiting on the asker, then each step waiting at their warehouses. */
async function todoCard(ctx: Ctx, place: ChatPlace, scope?: WarehouseRef[]) {
  const ids = scope?.map((w) => w.id);
  const person = personOf(ctx.actor);
  const approvals = person ? await approvalsWaitingOn(ctx, person) : [];
  const toApprove: WorkListSection = {
    title: '待你审批',
    documents: approvals.map((a) => ({
      number: a.number, type: a.type, route: a.route, since: a.since,
      button: { id: encodeAction({ verb: 'approve', documentId: a.id }), label: `批准 ${a.number}`, style: 'primary' },
    })),
    hint: '驳回请发：驳回 <单号> <原因>',
  };
  const sections = [toApprove, await toShip(ctx, ids), await toReceive(ctx, ids), await toInspect(ctx, ids), await toPost(ctx, ids)];
  const overdue = (await listOverdue(ctx)).filter((g) => !scope || scope.some((w) => w.code === g.warehouse))
    .reduce((n, g) => n + g.documents.length, 0);
  return renderWorkListCard({ title: '要处理的单据', sections, ...(overdue ? { overdue } : {}), timezone: ctx.timezone });
}

/** `临期`: the near-expiry card of each warehouse in scope that holds such lots. */
async function nearExpiry(ctx: Ctx, ids?: string[]): Promise<Outbound[]> {
  const today = localDate(ctx.now(), ctx.timezone);
  const found = (await nearExpiryCounts(ctx.db, today, DEFAULT_NEAR_EXPIRY_DAYS, ctx.orgId)).filter((f) => !ids || ids.includes(f.warehouse_id));
  if (found.length === 0) return [{ text: `${DEFAULT_NEAR_EXPIRY_DAYS} 天内没有临期的批次。` }];
  const shown = found.sort((a, b) => b.lots - a.lots).slice(0, MAX_WAREHOUSE_CARDS);
  const cards: Outbound[] = [];
  for (const f of shown) cards.push({ card: await nearExpiryCard(ctx, `near_expiry:${f.warehouse_id}:${today}`) });
  return found.length > shown.length ? [...cards, { text: `另有 ${found.length - shown.length} 个仓库有临期批次，发「临期 @仓库」查看。` }] : cards;
}

/** `日报`: today so far, per warehouse in scope (the scheduled digest covers yesterday). */
async function digests(ctx: Ctx, scope: WarehouseRef[]): Promise<Outbound[]> {
  const today = localDate(ctx.now(), ctx.timezone);
  const shown = scope.slice(0, MAX_WAREHOUSE_CARDS);
  const cards: Outbound[] = [];
  for (const w of shown) cards.push({ card: await digestCard(ctx, `digest:${w.id}:${today}`) });
  return scope.length > shown.length ? [...cards, { text: `另有 ${scope.length - shown.length} 个仓库，发「日报 @仓库」查看。` }] : cards;
}

/** For someone who works everywhere: the warehouses with the most documents today. */
async function busiest(ctx: Ctx): Promise<WarehouseRef[]> {
  return queryRows<WarehouseRef>(ctx.db, sql`
    select w.id, w.code, w.name from warehouses w
    left join documents d on d.warehouse_id = w.id and d.created_at > ${ctx.now().toISOString()}::timestamptz - interval '1 day'
    where w.org_id = ${ctx.orgId} group by w.id, w.code, w.name order by count(d.id) desc, w.code limit ${MAX_WAREHOUSE_CARDS + 1}`);
}
