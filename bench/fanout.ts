// Benchmark (issue 15, goal 4): what a cached workflow costs the worker, and the monthly 研判 fan-out
// (八: a monthly.progress task in every active project) over many live projects on one worker with
// production's bounded workflow cache. npm start's configuration (benchStack). Targets: ≤ 0.5 MB per
// cached workflow; the fan-out over 10,000 projects within 2 minutes. It measures and prints; it
// asserts nothing.
//   tsx --expose-gc bench/fanout.ts [--cached 1000] [--projects 10000] [--memory-only | --fanout-only]
import { registerProject } from '../api/register-project';
import { DEFAULT_POLICY } from '../domain/policy';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { COUNTY_CALENDAR_ID } from '../workflows/messages/county-calendar';
import { arg, benchStack, LEAD, MAX_CACHED_WORKFLOWS } from './stack';

const MB = 1024 * 1024;
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    global.gc?.();
    await new Promise((r) => setTimeout(r, 200));
  }
  return process.memoryUsage();
};

/** Registers `count` projects, `lanes` at a time; prints progress every `every`. */
async function register(stack: Awaited<ReturnType<typeof benchStack>>, count: number, lanes = 32, every = 0): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: lanes }, async () => {
    for (let i = next++; i < count; i = next++) {
      await registerProject({ db: stack.db, temporal: stack.client, taskQueue: stack.taskQueue, policy: DEFAULT_POLICY }, { ...LEAD, name: `扇出项目${i}` }, 'info1');
      if (every && (i + 1) % every === 0) console.log(`    ${i + 1} registered (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }));
  return (performance.now() - t0) / 1000;
}

export async function cachedWorkflowMemory(count = arg('cached', 1000)): Promise<{ mbPerWorkflow: number }> {
  if (!global.gc) console.log('  (run node with --expose-gc for steadier memory figures)');
  const stack = await benchStack('bench-memory', { maxCachedWorkflows: count + 100 });
  // warm-up: compiled code, pools, caches, and the workflow threads' young generation grown to its size
  // (64 MB semi-spaces, section Configuration: a fixed cost of each thread, not of a workflow)
  await register(stack, 300);
  const before = await settle();
  await register(stack, count);
  const after = await settle();
  const rss = (after.rss - before.rss) / count / MB;
  const heap = (after.heapUsed - before.heapUsed) / count / MB;
  console.log(`\nmemory of cached workflows: ${count} more project workflows in the worker's cache (cache ${count + 100}), one process (worker, client, SQLite)`);
  console.log(`  RSS ${(before.rss / MB).toFixed(0)} → ${(after.rss / MB).toFixed(0)} MB, V8 heap ${(before.heapUsed / MB).toFixed(0)} → ${(after.heapUsed / MB).toFixed(0)} MB: ${heap.toFixed(2)} MB of heap each`);
  console.log(`worker MB per cached workflow: ${rss.toFixed(2)}`);
  await stack.stop();
  return { mbPerWorkflow: rss };
}

export async function monthlyFanout(projects = arg('projects', 10_000)): Promise<{ seconds: number }> {
  const stack = await benchStack('bench-fanout');
  console.log(`\nthe monthly 研判 fan-out over ${projects} live projects on one worker (workflow cache ${MAX_CACHED_WORKFLOWS}); registering them …`);
  const registering = await register(stack, projects, 32, 1000);
  const rss = (await settle()).rss;
  console.log(`  ${projects} registered in ${registering.toFixed(0)} s (${(projects / registering).toFixed(1)} a second); process RSS ${(rss / MB).toFixed(0)} MB`);
  // the county calendar on a rehearsal clock two seconds before a 1st at 09:00 (domain/cycles.ts CalendarClock)
  const runAt = Date.now() + 2000;
  await ensureCountyCalendar(stack.client, stack.taskQueue, { policy: DEFAULT_POLICY, clock: { from: '2027-12-01T08:59:58+08:00', speed: 1 } });
  let opened = 0;
  let last = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    opened = await stack.db.task.count({ where: { type: 'monthly.progress' } });
    const s = (Date.now() - runAt) / 1000;
    if (opened >= projects || s > 600) break;
    if (s - last >= 15) {
      console.log(`    ${opened} monthly.progress tasks open after ${s.toFixed(0)} s`);
      last = s;
    }
  }
  const seconds = (Date.now() - runAt) / 1000;
  console.log(`  ${opened} of ${projects} monthly.progress tasks open ${seconds.toFixed(1)} s after the run's instant (${(opened / seconds).toFixed(0)} a second); process RSS ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);
  console.log(`monthly fan-out seconds for ${projects} projects: ${seconds.toFixed(1)}`);
  await stack.client.workflow.getHandle(COUNTY_CALENDAR_ID).terminate('基准测试结束');
  await stack.stop();
  return { seconds };
}

if (require.main === module) {
  (async () => {
    if (!process.argv.includes('--fanout-only')) await cachedWorkflowMemory();
    if (!process.argv.includes('--memory-only')) await monthlyFanout();
  })().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
