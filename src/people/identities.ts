import { and, eq, inArray, ne } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { chatApps, chatIdentities, users, type IdentityPlatform } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { ConflictError, ForbiddenError, ValidationError, type FieldIssue } from '../errors';
import { assignedWarehouseIds } from './assigned';
import { getUser, type UserJson } from './find-users';
import { authorize } from './permissions';

/** `app` is the configured chat app (`:app` in its webhook path), `default` unless named. */
export type IdentityInput = { platform: IdentityPlatform; externalId: string; app?: string | undefined };

const appOf = (i: IdentityInput) => i.app ?? 'default';
const label = (i: IdentityInput) => `${i.platform} identity '${i.externalId}'${appOf(i) === 'default' ? '' : ` (app ${appOf(i)})`}`;
/** `lark:ou_x`, or `lark:app2:ou_x` for an app other than the default: how the audit trail names an identity. */
export const identityRef = (i: IdentityInput) => `${i.platform}:${appOf(i) === 'default' ? '' : `${appOf(i)}:`}${i.externalId}`;
const same = (a: IdentityInput, b: IdentityInput) => a.platform === b.platform && appOf(a) === appOf(b) && a.externalId === b.externalId;

/** The same identity twice in one request is a mistake in the request, not a conflict with stored data. */
export function checkDistinctIdentities(identities: IdentityInput[], field = 'identities'): void {
  const issues: FieldIssue[] = [];
  identities.forEach((i, n) => {
    if (identities.findIndex((o) => same(o, i)) < n) issues.push({ field: `${field}.${n}`, message: `${label(i)} is listed twice` });
  });
  if (issues.length > 0) throw new ValidationError(issues);
}

/**
 * Binds chat identities to a user of this organisation. An identity is unique within the
 * organisation: one already bound to another of its users is a ConflictError. Another
 * organisation's identities are never looked at, so nothing is learnt of them; but an app that
 * serves another organisation (`chat_apps`) takes no identities from this one (ForbiddenError):
 * its people's messages could never reach here. Identities this user already has are left as they
 * are. Returns how many were new.
 */
export async function insertIdentities(ctx: Ctx, userId: string, identities: IdentityInput[]): Promise<number> {
  if (identities.length === 0) return 0;
  const chat = identities.filter((i) => i.platform !== 'sandbox');
  if (chat.length) {
    const owned = await ctx.db.select().from(chatApps)
      .where(and(inArray(chatApps.platform, chat.map((i) => i.platform)), ne(chatApps.orgId, ctx.orgId)));
    const foreign = chat.find((i) => owned.some((o) => o.platform === i.platform && o.app === appOf(i)));
    if (foreign) {
      throw new ForbiddenError(`the ${foreign.platform} app '${appOf(foreign)}' serves another organisation: its identities cannot be bound here`,
        { platform: foreign.platform, app: appOf(foreign) });
    }
  }
  const inserted = await ctx.db.insert(chatIdentities)
    .values(identities.map((i) => ({ orgId: ctx.orgId, userId, platform: i.platform, app: appOf(i), externalId: i.externalId, createdAt: ctx.now() })))
    .onConflictDoNothing()
    .returning({ platform: chatIdentities.platform, app: chatIdentities.app, externalId: chatIdentities.externalId });
  const missed = identities.filter((i) => !inserted.some((r) => same(r, i)));
  if (missed.length === 0) return inserted.length;
  const mine = await ctx.db.select({ platform: chatIdentities.platform, app: chatIdentities.app, externalId: chatIdentities.externalId })
    .from(chatIdentities).where(and(eq(chatIdentities.orgId, ctx.orgId), eq(chatIdentities.userId, userId)));
  const taken = missed.filter((i) => !mine.some((r) => same(r, i)));
  if (taken.length === 0) return inserted.length;
  throw new ConflictError(`${taken.map(label).join(', ')} ${taken.length === 1 ? 'is' : 'are'} already bound to another user`, {
    identities: taken,
  });
}

/**
 * Binds one more chat identity to an existing user (the chat "bind" flow uses this too) and
 * returns the user. Binding an identity the user already has changes nothing.
 * Throws NotFoundError (user), ConflictError (another user of the organisation has it),
 * ForbiddenError (the app serves another organisation).
 */
export async function bindIdentity(ctx: Ctx, userId: string, identity: IdentityInput): Promise<UserJson> {
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'admin', { what: 'users' });
    await getUser(tx, userId);
    if (await insertIdentities(tx, userId, [identity])) {
      await writeAudit(tx, { entity: 'user', entityId: userId, action: 'bind_identity', comment: identityRef(identity) });
    }
    return getUser(tx, userId);
  });
}

/** A person as a chat sees them: their organisation, roles and assigned warehouses. */
export type ChatPerson = { orgId: string; userId: string; name: string; roles: string[]; warehouseIds: string[] };

/** The organisation a chat app serves, if it has been given one. */
export async function appOrganization(db: Queryable, platform: IdentityPlatform, app: string): Promise<string | undefined> {
  const [row] = await db.select({ orgId: chatApps.orgId }).from(chatApps).where(and(eq(chatApps.platform, platform), eq(chatApps.app, app)));
  return row?.orgId;
}

/**
 * Who a verified sender is. Looked up in `orgId` when the door knows it (the sandbox), else in the
 * organisation the app serves. An app that serves none yet (no CHAT_ORG, bootstrap or demo
 * organisation) finds the person only where exactly one organisation has bound that identity:
 * two organisations naming the same person is ambiguous, and nobody is better than the wrong one.
 */
export async function findByIdentity(db: Queryable, ref: { platform: IdentityPlatform; app: string; externalId: string },
  orgId?: string): Promise<ChatPerson | undefined> {
  const org = orgId ?? await appOrganization(db, ref.platform, ref.app);
  const rows = await db
    .select({ orgId: chatIdentities.orgId, userId: users.id, name: users.name, roles: users.roles, warehouseIds: assignedWarehouseIds(users.orgId, users.id) })
    .from(chatIdentities)
    .innerJoin(users, and(eq(users.orgId, chatIdentities.orgId), eq(users.id, chatIdentities.userId)))
    .where(and(eq(chatIdentities.platform, ref.platform), eq(chatIdentities.app, ref.app), eq(chatIdentities.externalId, ref.externalId),
      org ? eq(chatIdentities.orgId, org) : undefined))
    .limit(2);
  return rows.length === 1 ? rows[0] : undefined;
}
