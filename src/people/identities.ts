import { and, eq } from 'drizzle-orm';
import { chatIdentities, type chatPlatforms } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ConflictError, ValidationError, type FieldIssue } from '../errors';
import { getUser, type UserJson } from './find-users';

export type IdentityInput = { platform: (typeof chatPlatforms)[number]; externalId: string };

const label = (i: IdentityInput) => `${i.platform} identity '${i.externalId}'`;

/** The same identity twice in one request is a mistake in the request, not a conflict with stored data. */
export function checkDistinctIdentities(identities: IdentityInput[], field = 'identities'): void {
  const seen = new Set<string>();
  const issues: FieldIssue[] = [];
  identities.forEach((i, n) => {
    const key = `${i.platform}\u0000${i.externalId}`;
    if (seen.has(key)) issues.push({ field: `${field}.${n}`, message: `${label(i)} is listed twice` });
    seen.add(key);
  });
  if (issues.length > 0) throw new ValidationError(issues);
}

/**
 * Binds chat identities to a user. An identity names one user across all organisations (the
 * inbound pipeline finds the organisation from it), so one already bound anywhere is a
 * ConflictError naming it, never naming its holder, who may belong to another organisation.
 * Identities already bound to this same user are left as they are. Returns how many were new.
 */
export async function insertIdentities(ctx: Ctx, userId: string, identities: IdentityInput[]): Promise<number> {
  if (identities.length === 0) return 0;
  const inserted = await ctx.db
    .insert(chatIdentities)
    .values(identities.map((i) => ({ orgId: ctx.orgId, userId, platform: i.platform, externalId: i.externalId, createdAt: ctx.now() })))
    .onConflictDoNothing()
    .returning({ platform: chatIdentities.platform, externalId: chatIdentities.externalId });
  const missed = identities.filter((i) => !inserted.some((r) => r.platform === i.platform && r.externalId === i.externalId));
  if (missed.length === 0) return inserted.length;
  const mine = await ctx.db
    .select({ platform: chatIdentities.platform, externalId: chatIdentities.externalId })
    .from(chatIdentities)
    .where(and(eq(chatIdentities.orgId, ctx.orgId), eq(chatIdentities.userId, userId)));
  const taken = missed.filter((i) => !mine.some((r) => r.platform === i.platform && r.externalId === i.externalId));
  if (taken.length === 0) return inserted.length;
  throw new ConflictError(`${taken.map(label).join(', ')} ${taken.length === 1 ? 'is' : 'are'} already bound to a user`, {
    identities: taken,
  });
}

/**
 * Binds one more chat identity to an existing user (the chat "bind" flow uses this too) and
 * returns the user. Binding an identity the user already has changes nothing.
 * Throws NotFoundError (user), ConflictError (the identity belongs to another user).
 */
export async function bindIdentity(ctx: Ctx, userId: string, identity: IdentityInput): Promise<UserJson> {
  return withTransaction(ctx, async (tx) => {
    await getUser(tx, userId);
    if (await insertIdentities(tx, userId, [identity])) {
      await writeAudit(tx, { entity: 'user', entityId: userId, action: 'bind_identity', comment: `${identity.platform}:${identity.externalId}` });
    }
    return getUser(tx, userId);
  });
}
