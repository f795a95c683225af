import { asc, eq } from 'drizzle-orm';
import { warehouses, type Warehouse } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ConflictError } from '../errors';
import { authorize } from '../people/permissions';

export type WarehouseJson = { id: string; code: string; name: string; type: string; createdAt: string };

export type CreateWarehouseInput = { code: string; name: string; type: string };

const toWarehouseJson = (w: Warehouse): WarehouseJson => ({
  id: w.id,
  code: w.code,
  name: w.name,
  type: w.type,
  createdAt: w.createdAt.toISOString(),
});

/** Throws ConflictError when the code is taken in the organisation. */
export async function createWarehouse(ctx: Ctx, input: CreateWarehouseInput): Promise<WarehouseJson> {
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'admin', { what: 'warehouses' });
    const [row] = await tx.db
      .insert(warehouses)
      .values({ orgId: tx.orgId, code: input.code, name: input.name, type: input.type, createdAt: tx.now() })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError(`warehouse with code '${input.code}' already exists`, { code: input.code });
    await writeAudit(tx, { entity: 'warehouse', entityId: row.id, action: 'create' });
    return toWarehouseJson(row);
  });
}

export async function listWarehouses(ctx: Ctx): Promise<WarehouseJson[]> {
  const rows = await ctx.db.select().from(warehouses).where(eq(warehouses.orgId, ctx.orgId)).orderBy(asc(warehouses.code));
  return rows.map(toWarehouseJson);
}
