// Benchmark: completing lead.verify through the API (HTTP + auth + permission + Update) beside a raw
// Temporal Update round trip to the same kind of workflow, on one dev server in one run.
// Target (foundation issue): API p50/p95 ≤ 1.3 × raw. It measures and prints; it asserts nothing.
//   npm run bench [-- --n 200]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { installRuntimeLogger } from '../runtime/logging';
import { createActivities } from '../activities';
import { buildApp } from '../api/app';
import { registerProject } from '../api/projects';
import { createDb } from '../db/client';
import { groupsOf } from '../domain/organisation';
import { NAMED_UNITS } from '../domain/units';
import { seed } from '../prisma/seed';
import { startDevServer } from '../runtime/dev-server';
import { migrateDeploy } from '../runtime/migrate';
import { connectClient } from '../runtime/temporal';
import { completeTaskUpdate } from '../workflows/definitions';
import { WORKFLOWS_PATH } from '../worker/create';
import { freePortSync } from './ports';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('n', 200);
const WARMUP = arg('warmup', 20);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

export async function completionRatio(): Promise<void> {
  installRuntimeLogger('WARN');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-bench-'));
  const url = `file:${path.join(dir, 'bench.db')}`;
  migrateDeploy(url);
  const db = createDb(url);
  await seed(db, { demoPassword: 'bench' });
  const server = await startDevServer({ port: freePortSync() });
  const { client, connection } = await connectClient(server.address, 'default');
  const native = await NativeConnection.connect({ address: server.address });
  const taskQueue = 'bench';
  const worker = await Worker.create({ connection: native, taskQueue, workflowsPath: WORKFLOWS_PATH, activities: createActivities(db) });
  const running = worker.run();
  const app = await buildApp({ db, temporal: client, taskQueue, jwtSecret: 'b'.repeat(32), jwtTtlSeconds: 3600 });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const login = await (await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'info1', password: 'bench' }),
  })).json() as { token: string };

  const lead = {
    name: '基准测试项目', investor: '某公司', investorOrigin: 'LOCAL' as const, industryChain: 'FOOD' as const, channel: 'OTHER' as const,
    plannedInvestmentWan: 100, sourceUnitId: NAMED_UNITS.commerce, isMajor: false, isCaseByCase: false,
  };
  const data = { landingSiteId: NAMED_UNITS.nanzhou, responsibleUnitId: 'R09' };
  const actor = { username: 'info1', displayName: 'info1', groups: groupsOf({ unitId: NAMED_UNITS.commerce, position: 'MEMBER', taskForces: ['INFO'], roles: [] }) };
  const newTask = async () => {
    const p = await registerProject({ db, temporal: client, taskQueue }, lead, 'info1');
    return { workflowId: p.workflowId, taskId: p.openTasks[0].id };
  };

  const api: number[] = [];
  const raw: number[] = [];
  console.log(`preparing ${2 * (N + WARMUP)} project workflows …`);
  for (let i = 0; i < N + WARMUP; i++) {
    const [a, r] = await Promise.all([newTask(), newTask()]);
    const viaApi = async () => {
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/tasks/${a.taskId}/complete`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
        body: JSON.stringify({ outcome: 'accept', data }),
      });
      if (res.status !== 200) throw new Error(`API completion answered ${res.status}: ${await res.text()}`);
      await res.json();
      return performance.now() - t;
    };
    const viaUpdate = async () => {
      const t = performance.now();
      await client.workflow.getHandle(r.workflowId).executeUpdate(completeTaskUpdate, { args: [{ taskId: r.taskId, outcome: 'accept', data, actor }] });
      return performance.now() - t;
    };
    await new Promise((resolve) => setTimeout(resolve, 20)); // let the new workflows' start-up work settle
    // alternate which goes first, so neither always meets a worker still busy with the other
    let apiMs: number, rawMs: number;
    if (i % 2 === 0) {
      apiMs = await viaApi();
      rawMs = await viaUpdate();
    } else {
      rawMs = await viaUpdate();
      apiMs = await viaApi();
    }
    if (i >= WARMUP) {
      api.push(apiMs);
      raw.push(rawMs);
    }
  }

  const row = (name: string, xs: number[]) => `${name.padEnd(34)} p50 ${pct(xs, 50).toFixed(2).padStart(7)} ms   p95 ${pct(xs, 95).toFixed(2).padStart(7)} ms`;
  console.log(`\ncompleting lead.verify, ${N} samples each (after ${WARMUP} warm-up), dev server + SQLite, one worker`);
  console.log(row('API POST /tasks/:id/complete', api));
  console.log(row('raw Temporal Update (completeTask)', raw));
  console.log(`ratio API / raw                    p50 ${(pct(api, 50) / pct(raw, 50)).toFixed(2)}×      p95 ${(pct(api, 95) / pct(raw, 95)).toFixed(2)}×   (target ≤ 1.30×)`);

  await app.close();
  worker.shutdown();
  await running;
  await native.close();
  await connection.close();
  await server.stop();
  await db.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
}

if (require.main === module) {
  completionRatio().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
