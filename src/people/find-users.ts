import { and, asc, eq, inArray } from 'drizzle-orm';
import { chatIdentities, userWarehouses, users, warehouses, type User } from '../../db/schema';
import type { Ctx } from '../context';
import { NotFoundError } from '../errors';
import { isUuid } from '../lib/uuid';

export type IdentityJson = { platform: string; app: string; externalId: string };

/** A user as the API shows it: roles, the codes of their warehouses, their chat identities. */
export type UserJson = {
  id: string;
  name: string;
  roles: string[];
  warehouses: string[];
  identities: IdentityJson[];
  createdAt: string;
};

const push = <T>(map: Map<string, T[]>, key: string, value: T) => map.set(key, [...(map.get(key) ?? []), value]);

/** Users with their warehouses and identities: two queries for any number of users, never one per user. */
export async function withWarehousesAndIdentities(ctx: Ctx, rows: User[]): Promise<UserJson[]> {
  const ids = rows.map((r) => r.id);
  const codes = new Map<string, string[]>();
  const identities = new Map<string, IdentityJson[]>();
  if (ids.length > 0) {
    const warehouseRows = await ctx.db
      .select({ userId: userWarehouses.userId, code: warehouses.code })
      .from(userWarehouses)
      .innerJoin(warehouses, and(eq(warehouses.orgId, userWarehouses.orgId), eq(warehouses.id, userWarehouses.warehouseId)))
      .where(and(eq(userWarehouses.orgId, ctx.orgId), inArray(userWarehouses.userId, ids)))
      .orderBy(asc(warehouses.code));
    const identityRows = await ctx.db
      .select({ userId: chatIdentities.userId, platform: chatIdentities.platform, app: chatIdentities.app, externalId: chatIdentities.externalId })
      .from(chatIdentities)
      .where(and(eq(chatIdentities.orgId, ctx.orgId), inArray(chatIdentities.userId, ids)))
      .orderBy(asc(chatIdentities.platform), asc(chatIdentities.externalId));
    for (const w of warehouseRows) push(codes, w.userId, w.code);
    for (const i of identityRows) push(identities, i.userId, { platform: i.platform, app: i.app, externalId: i.externalId });
  }
  return rows.map((u) => ({
    id: u.id,
    name: u.name,
    roles: u.roles,
    warehouses: codes.get(u.id) ?? [],
    identities: identities.get(u.id) ?? [],
    createdAt: u.createdAt.toISOString(),
  }));
}

/** Every user of the organisation by name: three queries however many users there are. */
export async function listUsers(ctx: Ctx): Promise<UserJson[]> {
  const rows = await ctx.db.select().from(users).where(eq(users.orgId, ctx.orgId)).orderBy(asc(users.name), asc(users.id));
  return withWarehousesAndIdentities(ctx, rows);
}

/** Throws NotFoundError naming the id (also for another organisation's user, or a malformed id). */
export async function getUser(ctx: Ctx, id: string): Promise<UserJson> {
  const rows = isUuid(id) ? await ctx.db.select().from(users).where(and(eq(users.orgId, ctx.orgId), eq(users.id, id))) : [];
  if (rows.length === 0) throw new NotFoundError('user', id);
  const [json] = await withWarehousesAndIdentities(ctx, rows);
  return json!;
}
