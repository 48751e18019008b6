// Messages of the county calendar (八 月研判、季调度、年总结; 三; 十一): its name, workflow id, input,
// state and Query, and the ids of its tasks — defined once and imported by the workflow, the runtime
// that starts it, the API, the simulation and the tests. The Updates on its tasks are in ./tasks.
import { defineQuery } from '@temporalio/workflow';
import type { AccountabilityStep, Standing } from '../../domain/assessment';
import type { CalendarClock } from '../../domain/cycles';
import type { Decision, DecisionResult } from '../../domain/meetings';
import type { Policy } from '../../domain/policy';
import type { HolidayTable } from '../../domain/working-days';
import type { TaskBookState } from './tasks';

export const COUNTY_CALENDAR_WORKFLOW = 'countyCalendarWorkflow';
export const COUNTY_CALENDAR_ID = 'county-calendar';

export interface CalendarRun {
  month: string; at: string; opened: number; alreadyOpen: number; ended: number; agendaItems: number; flagged: number;
  /** 八 月研判: the meeting.monthlyReview task opened for this month, else null (no active project) */
  monthlyReview: string | null;
  /** 三: people reminded of their trip quota (the third month of a quarter), else null */
  quotaReminders: number | null;
  /** 八 季调度: the quarter whose 通报 this run published (the first month of a quarter), with its meeting.quarterlyDispatch task (null: nothing to dispatch) */
  bulletin: { quarter: string; signed: number; dispatch: number; quotaShortfalls: number; meeting: string | null } | null;
  /** 十一 年总结: the year assessed in this run (January), with the accountability tasks opened */
  annual: { year: number; units: number; accountability: number; tasks: string[]; recognition?: string | null } | null;
}

/** What a meeting decided, as the calendar keeps it (the decisions themselves are the task's outcome data). */
export interface MeetingRecord { taskId: string; period: string; decisions: Decision[]; results: DecisionResult[] }

export interface CalendarState extends TaskBookState {
  /** projection sequence of this workflow chain */
  seq: number;
  /** §9: the policy version the calendar runs under (absent: the one it was started with) */
  policyVersion?: number;
  /** the last month whose 月研判 ran (YYYY-MM): a continued run never repeats it */
  lastMonthly: string | null;
  /** the recent runs, newest last (bounded) */
  runs: CalendarRun[];
  /** 八: projects the 月研判 escalated to the 县长, waiting for the next quarterly dispatch list */
  escalated: Record<string, { month: string; instruction: string }>;
  /** the recent meetings' decisions, newest last (bounded) */
  meetings: MeetingRecord[];
  /** 十一: the last year's ranking, which next January's accountability ladder reads */
  standings?: { year: number; standings: Standing[] } | null;
}
export interface CalendarInput {
  policy: Policy;
  /** §4 工作日: the holiday table the run starts counting with (each monthly run brings the worker's current one) */
  holidays?: HolidayTable;
  /** present when the workflow continues as new (after each January run, or when Temporal suggests it) */
  carried?: CalendarState;
  /** 八: a rehearsal's clock (absent: the county's real time, as in production) */
  clock?: CalendarClock;
}

export const calendarStateQuery = defineQuery<CalendarState>('calendarState');

/** County task ids name what they are for: CAL-2027-03-MR, CAL-2027-Q1-QD, CAL-2027-L03-REASSIGN. */
export const countyTaskId = {
  monthlyReview: (month: string) => `CAL-${month}-MR`,
  quarterlyDispatch: (quarter: string) => `CAL-${quarter}-QD`,
  accountability: (year: number, unitId: string, step: AccountabilityStep) => `CAL-${year}-${unitId}-${step}`,
  recognition: (year: number) => `CAL-${year}-RECOGNITION`,
};
