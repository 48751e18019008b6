// Benchmark: completing lead.verify through the API (HTTP + auth + permission + Update) beside a raw
// Temporal Update round trip to the same kind of workflow, on one dev server in one run.
// Target (foundation issue): API p50/p95 ≤ 1.3 × raw. It measures and prints; it asserts nothing.
//   npm run bench [-- --n 200]
import { buildApp } from '../api/app';
import { DEFAULT_POLICY } from '../domain/policy';
import { completeTaskUpdate } from '../workflows/messages/tasks';
import { ACCEPT, arg, BENCH_PASSWORD, benchStack, INFO_MEMBER, pct } from './stack';

const N = arg('n', 200);
const WARMUP = arg('warmup', 20);

export async function completionRatio(): Promise<void> {
  const stack = await benchStack('bench');
  const { db, client, taskQueue } = stack;
  const app = await buildApp({ db, temporal: client, taskQueue, jwtSecret: 'b'.repeat(32), jwtTtlSeconds: 3600, policy: DEFAULT_POLICY });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const login = await (await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'info1', password: BENCH_PASSWORD }),
  })).json() as { token: string };

  const api: number[] = [];
  const raw: number[] = [];
  console.log(`preparing ${2 * (N + WARMUP)} project workflows …`);
  for (let i = 0; i < N + WARMUP; i++) {
    const [a, r] = await Promise.all([stack.newTask(), stack.newTask()]);
    const viaApi = async () => {
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/tasks/${a.taskId}/complete`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
        body: JSON.stringify(ACCEPT),
      });
      if (res.status !== 200) throw new Error(`API completion answered ${res.status}: ${await res.text()}`);
      await res.json();
      return performance.now() - t;
    };
    const viaUpdate = async () => {
      const t = performance.now();
      await client.workflow.getHandle(r.workflowId).executeUpdate(completeTaskUpdate, { args: [{ taskId: r.taskId, ...ACCEPT, actor: INFO_MEMBER }] });
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
  await stack.stop();
}

if (require.main === module) {
  completionRatio().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
