// The county calendar (八: 月研判、季调度、年总结): one long-lived workflow per deployment,
// `county-calendar`, that sleeps to the next calendar boundary in Asia/Shanghai and runs that cycle.
// No person has to remember to start anything. Built so far: 月研判's progress reports and agenda,
// the trip-quota reminders of 三, the quarterly 通报 and the annual assessment with its ranking and
// accountability. (The meeting tasks that act on them are still to come.)
import { continueAsNew, defineQuery, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { bulletinQuarter, nextMonthlyRun, quotaReminderQuarter } from '../domain/cycles';
import type { Policy } from '../domain/policy';

const { openMonthlyProgress, remindTripQuota, storeAnnualAssessment, storeMonthlyAgenda, storeQuarterlyBulletin } = proxyActivities<Activities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

export const COUNTY_CALENDAR_WORKFLOW = 'countyCalendarWorkflow';
export const COUNTY_CALENDAR_ID = 'county-calendar';

export interface CalendarRun {
  month: string; at: string; opened: number; alreadyOpen: number; ended: number; agendaItems: number; flagged: number;
  /** 三: people reminded of their trip quota (the third month of a quarter), else null */
  quotaReminders: number | null;
  /** 八 季调度: the quarter whose 通报 this run published (the first month of a quarter), else null */
  bulletin: { quarter: string; signed: number; dispatch: number; quotaShortfalls: number } | null;
  /** 十一 年总结: the year assessed in this run (January), else null */
  annual: { year: number; units: number; accountability: number } | null;
}
export interface CalendarState {
  /** the last month whose 月研判 ran (YYYY-MM): a continued run never repeats it */
  lastMonthly: string | null;
  /** the recent runs, newest last (bounded) */
  runs: CalendarRun[];
}
export interface CalendarInput {
  policy: Policy;
  carried?: CalendarState;
  /**
   * Continue as new after each January run (default). Tests on the time-skipping server turn it off:
   * that server keeps time locked when a run continues as new during a time skip.
   */
  yearlyContinueAsNew?: boolean;
}

export const calendarStateQuery = defineQuery<CalendarState>('calendarState');
const KEEP_RUNS = 24;

export async function countyCalendarWorkflow(input: CalendarInput): Promise<void> {
  const s: CalendarState = input.carried ?? { lastMonthly: null, runs: [] };
  setHandler(calendarStateQuery, () => s);

  for (;;) {
    const run = nextMonthlyRun(Date.now());
    // sleep to the 1st at 09:00 (Asia/Shanghai); a server restart or worker outage only delays it
    await sleep(run.at.getTime() - Date.now());
    if (s.lastMonthly !== run.month) {
      // 八 月研判: every active project reports its progress by the 5th
      const at = new Date().toISOString();
      const r = await openMonthlyProgress({ month: run.month, progressDueAt: run.progressDueAt.toISOString() });
      // the agenda of the 分管副县长's meeting: every active project, stalled and escalated ones flagged
      const agenda = await storeMonthlyAgenda({ month: run.month, at }, input.policy);
      // 三: one month before the quarter ends, those short of their trip quota are reminded
      const quarter = quotaReminderQuarter(run.month);
      const quota = quarter ? await remindTripQuota({ quarter, at }, input.policy) : null;
      // 八 季调度: the first run of a quarter publishes the 通报 of the quarter that ended
      const ended = bulletinQuarter(run.month);
      const bulletin = ended ? { quarter: ended, ...(await storeQuarterlyBulletin({ quarter: ended, at }, input.policy)) } : null;
      // 十一 年总结: in January, the year before is scored, ranked within category and held to account
      const assessed = run.month.endsWith('-01') ? Number(run.month.slice(0, 4)) - 1 : null;
      const annual = assessed ? { year: assessed, ...(await storeAnnualAssessment({ year: assessed, at }, input.policy)) } : null;
      s.lastMonthly = run.month;
      s.runs.push({
        month: run.month, at, opened: r.opened.length, alreadyOpen: r.alreadyOpen.length, ended: r.ended.length,
        agendaItems: agenda.items, flagged: agenda.flagged, quotaReminders: quota ? quota.reminded : null, bulletin, annual,
      });
      s.runs.splice(0, Math.max(0, s.runs.length - KEEP_RUNS));
    }
    // once a year (after January's run), or when Temporal suggests it, continue as new with the state
    if ((run.month.endsWith('-01') && input.yearlyContinueAsNew !== false) || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof countyCalendarWorkflow>({ ...input, carried: s });
    }
  }
}
