import { sql } from 'drizzle-orm';
import type { Outbound } from '../../../../bots/platform';
import { formatQtyWithPack } from '../../../../cards/format';
import { queryRows } from '../../../../db/client';
import type { PackUnit } from '../../../../db/schema';
import type { Ctx } from '../../../context';
import { dec } from '../../../lib/decimal';
import { periodDays } from '../../../lib/calendar';
import { boundWarehouses, findWarehouse, ownWarehouses, warehouseNamedIn, type ChatPlace, type WarehouseRef } from '../chat-place';
import { findItem, type FoundItem } from '../find-item';
import type { Measure, MovementIntent, Period } from '../understand';
import { MAX_ITEMS_PER_QUESTION } from './stock-question';

/** Lines of one answer; the total still counts every one. */
export const MOVEMENT_ROWS = 15;

const measureNames: Record<Measure, string> = { sold: '卖出', received: '入库', in_transit: '在途' };
const periodNames: Record<Period, string> = {
  today: '今天', yesterday: '昨天', this_week: '本周', last_week: '上周', this_month: '本月', last_month: '上月',
};

type Row = { warehouse: string; item: string; unit: string; pack_units: PackUnit[]; qty: string };

/**
 * `今天卖了多少可乐`, `上周进了多少货`, `徐汇店本月出库多少`, `红牛在途多少`, from the ledger: sold is
 * what issues (出库单) took out net of their reversals; received what receipts brought in plus
 * transfers received (a store's goods come by transfer); in transit what was shipped towards a
 * warehouse and is not received yet. Per warehouse for one item, per item for everything. Without
 * a warehouse named, the asker's (`askersWarehouses`): a store manager's 在途 is what comes to her store.
 */
export async function answerMovement(ctx: Ctx, place: ChatPlace, intent: MovementIntent, said?: string): Promise<Outbound[]> {
  // `今天卖了多少红牛和可乐`: one answer per item.
  if (intent.items) {
    const { items: parts, ...one } = intent;
    return (await Promise.all(parts.slice(0, MAX_ITEMS_PER_QUESTION).map((item) => answerMovement(ctx, place, { ...one, item })))).flat();
  }
  let words = intent.item;
  let scope: WarehouseRef[] | undefined;
  if (intent.warehouse) {
    const named = await findWarehouse(ctx, intent.warehouse);
    if (!named) return [{ text: `没有叫「${intent.warehouse}」的仓库。` }];
    scope = [named];
  } else {
    const named = await warehouseNamedIn(ctx, words);
    if (named) ({ rest: words } = named);
    scope = named ? [named.warehouse] : await askersWarehouses(ctx, place);
  }
  let item: FoundItem | undefined;
  if (words) {
    const found = await findItem(ctx, words, said);
    if (found.kind === 'none') {
      return [{ text: `没找到「${words}」。${found.suggestions.length ? `你是不是要找：${found.suggestions.map((s) => s.name).join('、')}？` : ''}` }];
    }
    if (found.kind === 'ambiguous') {
      return [{ text: `「${words}」有几个：${found.candidates.map((c) => `${c.name}（${c.sku}）`).join('、')}。请写全名或编码再问一次。` }];
    }
    item = found.item;
  }
  const period = intent.period && periodDays(intent.period, ctx.now(), ctx.timezone);
  const rows = intent.measure === 'in_transit' ? await inTransit(ctx, item, scope) : await moved(ctx, intent.measure, period!, item, scope);
  const when = intent.period ? `${periodNames[intent.period]}（${span(period!)}）` : '现在';
  const what = [scope?.map((w) => w.name).join('、'), item?.name].filter(Boolean).join(' ');
  // One warehouse asked about needs no name on each line; several (or all) do.
  const one = scope?.length === 1;
  const verb = measureNames[intent.measure];
  if (rows.length === 0) return [{ text: `${when}${what ? `${what} ` : ''}没有${verb}${intent.measure === 'in_transit' ? '的货' : '记录'}。` }];
  const q = (r: { qty: string; unit: string; pack_units: PackUnit[] }) => formatQtyWithPack(r.qty, r.unit, r.pack_units);
  const lines = rows.slice(0, MOVEMENT_ROWS).map((r) => `· ${item ? r.warehouse : `${r.item}${one ? '' : ` @${r.warehouse}`}`} ${q(r)}`);
  const more = rows.length - Math.min(rows.length, MOVEMENT_ROWS);
  const total = item ? [`合计 ${q({ ...rows[0]!, qty: rows.reduce((s, r) => s.plus(r.qty), dec(0)).toFixed() })}`] : [];
  return [{ text: [`${when}${what ? `${what} ` : ''}${verb}：`, ...lines, ...(more > 0 ? [`另有 ${more} 行未列出`] : []), ...total].join('\n') }];
}

const span = (p: { from: string; to: string }) => {
  const last = new Date(`${p.to}T00:00:00Z`);
  last.setUTCDate(last.getUTCDate() - 1);
  const end = last.toISOString().slice(5, 10);
  return p.from.slice(5) === end ? end : `${p.from.slice(5)} 至 ${end}`;
};

const filters = (ctx: Ctx, item?: FoundItem, scope?: WarehouseRef[]) => sql`
  ${item ? sql`and l.item_id = ${item.id}` : sql``} ${scope ? sql`and l.warehouse_id in (${sql.join(scope.map((w) => sql`${w.id}::uuid`), sql`, `)})` : sql``}`;

/**
 * Where a question that names no warehouse looks: the warehouses the group speaks for, else the
 * asker's own; everywhere for someone who has all of them (supervisors, admins) in a 1:1 chat.
 */
async function askersWarehouses(ctx: Ctx, place: ChatPlace): Promise<WarehouseRef[] | undefined> {
  const bound = await boundWarehouses(ctx, place.chatId);
  if (bound.length > 0) return bound;
  const own = await ownWarehouses(ctx, place.userId);
  return own.length > 0 ? own : undefined;
}

/** What moved over the local days [from, to): rows of the stock bucket, by document type. */
async function moved(ctx: Ctx, measure: 'sold' | 'received', p: { from: string; to: string }, item?: FoundItem, scope?: WarehouseRef[]): Promise<Row[]> {
  const start = sql`(${p.from}::date::timestamp at time zone ${ctx.timezone})`;
  const end = sql`(${p.to}::date::timestamp at time zone ${ctx.timezone})`;
  const counted = measure === 'sold'
    ? sql`d.type = 'issue'`
    : sql`(d.type = 'receipt' or (d.type = 'transfer' and l.qty > 0))`;
  const sign = measure === 'sold' ? sql`-1` : sql`1`;
  return queryRows<Row>(ctx.db, sql`
    select w.name as warehouse, i.name as item, i.unit, i.pack_units, x.qty::text as qty
    from (select l.warehouse_id, l.item_id, sum(l.qty) * ${sign} as qty
      from ledger_entries l join documents d on d.id = l.document_id
      where l.org_id = ${ctx.orgId} and l.bucket = 'stock' and l.posted_at >= ${start} and l.posted_at < ${end} and ${counted}
        ${filters(ctx, item, scope)}
      group by l.warehouse_id, l.item_id) x
    join warehouses w on w.id = x.warehouse_id
    join items i on i.id = x.item_id
    where x.qty <> 0
    order by x.qty desc, w.code, i.sku
    limit 200`);
}

/** Shipped towards each warehouse and not received yet, now. */
async function inTransit(ctx: Ctx, item?: FoundItem, scope?: WarehouseRef[]): Promise<Row[]> {
  return queryRows<Row>(ctx.db, sql`
    select w.name as warehouse, i.name as item, i.unit, i.pack_units, x.qty::text as qty
    from (select l.warehouse_id, l.item_id, sum(l.transit_qty) as qty from stock_balances l
      where l.org_id = ${ctx.orgId} and l.transit_qty > 0 ${filters(ctx, item, scope)}
      group by l.warehouse_id, l.item_id) x
    join warehouses w on w.id = x.warehouse_id
    join items i on i.id = x.item_id
    order by x.qty desc, w.code, i.sku
    limit 200`);
}
