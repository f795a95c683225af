import { and, eq } from 'drizzle-orm';
import type { Card } from '../../../cards/model';
import { renderNearExpiryCard } from '../../../cards/near-expiry-card';
import { warehouses } from '../../../db/schema';
import { windowOfSubject } from '../../alerts/near-expiry';
import type { Ctx } from '../../context';
import { nearExpiryLots } from '../../inventory/near-expiry';

/** `near_expiry:<warehouseId>:<YYYY-MM-DD>`: that warehouse's near-expiry lots as they are now, counted from that day. */
export async function nearExpiryCard(ctx: Ctx, subject: string): Promise<Card> {
  const [, warehouseId, today] = subject.split(':');
  const [w] = await ctx.db.select({ code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), eq(warehouses.id, warehouseId!)));
  const days = await windowOfSubject(ctx, 'near_expiry', subject);
  const lots = w ? await nearExpiryLots(ctx, warehouseId!, today!, days) : [];
  return renderNearExpiryCard({ warehouse: w ?? { code: '?' }, withinDays: days, today: today!, lots, suggestIssueFirst: true });
}
