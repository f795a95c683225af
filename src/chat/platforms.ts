import type { ChatPlatform } from '../../bots/platform';
import type { Queryable } from '../../db/client';
import type { Config } from '../config';
import { createPlatformRegistry, type PlatformRegistry } from './registry';

/** The platforms the configuration names: the sandbox unless `SANDBOX=off`, and each configured app. */
export function platformsFromConfig(config: Config, db: Queryable, now: () => Date, extra: ChatPlatform[] = []): PlatformRegistry {
  return createPlatformRegistry({ db, now, sandbox: config.SANDBOX === 'on', platforms: extra });
}
