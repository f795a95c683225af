import type { ChatPlatform } from './platform';
import { createSandboxPlatform } from './sandbox';
import type { Queryable } from '../db/client';

/**
 * The chat platforms this service talks to. Configured platforms (Lark, WeCom apps) are shared;
 * the sandbox keeps its chats per organisation, so it is made for the organisation at hand.
 */
export type PlatformRegistry = {
  get(platform: string, app: string, orgId: string | null): ChatPlatform | undefined;
  /** `platform:app` of configured platforms that another instance serves (a long connection held elsewhere): their deliveries are left to it. */
  servedElsewhere(): string[];
  /** Whether a platform app can push into a chat unasked (one not configured here is tried, and its delivery dies saying so). */
  canPush(platform: string, app: string): boolean;
  /** `platform:app` → the per-minute budget of one target, for platforms that have one. */
  perTargetBudgets(): Map<string, number>;
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
    canPush: (platform, app) => configured.get(`${platform}:${app}`)?.canPush ?? true,
    perTargetBudgets: () => new Map([...configured].flatMap(([key, p]) => (p.perTargetPerMinute ? [[key, p.perTargetPerMinute] as const] : []))),
    servedElsewhere: () => [...configured].filter(([, p]) => p.servedHere?.() === false).map(([key]) => key),
  };
}
