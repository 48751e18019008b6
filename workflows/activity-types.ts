// The activities the workflows call, by concern, as the workflows see them: each concern is proxied
// with its own options (timeouts, heartbeats, retries). activities/ implements them; the workflows
// import only these types, so workflow code never reaches into the activities' modules.
import type { AccountabilityCase, Recognition, Standing } from '../domain/assessment';
import type { EscalatedProject } from '../domain/bulletin';
import type { ProjectionEvent, ProjectionFailure } from '../domain/events';
import type { DecisionAct, DecisionResult, MeetingItem } from '../domain/meetings';
import type { Actor } from '../domain/organisation';
import type { Policy } from '../domain/policy';
import type { HolidayTable } from '../domain/working-days';

/** The projection: the only writer of projects, tasks, the timeline and the notification outbox. */
export interface ProjectionActivities {
  /**
   * Writes a batch of a workflow's projection events, each exactly once (chain: the first run of a
   * non-project workflow). A batch no retry could write (bad data) fails as PROJECTION_REJECTED, not retryable.
   */
  applyProjection(workflowId: string, events: ProjectionEvent[], chain?: string): Promise<{ applied: number }>;
  /** Records a batch the projection rejected, without its data, for ADMIN to see. */
  recordProjectionFailure(failure: ProjectionFailure): Promise<void>;
}

export type { ProjectionFailure };

/** 八, 十一: the county's reports, each stored once (a repeated run answers from the first). */
export interface ReportActivities {
  /** 八 月研判: the month's agenda; `meeting` is the agenda of the 分管副县长's meeting.monthlyReview. */
  storeMonthlyAgenda(run: { month: string; at: string }, policy: Policy): Promise<{ items: number; flagged: number; meeting: MeetingItem[] }>;
  /** 八 季调度（通报）: the quarter's bulletin; `meeting` is the dispatch list of the 县长's meeting.quarterlyDispatch. */
  storeQuarterlyBulletin(
    run: { quarter: string; at: string; escalated?: EscalatedProject[] }, policy: Policy,
  ): Promise<{ signed: number; dispatch: number; quotaShortfalls: number; meeting: MeetingItem[] }>;
  /** 十一 年总结: the year's scores, ranking within category and the accountability it calls for. */
  storeAnnualAssessment(
    run: { year: number; at: string; previous?: { year: number; standings: Standing[] } | null }, policy: Policy,
  ): Promise<{ units: number; accountability: AccountabilityCase[]; standings: Standing[]; recognition?: Recognition | null }>;
}

export interface MonthlyProgressResult {
  month: string; opened: string[]; alreadyOpen: string[]; ended: string[];
  /** §4 工作日: the holiday table the worker has now, given to every project and taken by the county calendar (absent from runs recorded before) */
  holidays?: HolidayTable;
  /** §9: the current policy version, which the county calendar takes at this run (absent while no version was ever put) */
  policy?: { version: number; policy: Policy };
}

/** 八: the county calendar acts on the project workflows, through their Updates (safe to repeat). */
export interface ProjectCommandActivities {
  /** 八 月研判: a monthly.progress task in every active project, due the 5th. */
  openMonthlyProgress(run: { month: string; progressDueAt: string }): Promise<MonthlyProgressResult>;
  /** 八: a meeting's coordinate / terminate decisions, carried out in the projects' workflows. */
  actOnMeetingDecisions(input: {
    meeting: { taskId: string; title: string; period: string };
    actor: Actor; decisions: DecisionAct[]; coordinationDueAt: string;
  }): Promise<DecisionResult[]>;
}

/** 三: trip-quota reminders one month before the quarter ends (once per person and quarter). */
export interface TripQuotaActivities {
  remindTripQuota(run: { quarter: string; at: string }, policy: Policy): Promise<{ reminded: number }>;
}

/** §8: one round of the notice relay — plan new receipts into deliveries, send the due ones (activities/relay.ts). */
export interface RelayActivities {
  relayDeliveries(policy: Policy, limit: number): Promise<{ planned: number; sent: number; retried: number; failed: number; more: boolean; nextDueAt: string | null }>;
}

export type Activities = ProjectionActivities & ReportActivities & ProjectCommandActivities & TripQuotaActivities & RelayActivities;
