// Moving the time-skipping server's clock through the county calendar (八): to just past an instant,
// or to the next monthly run whose month a test names.
import { nextMonthlyRun, type MonthlyRun } from '../../domain/cycles';
import type { WorkflowEnv } from '../../harness/workflow-env';

/** Skips time to a minute past the instant (the calendar's run at that instant has then happened). */
export async function sleepPast(w: WorkflowEnv, at: Date | number): Promise<void> {
  const t = typeof at === 'number' ? at : at.getTime();
  await w.env.sleep(t - (await w.env.currentTimeMs()) + 60_000);
}

/** The first monthly run from now (or from `after`) whose month passes the test, within three years. */
export async function nextRunWhere(w: WorkflowEnv, test: (month: string) => boolean, after?: number): Promise<MonthlyRun> {
  let run = nextMonthlyRun(after ?? (await w.env.currentTimeMs()));
  for (let i = 0; !test(run.month); i++) {
    if (i > 36) throw new Error('no such month within three years');
    run = nextMonthlyRun(run.at.getTime());
  }
  return run;
}
