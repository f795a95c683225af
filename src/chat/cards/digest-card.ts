import type { Card } from '../../../cards/model';
import { renderDigestCard } from '../../../cards/digest-card';
import { digestFacts } from '../../alerts/daily-digest';
import type { Ctx } from '../../context';
import { localDate } from '../../lib/calendar';

/** `digest:<warehouseId>:<YYYY-MM-DD>`: the warehouse's digest of that day, as it stands now (today's is so far). */
export async function digestCard(ctx: Ctx, subject: string): Promise<Card> {
  const facts = await digestFacts(ctx, subject);
  return renderDigestCard({ ...facts, today: facts.date === localDate(ctx.now(), ctx.timezone) });
}
