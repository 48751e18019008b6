// Benchmark: the number of history events of a whole 一事一议 project life, lead to IN_PRODUCTION,
// with every task left open until its whole ladder has fired (reminder, overdue, levels 2–4) — the
// worst case of timers. On the time-skipping server. Target: < 5,000 events per run. Prints only.
import { snapshotQuery } from '../workflows/messages/project';
import { startWorkflowEnv } from '../harness/workflow-env';
import { DAY_MS, DEFAULT_POLICY } from '../domain/policy';

export async function historySize(): Promise<void> {
  const w = await startWorkflowEnv('bench-history');
  try {
    const p = await w.register({ name: '基准·一事一议全生命周期', isCaseByCase: true });
    const handle = w.env.client.workflow.getHandle(p.workflowId);
    let tasks = 0;
    for (;;) {
      const snap = await handle.query(snapshotQuery);
      if (snap.stage === 'IN_PRODUCTION') break;
      const task = snap.openTasks[0];
      // leave it open past D + level-4 days, so every step of its ladder fires
      const until = Date.parse(task.dueAt) + (DEFAULT_POLICY.ladder.level4AfterDays + 1) * DAY_MS;
      await w.env.sleep(Math.max(1, until - (await w.env.currentTimeMs())));
      await w.step(p.workflowId);
      tasks++;
    }
    await handle.result();
    const history = await handle.fetchHistory();
    const events = history.events?.length ?? 0;
    const ladders = await w.store.db.notification.count({ where: { projectId: p.projectId } });
    console.log(`\nhistory of a whole 一事一议 life with every ladder timer (time-skipping server)`);
    console.log(`  ${tasks} tasks, ${ladders} ladder notifications, ${events} history events in one run (target < 5,000)`);
  } finally {
    await w.teardown();
  }
}

if (require.main === module) {
  historySize().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
