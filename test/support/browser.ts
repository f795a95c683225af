import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createTestApp, type TestApp } from '../harness';

/** Debian's chromium: browser tests never download a browser (README "Two commands"); CI installs it. */
export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/**
 * The real app on a random loopback port, as `npm start` serves it, and a headless chromium to look
 * at it (a plain launch: Playwright gives it a fresh, empty profile and removes it on close).
 * `close` stops both.
 */
export async function serveToBrowser(h: TestApp): Promise<{ base: string; browser: Browser; close: () => Promise<void> }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  return {
    base,
    browser,
    close: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What goes wrong on a page, as it happens: script errors, CSP violations and other console errors,
 * and failed requests by status and URL — but for the favicon the browser asks for on its own and
 * the failures `expected` allows (a deliberately wrong key).
 */
export function watchPage(page: Page, expected: (status: number, url: string) => boolean = () => false): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico') && !expected(r.status(), r.url())) problems.push(`${r.status()} ${r.url()}`);
  });
  return problems;
}

/**
 * A browser test file's app and chromium: made before its tests (only where chromium is installed)
 * and closed after. Read `h` and `served` inside tests, once they are made.
 */
export function browserApp(timeout = 90_000): { readonly h: TestApp; readonly served: Awaited<ReturnType<typeof serveToBrowser>> } {
  let h: TestApp | undefined;
  let served: Awaited<ReturnType<typeof serveToBrowser>> | undefined;
  beforeAll(async () => {
    if (!haveChromium) return;
    h = await createTestApp();
    served = await serveToBrowser(h);
  }, timeout);
  afterAll(async () => {
    await served?.close();
    await h?.close();
  });
  return { get h() { return h!; }, get served() { return served!; } };
}
