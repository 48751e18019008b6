// Activities: the only code that writes the database on behalf of workflows, and that acts on
// other workflows for the county calendar.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { ProjectionEvent } from '../domain/events';
import type { Policy } from '../domain/policy';
import type { Actor } from '../domain/completion';
import type { EscalatedProject } from '../domain/bulletin';
import type { Standing } from '../domain/assessment';
import type { DecisionAct } from '../domain/meetings';
import {
  actOnMeetingDecisions, openMonthlyProgress, remindTripQuota, storeAnnualAssessment, storeMonthlyAgenda, storeQuarterlyBulletin,
} from './calendar';
import { applyProjectionEvents } from './projection';

export function createActivities(db: Db, client: Client) {
  return {
    /** 八 月研判: a monthly progress task in every active project (idempotent per month). */
    async openMonthlyProgress(run: { month: string; progressDueAt: string }) {
      return openMonthlyProgress(db, client, run);
    },
    /** 八 月研判: the month's agenda, stored as a report (once per month). */
    async storeMonthlyAgenda(run: { month: string; at: string }, policy: Policy) {
      return storeMonthlyAgenda(db, run, policy);
    },
    /** 三: trip-quota reminders one month before the quarter ends (once per person and quarter). */
    async remindTripQuota(run: { quarter: string; at: string }, policy: Policy) {
      return remindTripQuota(db, run, policy);
    },
    /** 八 季调度（通报）: the quarter's bulletin, stored once as a report. */
    async storeQuarterlyBulletin(run: { quarter: string; at: string; escalated?: EscalatedProject[] }, policy: Policy) {
      return storeQuarterlyBulletin(db, run, policy);
    },
    /** 十一 年总结: the year's scores, ranking within category and accountability, stored once. */
    async storeAnnualAssessment(run: { year: number; at: string; previous?: { year: number; standings: Standing[] } | null }, policy: Policy) {
      return storeAnnualAssessment(db, run, policy);
    },
    /** 八: a meeting's coordinate / terminate decisions, carried out in the projects' workflows (idempotent). */
    async actOnMeetingDecisions(input: { meeting: { taskId: string; title: string; period: string }; actor: Actor; decisions: DecisionAct[]; coordinationDueAt: string }) {
      return actOnMeetingDecisions(client, input);
    },
    /** Writes a batch of a workflow's projection events, each exactly once (chain: the first run of a non-project workflow). */
    async applyProjection(workflowId: string, events: ProjectionEvent[], chain?: string): Promise<{ applied: number }> {
      return applyProjectionEvents(db, workflowId, events, chain);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
