import { describe, expect, it } from 'vitest';
import { larkPlatformFromConfig } from '../bots/lark/from-config';
import { larkBaseUrl } from '../bots/lark/index';
import { ConfigError, loadConfig } from '../src/config';

describe('Lark from the configuration', () => {
  it('has no Lark app without LARK_APP_ID', () => {
    expect(larkPlatformFromConfig(loadConfig({}))).toBeUndefined();
  });

  it("builds the app 'default' from the LARK_* variables", () => {
    const platform = larkPlatformFromConfig(loadConfig({ LARK_APP_ID: 'cli_a', LARK_APP_SECRET: 's', LARK_VERIFICATION_TOKEN: 'v' }));
    expect(platform).toMatchObject({ platform: 'lark', app: 'default', perChatPerSecond: 5, repliesInline: false });
  });

  it('names the missing secret and token; the long connection needs no token', () => {
    expect(() => larkPlatformFromConfig(loadConfig({ LARK_APP_ID: 'cli_a' }))).toThrow(ConfigError);
    expect(() => larkPlatformFromConfig(loadConfig({ LARK_APP_ID: 'cli_a' }))).toThrow(/LARK_APP_SECRET[\s\S]*LARK_VERIFICATION_TOKEN/);
    expect(larkPlatformFromConfig(loadConfig({ LARK_APP_ID: 'cli_a', LARK_APP_SECRET: 's', LARK_MODE: 'ws' }))).toBeDefined();
  });

  it('reads LARK_MODE, webhook by default', () => {
    expect(loadConfig({}).LARK_MODE).toBe('webhook');
    expect(loadConfig({ LARK_MODE: 'ws' }).LARK_MODE).toBe('ws');
    expect(() => loadConfig({ LARK_MODE: 'socket' })).toThrow(/LARK_MODE/);
  });

  it('turns LARK_DOMAIN into an API base without a trailing slash', () => {
    expect(larkBaseUrl('feishu')).toBe('https://open.feishu.cn');
    expect(larkBaseUrl('lark')).toBe('https://open.larksuite.com');
    expect(larkBaseUrl('http://127.0.0.1:8080/')).toBe('http://127.0.0.1:8080');
    expect(() => larkBaseUrl('larksuite')).toThrow(/LARK_DOMAIN/);
    expect(() => larkPlatformFromConfig(loadConfig({ LARK_APP_ID: 'a', LARK_APP_SECRET: 's', LARK_VERIFICATION_TOKEN: 'v', LARK_DOMAIN: 'ftp://x' }))).toThrow(ConfigError);
  });
});
