import { eq } from 'drizzle-orm';
import type { Queryable } from '../../db/client';
import { chatApps, organizations, type IdentityPlatform } from '../../db/schema';
import type { Config } from '../config';

/**
 * Gives the chat apps configured from the environment (WeCom, Lark: app `default`) to the
 * organisation they serve, at start-up: CHAT_ORG (a slug) when set — and then it moves them —
 * otherwise `fallbackOrgId` (the bootstrap or demo organisation), only for an app that serves
 * nobody yet. A webhook's sender is then looked up in that organisation alone.
 * Throws when CHAT_ORG names no organisation.
 */
export async function claimConfiguredApps(db: Queryable, config: Config, fallbackOrgId: string | undefined): Promise<void> {
  const platforms: IdentityPlatform[] = [
    ...(config.LARK_APP_ID ? ['lark' as const] : []),
    ...(config.WECOM_CORP_ID || config.WECOM_AIBOT_TOKEN || config.WECOM_AIBOT_BOT_ID ? ['wecom' as const] : []),
  ];
  if (platforms.length === 0) return;
  let orgId = fallbackOrgId;
  if (config.CHAT_ORG) {
    const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, config.CHAT_ORG));
    if (!org) throw new Error(`CHAT_ORG: there is no organisation with slug '${config.CHAT_ORG}'`);
    orgId = org.id;
  }
  if (!orgId) return;
  for (const platform of platforms) {
    const row = { platform, app: 'default', orgId };
    if (config.CHAT_ORG) await db.insert(chatApps).values(row).onConflictDoUpdate({ target: [chatApps.platform, chatApps.app], set: { orgId } });
    else await db.insert(chatApps).values(row).onConflictDoNothing();
  }
}
