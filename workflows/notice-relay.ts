// §8 the notice relay: one workflow per deployment (id notice-relay, so however many workers run, one
// relay sends) that works in rounds — each round an activity plans new receipts into deliveries and
// sends the due ones under a row claim (activities/relay.ts). Between rounds it waits for the next
// delivery due, a poke (new notices, a retry by ADMIN), or the poll interval, whichever comes first.
// The deliveries live in the database, so a killed worker or a restarted relay loses nothing.
import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { RelayActivities } from './activity-types';
import { pokeRelaySignal, type NoticeRelayInput } from './messages/notice-relay';

const { relayDeliveries } = proxyActivities<RelayActivities>({
  startToCloseTimeout: '10 minutes', heartbeatTimeout: '30 seconds', // it heartbeats per delivery; a killed worker's round is taken over after this
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

const POLL_MS = 60_000; // new notices are found at least this often, also without a poke
const BATCH = 100;

export async function noticeRelayWorkflow(input: NoticeRelayInput): Promise<void> {
  let poked = false;
  setHandler(pokeRelaySignal, () => {
    poked = true;
  });
  for (;;) {
    poked = false;
    const round = await relayDeliveries(input.policy, BATCH);
    if (round.more) continue;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 2_000) return continueAsNew<typeof noticeRelayWorkflow>(input);
    const untilDue = round.nextDueAt ? Date.parse(round.nextDueAt) - Date.now() : POLL_MS;
    if (!poked) await condition(() => poked, Math.max(1_000, Math.min(POLL_MS, untilDue)));
  }
}
