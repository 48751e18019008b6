// Activities: the only code that writes the database on behalf of workflows, and that acts on other
// workflows for the county calendar. They implement the contract the workflows declare
// (workflows/activity-types.ts), one module per concern.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { Activities } from '../workflows/activity-types';
import { actOnMeetingDecisions, openMonthlyProgress } from './project-commands';
import { applyProjectionEvents, recordProjectionFailure } from './projection';
import { storeAnnualAssessment, storeMonthlyAgenda, storeQuarterlyBulletin } from './reports';
import { remindTripQuota } from './trip-quota';

export function createActivities(db: Db, client: Client): Activities {
  return {
    applyProjection: (workflowId, events, chain) => applyProjectionEvents(db, workflowId, events, chain),
    recordProjectionFailure: (failure) => recordProjectionFailure(db, failure),
    storeMonthlyAgenda: (run, policy) => storeMonthlyAgenda(db, run, policy),
    storeQuarterlyBulletin: (run, policy) => storeQuarterlyBulletin(db, run, policy),
    storeAnnualAssessment: (run, policy) => storeAnnualAssessment(db, run, policy),
    openMonthlyProgress: (run) => openMonthlyProgress(db, client, run),
    actOnMeetingDecisions: (input) => actOnMeetingDecisions(client, input),
    remindTripQuota: (run, policy) => remindTripQuota(db, run, policy),
  };
}
