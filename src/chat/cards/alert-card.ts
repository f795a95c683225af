import type { Card } from '../../../cards/model';
import { renderLowStockCard } from '../../../cards/low-stock-card';
import { getAlert } from '../../alerts/low-stock-alert';
import type { Ctx } from '../../context';
import { fmt } from '../../lib/decimal';
import { alertDraft } from '../../replenishment/card-drafts';
import { suggestionsFor } from '../../replenishment/suggestions';

/** `alert:<id>`: the low-stock card in its current state: open with buttons, or acknowledged / snoozed / recovered. */
export async function alertCard(ctx: Ctx, alertId: string): Promise<Card> {
  const a = await getAlert(ctx, alertId);
  const state = a.status === 'acknowledged' ? { kind: 'acknowledged' as const, by: a.by ?? '', at: a.acknowledgedAt! }
    : a.status === 'snoozed' ? { kind: 'snoozed' as const, by: a.by ?? '', until: a.snoozedUntil! }
    : a.status === 'resolved' ? { kind: 'recovered' as const, at: a.resolvedAt! } : undefined;
  const replenish = state ? undefined : await replenishment(ctx, alertId, a.warehouse.id, a.item.sku);
  return renderLowStockCard({
    alertId, item: a.item, warehouse: { code: a.warehouse.code, name: a.warehouse.name }, onHand: a.onHand,
    ...(a.reserved === '0' ? {} : { available: a.available }), safetyStock: a.safetyStock,
    reorderQty: a.reorderQty, timezone: ctx.timezone, ...(state ? { state } : {}), ...(replenish ? { replenish } : {}),
  });
}

/** The forecast's suggestion for an open alert (its button), or the draft already made from it. */
async function replenishment(ctx: Ctx, alertId: string, warehouseId: string, sku: string) {
  const [s] = await suggestionsFor(ctx, warehouseId, [sku]);
  const { standing } = await alertDraft(ctx, alertId);
  if (!s && !standing) return undefined;
  const kind = s?.source ? 'requisition' as const : 'purchase_order' as const;
  return { kind, suggestedQty: s ? fmt(s.parts.suggestedQty) : '0', ...(standing ? { draft: { number: standing.number, status: standing.status } } : {}) };
}
