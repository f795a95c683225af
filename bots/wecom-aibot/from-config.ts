import { ConfigError, type Config } from '../../src/config';
import type { Logger } from '../../src/lib/logger';
import { createWeComAibotPlatform, type WeComAibotPlatform } from './index';
import { createWeComAibotSocketPlatform, type AibotSocketFactory, type WeComAibotSocketPlatform } from './socket';

const invalid = (problems: string[]) => new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);

/**
 * The WeCom AI bot `default`: over its long connection when WECOM_AIBOT_MODE=ws (BotID and Secret),
 * else in webhook mode from WECOM_AIBOT_TOKEN and WECOM_AIBOT_ENCODING_AES_KEY; undefined when not configured.
 */
export function wecomAibotPlatformFromConfig(
  config: Config,
  extras: { now?: () => Date; log: Logger; createSocket?: AibotSocketFactory | undefined },
): WeComAibotPlatform | WeComAibotSocketPlatform | undefined {
  if (config.WECOM_AIBOT_MODE === 'ws') {
    const problems: string[] = [];
    if (!config.WECOM_AIBOT_BOT_ID) problems.push('  WECOM_AIBOT_BOT_ID: required when WECOM_AIBOT_MODE=ws (the bot\'s BotID from the admin console)');
    if (!config.WECOM_AIBOT_SECRET) problems.push('  WECOM_AIBOT_SECRET: required when WECOM_AIBOT_MODE=ws (the long-connection Secret)');
    if (problems.length) throw invalid(problems);
    return createWeComAibotSocketPlatform({
      app: 'default', botId: config.WECOM_AIBOT_BOT_ID!, secret: config.WECOM_AIBOT_SECRET!, wsUrl: config.WECOM_AIBOT_WS_URL,
      log: extras.log, createSocket: extras.createSocket, ...(extras.now ? { now: extras.now } : {}),
    });
  }
  const token = config.WECOM_AIBOT_TOKEN;
  const key = config.WECOM_AIBOT_ENCODING_AES_KEY;
  if (!token && !key) return undefined;
  const problems: string[] = [];
  if (!token) problems.push('  WECOM_AIBOT_TOKEN: required when WECOM_AIBOT_ENCODING_AES_KEY is set');
  if (!key) problems.push('  WECOM_AIBOT_ENCODING_AES_KEY: required when WECOM_AIBOT_TOKEN is set');
  else if (!/^[A-Za-z0-9+/]{43}$/.test(key)) problems.push('  WECOM_AIBOT_ENCODING_AES_KEY: must be the 43-character EncodingAESKey');
  if (problems.length) throw invalid(problems);
  return createWeComAibotPlatform({ app: 'default', token: token!, encodingAesKey: key!, ...(extras.now ? { now: extras.now } : {}) });
}
