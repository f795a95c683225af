import { sql } from 'drizzle-orm';
import { queryRows } from '../../../db/client';
import type { DocumentType } from '../../../db/schema';
import type { Ctx } from '../../context';

export const numberPrefix: Record<DocumentType | 'reversal', string> = {
  opening: 'OB',
  receipt: 'RC',
  purchase_return: 'PR',
  issue: 'IS',
  transfer: 'TR',
  customer_return: 'CR',
  stocktake: 'ST',
  adjustment: 'AD',
  reversal: 'RV',
};

/** The local calendar day in the organisation's time zone, as YYYYMMDD. */
export function localDay(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  return parts.replaceAll('-', '');
}

/** The local date as YYYY-MM-DD (for expiry arithmetic). */
export const localDate = (at: Date, timeZone: string) => {
  const d = localDay(at, timeZone);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;
};

/**
 * The next human-readable number, e.g. TR-20261125-0007. The counter row is upserted in the
 * caller's transaction, so numbers are gap-free per day unless that transaction rolls back.
 */
export async function nextDocumentNumber(ctx: Ctx, kind: DocumentType | 'reversal'): Promise<string> {
  const prefix = numberPrefix[kind];
  const day = localDay(ctx.now(), ctx.timezone);
  const [row] = await queryRows<{ last: number }>(ctx.db, sql`
    insert into document_sequences (org_id, prefix, day, last) values (${ctx.orgId}, ${prefix}, ${day}, 1)
    on conflict (org_id, prefix, day) do update set last = document_sequences.last + 1
    returning last`);
  return `${prefix}-${day}-${String(row!.last).padStart(4, '0')}`;
}
