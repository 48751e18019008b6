// Benchmark (issue 15, goal 1): completing lead.verify through the API (HTTP + auth + permission +
// Update + the API writing the events it was answered with) beside Temporal's own floor on the same
// server in the same run — a no-op Update round trip (`sync`, which answers the project's snapshot and
// writes nothing) — and beside the raw completion Update without the API (answered with its events,
// which the bench writes as the API does). `npm start`'s configuration: the dev server's SQLite file in
// WAL mode, the service's SQLite file, one worker. Target: completion p50 ≤ 2.0 × the floor's p50.
// It measures and prints; it asserts nothing.
//   npm run bench [-- --n 200]      tsx bench/complete-task.ts [--n 200]
import { applyProjectionEvents } from '../activities/projection';
import { completeTaskUpdate } from '../workflows/messages/tasks';
import { syncUpdate } from '../workflows/messages/project';
import { ACCEPT, arg, benchApi, benchStack, INFO_MEMBER, pct } from './stack';

export async function completionRatio(n = arg('n', 200), warmup = arg('warmup', 20)): Promise<{ ratio: number }> {
  const stack = await benchStack('bench');
  const { client } = stack;
  const { base, token, close } = await benchApi(stack);

  const api: number[] = [];
  const raw: number[] = [];
  const floor: number[] = [];
  console.log(`\npreparing ${2 * (n + warmup)} project workflows …`);
  for (let i = 0; i < n + warmup; i++) {
    const [a, r] = await Promise.all([stack.newTask(), stack.newTask()]);
    const viaApi = async () => {
      const t = performance.now();
      const res = await fetch(`${base}/api/v1/tasks/${a.taskId}/complete`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(ACCEPT),
      });
      if (res.status !== 200) throw new Error(`API completion answered ${res.status}: ${await res.text()}`);
      await res.json();
      return performance.now() - t;
    };
    const viaUpdate = async () => {
      const t = performance.now();
      // what the API does without HTTP: the Update answered with the events, written by the caller
      const { unwritten } = await client.workflow.getHandle(r.workflowId).executeUpdate(completeTaskUpdate, {
        args: [{ taskId: r.taskId, ...ACCEPT, actor: INFO_MEMBER, projectedByCaller: true, publishAfterWrite: true }],
      });
      await applyProjectionEvents(stack.db, r.workflowId, unwritten ?? []);
      return performance.now() - t;
    };
    const noOp = async () => {
      const t = performance.now();
      await client.workflow.getHandle(r.workflowId).executeUpdate(syncUpdate);
      return performance.now() - t;
    };
    // alternate the order, so that none always meets a worker still busy with another
    const order = i % 2 === 0 ? [noOp, viaApi, viaUpdate] : [viaUpdate, viaApi, noOp];
    const ms = new Map<unknown, number>();
    // each starts on an idle worker: what the one before left to do (the projection activity after an
    // answer) is not counted against the next
    for (const f of order) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      ms.set(f, await f());
    }
    if (i >= warmup) {
      api.push(ms.get(viaApi)!);
      raw.push(ms.get(viaUpdate)!);
      floor.push(ms.get(noOp)!);
    }
  }

  const row = (name: string, xs: number[]) => `  ${name.padEnd(44)} p50 ${pct(xs, 50).toFixed(2).padStart(7)} ms   p95 ${pct(xs, 95).toFixed(2).padStart(7)} ms`;
  const ratio = pct(api, 50) / pct(floor, 50);
  console.log(`completing lead.verify, ${n} samples each (after ${warmup} warm-up); npm start's configuration (dev server on an SQLite file in WAL mode, the service's SQLite file), one worker`);
  console.log(row('API POST /tasks/:id/complete', api));
  console.log(row('raw completion Update (completeTask)', raw));
  console.log(row("no-op Update round trip (sync): Temporal's floor", floor));
  console.log(`  API / raw p50 ${(pct(api, 50) / pct(raw, 50)).toFixed(2)}×, raw / floor p50 ${(pct(raw, 50) / pct(floor, 50)).toFixed(2)}×`);
  console.log(`completion/floor p50 ratio: ${ratio.toFixed(2)}`);

  await close();
  await stack.stop();
  return { ratio };
}

if (require.main === module) {
  completionRatio().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
