// Activities of the county calendar (八): they act on many project workflows at once, through the
// Temporal client, and read the projection to find the projects concerned.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { TERMINAL_STAGES } from '../domain/pipeline';
import { openPeriodicTaskUpdate } from '../workflows/definitions';

export interface MonthlyProgressResult { month: string; opened: string[]; alreadyOpen: string[]; ended: string[] }

/** 八 月研判: a monthly.progress task in every active project, due the 5th; safe to repeat. */
export async function openMonthlyProgress(db: Db, client: Client, run: { month: string; progressDueAt: string }): Promise<MonthlyProgressResult> {
  const projects = await db.project.findMany({
    where: { stage: { notIn: [...TERMINAL_STAGES] } },
    select: { id: true, workflowId: true },
    orderBy: { id: 'asc' },
  });
  const result: MonthlyProgressResult = { month: run.month, opened: [], alreadyOpen: [], ended: [] };
  for (const [i, p] of projects.entries()) {
    Context.current().heartbeat(i);
    try {
      const r = await client.workflow.getHandle(p.workflowId).executeUpdate(openPeriodicTaskUpdate, {
        args: [{ type: 'monthly.progress', period: run.month, dueAt: run.progressDueAt }],
      });
      (r.created ? result.opened : result.alreadyOpen).push(p.id);
    } catch (e) {
      // the project ended between the query and the Update: nothing to report any more
      if (e instanceof WorkflowNotFoundError || (e instanceof WorkflowUpdateFailedError && (e.cause as { type?: string })?.type === 'CONFLICT')) {
        result.ended.push(p.id);
      } else {
        throw e;
      }
    }
  }
  return result;
}
