import type { ChatPlatform } from '../../bots/platform';
import { createSandboxPlatform } from '../../bots/sandbox';
import type { Queryable } from '../../db/client';

/**
 * The chat platforms this service talks to. Configured platforms (Lark, WeCom apps) are shared;
 * the sandbox keeps its chats per organisation, so it is made for the organisation at hand.
 */
export type PlatformRegistry = {
  get(platform: string, app: string, orgId: string | null): ChatPlatform | undefined;
};

export function createPlatformRegistry(options: {
  db: Queryable;
  now: () => Date;
  sandbox: boolean;
  platforms: ChatPlatform[];
}): PlatformRegistry {
  const configured = new Map(options.platforms.map((p) => [`${p.platform}:${p.app}`, p]));
  return {
    get(platform, app, orgId) {
      if (platform === 'sandbox') return options.sandbox && orgId ? createSandboxPlatform(options.db, orgId, options.now) : undefined;
      return configured.get(`${platform}:${app}`);
    },
  };
}
