// What the dev-server benchmarks share: a fresh seeded SQLite file, a dev server, a client, a worker,
// a lead to register and the INFO member who accepts it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { registerProject } from '../api/register-project';
import { createDb } from '../db/client';
import { groupsOf } from '../domain/organisation';
import type { ProjectRegistration } from '../domain/project';
import { DEFAULT_POLICY } from '../domain/policy';
import { NAMED_UNITS } from '../domain/units';
import { seed } from '../prisma/seed';
import { loadConfig } from '../runtime/config';
import { startDevServer } from '../runtime/dev-server';
import { installRuntimeLogger } from '../runtime/logging';
import { migrateDeploy } from '../runtime/migrate';
import { connectClient } from '../runtime/temporal';
import { forward } from '../harness/pipeline';
import { createWorker } from '../worker/create';
import type { Channel } from '../activities/channels';
import { buildApp } from '../api/app';
import { freePortSync } from './ports';

export const BENCH_PASSWORD = 'bench';
/** the worker's workflow cache, as production configures it (WORKER_MAX_CACHED_WORKFLOWS) */
export const MAX_CACHED_WORKFLOWS = loadConfig().maxCachedWorkflows;
/** the threads that run the worker's workflows, as production configures them (WORKER_WORKFLOW_THREADS) */
export const WORKFLOW_THREADS = loadConfig().workflowThreads;
export const LEAD: ProjectRegistration = {
  name: '基准测试项目', investor: '某公司', investorOrigin: 'LOCAL', industryChain: 'FOOD', channel: 'OTHER',
  plannedInvestmentWan: 100, sourceUnitId: NAMED_UNITS.commerce, isMajor: false, isCaseByCase: false,
};
/** lead.verify / accept */
/** lead.verify's forward completion (domain/pipeline.ts), to 南洲镇 and 县农业农村局 */
export const ACCEPT = forward('lead.verify', { landingSiteId: NAMED_UNITS.nanzhou, responsibleUnitId: 'R09' });
export const INFO_MEMBER = {
  username: 'info1', displayName: 'info1', groups: groupsOf({ unitId: NAMED_UNITS.commerce, position: 'MEMBER', taskForces: ['INFO'], roles: [] }),
};

/** --name N on the command line, else the fallback. */
export const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/**
 * A fresh stack in `npm start`'s configuration: the dev server on an SQLite file (runtime/dev-server.ts:
 * WAL, synchronous=normal), the service's SQLite file, one worker with production's workflow cache.
 */
export async function benchStack(taskQueue: string, opts: { channels?: Channel[]; maxCachedWorkflows?: number; inMemoryServer?: boolean } = {}) {
  installRuntimeLogger('warn');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-bench-'));
  const url = `file:${path.join(dir, 'bench.db')}`;
  await migrateDeploy(url);
  const db = createDb(url);
  await seed(db, { demoPassword: BENCH_PASSWORD });
  const server = await startDevServer({ port: freePortSync(), ...(opts.inMemoryServer ? {} : { dbFile: path.join(dir, 'temporal.db') }) });
  const { client, connection } = await connectClient(server.address, 'default');
  const native = await NativeConnection.connect({ address: server.address });
  const worker = await createWorker({ connection: native, namespace: 'default', taskQueue, db, client, channels: opts.channels, maxCachedWorkflows: opts.maxCachedWorkflows ?? MAX_CACHED_WORKFLOWS, workflowThreads: WORKFLOW_THREADS });
  const running = worker.run();
  return {
    db, server, client, taskQueue, worker,
    /** registers a lead; its open lead.verify task */
    async newTask() {
      const p = await registerProject({ db, temporal: client, taskQueue, policy: DEFAULT_POLICY }, LEAD, 'info1');
      return { workflowId: p.workflowId, taskId: p.openTasks[0].id };
    },
    async stop() {
      worker.shutdown();
      await running;
      await native.close();
      await connection.close();
      await server.stop();
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The API on a bench stack, listening on a free port, and a token of info1 (who accepts leads). */
export async function benchApi(stack: Awaited<ReturnType<typeof benchStack>>) {
  const app = await buildApp({ db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, jwtSecret: 'b'.repeat(32), jwtTtlSeconds: 3600, policy: DEFAULT_POLICY });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const { token } = await (await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'info1', password: BENCH_PASSWORD }),
  })).json() as { token: string };
  return { base, token, close: () => app.close() };
}
