import { ConfigError, type Config } from '../../src/config';
import { createWeComPlatform, type WeComPlatform } from './index';

/** The WeCom self-built app `default` from the WECOM_* variables, or undefined when WECOM_CORP_ID is unset. */
export function wecomPlatformFromConfig(config: Config, extras: { fetch?: typeof fetch; now?: () => Date } = {}): WeComPlatform | undefined {
  if (!config.WECOM_CORP_ID) return undefined;
  const required = ['WECOM_AGENT_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;
  const problems = required.filter((k) => !config[k]).map((k) => `  ${k}: required when WECOM_CORP_ID is set`);
  if (config.WECOM_AGENT_ID && !/^\d+$/.test(config.WECOM_AGENT_ID)) problems.push('  WECOM_AGENT_ID: must be the app\'s numeric AgentId');
  if (config.WECOM_ENCODING_AES_KEY && !/^[A-Za-z0-9+/]{43}$/.test(config.WECOM_ENCODING_AES_KEY)) problems.push('  WECOM_ENCODING_AES_KEY: must be the 43-character EncodingAESKey');
  if (problems.length) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return createWeComPlatform({
    app: 'default',
    corpId: config.WECOM_CORP_ID,
    agentId: Number(config.WECOM_AGENT_ID),
    secret: config.WECOM_SECRET!,
    token: config.WECOM_TOKEN!,
    encodingAesKey: config.WECOM_ENCODING_AES_KEY!,
    apiBase: config.WECOM_API_BASE,
    ...extras,
  });
}
