import { and, eq } from 'drizzle-orm';
import { items } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { NotFoundError } from '../errors';
import { authorize } from '../people/permissions';
import { barcodesByItem, toItemJson, type ItemJson } from './item-json';

/** What `PATCH /items/:sku` changes: how the item is bought. An omitted field stays; null clears it. */
export type ItemPatch = {
  supplier?: string | null | undefined;
  leadTimeDays?: number | null | undefined;
  minOrderQty?: string | null | undefined;
};

/** Changes an item's supplier, lead time or minimum order (admin: master data). Throws NotFoundError. */
export async function updateItem(ctx: Ctx, sku: string, patch: ItemPatch): Promise<ItemJson> {
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'admin', { what: 'items' });
    const set = Object.fromEntries(Object.entries({
      supplier: patch.supplier, leadTimeDays: patch.leadTimeDays, minOrderQty: patch.minOrderQty,
    }).filter(([, v]) => v !== undefined));
    const where = and(eq(items.orgId, tx.orgId), eq(items.sku, sku));
    const [item] = Object.keys(set).length > 0
      ? await tx.db.update(items).set(set).where(where).returning()
      : await tx.db.select().from(items).where(where);
    if (!item) throw new NotFoundError('item', sku);
    if (Object.keys(set).length > 0) await writeAudit(tx, { entity: 'item', entityId: item.id, action: 'update' });
    return toItemJson(item, (await barcodesByItem(tx, [item.id])).get(item.id) ?? []);
  });
}
