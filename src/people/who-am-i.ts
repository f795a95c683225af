import { eq } from 'drizzle-orm';
import { apiKeys, organizations } from '../../db/schema';
import type { Ctx } from '../context';
import { getUser, type UserJson } from './find-users';

export type WhoAmIJson = {
  organization: { slug: string; name: string };
  key: { id: string; name: string; prefix: string; scopes: string[] } | null;
  /** The person the key acts as; null for an organisation's own key (an integration). */
  user: UserJson | null;
};

/** Who the caller is: a page shows it after sign-in and offers only what the key may try (the verbs still decide). */
export async function whoAmI(ctx: Ctx): Promise<WhoAmIJson> {
  const [org] = await ctx.db.select({ slug: organizations.slug, name: organizations.name }).from(organizations).where(eq(organizations.id, ctx.orgId));
  const actor = ctx.actor;
  const [key] = actor.type === 'api'
    ? await ctx.db.select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, scopes: apiKeys.scopes }).from(apiKeys).where(eq(apiKeys.id, actor.keyId))
    : [];
  const userId = actor.type === 'job' ? null : actor.userId;
  return { organization: org!, key: key ?? null, user: userId ? await getUser(ctx, userId) : null };
}
