import { ConfigError, type Config } from '../../src/config';
import type { Logger } from '../../src/lib/logger';
import { createLarkPlatform, type LarkPlatform } from './index';

/**
 * The Lark app `default` from the LARK_* variables, or undefined when LARK_APP_ID is unset.
 * Webhook mode needs the Verification Token; the long connection does not (its pushes are not signed).
 */
export function larkPlatformFromConfig(config: Config, extras: { fetch?: typeof fetch; now?: () => Date; log?: Logger } = {}): LarkPlatform | undefined {
  if (!config.LARK_APP_ID) return undefined;
  const missing = [
    ...(config.LARK_APP_SECRET ? [] : ['LARK_APP_SECRET']),
    ...(config.LARK_VERIFICATION_TOKEN || config.LARK_MODE === 'ws' ? [] : ['LARK_VERIFICATION_TOKEN']),
  ];
  if (missing.length) throw new ConfigError(`Invalid configuration:\n${missing.map((m) => `  ${m}: required when LARK_APP_ID is set`).join('\n')}`);
  return createLarkPlatform({
    app: 'default',
    appId: config.LARK_APP_ID,
    appSecret: config.LARK_APP_SECRET!,
    verificationToken: config.LARK_VERIFICATION_TOKEN,
    domain: config.LARK_DOMAIN,
    ...(config.LARK_ENCRYPT_KEY ? { encryptKey: config.LARK_ENCRYPT_KEY } : {}),
    ...extras,
  });
}
