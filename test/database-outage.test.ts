// The service's PostgreSQL going away under the API (issue 14): a request answers 503 "safe to repeat"
// with Retry-After, in Chinese, naming nothing of the database's internals — not 500 — and the API
// answers again by itself within seconds of the database's return (the pool drops dead connections:
// db/client.ts PG_POOL). Real parts: a PostgreSQL server killed with SIGKILL and started again, the
// CLI's dev server, the API over app.inject.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/app';
import { createDb, type Db } from '../db/client';
import { DEFAULT_POLICY } from '../domain/policy';
import { startPostgres, type ThrowAwayPostgres } from '../harness/postgres';
import { devServer, type TestServer } from '../harness/temporal';
import { seed } from '../prisma/seed';
import { migrateDeploy } from '../runtime/migrate';
import { connectClient } from '../runtime/temporal';

let pg: ThrowAwayPostgres;
let db: Db;
let server: TestServer;
let temporal: Awaited<ReturnType<typeof connectClient>>;
let app: FastifyInstance;

beforeAll(async () => {
  [pg, server] = await Promise.all([startPostgres(), devServer()]);
  await migrateDeploy(pg.url);
  db = createDb(pg.url);
  await seed(db, { demoPassword: 'outage-test' });
  temporal = await connectClient(server.address, server.namespace);
  app = await buildApp({ db, temporal: temporal.client, taskQueue: 'outage-tq', jwtSecret: 'o'.repeat(32), jwtTtlSeconds: 3600, policy: DEFAULT_POLICY });
});
afterAll(async () => {
  await app?.close();
  await db?.$disconnect();
  await temporal?.connection.close();
  await server?.stop();
  pg?.stop();
});

describe('the database going away', () => {
  it('answers 503 safe to repeat while PostgreSQL is down, and 200 again soon after it is back', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'info1', password: 'outage-test' } });
    expect(login.statusCode).toBe(200);
    const me = () => app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${login.json().token}` } });
    expect((await me()).statusCode).toBe(200);

    pg.server.kill('SIGKILL');
    const down = await me();
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect(down.json().error.code).toBe('UNAVAILABLE');
    expect(down.json().error.message).toContain('没有任何内容丢失');

    await pg.server.restart();
    await expect.poll(async () => (await me()).statusCode, { timeout: 20_000, interval: 250 }).toBe(200);
  });
});
