import { and, eq, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { users, userWarehouses } from '../../db/schema';
import { EVERYWHERE_ROLES } from './permissions';

/** Everyone in the organisation holding one of the roles. */
export async function holdersOf(db: Queryable, orgId: string, roles: readonly string[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const rows = await db.select({ id: users.id }).from(users)
    .where(and(eq(users.orgId, orgId), sql`${users.roles} && ${`{${roles.join(',')}}`}::text[]`));
  return rows.map((u) => u.id);
}

/**
 * A warehouse's leads (or the holders of other roles there, such as the store managers who receive):
 * those assigned to it, and those assigned to no warehouse in particular.
 */
export async function leadsOf(db: Queryable, orgId: string, warehouseId: string, roles: readonly string[] = ['warehouse_lead']): Promise<string[]> {
  const rows = await db.select({ id: users.id }).from(users)
    .leftJoin(userWarehouses, and(eq(userWarehouses.userId, users.id), eq(userWarehouses.orgId, users.orgId)))
    .where(and(eq(users.orgId, orgId), sql`${users.roles} && ${`{${roles.join(',')}}`}::text[]`,
      or(isNull(userWarehouses.warehouseId), eq(userWarehouses.warehouseId, warehouseId))));
  return [...new Set(rows.map((l) => l.id))];
}

/**
 * Who holds an approval level's roles at a warehouse, as `holdsLevel` says: supervisors and admins
 * wherever they are, holders of any other role (a warehouse lead) assigned there or everywhere.
 */
export async function levelHoldersAt(db: Queryable, orgId: string, warehouseId: string, roles: readonly string[]): Promise<string[]> {
  const here = roles.filter((r) => !EVERYWHERE_ROLES.includes(r));
  const [anywhere, there] = await Promise.all([
    holdersOf(db, orgId, roles.filter((r) => EVERYWHERE_ROLES.includes(r))),
    here.length ? leadsOf(db, orgId, warehouseId, here) : Promise.resolve([]),
  ]);
  return [...new Set([...anywhere, ...there])];
}
