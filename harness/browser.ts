// The workbench in a real browser (§10): pages of Debian's Chromium (launched by test/helpers/web-env.ts)
// driven by playwright-core. Every page records the console errors, uncaught
// exceptions and failed requests it sees; a test ends with `expectClean()` so that any of them fails it.
// A request the test provokes on purpose (a wrong completion's 400) is declared with `allow()` first.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { builtWeb, WEB_DIST } from '../api/plugins/web';
import { browserSettings, PROJECT_ROOT } from '../runtime/config';
import { DEMO_PASSWORD } from './db';

/** Where the tests write their screenshots (README: 工作台 → screenshots). */
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

export const CHROMIUM = browserSettings().chromiumPath;

/** The built workbench (`npm test` builds it before vitest runs; a single test file run builds it if missing). */
/** WEB_DIST_DIR names another build to test (one made with WEB_OUT_DIR). */
export async function webRoot(): Promise<string> {
  const dir = browserSettings().webDistDir ?? WEB_DIST;
  const built = builtWeb(dir);
  if (built) return built;
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_DIST, '..', 'vite.config.mts'), logLevel: 'warn', build: { outDir: dir } });
  return builtWeb(dir)!;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** declares a failing answer the test provokes on purpose: `allow(/\/complete$/, 400)` */
  allow(url: RegExp, status: number): void;
  /** the console errors, page errors and failed requests seen so far, not allowed */
  problems(): string[];
  /** fails the test when the page saw any problem */
  expectClean(): void;
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function openPage(browser: Browser, base: string, opts: { width?: number; height?: number; mobile?: boolean } = {}): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL: base, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    viewport: { width: opts.width ?? 1366, height: opts.height ?? 900 },
    isMobile: opts.mobile ?? false, hasTouch: opts.mobile ?? false, deviceScaleFactor: opts.mobile ? 2 : 1,
  });
  const page = await context.newPage();
  const seen: string[] = [];
  const allowed: { url: RegExp; status: number; used: boolean }[] = [];
  const isAllowed = (url: string, status: number) => {
    const a = allowed.find((x) => x.url.test(url) && x.status === status);
    if (a) a.used = true;
    return !!a;
  };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every 4xx/5xx answer as "Failed to load resource": those are judged by the response handler
    if (/Failed to load resource: the server responded with a status of \d+/.test(m.text())) return;
    seen.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // a load the page itself abandoned (the test navigated on while a chunk or a call was on its way);
    // a real failure has another code (refused, reset, …) or an answer, which the response handler judges
    if (r.failure()?.errorText === 'net::ERR_ABORTED') return;
    seen.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !isAllowed(r.url(), r.status())) seen.push(`answer ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return {
    page, context,
    allow: (url, status) => { allowed.push({ url, status, used: false }); },
    problems: () => [...seen],
    expectClean: () => {
      if (seen.length) throw new Error(`the browser saw ${seen.length} console error(s) or failed request(s):\n${seen.join('\n')}`);
    },
    async screenshot(name) {
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      const file = path.join(SCREENSHOTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    close: () => context.close(),
  };
}

/** Logs in through the login page as a demo account and waits to leave it (for the inbox, or the page asked for). */
export async function logIn(w: WatchedPage, username: string, password = DEMO_PASSWORD) {
  const { page } = w;
  if (!new URL(page.url()).pathname.startsWith('/login')) await page.goto('/login'); // (on it already: keep its ?next=)
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  // (the router changes the address without loading a page: 'commit' is when it changed)
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { waitUntil: 'commit' });
}
