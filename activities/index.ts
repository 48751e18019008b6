// Activities: the only code that writes the database on behalf of workflows, and that acts on other
// workflows for the county calendar. They implement the contract the workflows declare
// (workflows/activity-types.ts), one module per concern.
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { Activities } from '../workflows/activity-types';
import { actOnMeetingDecisions, openMonthlyProgress } from './project-commands';
import { createProjectionWriter, recordProjectionFailure } from './projection';
import { storeAnnualAssessment, storeMonthlyAgenda, storeQuarterlyBulletin } from './reports';
import { remindTripQuota } from './trip-quota';
import type { Channel } from './channels';
import { relayDeliveries } from './relay';
import { pokeRelay } from '../workflows/messages/notice-relay';

/** `channels`: where notices are delivered besides the in-app inbox (runtime/config.ts, NOTIFY_*); none by default. */
export function createActivities(db: Db, client: Client, channels: Channel[] = []): Activities {
  // issue 15: the batches of the workflows' projection activities that arrive together, committed together
  const project = createProjectionWriter(db);
  return {
    applyProjection: async (workflowId, events, chain) => {
      const r = await project({ workflowId, events, ...(chain !== undefined ? { chain } : {}) });
      // new notices: the relay looks now rather than at its next poll (best effort: it polls anyway)
      if (channels.length && events.some((e) => e.kind === 'TASK_LADDER')) await pokeRelay(client);
      return r;
    },
    recordProjectionFailure: (failure) => recordProjectionFailure(db, failure),
    storeMonthlyAgenda: (run, policy) => storeMonthlyAgenda(db, run, policy),
    storeQuarterlyBulletin: (run, policy) => storeQuarterlyBulletin(db, run, policy),
    storeAnnualAssessment: (run, policy) => storeAnnualAssessment(db, run, policy),
    openMonthlyProgress: (run) => openMonthlyProgress(db, client, run),
    actOnMeetingDecisions: (input) => actOnMeetingDecisions(client, input),
    remindTripQuota: async (run, policy) => {
      const r = await remindTripQuota(db, run, policy);
      if (channels.length && r.reminded) await pokeRelay(client);
      return r;
    },
    relayDeliveries: (policy, limit) => relayDeliveries(db, channels, policy, limit),
  };
}

