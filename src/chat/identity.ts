import { and, eq } from 'drizzle-orm';
import { chatIdentities, users } from '../../db/schema';
import type { Queryable } from '../../db/client';
import type { PlatformName } from '../../bots/platform';

/** Identities are kept per platform family: a WeCom user is the same person in the app and the AI bot. */
export const identityPlatform = (p: PlatformName): 'lark' | 'wecom' | 'sandbox' =>
  p === 'lark' ? 'lark' : p === 'sandbox' ? 'sandbox' : 'wecom';

export type ChatUser = { orgId: string; userId: string; name: string; roles: string[] };

/** Who a verified sender is, or undefined for someone not bound yet. The sandbox is looked up within its organisation. */
export async function resolveSender(db: Queryable, platform: PlatformName, externalId: string, orgId?: string): Promise<ChatUser | undefined> {
  const [row] = await db
    .select({ orgId: chatIdentities.orgId, userId: users.id, name: users.name, roles: users.roles })
    .from(chatIdentities)
    .innerJoin(users, eq(users.id, chatIdentities.userId))
    .where(and(
      eq(chatIdentities.platform, identityPlatform(platform)),
      eq(chatIdentities.externalId, externalId),
      orgId ? eq(chatIdentities.orgId, orgId) : undefined,
    ));
  return row;
}
