import { and, eq } from 'drizzle-orm';
import { bomLines, boms, items, type Item } from '../../db/schema';
import type { Ctx } from '../context';
import { DomainError } from '../errors';

/**
 * Refuses (422 `bom_cycle`) a BOM for `output` whose components lead back to it through their
 * active BOMs: a roll-up or an explosion through it would never end. The message names the path.
 */
export async function refuseCycle(ctx: Ctx, output: Item, components: Item[]): Promise<void> {
  // The organisation's active BOM graph is small (hundreds of edges), so one query and a walk in memory.
  const edges = await ctx.db.select({ from: boms.itemId, to: bomLines.itemId, sku: items.sku }).from(bomLines)
    .innerJoin(boms, eq(boms.id, bomLines.bomId)).innerJoin(items, eq(items.id, bomLines.itemId))
    .where(and(eq(boms.orgId, ctx.orgId), eq(boms.active, true)));
  const next = new Map<string, { id: string; sku: string }[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), { id: e.to, sku: e.sku }]);
  const seen = new Set<string>();
  const walk = (id: string, path: string[]): string[] | undefined => {
    if (id === output.id) return path;
    if (seen.has(id)) return undefined;
    seen.add(id);
    for (const n of next.get(id) ?? []) {
      const found = walk(n.id, [...path, n.sku]);
      if (found) return found;
    }
    return undefined;
  };
  for (const c of components) {
    const path = walk(c.id, [output.sku, c.sku]);
    if (path) {
      throw new DomainError('bom_cycle', `a BOM cycle: ${path.join(' → ')}`, { path })
        .because('bom_cycle', { sku: output.sku, path });
    }
  }
}
