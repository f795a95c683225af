import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { assignedWarehouseIds } from './assigned';
import type { Queryable } from '../../db/client';
import { apiKeys, organizations, users } from '../../db/schema';

export const scopes = ['read', 'write', 'admin'] as const;
export type Scope = (typeof scopes)[number];

/** `admin` holds every scope, `write` includes `read`. */
export function hasScope(granted: string[], needed: Scope): boolean {
  if (granted.includes('admin')) return true;
  if (needed === 'read') return granted.includes('read') || granted.includes('write');
  return granted.includes(needed);
}

export const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

export const generateKey = () => `jxc_${randomBytes(24).toString('base64url')}`;

export type ResolvedKey = { keyId: string; orgId: string; scopes: string[]; userId: string | null; roles: string[]; warehouseIds: string[] };

/** Looks a presented key up by its hash, with its user's roles and warehouses; revoked and unknown keys resolve to nothing. */
export async function resolveApiKey(db: Queryable, key: string): Promise<ResolvedKey | undefined> {
  const [row] = await db
    .select({ keyId: apiKeys.id, orgId: apiKeys.orgId, scopes: apiKeys.scopes, userId: apiKeys.userId, roles: users.roles,
      warehouseIds: assignedWarehouseIds(users.orgId, users.id) })
    .from(apiKeys)
    .leftJoin(users, and(eq(users.id, apiKeys.userId), eq(users.orgId, apiKeys.orgId)))
    .where(and(eq(apiKeys.keyHash, hashKey(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return undefined;
  return { ...row, roles: row.roles ?? [], warehouseIds: row.warehouseIds ?? [] };
}

/** Stores a key (hashed) for an organisation and returns its id. */
export async function insertApiKey(
  db: Queryable,
  input: { orgId: string; name: string; key: string; scopes: string[]; userId?: string | null },
): Promise<string> {
  const [row] = await db
    .insert(apiKeys)
    .values({
      orgId: input.orgId,
      name: input.name,
      keyHash: hashKey(input.key),
      prefix: input.key.slice(0, 8),
      scopes: input.scopes,
      userId: input.userId ?? null,
    })
    .returning({ id: apiKeys.id });
  return row!.id;
}

/** Ensures the organisation with `slug` exists and returns its id (safe when several instances start at once). */
export async function ensureOrganization(db: Queryable, slug: string, name: string): Promise<string> {
  await db.insert(organizations).values({ slug, name }).onConflictDoNothing({ target: organizations.slug });
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
  return org!.id;
}

/** `BOOTSTRAP_API_KEY`: the `default` organisation exists and this key is an admin key of it. */
export async function bootstrapApiKey(db: Queryable, key: string): Promise<{ orgId: string }> {
  const orgId = await ensureOrganization(db, 'default', 'Default organisation');
  const existing = await resolveApiKey(db, key);
  if (existing && existing.orgId !== orgId) throw new Error('BOOTSTRAP_API_KEY already belongs to another organisation');
  if (!existing) {
    await db
      .insert(apiKeys)
      .values({ orgId, name: 'bootstrap', keyHash: hashKey(key), prefix: key.slice(0, 8), scopes: ['admin'] })
      .onConflictDoNothing({ target: apiKeys.keyHash });
  }
  return { orgId };
}
