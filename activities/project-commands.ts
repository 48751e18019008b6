// 八: the county calendar acts on the project workflows — a monthly progress task in each (月研判),
// the meetings' instructions and terminations — through the projects' own Updates, so a project
// changes only in its workflow. Both are safe to repeat, and heartbeat as they go from project to project.
import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Db } from '../db/client';
import { latestPolicyVersion } from '../db/policy';
import type { Actor } from '../domain/organisation';
import { DECISION_NAMES, type DecisionAct, type DecisionResult } from '../domain/meetings';
import { holidaysForRuns } from '../domain/holiday-table';
import { TERMINAL_STAGES } from '../domain/pipeline';
import { workflowIdOf } from '../domain/project';
import { projectionFailureOf, type ProjectionEvent } from '../domain/events';
import { unitNameOf } from '../domain/units';
import type { MonthlyProgressResult } from '../workflows/activity-types';
import { openCalendarTaskUpdate, terminateProjectUpdate } from '../workflows/messages/project';
import { createProjectionWriter, recordProjectionFailure } from './projection';

/**
 * How many projects openMonthlyProgress sends its Update to at once. Issue 15: each Update is one
 * workflow task of the project (a cold one replayed first), so lanes wait mostly on the server and the
 * worker's threads: 2,000 cold projects took 42 s with 8 lanes, 38 s with 32 (one workflow thread,
 * session 11); cached and with two threads, 10,000 take 65–73 s (session 12).
 */
const MONTHLY_PROGRESS_CONCURRENCY = 32;

/** An Update to a project refused because the project has ended (its workflow closed, or CONFLICT: terminal stage). */
const projectEnded = (e: unknown) =>
  e instanceof WorkflowNotFoundError || (e instanceof WorkflowUpdateFailedError && (e.cause as { type?: string })?.type === 'CONFLICT');

/** 八 月研判: a monthly.progress task in every active project, due the 5th; safe to repeat. */
export async function openMonthlyProgress(db: Db, client: Client, run: { month: string; progressDueAt: string }): Promise<MonthlyProgressResult> {
  const projects = await db.project.findMany({
    where: { stage: { notIn: [...TERMINAL_STAGES] } },
    select: { id: true, workflowId: true, updatedAt: true },
    orderBy: { id: 'asc' },
  });
  // issue 15: the projects the worker is likeliest to hold in its workflow cache first — the last to
  // change (the projection's updatedAt follows each project's latest events). In the order of their
  // ids, a cache a little smaller than the projects there are would drop each project just before the
  // fan-out came to it (its least recently used), and every one would be replayed from its history.
  const visits = projects.map((p, i) => ({ i, at: p.updatedAt.getTime() })).sort((x, y) => y.at - x.at || x.i - y.i).map((v) => v.i);
  // §4 工作日: each project and the calendar take the holiday table this worker has (a newer chinese-days after an upgrade)
  const holidays = holidaysForRuns(Date.now());
  // one Update per project, several at a time; the lists keep the projects' order. Issue 15: each
  // project's workflow opens the task in one workflow task and answers with its events, which this
  // activity writes (projectedByCaller) — no projection activity and second workflow task per project.
  // Safe to repeat: a retried Update finds the task open and answers with whatever is still unwritten.
  const outcome: ('opened' | 'alreadyOpen' | 'ended')[] = new Array(projects.length);
  const write = fanOutWriter(db);
  let next = 0;
  let done = 0;
  const lane = async () => {
    for (let v = next++; v < visits.length; v = next++) {
      const i = visits[v];
      try {
        const { workflowId } = projects[i];
        const r = await client.workflow.getHandle(workflowId).executeUpdate(openCalendarTaskUpdate, {
          args: [{ type: 'monthly.progress', key: run.month, dueAt: run.progressDueAt, context: { period: run.month }, holidays, projectedByCaller: true }],
        });
        if (r.unwritten?.length) await write(workflowId, r.unwritten);
        outcome[i] = r.created ? 'opened' : 'alreadyOpen';
      } catch (e) {
        // the project ended between the query and the Update: nothing to report any more
        if (projectEnded(e)) {
          outcome[i] = 'ended';
        } else {
          throw e;
        }
      }
      Context.current().heartbeat(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MONTHLY_PROGRESS_CONCURRENCY, projects.length) }, lane));
  const latest = await latestPolicyVersion(db); // §9: the calendar takes the current policy version at this run
  const result: MonthlyProgressResult = {
    month: run.month, opened: [], alreadyOpen: [], ended: [], holidays, ...(latest ? { policy: { version: latest.version, policy: latest.policy } } : {}),
  };
  projects.forEach((p, i) => result[outcome[i]].push(p.id));
  return result;
}

/**
 * The projects' events their workflows left to the fan-out, written as their projection activities
 * would — issue 15: gathered for a few milliseconds and committed together (a commit per project was a
 * quarter of the service thread's time in the fan-out). Each waits for its own group's commit, so a
 * database that fails fails the fan-out (retried: the workflows answer their events again); a batch
 * refused for good is put on record, as the workflow does with one (workflows/plumbing.ts), and the
 * fan-out goes on.
 */
function fanOutWriter(db: Db) {
  const write = createProjectionWriter(db, { waitMs: 10, most: 100 });
  return async (workflowId: string, events: ProjectionEvent[]) => {
    try {
      await write({ workflowId, events });
    } catch (e) {
      if (!(e instanceof ApplicationFailure && e.nonRetryable)) throw e;
      const failure = projectionFailureOf(workflowId, events, e.message);
      log.error('the projection rejected a batch of events of the monthly fan-out; the fan-out goes on without it', { ...failure });
      await recordProjectionFailure(db, failure);
    }
  };
}

/**
 * 八 月研判 / 季调度: carries out a meeting's decisions in the projects' workflows — `coordinate`
 * opens a project.coordination task for the named unit (once per meeting and project), `terminate`
 * ends the project with the meeting's reason. Safe to repeat: a retry finds the task opened or the
 * project ended already.
 */
export async function actOnMeetingDecisions(client: Client, input: {
  meeting: { taskId: string; title: string; period: string };
  actor: Actor; decisions: DecisionAct[]; coordinationDueAt: string;
}): Promise<DecisionResult[]> {
  const results: DecisionResult[] = [];
  for (const [i, d] of input.decisions.entries()) {
    const handle = client.workflow.getHandle(workflowIdOf(d.projectId));
    try {
      if (d.decision === 'coordinate') {
        const r = await handle.executeUpdate(openCalendarTaskUpdate, {
          args: [{
            type: 'project.coordination', key: input.meeting.taskId, dueAt: input.coordinationDueAt,
            context: {
              unitId: d.unitId!, unitName: unitNameOf(d.unitId!), instruction: d.instruction,
              meeting: input.meeting.taskId, meetingTitle: input.meeting.title, period: input.meeting.period, decidedBy: input.actor.displayName,
            },
          }],
        });
        results.push({ projectId: d.projectId, decision: d.decision, result: 'OPENED', taskId: r.taskId });
      } else {
        await handle.executeUpdate(terminateProjectUpdate, {
          args: [{ actor: input.actor, meeting: input.meeting.taskId, reason: `${input.meeting.title}（${input.meeting.period}）${DECISION_NAMES.terminate}：${d.instruction}` }],
        });
        results.push({ projectId: d.projectId, decision: d.decision, result: 'TERMINATED' });
      }
    } catch (e) {
      // the project ended meanwhile (or on an earlier try of this activity): nothing more to do
      if (projectEnded(e)) {
        results.push({ projectId: d.projectId, decision: d.decision, result: 'ENDED' });
      } else {
        throw e;
      }
    }
    Context.current().heartbeat(i + 1);
  }
  return results;
}
