// The API over real HTTP against the Temporal dev server (real visibility) and a fresh SQLite file,
// with a worker: the setup of every API test file.
import { NativeConnection } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../../api/app';
import type { AppDeps } from '../../api/deps';
import type { Channel } from '../../activities/channels';
import { DEFAULT_POLICY } from '../../domain/policy';
import { connectClient } from '../../runtime/temporal';
import { createWorker } from '../../worker/create';
import { DEMO_PASSWORD, freshDb } from '../../harness/db';
import { LEAD } from '../../harness/workflow-env';
import { devServer, workflowBundle, type TestServer } from '../../harness/temporal';

/** An answer of the API; its body is whatever JSON the test expects (any, unless a test names the type). */
export interface Res<T = any> { status: number; body: T }

export interface ApiEnv {
  store: Awaited<ReturnType<typeof freshDb>>;
  temporal: Awaited<ReturnType<typeof connectClient>>;
  base: string;
  taskQueue: string;
  call<T = any>(method: string, path: string, opts?: { token?: string; body?: unknown; as?: string }): Promise<Res<T>>;
  login(username: string): Promise<string>;
  /** registers a lead (harness LEAD under another name) as info1, expecting 201; the answer's body */
  registerLead(name: string): Promise<any>;
  /** stops the worker (nothing then runs workflow or activity tasks): what a request does when no worker answers */
  stopWorker(): Promise<void>;
  teardown(): Promise<void>;
}

export async function startApiEnv(name: string, opts: Pick<AppDeps, 'requestDeadlineMs' | 'loginThrottle' | 'webRoot' | 'temporalUiUrl'> & { channels?: Channel[] } = {}): Promise<ApiEnv> {
  const { channels, ...appOpts } = opts;
  const taskQueue = `${name}-tq`;
  const [server, store, bundle]: [TestServer, Awaited<ReturnType<typeof freshDb>>, Awaited<ReturnType<typeof workflowBundle>>] = await Promise.all([devServer(), freshDb(name), workflowBundle()]);
  const temporal = await connectClient(server.address, server.namespace);
  const native = await NativeConnection.connect({ address: server.address });
  const worker = await createWorker({ connection: native, namespace: server.namespace, taskQueue, db: store.db, client: temporal.client, channels, workflowBundle: bundle });
  const running = worker.run();
  const app: FastifyInstance = await buildApp({ db: store.db, temporal: temporal.client, taskQueue, jwtSecret: 'x'.repeat(32), jwtTtlSeconds: 3600, policy: DEFAULT_POLICY, ...appOpts });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const tokens: Record<string, string> = {};

  const env: ApiEnv = {
    store, temporal, base, taskQueue,
    async call(method, path, opts = {}) {
      const token = opts.token ?? (opts.as ? await env.login(opts.as) : undefined);
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as never };
    },
    async login(username) {
      if (!tokens[username]) {
        const r = await env.call('POST', '/api/v1/auth/login', { body: { username, password: DEMO_PASSWORD } });
        expect(r.status).toBe(200);
        tokens[username] = r.body.token;
      }
      return tokens[username];
    },
    async registerLead(name) {
      const r = await env.call('POST', '/api/v1/projects', { as: 'info1', body: { ...LEAD, name } });
      expect(r.status).toBe(201);
      return r.body;
    },
    async stopWorker() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
    async teardown() {
      await app.close();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await native.close();
      await temporal.connection.close();
      await server.stop();
      await store.cleanup();
    },
  };
  return env;
}
