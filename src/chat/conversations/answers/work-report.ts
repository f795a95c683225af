import type { Outbound } from '../../../../bots/platform';
import { documents } from '../../../../db/schema';
import type { Ctx } from '../../../context';
import { loadProductionOrder } from '../../../inventory/documents/production-order';
import { documentRef } from '../../../inventory/documents/load';
import { priceWork } from '../../../inventory/documents/report-work';
import { dec, fmt, fmtMoney } from '../../../lib/decimal';
import { authorize } from '../../../people/permissions';
import { NotFoundError } from '../../../errors';
import type { ChatPlace } from '../chat-place';
import type { WorkReportIntent } from '../understand';
import { proposeWorkReport } from '../work-report-draft';

const EXAMPLE = '报工 MO-20261206-0003 包装 2小时 合格200 报废3';

/**
 * `报工 MO-… 包装 2小时 合格200 报废3`: the card with the cost it adds and 确认 / 取消, or one answer
 * naming what is missing or unclear — never a guess. The order's checks (its status, the rule book,
 * the operation) are the same as the API's; they run before the card, so a tap rarely fails.
 */
export async function answerWorkReport(ctx: Ctx, place: ChatPlace, intent: WorkReportIntent, text: string): Promise<Outbound[]> {
  if (!intent.number) return [{ text: `报哪张生产单？要写生产单号，例如：${EXAMPLE}` }];
  if (intent.unclear?.length) {
    const shown = intent.unclear.map((u) => `「${u}」`).join('、');
    return [{ text: `${shown}是什么？数字前后写上 小时、机时、合格 或 报废，例如：2小时、机时1.5、合格200、报废3。\n${EXAMPLE}` }];
  }
  const [doc] = await ctx.db.select().from(documents).where(documentRef(ctx.orgId, intent.number));
  if (!doc) throw new NotFoundError('document', intent.number);
  await authorize(ctx, 'report_work', { warehouseId: doc.warehouseId });
  const operations = doc.type === 'production' ? (await loadProductionOrder(ctx, doc.id)).bom?.operations.map((o) => o.name) ?? [] : [];
  if (!intent.operation && doc.type === 'production') {
    const list = operations.length ? `${doc.number} 的工序有：${operations.join('、')}。` : '';
    return [{ text: `报哪道工序？${list}例如：报工 ${doc.number} ${operations[0] ?? '包装'} 2小时` }];
  }
  if (![intent.laborHours, intent.machineHours, intent.goodQty, intent.scrapQty].some((v) => v !== undefined && dec(v).gt(0))) {
    return [{ text: `报了多少？写上工时或数量，例如：报工 ${doc.number} ${intent.operation ?? ''} 2小时 合格200（机器工时写 机时1.5，报废写 报废3）` }];
  }
  const input = {
    operation: intent.operation ?? '', workCenter: intent.workCenter,
    laborHours: intent.laborHours, machineHours: intent.machineHours, goodQty: intent.goodQty, scrapQty: intent.scrapQty,
  };
  const priced = await priceWork(ctx, doc, input);
  return [{ card: await proposeWorkReport(ctx, place.userId, {
    documentId: doc.id, number: doc.number, operation: input.operation, workCenterId: priced.workCenter.id,
    laborHours: fmt(priced.laborHours), machineHours: fmt(priced.machineHours), goodQty: fmt(priced.goodQty), scrapQty: fmt(priced.scrapQty),
    laborRate: priced.workCenter.laborRate, machineRate: priced.workCenter.machineRate,
    laborCost: fmtMoney(priced.laborCost), machineCost: fmtMoney(priced.machineCost), cost: fmtMoney(priced.cost), text: text.trim(),
  }) }];
}
