import { and, asc, eq, isNull } from 'drizzle-orm';
import { apiKeys, type ApiKey } from '../../db/schema';
import { generateKey, insertApiKey, scopes as allScopes, type Scope } from './key-store';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ForbiddenError, NotFoundError } from '../errors';
import { isUuid } from '../lib/uuid';
import { getUser } from './find-users';
import { authorize, scopesHeldBy } from './permissions';

/** A key as lists show it: never the key itself nor its hash. */
export type ApiKeyJson = {
  id: string;
  name: string;
  scopes: string[];
  /** The user the key acts as, or null for a key of the organisation itself. */
  user: string | null;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
};

export type CreateApiKeyInput = { name: string; scopes?: Scope[] | undefined; user?: string | undefined };

const toApiKeyJson = (k: ApiKey): ApiKeyJson => ({
  id: k.id,
  name: k.name,
  scopes: k.scopes,
  user: k.userId,
  prefix: k.prefix,
  createdAt: k.createdAt.toISOString(),
  revokedAt: k.revokedAt?.toISOString() ?? null,
});

/**
 * Issues a key (default scopes read and write), stored hashed: the plaintext is in this result only.
 * With `user` the key acts as that user, whose roles then decide what it may do. A key never holds
 * more than the one who makes it (the creating key's scopes, and its person's) nor more than the
 * person it is bound to: only an admin's key has the admin scope.
 * Throws NotFoundError (the user is unknown or another organisation's), ForbiddenError (more than allowed).
 */
export async function createApiKey(ctx: Ctx, input: CreateApiKeyInput): Promise<ApiKeyJson & { key: string }> {
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'admin', { what: 'keys' });
    const scopes = [...new Set(input.scopes ?? ['read', 'write'])];
    const bound = input.user !== undefined ? await getUser(tx, input.user) : undefined;
    const creator = tx.actor;
    const limits: [string, string[]][] = [
      ...(creator.type === 'api' ? [['this API key', creator.scopes.includes('admin') ? [...allScopes] : creator.scopes] as [string, string[]]] : []),
      ...(creator.type !== 'job' && creator.userId ? [['your user', scopesHeldBy(creator.roles)] as [string, string[]]] : []),
      ...(bound ? [[`the user ${bound.name}`, scopesHeldBy(bound.roles)] as [string, string[]]] : []),
    ];
    for (const [who, held] of limits) {
      const beyond = scopes.find((s) => !held.includes(s));
      if (beyond) {
        throw new ForbiddenError(`a key cannot have the '${beyond}' scope: ${who} does not hold it`, { scope: beyond })
          .because('scope_beyond', { scope: beyond });
      }
    }
    const key = generateKey();
    const id = await insertApiKey(tx.db, {
      orgId: tx.orgId,
      name: input.name,
      key,
      scopes,
      userId: input.user ?? null,
    });
    await writeAudit(tx, { entity: 'api_key', entityId: id, action: 'create' });
    const [row] = await tx.db.select().from(apiKeys).where(eq(apiKeys.id, id));
    return { ...toApiKeyJson(row!), key };
  });
}

export async function listApiKeys(ctx: Ctx): Promise<ApiKeyJson[]> {
  const rows = await ctx.db.select().from(apiKeys).where(eq(apiKeys.orgId, ctx.orgId)).orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  return rows.map(toApiKeyJson);
}

/**
 * Revokes a key: from now on it answers 401. Revoking a revoked key changes nothing and keeps
 * the first time. Throws NotFoundError (unknown id, or another organisation's key).
 */
export async function revokeApiKey(ctx: Ctx, id: string): Promise<ApiKeyJson> {
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'admin', { what: 'keys' });
    if (!isUuid(id)) throw new NotFoundError('api key', id);
    const mine = and(eq(apiKeys.orgId, tx.orgId), eq(apiKeys.id, id));
    const [revoked] = await tx.db.update(apiKeys).set({ revokedAt: tx.now() }).where(and(mine, isNull(apiKeys.revokedAt))).returning();
    if (revoked) {
      await writeAudit(tx, { entity: 'api_key', entityId: id, action: 'revoke' });
      return toApiKeyJson(revoked);
    }
    const [row] = await tx.db.select().from(apiKeys).where(mine);
    if (!row) throw new NotFoundError('api key', id);
    return toApiKeyJson(row);
  });
}
