import { randomInt } from 'node:crypto';
import { and, eq, isNotNull, lt, or } from 'drizzle-orm';
import { bindCodes, chatIdentities, users, type IdentityPlatform } from '../../db/schema';
import type { Queryable } from '../../db/client';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { appOrganization, identityRef, insertIdentities } from './identities';
import { authorize } from './permissions';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors';
import { createLogger } from '../lib/logger';

const silent = createLogger('silent');

/** How long a code stays good: long enough to pass it on, short enough not to linger. */
export const BIND_CODE_TTL_HOURS = 24;

/** An admin makes a one-time six-digit code for a user; the user types `绑定 <code>` to the bot. */
export async function createBindCode(ctx: Ctx, userId: string): Promise<{ code: string; expiresAt: string }> {
  return withTransaction(ctx, async (ctx) => {
    await authorize(ctx, 'admin', { what: 'users' });
    const [user] = await ctx.db.select({ id: users.id }).from(users).where(and(eq(users.orgId, ctx.orgId), eq(users.id, userId)));
    if (!user) throw new NotFoundError('user', userId);
    const expiresAt = new Date(ctx.now().getTime() + BIND_CODE_TTL_HOURS * 3_600_000);
    // Codes are unique across organisations; a collision with a live code just draws again.
    for (;;) {
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const rows = await ctx.db.insert(bindCodes).values({ orgId: ctx.orgId, code, userId, expiresAt, createdAt: ctx.now() })
        .onConflictDoNothing().returning({ code: bindCodes.code });
      if (rows.length) {
        await writeAudit(ctx, { entity: 'user', entityId: userId, action: 'bind_code' });
        return { code, expiresAt: expiresAt.toISOString() };
      }
      // An expired or used code may be recycled.
      await ctx.db.delete(bindCodes).where(and(eq(bindCodes.code, code), or(isNotNull(bindCodes.usedAt), lt(bindCodes.expiresAt, ctx.now()))));
    }
  });
}

/**
 * Links a chat identity (of one platform app) to the code's user, once. `orgId`: the organisation
 * the door speaks for (the sandbox's, or the one the app serves), whose codes alone are good there.
 * Throws UnprocessableError (`bind_code_invalid`: unknown, used, expired or another organisation's
 * code), ConflictError (`identity_taken`: another user of the organisation has the identity).
 */
export async function redeemBindCode(db: Queryable, input: {
  code: string; platform: IdentityPlatform; app: string; externalId: string; now: Date; orgId?: string | undefined;
}) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(bindCodes).where(eq(bindCodes.code, input.code)).for('update');
    const serves = input.orgId ?? (input.platform === 'sandbox' ? undefined : await appOrganization(tx, input.platform, input.app));
    if (!row || row.usedAt || row.expiresAt <= input.now || (serves && serves !== row.orgId)) {
      throw new UnprocessableError('the bind code is unknown, used or expired').because('bind_code_invalid');
    }
    const [user] = await tx.select({ name: users.name, roles: users.roles }).from(users).where(eq(users.id, row.userId));
    const actor = { type: 'chat' as const, platform: input.platform, externalId: input.externalId, userId: row.userId, roles: user!.roles, warehouseIds: [] };
    const ctx: Ctx = { db: tx, orgId: row.orgId, actor, now: () => input.now, timezone: 'UTC', log: silent, inTransaction: true };
    const [held] = await tx.select({ userId: chatIdentities.userId }).from(chatIdentities).where(and(eq(chatIdentities.orgId, row.orgId),
      eq(chatIdentities.platform, input.platform), eq(chatIdentities.app, input.app), eq(chatIdentities.externalId, input.externalId)));
    if (held) throw new ConflictError('this chat identity is already bound').because('identity_taken');
    await insertIdentities(ctx, row.userId, [{ platform: input.platform, app: input.app, externalId: input.externalId }]);
    await tx.update(bindCodes).set({ usedAt: input.now }).where(eq(bindCodes.code, input.code));
    await writeAudit(ctx, { entity: 'user', entityId: row.userId, action: 'bind_identity', comment: identityRef(input) });
    return { orgId: row.orgId, userId: row.userId, name: user!.name };
  });
}
