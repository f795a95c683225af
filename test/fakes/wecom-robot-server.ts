import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

/** A fake WeCom group robot webhook on loopback: records what each key posted; fails on request. */
export async function startFakeRobot() {
  const posts: { key: string; body: any }[] = [];
  let failures: { errcode: number; times: number }[] = [];
  const app = new Hono();
  app.post('/cgi-bin/webhook/send', async (c) => {
    const key = c.req.query('key') ?? '';
    const body = await c.req.json();
    const fail = failures[0];
    if (fail) {
      if (--fail.times <= 0) failures = failures.slice(1);
      return c.json({ errcode: fail.errcode, errmsg: 'fake failure' });
    }
    if (!key.startsWith('robot-')) return c.json({ errcode: 93000, errmsg: 'invalid webhook url' });
    const content: string = body?.markdown?.content ?? body?.text?.content ?? '';
    if (Buffer.byteLength(content, 'utf8') > 4096) return c.json({ errcode: 40058, errmsg: 'markdown.content exceed max length 4096' });
    posts.push({ key, body });
    return c.json({ errcode: 0, errmsg: 'ok' });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    postsTo: (key: string) => posts.filter((p) => p.key === key).map((p) => p.body.markdown?.content as string),
    failNext: (errcode: number, times = 1) => failures.push({ errcode, times }),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
