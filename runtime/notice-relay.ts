// Starts the notice relay once per deployment (§8); a second start finds it running (idempotent).
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { NOTICE_RELAY_ID, NOTICE_RELAY_WORKFLOW, type NoticeRelayInput } from '../workflows/messages/notice-relay';

export async function ensureNoticeRelay(client: Client, taskQueue: string, args: NoticeRelayInput): Promise<'started' | 'running'> {
  try {
    await client.workflow.start(NOTICE_RELAY_WORKFLOW, {
      workflowId: NOTICE_RELAY_ID, taskQueue, args: [args],
      staticSummary: '消息投递：把提醒、逾期和督办通知送到邮件、企业微信、钉钉和 webhook（§8）',
    });
    return 'started';
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) return 'running';
    throw e;
  }
}
