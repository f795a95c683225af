import type { PlatformName } from '../../bots/platform';
import type { Queryable } from '../../db/client';
import type { IdentityPlatform } from '../../db/schema';
import { findByIdentity, type ChatPerson } from '../people/identities';

/** Identities are kept per platform family: a WeCom user is the same person in the app and the AI bot. */
export const identityPlatform = (p: PlatformName): IdentityPlatform =>
  p === 'lark' ? 'lark' : p === 'sandbox' ? 'sandbox' : 'wecom';

export type ChatUser = ChatPerson;

/**
 * Who a verified sender of this platform app is, or undefined for someone not bound yet: in the
 * sandbox's organisation (`orgId`), else in the organisation the app serves.
 */
export async function resolveSender(db: Queryable, platform: { platform: PlatformName; app: string }, externalId: string, orgId?: string): Promise<ChatUser | undefined> {
  return findByIdentity(db, { platform: identityPlatform(platform.platform), app: platform.app, externalId }, orgId);
}
