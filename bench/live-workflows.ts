// Benchmark: many live project workflows on one worker, each waiting on its ladder timers.
// Starts them in steps up to --n (default 1,000), and at each step prints the time it took to start
// them, the worker process's RSS (worker, client and SQLite in one process) and the dev server's, and
// the p50 / p95 of completing a task (a raw Update) among that many live workflows; then how many fit
// before the completion p95 doubles from the first step. Prints only; asserts nothing.
import fs from 'node:fs';
import { completeTaskUpdate } from '../workflows/messages/tasks';
import { ACCEPT, arg, benchStack, INFO_MEMBER, MAX_CACHED_WORKFLOWS, pct } from './stack';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rssOf = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
};

export async function liveWorkflows(total = arg('n', 1000)): Promise<void> {
  const steps = [100, 250, 500, 1000, 2000].filter((s) => s < total).concat(total);
  const stack = await benchStack('bench-live');
  const { client, server } = stack;

  const open: { workflowId: string; taskId: string }[] = [];
  let live = 0;
  let startedMs = 0;
  const rows: { live: number; startMs: number; rss: number; serverRss: number; p50: number; p95: number }[] = [];
  console.log(`\n${total} live project workflows on one worker (dev server, SQLite projection, workflow cache ${MAX_CACHED_WORKFLOWS})`);
  console.log('  live   start (total)   worker RSS   server RSS   completion p50 / p95');
  for (const target of steps) {
    const t0 = performance.now();
    const queue = Array.from({ length: target - live }, () => 0);
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (queue.pop() !== undefined) {
        open.push(await stack.newTask());
      }
    }));
    startedMs += performance.now() - t0;
    live = target;
    const samples: number[] = [];
    for (let i = 0; i < Math.min(40, open.length); i++) {
      const w = open.splice(Math.floor(Math.random() * open.length), 1)[0];
      const t = performance.now();
      await client.workflow.getHandle(w.workflowId).executeUpdate(completeTaskUpdate, { args: [{ taskId: w.taskId, ...ACCEPT, actor: INFO_MEMBER }] });
      samples.push(performance.now() - t);
    }
    global.gc?.();
    const row = { live, startMs: startedMs, rss: process.memoryUsage().rss, serverRss: rssOf(server.process.pid!), p50: pct(samples, 50), p95: pct(samples, 95) };
    rows.push(row);
    console.log(`  ${String(live).padStart(5)}   ${(row.startMs / 1000).toFixed(1).padStart(6)} s (${(row.startMs / live).toFixed(1)} ms each)   ${mb(row.rss).padStart(7)}   ${mb(row.serverRss).padStart(9)}   ${row.p50.toFixed(1).padStart(7)} / ${row.p95.toFixed(1)} ms`);
  }
  const base = rows[0].p95;
  const doubled = rows.find((r) => r.p95 > 2 * base);
  console.log(doubled
    ? `  completion p95 doubled (from ${base.toFixed(1)} ms at ${rows[0].live}) at ${doubled.live} live workflows`
    : `  completion p95 did not double up to ${total} live workflows (${base.toFixed(1)} → ${rows[rows.length - 1].p95.toFixed(1)} ms): more than ${total} fit`);

  await stack.stop();
}

if (require.main === module) {
  liveWorkflows().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
