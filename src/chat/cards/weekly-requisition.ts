import type { Card } from '../../../cards/model';
import { renderWeeklyRequisitionCard } from '../../../cards/weekly-requisition-card';
import type { Ctx } from '../../context';
import { fmt } from '../../lib/decimal';
import { weeklyFacts } from '../../replenishment/weekly';

/** `weekly_requisition:<warehouseId>:<week>`: the store's 要货建议 as it stands now. */
export async function weeklyRequisitionCard(ctx: Ctx, warehouseId: string, week: string): Promise<Card> {
  const f = await weeklyFacts(ctx, warehouseId, week);
  return renderWeeklyRequisitionCard({
    store: f.store, week, from: f.from, to: f.to, drafts: f.drafts,
    lines: f.suggestions.map((s) => ({
      sku: s.item.sku, name: s.item.name, unit: s.item.unit, packUnits: s.item.packUnits,
      source: { code: s.source!.code, name: s.source!.name }, demand: fmt(s.demand), suggestedQty: fmt(s.parts.suggestedQty),
    })),
  });
}
