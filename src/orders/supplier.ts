import { and, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { reorderRules, warehouses } from '../../db/schema';

type WarehouseRef = { id: string; code: string; name: string };

/**
 * The warehouse a store asks when its requisition names none: the source its reorder rules name
 * for these items (when they name exactly one), else the organisation's one central warehouse
 * (other than the store). With neither it is undefined, and the person is asked to name it.
 */
export async function supplyingWarehouse(db: Queryable, orgId: string, storeId: string, itemIds: string[] = []): Promise<WarehouseRef | undefined> {
  const columns = { id: warehouses.id, code: warehouses.code, name: warehouses.name };
  if (itemIds.length) {
    const sources = await db.selectDistinct(columns).from(reorderRules)
      .innerJoin(warehouses, eq(warehouses.id, reorderRules.sourceWarehouseId))
      .where(and(eq(reorderRules.orgId, orgId), eq(reorderRules.warehouseId, storeId), inArray(reorderRules.itemId, itemIds), isNotNull(reorderRules.sourceWarehouseId)));
    if (sources.length === 1) return sources[0];
  }
  const central = await db.select(columns).from(warehouses)
    .where(and(eq(warehouses.orgId, orgId), eq(warehouses.type, 'central'), ne(warehouses.id, storeId))).limit(2);
  return central.length === 1 ? central[0] : undefined;
}
