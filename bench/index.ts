// `npm run bench`: the benchmarks, one after another. They measure and print; they assert nothing.
// All run in `npm start`'s configuration (bench/stack.ts): the dev server on an SQLite file in WAL mode,
// the service's SQLite file, one worker with production's workflow cache.
//   1. completing a task through the API beside Temporal's floor, a no-op Update (issue 15: ≤ 2.0×)
//   2. throughput: 32 clients, registrations and completions a second through the API (≥ 40 and ≥ 60)
//   3. memory per cached workflow (≤ 0.5 MB) and the monthly 研判 fan-out over 10,000 projects (≤ 2 min)
//   4. many live project workflows on one worker (start time, RSS, completion p95 as they grow)
//   5. the history events of a whole 一事一议 life with every ladder timer (target < 5,000)
//   6. notice deliveries per second through the relay to a local webhook, and the delay to the receiver (§8)
//   7. the workbench's compressed JavaScript for the inbox's initial load (§10, target ≤ 300 KB)
// Each also runs alone: tsx bench/complete-task.ts | throughput.ts | fanout.ts [--projects N] |
// live-workflows.ts [--n 1000] | history-size.ts | notice-relay.ts [--n 1000] | web-bundle.ts
import { installRuntimeLogger } from '../runtime/logging';
import { completionRatio } from './complete-task';
import { cachedWorkflowMemory, monthlyFanout } from './fanout';
import { historySize } from './history-size';
import { liveWorkflows } from './live-workflows';
import { noticeRelay } from './notice-relay';
import { throughput } from './throughput';
import { webBundle } from './web-bundle';

async function main() {
  installRuntimeLogger('warn');
  const started = Date.now();
  await completionRatio();
  await throughput();
  await cachedWorkflowMemory();
  await monthlyFanout();
  await liveWorkflows();
  await historySize();
  await noticeRelay();
  await webBundle();
  console.log(`\nbenchmarks done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
