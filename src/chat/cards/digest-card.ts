import type { Card } from '../../../cards/model';
import { renderDigestCard } from '../../../cards/digest-card';
import { digestFacts } from '../../alerts/daily-digest';
import type { Ctx } from '../../context';

/** `digest:<warehouseId>:<YYYY-MM-DD>`: the warehouse's digest of that day, as it stands now. */
export async function digestCard(ctx: Ctx, subject: string): Promise<Card> {
  return renderDigestCard(await digestFacts(ctx, subject));
}
