// The workbench end to end (§10): the API env of every API test (real Temporal dev server, a fresh
// SQLite file, a worker) serving the built web application, and Debian's Chromium to drive it.
import type { Browser } from 'playwright-core';
import { launchChromium, openPage, webRoot, type WatchedPage } from '../../harness/browser';
import { startApiEnv, type ApiEnv } from './api-env';

export interface WebEnv extends ApiEnv {
  browser: Browser;
  /** a new browser context (its own storage: one person) on the service; 375 wide for a phone */
  open(opts?: { width?: number; height?: number; mobile?: boolean }): Promise<WatchedPage>;
}

export async function startWebEnv(name: string): Promise<WebEnv> {
  const [env, browser] = await Promise.all([webRoot().then((root) => startApiEnv(name, { webRoot: root })), launchChromium()]);
  return {
    ...env,
    browser,
    open: (opts) => openPage(browser, env.base, opts),
    async teardown() {
      await browser.close();
      await env.teardown();
    },
  };
}

/** A phone (DOMAIN.md §10: the inbox, a task form and the notifications work at 375 px). */
export const PHONE = { width: 375, height: 740, mobile: true };
