import { larkPlatformFromConfig } from './lark/from-config';
import { wecomPlatformFromConfig } from './wecom/from-config';
import { wecomAibotPlatformFromConfig } from './wecom-aibot/from-config';
import { createWeComRobotPlatform } from './wecom-robot';
import type { ChatPlatform } from './platform';
import type { Queryable } from '../db/client';
import type { Config } from '../src/config';
import { createLogger, type Logger } from '../src/lib/logger';
import type { AibotSocketFactory } from './wecom-aibot/socket';
import { createPlatformRegistry, type PlatformRegistry } from './registry';

/** The platforms the configuration names: the sandbox unless `SANDBOX=off`, and each configured app. */
export function platformsFromConfig(
  config: Config,
  db: Queryable,
  now: () => Date,
  options: {
    log?: Logger;
    fetch?: typeof fetch;
    extra?: ChatPlatform[];
    /** Opens the WeCom AI bot's long connection (Node only: the SDK stays out of the Workers bundle). */
    aibotSocket?: AibotSocketFactory;
  } = {},
): PlatformRegistry {
  const lark = larkPlatformFromConfig(config, { now, ...(options.log ? { log: options.log } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
  const wecom = wecomPlatformFromConfig(config, { now, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const aibot = wecomAibotPlatformFromConfig(config, { now, log: options.log ?? createLogger('silent'), createSocket: options.aibotSocket });
  // Group robots need no app settings: each binding's webhook key is its credential.
  const robot = createWeComRobotPlatform({ apiBase: config.WECOM_API_BASE, ...(options.fetch ? { fetch: options.fetch } : {}) });
  return createPlatformRegistry({ db, now, sandbox: config.SANDBOX === 'on', platforms: [...(lark ? [lark] : []), ...(wecom ? [wecom] : []), ...(aibot ? [aibot] : []), robot, ...(options.extra ?? [])] });
}
