import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { Ctx } from '../context';
import { dec, type Decimal } from '../lib/decimal';

/** How far back a typed quantity (a return, a transfer, a write-off) is compared with what moved. */
export const MOVED_OUT_DAYS = 90;

/**
 * What left stock in the last 90 days, in base units: of one item, from one warehouse or all, by
 * the document types given (`issue`: sold) or any. A quantity typed in chat above this is likely a slip.
 */
export async function movedOut(ctx: Ctx, itemId: string, by: { warehouseId?: string; types?: string[] } = {}): Promise<Decimal> {
  const since = new Date(ctx.now().getTime() - MOVED_OUT_DAYS * 86_400_000).toISOString();
  const [row] = await queryRows<{ out: string }>(ctx.db, sql`
    select coalesce(-sum(l.qty), 0)::text as out from ledger_entries l join documents d on d.id = l.document_id
    where l.org_id = ${ctx.orgId} and l.item_id = ${itemId} and l.bucket = 'stock' and l.qty < 0 and l.posted_at >= ${since}::timestamptz
      ${by.warehouseId ? sql`and l.warehouse_id = ${by.warehouseId}` : sql``}
      ${by.types ? sql`and d.type in (${sql.join(by.types.map((t) => sql`${t}`), sql`, `)})` : sql``}`);
  return dec(row?.out ?? '0');
}
