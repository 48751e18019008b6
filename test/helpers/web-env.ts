// The workbench end to end (§10): the API env of every API test (real Temporal dev server, a fresh
// SQLite file, a worker) serving the built web application, and Debian's Chromium to drive it.
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, openPage, webRoot, type WatchedPage } from '../../harness/browser';
import { startApiEnv, type ApiEnv } from './api-env';

/** Debian's Chromium (.ci/run installs it): playwright-core launches the browser at its executablePath — nothing downloads one. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: .ci/run installs Debian's chromium (apt-get install chromium), or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=zh-CN'] });
}

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
