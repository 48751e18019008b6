// The county calendar continues as new after each January run (八: it lives for years). On the
// time-skipping server: the next run carries the calendar's whole state — the months already run,
// open meeting tasks and how far their ladders have climbed, the answers to completions of the
// earlier run — and the projection's sequence goes on unbroken.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextMonthlyRun } from '../domain/cycles';
import { DAY_MS } from '../domain/policy';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { calendarStateQuery, COUNTY_CALENDAR_ID, countyTaskId } from '../workflows/messages/county-calendar';
import { nextRunWhere, sleepPast } from './helpers/county-clock';
import { ladderAt } from './helpers/ladder';
import { eventually } from './helpers/eventually';
import { startWorkflowEnv, type WorkflowEnv } from '../harness/workflow-env';

let w: WorkflowEnv;
beforeAll(async () => {
  w = await startWorkflowEnv('calendar-can');
});
afterAll(async () => w?.teardown());

describe('county calendar — continue-as-new', () => {
  it('carries its state into the next run after January and goes on where it stopped', async () => {
    const project = await w.register({ name: '续跑·提请县长项目' });
    await ensureCountyCalendar(w.env.client, w.taskQueue, { policy: w.policy }); // the production default: yearly continue-as-new
    const handle = w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID);
    const firstRun = (await handle.describe()).runId;
    const sleepTo = (t: number) => sleepPast(w, t);

    // a month before January: the 月研判 escalates the project to the 县长
    const run = await nextRunWhere(w, (m) => m.endsWith('-12'));
    await sleepTo(run.at.getTime());
    const december = await eventually(async () => w.store.db.task.findUniqueOrThrow({ where: { id: countyTaskId.monthlyReview(run.month) } }));
    const decisions = [{ projectId: project.projectId, decision: 'escalate', instruction: '投资方要求县长出面协调' }];
    const held = await w.complete(COUNTY_CALENDAR_ID, december.id, 'vicehead', { outcome: 'held', data: { decisions } });

    // January: the 通报 and the 县长's dispatch (with the escalated project), the 年总结 — then a new run
    const january = nextMonthlyRun(run.at.getTime());
    await sleepTo(january.at.getTime());
    await eventually(async () => expect((await handle.describe()).runId).not.toBe(firstRun));
    const state = await handle.query(calendarStateQuery);
    expect(state.lastMonthly).toBe(january.month);
    expect(state.runs.map((r) => r.month)).toEqual(expect.arrayContaining([run.month, january.month]));
    const dispatchId = state.runs.at(-1)!.bulletin!.meeting!;
    expect(Object.keys(state.open)).toEqual(expect.arrayContaining([dispatchId, countyTaskId.monthlyReview(january.month)]));
    expect(state.escalated).toEqual({}); // on the dispatch list now
    // the standings of the units ranked (十一: those with something to assess — here the two landing sites whose leaders owe trips, and 县商务局)
    expect(state.standings).toMatchObject({ year: Number(january.month.slice(0, 4)) - 1, standings: expect.arrayContaining([expect.objectContaining({ unitId: 'L03', category: 'LANDING_SITE', of: 2 })]) });

    // a completion of the earlier run gets the same answer from the new one
    expect(await w.complete(COUNTY_CALENDAR_ID, december.id, 'vicehead', { outcome: 'held', data: { decisions } })).toEqual(held);

    // the dispatch task's ladder goes on in the new run: reminded, overdue and level 2, each once
    const dispatch = await w.store.db.task.findUniqueOrThrow({ where: { id: dispatchId } });
    await sleepTo(ladderAt(dispatch).LEVEL_2 + DAY_MS);
    await eventually(async () => {
      expect((await w.store.db.notification.findMany({ where: { taskId: dispatchId }, orderBy: { id: 'asc' } })).map((n) => n.kind)).toEqual(['REMINDER', 'OVERDUE', 'ESCALATION']);
    });
    expect((await w.store.db.task.findUniqueOrThrow({ where: { id: dispatchId } })).escalationLevel).toBe(2);
    await w.complete(COUNTY_CALENDAR_ID, dispatchId, 'countyhead', {
      outcome: 'held', data: { decisions: [{ projectId: project.projectId, decision: 'coordinate', unitId: 'R00', instruction: '县商务局牵头协调' }] },
    });

    // February runs once; January is not repeated; the calendar's projection sequence is unbroken
    const february = nextMonthlyRun(january.at.getTime());
    await sleepTo(february.at.getTime());
    await eventually(async () => expect((await handle.query(calendarStateQuery)).lastMonthly).toBe(february.month));
    expect(await w.store.db.task.count({ where: { type: 'meeting.monthlyReview' } })).toBe(3);
    expect(await w.store.db.report.count({ where: { kind: 'MONTHLY' } })).toBe(3);
    const seqs = (await w.store.db.timelineEvent.findMany({ where: { workflowId: COUNTY_CALENDAR_ID }, orderBy: { seq: 'asc' } })).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    expect(await w.store.db.projectionCursor.count()).toBe(1); // one chain, one cursor
  });
});
