import { randomInt } from 'node:crypto';
import { and, eq, isNotNull, lt, or } from 'drizzle-orm';
import { bindCodes, chatIdentities, users } from '../../db/schema';
import type { Queryable } from '../../db/client';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors';
import { createLogger } from '../lib/logger';

const silent = createLogger('silent');

/** How long a code stays good: long enough to pass it on, short enough not to linger. */
export const BIND_CODE_TTL_HOURS = 24;

/** An admin makes a one-time six-digit code for a user; the user types `绑定 <code>` to the bot. */
export async function createBindCode(ctx: Ctx, userId: string): Promise<{ code: string; expiresAt: string }> {
  return withTransaction(ctx, async (ctx) => {
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
 * Links a chat identity to the code's user, once. Throws UnprocessableError for an unknown, used
 * or expired code, ConflictError when the identity is already someone's.
 */
export async function redeemBindCode(db: Queryable, input: { code: string; platform: 'lark' | 'wecom' | 'sandbox'; externalId: string; now: Date }) {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(bindCodes).where(eq(bindCodes.code, input.code)).for('update');
    if (!row || row.usedAt || row.expiresAt <= input.now) throw new UnprocessableError('这个绑定码无效或已过期，请找管理员重新生成');
    const taken = await tx.select().from(chatIdentities)
      .where(and(eq(chatIdentities.platform, input.platform), eq(chatIdentities.externalId, input.externalId)));
    if (taken.length) throw new ConflictError('这个聊天账号已经绑定过了');
    await tx.insert(chatIdentities).values({ orgId: row.orgId, userId: row.userId, platform: input.platform, externalId: input.externalId, createdAt: input.now });
    await tx.update(bindCodes).set({ usedAt: input.now }).where(eq(bindCodes.code, input.code));
    const [user] = await tx.select({ name: users.name, roles: users.roles }).from(users).where(eq(users.id, row.userId));
    const actor = { type: 'chat' as const, platform: input.platform, externalId: input.externalId, userId: row.userId, roles: user!.roles };
    await writeAudit({ db: tx, orgId: row.orgId, actor, now: () => input.now, timezone: 'UTC', log: silent },
      { entity: 'user', entityId: row.userId, action: 'bind_identity', comment: `${input.platform}:${input.externalId}` });
    return { orgId: row.orgId, userId: row.userId, name: user!.name };
  });
}
