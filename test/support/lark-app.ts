import { afterAll, beforeAll } from 'vitest';
import { larkRequest, startFakeLark, type FakeLark } from '../fakes/lark-server';
import { createTestApp, type TestApp } from '../harness';

export interface LarkKeys {
  encryptKey: string;
  verificationToken: string;
}

/**
 * The service wired to a fake Lark for one test file: started before its tests, closed after.
 * `ready` hands both over as soon as they are up, so a file keeps its own `h` and `fake` names.
 */
export function withLarkApp(keys: LarkKeys, ready: (h: TestApp, fake: FakeLark) => void) {
  let h: TestApp | undefined;
  let fake: FakeLark | undefined;
  beforeAll(async () => {
    fake = await startFakeLark();
    h = await createTestApp({
      config: {
        LARK_APP_ID: fake.appId,
        LARK_APP_SECRET: fake.appSecret,
        LARK_ENCRYPT_KEY: keys.encryptKey,
        LARK_VERIFICATION_TOKEN: keys.verificationToken,
        LARK_DOMAIN: fake.url,
      },
    });
    ready(h, fake);
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });
}

/** Posts one event to the Lark webhook signed and encrypted as Lark does (unsigned if asked). */
export async function pushLark(h: TestApp, keys: LarkKeys, body: object, options: { signed?: boolean } = {}) {
  const { headers, rawBody } = larkRequest({ body: body as Record<string, unknown>, verificationToken: keys.verificationToken, encryptKey: keys.encryptKey, ...options });
  const res = await h.app.request('/webhooks/lark/default', { method: 'POST', headers, body: rawBody });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}
