import { describe, expect, it } from 'vitest';
import { wecomPlatformFromConfig } from '../bots/wecom/from-config';
import { ConfigError, loadConfig } from '../src/config';

const full = { WECOM_CORP_ID: 'ww1436e0e65a779aee', WECOM_AGENT_ID: '1000002', WECOM_SECRET: 's', WECOM_TOKEN: 't', WECOM_ENCODING_AES_KEY: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C' };

describe('WeCom self-built app from the configuration', () => {
  it('is absent without WECOM_CORP_ID', () => {
    expect(wecomPlatformFromConfig(loadConfig({}))).toBeUndefined();
  });

  it('is the app `default` when everything is set', () => {
    expect(wecomPlatformFromConfig(loadConfig(full))).toMatchObject({ platform: 'wecom', app: 'default', repliesInline: false, perChatPerSecond: 1 });
  });

  it('names every missing or malformed companion variable', () => {
    const missing = () => wecomPlatformFromConfig(loadConfig({ WECOM_CORP_ID: 'ww1' }));
    expect(missing).toThrow(ConfigError);
    expect(missing).toThrow(/WECOM_AGENT_ID[\s\S]*WECOM_SECRET[\s\S]*WECOM_TOKEN[\s\S]*WECOM_ENCODING_AES_KEY/);
    expect(() => wecomPlatformFromConfig(loadConfig({ ...full, WECOM_AGENT_ID: 'abc', WECOM_ENCODING_AES_KEY: 'short' }))).toThrow(/numeric AgentId[\s\S]*43-character/);
  });
});
