import type { Outbound } from '../../../../bots/platform';
import { renderUnitCostCard } from '../../../../cards/unit-cost-card';
import type { Ctx } from '../../../context';
import { latestUnitCost } from '../../../costing/latest-unit-cost';
import type { ChatPlace } from '../chat-place';
import { findItem } from '../find-item';
import { pickCard } from './stock-question';

/** `成本 杯面`, `cost cup noodles`: the item's latest unit cost with its parts, or what to ask instead. */
export async function answerUnitCost(ctx: Ctx, place: ChatPlace, query: string, said?: string): Promise<Outbound[]> {
  if (!query) return [{ text: '查哪个产品的成本？例如：成本 杯面' }];
  const found = await findItem(ctx, query, said);
  if (found.kind === 'none') {
    return [{ text: `没找到「${query}」。${found.suggestions.length ? `你是不是要找：${found.suggestions.map((s) => s.name).join('、')}？` : ''}` }];
  }
  if (found.kind === 'ambiguous') return [{ card: await pickCard(ctx, place, found.candidates, { purpose: 'unit_cost' }) }];
  return [await unitCostAnswer(ctx, found.item)];
}

export async function unitCostAnswer(ctx: Ctx, item: { id: string; sku: string; name: string; unit: string }): Promise<Outbound> {
  const latest = await latestUnitCost(ctx, item);
  const about = { sku: item.sku, name: item.name, unit: item.unit };
  if (latest.kind === 'none') return { text: `${item.name} 还没有生产记录，也没有物料清单（BOM），算不出成本。` };
  if (latest.kind === 'standard') {
    const c = latest.cost;
    return { card: renderUnitCostCard({ item: about, source: { kind: 'standard', version: c.version }, unitCost: c.unitCost,
      parts: { material: c.material, labor: c.labor, machine: c.machine } }) };
  }
  const r = latest.row;
  return { card: renderUnitCostCard({
    item: about, source: { kind: 'period', period: latest.period, status: latest.status }, qty: r.qty, unitCost: r.unitCost,
    parts: { material: r.material, labor: r.labor, machine: r.machine, overhead: r.overhead },
    compare: r.compare?.unitCost ? { period: r.compare.period, unitCost: r.compare.unitCost, diffPct: r.compare.diffPct } : null,
  }) };
}
