// Starts the county calendar once per deployment; a second start finds it running (idempotent).
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { holidaysForRuns } from '../domain/holiday-table';
import { COUNTY_CALENDAR_ID, COUNTY_CALENDAR_WORKFLOW, type CalendarInput } from '../workflows/messages/county-calendar';

export async function ensureCountyCalendar(client: Client, taskQueue: string, args: CalendarInput): Promise<'started' | 'running'> {
  try {
    await client.workflow.start(COUNTY_CALENDAR_WORKFLOW, {
      workflowId: COUNTY_CALENDAR_ID,
      taskQueue,
      args: [{ holidays: holidaysForRuns(Date.now()), ...args }], // §4 工作日: the installed table unless given
      staticSummary: '南县招商引资工作日历：月研判、季调度（通报）、年总结（南政发〔2022〕6号 八）',
    });
    return 'started';
  } catch (e) {
    if (e instanceof WorkflowExecutionAlreadyStartedError) return 'running';
    throw e;
  }
}
