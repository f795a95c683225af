import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

describe('loadConfig', () => {
  it('runs the embedded demo with no variables at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: './.data',
      APP_TIMEZONE: 'Asia/Shanghai',
      SANDBOX: 'on',
      JOBS: 'on',
      DEMO: 'auto',
      LOG_LEVEL: 'info',
      WECOM_API_BASE: 'https://qyapi.weixin.qq.com',
      LARK_DOMAIN: 'feishu',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.BOOTSTRAP_API_KEY).toBeUndefined();
  });

  it('turns strings into the types the service uses', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://u@db:5432/jxc', DEMO: 'on', JOBS: 'off' });
    expect(config.PORT).toBe(8080);
    expect(config.JOBS).toBe('off');
    expect(config.DATABASE_URL).toBe('postgres://u@db:5432/jxc');
    expect(config.DEMO).toBe('on');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'not a url', APP_TIMEZONE: 'Mars/Olympus', BOOTSTRAP_API_KEY: 'short', DEMO: 'maybe', JOBS: 'sometimes' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['PORT', 'DATABASE_URL', 'APP_TIMEZONE', 'BOOTSTRAP_API_KEY', 'DEMO', 'JOBS']) expect(message).toContain(name);
    expect(message).toContain('IANA time zone');
  });

  it('refuses a DIGEST_TIME the 15-minute digest job would never reach in its day', () => {
    expect(() => loadConfig({ DIGEST_TIME: '23:50' })).toThrow(/DIGEST_TIME.*23:45 or earlier/);
    expect(loadConfig({ DIGEST_TIME: '23:45' }).DIGEST_TIME).toBe('23:45');
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
  });

  it('treats empty strings as unset, as deployment dashboards write them', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', BOOTSTRAP_API_KEY: '', WECOM_CORP_ID: '', LARK_DOMAIN: '' });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.BOOTSTRAP_API_KEY).toBeUndefined();
    expect(config.WECOM_CORP_ID).toBeUndefined();
    expect(config.LARK_DOMAIN).toBe('feishu');
  });

  it('ignores variables it does not know, such as PATH', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root' })).not.toThrow();
  });
});
