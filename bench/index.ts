// `npm run bench`: the benchmarks, one after another. They measure and print; they assert nothing.
//   1. completing a task through the API beside a raw Temporal Update (target API ≤ 1.3 × raw)
//   2. many live project workflows on one worker (start time, RSS, completion p95 as they grow)
//   3. the history events of a whole 一事一议 life with every ladder timer (target < 5,000)
//   4. notice deliveries per second through the relay to a local webhook, and the delay to the receiver (§8)
//   5. the workbench's compressed JavaScript for the inbox's initial load (§10, target ≤ 300 KB)
// Each also runs alone: tsx bench/complete-task.ts | live-workflows.ts [--n 1000] | history-size.ts | notice-relay.ts [--n 1000] | web-bundle.ts
import { installRuntimeLogger } from '../runtime/logging';
import { completionRatio } from './complete-task';
import { historySize } from './history-size';
import { liveWorkflows } from './live-workflows';
import { noticeRelay } from './notice-relay';
import { webBundle } from './web-bundle';

async function main() {
  installRuntimeLogger('warn');
  await completionRatio();
  await liveWorkflows();
  await historySize();
  await noticeRelay();
  await webBundle();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
