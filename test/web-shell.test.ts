// §10 the workbench as served: the built application at /, its caching, the SPA's addresses, the
// service's own addresses untouched; login keeps the session until the token expires (a reload keeps
// it, an expired or revoked token leads back to 登录 with the page asked for); the API types the web
// is compiled against are the service's current OpenAPI document.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn } from '../harness/browser';
import { OPENAPI_TYPES, openapiTypes } from '../scripts/openapi-web';
import { startWebEnv, type WebEnv } from './helpers/web-env';

/** the login page, asked to lead on to `next` */
const atLogin = (next: string) => (u: URL) => u.pathname === '/login' && u.searchParams.get('next') === next;

let env: WebEnv;
beforeAll(async () => {
  env = await startWebEnv('web-shell');
});
afterAll(async () => {
  await env?.teardown();
});

describe('the workbench as served', () => {
  it('answers index.html at / and at the application\'s own addresses, never caching it', async () => {
    for (const p of ['/', '/tasks', '/projects/123', '/admin/people']) {
      const res = await fetch(env.base + p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type'), p).toContain('text/html');
      expect(res.headers.get('cache-control'), p).toBe('no-cache');
      expect(await res.text(), p).toContain('<div id="app">');
    }
  });

  it('keeps hashed assets for a year and sends them compressed', async () => {
    const html = await (await fetch(env.base + '/')).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const res = await fetch(env.base + script!, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('content-type')).toContain('javascript');
  });

  it('leaves the service\'s addresses alone: an unknown API path or a missing asset is 404 JSON, not the page', async () => {
    for (const p of ['/api/v1/nothing', '/assets/missing-abc.js', '/docs/nothing.json']) {
      const res = await fetch(env.base + p);
      expect(res.status, p).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code, p).toBe('NOT_FOUND');
    }
    expect((await fetch(env.base + '/healthz')).status).toBe(200);
    const post = await fetch(env.base + '/tasks', { method: 'POST' });
    expect(post.status).toBe(404); // only GET and HEAD are pages
  });
});

describe('login and the session', () => {
  it('logs in, keeps the session over a reload, and sends a stale session back to 登录 with the page asked for', async () => {
    const w = await env.open();
    await w.page.goto('/projects');
    await w.page.waitForURL(atLogin('/projects'), { waitUntil: 'commit' });
    await logIn(w, 'info1');
    await w.page.waitForURL(/\/projects$/, { waitUntil: 'commit' });
    await expect.poll(() => w.page.locator('header').innerText()).toContain('信息收集专班成员');
    await w.page.reload();
    await w.page.waitForURL(/\/projects$/, { waitUntil: 'commit' });
    await expect.poll(() => w.page.locator('header').innerText()).toContain('信息收集专班成员');

    // a wrong password says so in Chinese
    const other = await env.open();
    other.allow(/\/auth\/login$/, 401);
    await other.page.goto('/login');
    await other.page.locator('input[name=username]').fill('info1');
    await other.page.locator('input[name=password]').fill('wrong-password');
    await other.page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => other.page.locator('[data-test=login-error]').innerText()).toContain('用户名或密码错误');
    other.expectClean();
    await other.close();

    // the token stops being valid (here: it is replaced by garbage, as an expired one is refused): the next call leads to 登录
    w.allow(/\/api\/v1\//, 401);
    // (the browser's code is given as text: the service's TypeScript knows no DOM)
    await w.page.evaluate(`(() => {
      const s = JSON.parse(localStorage.getItem('nanxian.session'));
      localStorage.setItem('nanxian.session', JSON.stringify({ ...s, token: 'not-a-token' }));
    })()`);
    await w.page.goto('/tasks/done');
    await w.page.waitForURL(atLogin('/tasks/done'), { waitUntil: 'commit' });
    await expect.poll(() => w.page.locator('[data-test=login-error]').innerText()).toContain('登录已过期');
    await logIn(w, 'info1');
    await w.page.waitForURL(/\/tasks\/done$/, { waitUntil: 'commit' });
    w.expectClean();
    await w.close();
  });

  it('an expired session is forgotten before any call is made', async () => {
    const w = await env.open();
    await w.page.goto('/login');
    await w.page.evaluate(`localStorage.setItem('nanxian.session', JSON.stringify({ token: 'x', expiresAt: '2000-01-01T00:00:00Z', mustChangePassword: false }))`);
    await w.page.goto('/tasks');
    await w.page.waitForURL(atLogin('/tasks'), { waitUntil: 'commit' });
    expect(await w.page.evaluate(`localStorage.getItem('nanxian.session')`)).toBeNull();
    w.expectClean();
    await w.close();
  });
});

describe('the web and the API cannot drift apart', () => {
  it('web/src/api/openapi.d.ts is generated from the current OpenAPI document (npm run openapi:web)', async () => {
    const current = await openapiTypes();
    expect(fs.readFileSync(OPENAPI_TYPES, 'utf8') === current, 'web/src/api/openapi.d.ts is stale: run npm run openapi:web').toBe(true);
  });
});
