import { ConfigError, type Config } from '../../src/config';
import { createWeComAibotPlatform, type WeComAibotPlatform } from './index';

/** The WeCom AI bot `default` (webhook mode) from WECOM_AIBOT_TOKEN and WECOM_AIBOT_ENCODING_AES_KEY, or undefined when neither is set. */
export function wecomAibotPlatformFromConfig(config: Config, extras: { now?: () => Date } = {}): WeComAibotPlatform | undefined {
  const token = config.WECOM_AIBOT_TOKEN;
  const key = config.WECOM_AIBOT_ENCODING_AES_KEY;
  if (!token && !key) return undefined;
  const problems: string[] = [];
  if (!token) problems.push('  WECOM_AIBOT_TOKEN: required when WECOM_AIBOT_ENCODING_AES_KEY is set');
  if (!key) problems.push('  WECOM_AIBOT_ENCODING_AES_KEY: required when WECOM_AIBOT_TOKEN is set');
  else if (!/^[A-Za-z0-9+/]{43}$/.test(key)) problems.push('  WECOM_AIBOT_ENCODING_AES_KEY: must be the 43-character EncodingAESKey');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return createWeComAibotPlatform({ app: 'default', token: token!, encodingAesKey: key!, ...extras });
}
