import { sql } from 'drizzle-orm';
import { queryRows } from '../../../db/client';
import type { DocumentType } from '../../../db/schema';
import type { Ctx } from '../../context';
import { localDay } from '../../lib/calendar';

export const numberPrefix: Record<DocumentType | 'reversal', string> = {
  opening: 'OB',
  receipt: 'RC',
  purchase_return: 'PR',
  issue: 'IS',
  transfer: 'TR',
  customer_return: 'CR',
  stocktake: 'ST',
  adjustment: 'AD',
  production: 'MO',
  revaluation: 'CV',
  purchase_order: 'PO',
  sales_order: 'SO',
  requisition: 'RQ',
  reversal: 'RV',
};

/**
 * The next human-readable number, e.g. TR-20261125-0007: unique per organisation, counted per type
 * and local day. On a server the counter is taken in a statement of its own, outside the caller's
 * transaction (`ctx.outside`), so concurrent postings do not queue behind its row lock until they
 * commit. A document whose transaction then rolls back gives its number back if nobody has taken a
 * later one meanwhile; otherwise that day's numbers keep a gap. On the embedded database (one
 * connection, one writer) it is taken in the caller's transaction, and a rollback undoes it.
 */
export async function nextDocumentNumber(ctx: Ctx, kind: DocumentType | 'reversal'): Promise<string> {
  const prefix = numberPrefix[kind];
  const day = localDay(ctx.now(), ctx.timezone);
  const [row] = await queryRows<{ last: number }>(ctx.outside ?? ctx.db, sql`
    insert into document_sequences (org_id, prefix, day, last) values (${ctx.orgId}, ${prefix}, ${day}, 1)
    on conflict (org_id, prefix, day) do update set last = document_sequences.last + 1
    returning last`);
  const outside = ctx.outside;
  if (outside && ctx.onRollback) {
    const taken = row!.last;
    // The day's first number goes back by removing the counter, so a refusal leaves no row behind.
    ctx.onRollback.push(async () => {
      await outside.execute(taken === 1
        ? sql`delete from document_sequences where org_id = ${ctx.orgId} and prefix = ${prefix} and day = ${day} and last = 1`
        : sql`update document_sequences set last = last - 1
            where org_id = ${ctx.orgId} and prefix = ${prefix} and day = ${day} and last = ${taken}`);
    });
  }
  return `${prefix}-${day}-${String(row!.last).padStart(4, '0')}`;
}
