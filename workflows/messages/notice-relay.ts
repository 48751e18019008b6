// The notice relay's id and messages, shared by the workflow, the activities and the API (§8).
import type { Client } from '@temporalio/client';
import { defineSignal } from '@temporalio/workflow';
import type { Policy } from '../../domain/policy';

export const NOTICE_RELAY_ID = 'notice-relay';
export const NOTICE_RELAY_WORKFLOW = 'noticeRelayWorkflow';
export interface NoticeRelayInput { policy: Policy }
/** New notices, or a delivery put back to PENDING by ADMIN: look now rather than at the next poll. */
export const pokeRelaySignal = defineSignal('pokeRelay');

/** Tells the relay there is something new (from an activity or the API); if it is not running, its next start finds it anyway. */
export async function pokeRelay(client: Client): Promise<void> {
  await client.workflow.getHandle(NOTICE_RELAY_ID).signal(pokeRelaySignal).catch(() => undefined);
}
