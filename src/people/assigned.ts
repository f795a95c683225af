import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/**
 * The ids of the warehouses a user is assigned to (empty: all of them), as one column of a query
 * that resolves an actor, so the rule book needs no query of its own.
 */
export const assignedWarehouseIds = (orgId: AnyColumn, userId: AnyColumn): SQL<string[]> =>
  sql<string[]>`coalesce((select array_agg(uw.warehouse_id::text order by uw.warehouse_id) from user_warehouses uw
    where uw.org_id = ${orgId} and uw.user_id = ${userId}), '{}'::text[])`;
