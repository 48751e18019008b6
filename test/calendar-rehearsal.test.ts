// The county calendar's year on a real clock (八 月研判、季调度、年总结; 三; 十一): a rehearsal clock
// (domain/cycles.ts CalendarClock) runs the calendar from late November 2027 with a county day of
// 0.4 s, on whatever server the suite runs against — the CLI's dev server under `npm test`, the
// production Temporal Server on PostgreSQL under `npm run test:production`, which cannot skip time.
// December's 月研判 and the quota reminders, January's 通报, 季调度, 年总结 and the continue-as-new
// that carries the state, the dispatch task's ladder in the new run, February once, the sequence unbroken.
// (The year's figures — rankings, accountability — are calendar-years.test.ts's, on the time-skipping
// server: a rehearsal's reports count what happened by real instants.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnualAssessment } from '../domain/assessment';
import type { QuarterlyBulletin } from '../domain/bulletin';
import type { CalendarClock } from '../domain/cycles';
import { TASK_TYPE_NAMES } from '../domain/pipeline';
import { DAY_MS, DEFAULT_POLICY, type Policy } from '../domain/policy';
import { LEAD } from '../harness/workflow-env';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { calendarStateQuery, COUNTY_CALENDAR_ID, countyTaskId } from '../workflows/messages/county-calendar';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';

const COUNTY_DAY_MS = 400; // a county day passes in 0.4 s: a month in about 12 s
const CLOCK: CalendarClock = { from: '2027-11-28T09:00:00+08:00', speed: DAY_MS / COUNTY_DAY_MS };
const SECOND_IN_DAYS = 1000 / DAY_MS;
/** §9 as seconds: every task due 3 s after it opens, reminded 1.5 s before, level 2 two seconds after; the higher levels far away. */
const REHEARSAL_POLICY: Policy = {
  ...DEFAULT_POLICY,
  version: '演练：以秒为日',
  dayCounting: { ...DEFAULT_POLICY.dayCounting, dueDays: 'CALENDAR', ladder: 'CALENDAR' },
  dueDays: Object.fromEntries(TASK_TYPE_NAMES.map((k) => [k, 3 * SECOND_IN_DAYS])) as Policy['dueDays'],
  ladder: { reminderBeforeDays: 1.5 * SECOND_IN_DAYS, level2AfterDays: 2 * SECOND_IN_DAYS, level3AfterDays: 1000, level4AfterDays: 2000 },
  delivery: { ...DEFAULT_POLICY.delivery, quietHours: null, batchSeconds: null },
};
const MONTH_WAIT = 60_000; // a county month is 12 s; a loaded machine may be slow to show it

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('calendar-rehearsal');
});
afterAll(async () => a?.teardown());

const calendar = () => a.temporal.client.workflow.getHandle(COUNTY_CALENDAR_ID);
const countyTask = (id: string) => eventually(async () => a.store.db.task.findUniqueOrThrow({ where: { id } }), MONTH_WAIT);
const report = <T>(id: string) => eventually(async () => (await a.store.db.report.findUniqueOrThrow({ where: { id } })).content as unknown as T, MONTH_WAIT);

describe('a rehearsal of the county calendar on a real clock', () => {
  it('runs December, January (通报, 季调度, 年总结, continue-as-new) and February, carrying its state', async () => {
    expect((await a.call('PUT', '/api/v1/admin/policy', { as: 'admin', body: { policy: REHEARSAL_POLICY, note: '演练：以秒为日' } })).status).toBe(200);
    const project = await a.call('POST', '/api/v1/projects', { as: 'info1', body: { ...LEAD, name: '演练·提请县长项目' } });
    expect(project.status).toBe(201);
    const projectId: string = project.body.id;
    // 三: 县经济开发区's PRINCIPAL travelled once in 2027's fourth quarter; nobody else did
    await a.store.db.trip.create({
      data: { id: 'trip-rehearsal-1', personId: 'p-kfq_principal', startDate: '2027-11-26', endDate: '2027-11-26', destination: '广东省东莞市', purpose: '走访鞋材企业', leadsFound: 0, recordedBy: 'kfq_principal' },
    });
    expect(await ensureCountyCalendar(a.temporal.client, a.taskQueue, { policy: REHEARSAL_POLICY, clock: CLOCK })).toBe('started');
    const firstRun = (await calendar().describe()).runId;

    // December: the 月研判 (its monthly.progress due within seconds: the 5th of the rehearsal's month), the quota reminders
    const december = await countyTask(countyTaskId.monthlyReview('2027-12'));
    expect(december).toMatchObject({ type: 'meeting.monthlyReview', candidateGroup: 'ROLE:VICE_HEAD', status: 'OPEN' });
    const progress = await eventually(async () => a.store.db.task.findFirstOrThrow({ where: { projectId, type: 'monthly.progress' } }));
    expect(progress.context).toMatchObject({ period: '2027-12' });
    expect(progress.dueAt!.getTime() - progress.createdAt.getTime()).toBeGreaterThan(0);
    expect(progress.dueAt!.getTime() - progress.createdAt.getTime()).toBeLessThan(5 * COUNTY_DAY_MS); // not the real 5 December
    const decisions = [{ projectId, decision: 'escalate', instruction: '投资方要求县长出面协调' }];
    const held = await a.call('POST', `/api/v1/tasks/${december.id}/complete`, { as: 'vicehead', body: { outcome: 'held', data: { decisions } } });
    expect(held.body).toMatchObject({ taskId: december.id, outcome: 'held' });
    expect(held.status).toBe(200);
    const decemberRun = (await calendar().query(calendarStateQuery)).runs.find((r) => r.month === '2027-12');
    expect(decemberRun).toMatchObject({ quotaReminders: 3, bulletin: null, annual: null });

    // January: the 通报 of 2027-Q4 with its quota table, the 县长's dispatch with the escalated project, the 年总结 — then a new run
    await eventually(async () => expect((await calendar().describe()).runId).not.toBe(firstRun), MONTH_WAIT);
    const state = await calendar().query(calendarStateQuery);
    expect(state.lastMonthly).toBe('2028-01');
    expect(state.runs.map((r) => r.month)).toEqual(['2027-12', '2028-01']);
    expect(state.escalated).toEqual({}); // on the dispatch list now
    const q4 = await report<QuarterlyBulletin>('QUARTERLY:2027-Q4');
    expect(q4.quota.map((q) => [q.username, q.made, q.required, q.shortfall])).toEqual([
      ['kfq_principal', 1, 1, 0], ['kfq_deputy', 0, 3, 3], ['nanzhou_principal', 0, 1, 1], ['nanzhou_deputy', 0, 3, 3],
    ]);
    const annual = await report<AnnualAssessment>('ANNUAL:2027');
    // (the year's figures count what happened in 2027 as of the run's real instant — nothing, in a rehearsal:
    // calendar-years.test.ts checks the ranking on the time-skipping server; here it is the machinery)
    expect(annual).toMatchObject({ year: 2027 });
    expect(state.standings).toMatchObject({ year: 2027 });
    const dispatchId = state.runs.at(-1)!.bulletin!.meeting!;
    expect(dispatchId).toBe(countyTaskId.quarterlyDispatch('2027-Q4'));
    expect(Object.keys(state.open)).toEqual(expect.arrayContaining([dispatchId, countyTaskId.monthlyReview('2028-01')]));
    const dispatch = await countyTask(dispatchId);
    expect((dispatch.context as { items: { projectId: string }[] }).items.map((i) => i.projectId)).toEqual([projectId]);

    // a completion of the earlier run gets the same answer from the new one
    const again = await a.call('POST', `/api/v1/tasks/${december.id}/complete`, { as: 'vicehead', body: { outcome: 'held', data: { decisions } } });
    expect(again).toEqual(held);

    // the dispatch task's ladder runs in the new run on the server's timers: reminded, overdue, level 2, each once
    await eventually(async () => {
      expect((await a.store.db.notification.findMany({ where: { taskId: dispatchId }, orderBy: { id: 'asc' } })).map((n) => [n.kind, n.level])).toEqual([['REMINDER', 0], ['OVERDUE', 1], ['ESCALATION', 2]]);
    }, MONTH_WAIT);
    const done = await a.call('POST', `/api/v1/tasks/${dispatchId}/complete`, {
      as: 'countyhead', body: { outcome: 'held', data: { decisions: [{ projectId, decision: 'coordinate', unitId: 'R00', instruction: '县商务局牵头协调' }] } },
    });
    expect(done.status).toBe(200);
    const coordination = await eventually(async () => a.store.db.task.findFirstOrThrow({ where: { projectId, type: 'project.coordination' } }));
    expect(coordination.context).toMatchObject({ instruction: '县商务局牵头协调', meeting: dispatchId });

    // February runs once; January is not repeated; the calendar's projection sequence is unbroken
    await eventually(async () => expect((await calendar().query(calendarStateQuery)).lastMonthly).toBe('2028-02'), MONTH_WAIT);
    expect((await calendar().query(calendarStateQuery)).runs.map((r) => r.month)).toEqual(['2027-12', '2028-01', '2028-02']);
    expect(await a.store.db.task.count({ where: { type: 'meeting.monthlyReview' } })).toBe(3);
    expect(await a.store.db.report.count({ where: { kind: 'MONTHLY' } })).toBe(3);
    const seqs = (await a.store.db.timelineEvent.findMany({ where: { workflowId: COUNTY_CALENDAR_ID }, orderBy: { seq: 'asc' } })).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    await calendar().terminate('演练结束');
  }, 240_000);
});
