// 八 月研判 and 季调度 as tasks of the county calendar, on the time-skipping server: the 分管副县长's
// meeting.monthlyReview carries the month's agenda and its decisions act on the projects (coordinate →
// a project.coordination task for the named unit; escalate → the next dispatch list); the 县长's
// meeting.quarterlyDispatch lists exactly the projects that qualify and may terminate one.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/app';
import { bulletinQuarter } from '../domain/cycles';
import type { QuarterlyBulletin } from '../domain/bulletin';
import type { MeetingContext } from '../domain/meetings';
import { NAMED_UNITS } from '../domain/units';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { calendarStateQuery, COUNTY_CALENDAR_ID, countyTaskId } from '../workflows/messages/county-calendar';
import { snapshotQuery } from '../workflows/messages/project';
import { nextRunWhere, sleepPast } from './helpers/county-clock';
import { eventually } from './helpers/eventually';
import { DEMO_PASSWORD } from '../harness/db';
import { refusal } from './helpers/refusal';
import { startWorkflowEnv, type WorkflowEnv } from '../harness/workflow-env';

let w: WorkflowEnv;
let app: FastifyInstance;
beforeAll(async () => {
  w = await startWorkflowEnv('meetings');
  app = await buildApp({ db: w.store.db, temporal: w.env.client, taskQueue: w.taskQueue, jwtSecret: 'x'.repeat(32), jwtTtlSeconds: 3600, policy: w.policy });
});
afterAll(async () => {
  await app?.close();
  await w?.teardown();
});

/** §7 over HTTP (fastify's inject) as a demo account */
async function api(method: 'GET' | 'POST', url: string, as: string, payload?: unknown) {
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: as, password: DEMO_PASSWORD } });
  const r = await app.inject({ method, url, payload: payload as never, headers: { authorization: `Bearer ${login.json().token}` } });
  return { status: r.statusCode, body: r.json() };
}

const sleepTo = (at: Date) => sleepPast(w, at);
const countyTask = (id: string) => eventually(async () => w.store.db.task.findUniqueOrThrow({ where: { id } }));
const calendar = () => w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID);
const nextRun = (test: (month: string) => boolean) => nextRunWhere(w, test);

describe('county calendar — 月研判 and 季调度 meetings (八)', () => {
  const p: Record<'coordinated' | 'escalated' | 'steady' | 'ignored', { projectId: string; workflowId: string }> = {} as never;
  let quarterOfEscalation = '';

  it('opens meeting.monthlyReview for the 分管副县长 with the agenda; its decisions coordinate and escalate', async () => {
    p.coordinated = await w.register({ name: '会议·协调项目' });
    await w.walkTo(p.coordinated.workflowId, 'PLAN', { responsibleUnitId: NAMED_UNITS.economicZone });
    p.escalated = await w.register({ name: '会议·提请县长项目' });
    await w.walkTo(p.escalated.workflowId, 'CONTACT');
    p.steady = await w.register({ name: '会议·正常推进项目' });
    await w.walkTo(p.steady.workflowId, 'CONTACT');
    p.ignored = await w.register({ name: '会议·无人处理线索' }); // lead.verify left open: its ladder climbs
    await ensureCountyCalendar(w.env.client, w.taskQueue, { policy: w.policy });

    const run = await nextRun(() => true);
    quarterOfEscalation = bulletinQuarter((await nextRun((m) => !!bulletinQuarter(m) && m > run.month)).month)!;
    await sleepTo(run.at);
    const meeting = await countyTask(countyTaskId.monthlyReview(run.month));
    expect(meeting).toMatchObject({ type: 'meeting.monthlyReview', workflowId: COUNTY_CALENDAR_ID, projectId: null, stage: null, candidateGroup: 'ROLE:VICE_HEAD', status: 'OPEN' });
    const agenda = meeting.context as unknown as MeetingContext;
    expect(agenda.period).toBe(run.month);
    expect(agenda.items.map((i) => i.projectId).sort()).toEqual(Object.values(p).map((x) => x.projectId).sort());

    // refused before anything is written: not the 分管副县长; a project not on the agenda; coordinate without a unit
    const decide = (who: string, decisions: unknown[]) => w.complete(COUNTY_CALENDAR_ID, meeting.id, who, { outcome: 'held', data: { decisions } });
    expect((await refusal(decide('countyhead', []))).type).toBe('FORBIDDEN');
    const notOnAgenda = await refusal(decide('vicehead', [{ projectId: 'NX-1999-0001', decision: 'continue' }]));
    expect(notOnAgenda.type).toBe('VALIDATION');
    expect(notOnAgenda.message).toContain('data.decisions.0.projectId');
    const noUnit = await refusal(decide('vicehead', [{ projectId: p.coordinated.projectId, decision: 'coordinate', instruction: '尽快完成投资计划书' }]));
    expect(noUnit.message).toContain('data.decisions.0.unitId');
    const twice = await refusal(decide('vicehead', [{ projectId: p.steady.projectId, decision: 'continue' }, { projectId: p.steady.projectId, decision: 'continue' }]));
    expect(twice.message).toContain('data.decisions.1.projectId');
    expect((await w.store.db.task.findUniqueOrThrow({ where: { id: meeting.id } })).status).toBe('OPEN');

    const decisions = [
      { projectId: p.coordinated.projectId, decision: 'coordinate', unitId: NAMED_UNITS.economicZone, instruction: '本月内完成投资计划书并报研判专班' },
      { projectId: p.escalated.projectId, decision: 'escalate', instruction: '投资方要求的用地指标需县长协调' },
      { projectId: p.steady.projectId, decision: 'continue' },
    ];
    // over the REST API: the meeting is in the 分管副县长's inbox with its agenda; completing it goes to the calendar's workflow
    const inbox = await api('GET', '/api/v1/tasks?type=meeting.monthlyReview', 'vicehead');
    expect(inbox.body.items.map((t: { id: string; projectId: string | null; context: MeetingContext }) => [t.id, t.projectId, t.context.items.length])).toEqual([[meeting.id, null, 4]]);
    expect((await api('GET', '/api/v1/tasks?type=meeting.monthlyReview', 'kfq1')).body.items).toEqual([]);
    const bad = await api('POST', `/api/v1/tasks/${meeting.id}/complete`, 'vicehead', { outcome: 'held', data: { decisions: [{ projectId: p.steady.projectId, decision: 'terminate', instruction: '终止' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['data.decisions.0.decision']);
    const held = await api('POST', `/api/v1/tasks/${meeting.id}/complete`, 'vicehead', { outcome: 'held', data: { decisions } });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ taskId: meeting.id, outcome: 'held', projectId: null, stage: null });
    expect(await decide('vicehead', decisions)).toMatchObject({ taskId: meeting.id, outcome: 'held' }); // §7: the same completion again, the same answer
    expect((await api('POST', `/api/v1/tasks/${meeting.id}/complete`, 'vicehead', { outcome: 'held', data: { decisions } })).status).toBe(200);

    // coordinate: a task for 县经济开发区 in that project's workflow, with the instruction
    const snap = await w.env.client.workflow.getHandle(p.coordinated.workflowId).query(snapshotQuery);
    const coordination = snap.openTasks.find((t) => t.type === 'project.coordination')!;
    expect(coordination).toMatchObject({ candidateGroup: `UNIT:${NAMED_UNITS.economicZone}`, stage: 'PLAN' });
    expect(coordination.context).toMatchObject({ instruction: '本月内完成投资计划书并报研判专班', meeting: meeting.id, unitName: '县经济开发区' });
    const done = await w.complete(p.coordinated.workflowId, coordination.id, 'kfq1', { outcome: 'done', data: { result: '计划书已报送' } });
    expect(done.stage).toBe('PLAN');
    // escalate: kept for the next 季调度
    const state = await calendar().query(calendarStateQuery);
    expect(state.escalated).toEqual({ [p.escalated.projectId]: { month: run.month, instruction: '投资方要求的用地指标需县长协调' } });
    expect(state.meetings.at(-1)).toMatchObject({ taskId: meeting.id, results: [{ projectId: p.coordinated.projectId, decision: 'coordinate', result: 'OPENED', taskId: coordination.id }] });
  });

  it('lists exactly the qualifying projects for the 县长\'s meeting.quarterlyDispatch, which may terminate one', async () => {
    const run = await nextRun((m) => bulletinQuarter(m) === quarterOfEscalation);
    await sleepTo(run.at);
    const bulletin = (await eventually(async () => w.store.db.report.findUniqueOrThrow({ where: { id: `QUARTERLY:${quarterOfEscalation}` } }))).content as unknown as QuarterlyBulletin;
    // the escalated project is listed; the others are neither at level 4 nor stalled over 90 days yet
    const levels = await w.store.db.project.findMany({ select: { id: true, escalationLevel: true } });
    expect(levels.every((x) => x.escalationLevel < 4)).toBe(true);
    expect(bulletin.dispatch.map((d) => [d.projectId, d.reasons])).toEqual([[p.escalated.projectId, [expect.stringMatching(/^\d+月研判提请：投资方要求的用地指标需县长协调$/)]]]);

    const meeting = await countyTask(countyTaskId.quarterlyDispatch(quarterOfEscalation));
    expect(meeting).toMatchObject({ type: 'meeting.quarterlyDispatch', candidateGroup: 'ROLE:COUNTY_HEAD' });
    expect((meeting.context as unknown as MeetingContext).items.map((i) => i.projectId)).toEqual([p.escalated.projectId]);
    const escalate = await refusal(w.complete(COUNTY_CALENDAR_ID, meeting.id, 'countyhead', { outcome: 'held', data: { decisions: [{ projectId: p.escalated.projectId, decision: 'escalate', instruction: '再议' }] } }));
    expect(escalate.message).toContain('data.decisions.0.decision'); // not a decision the 县长's dispatch takes
    await w.complete(COUNTY_CALENDAR_ID, meeting.id, 'countyhead', {
      outcome: 'held', data: { decisions: [{ projectId: p.escalated.projectId, decision: 'terminate', instruction: '用地指标无法保障，终止洽谈' }] },
    });
    // the project's workflow ends TERMINATED with the meeting's reason; its open tasks are cancelled
    expect(await w.env.client.workflow.getHandle(p.escalated.workflowId).result()).toBe('TERMINATED');
    const change = await eventually(async () => w.store.db.timelineEvent.findFirstOrThrow({ where: { projectId: p.escalated.projectId, kind: 'STAGE_CHANGED', actor: 'countyhead' } }));
    expect(change.comment).toBe(`季调度（${quarterOfEscalation}）终止项目：用地指标无法保障，终止洽谈`);
    expect(await w.store.db.task.count({ where: { projectId: p.escalated.projectId, status: { in: ['OPEN', 'CLAIMED'] } } })).toBe(0);
    expect((await calendar().query(calendarStateQuery)).escalated).toEqual({});
  });

  it('puts projects at level 4 or stalled over 90 days on the next dispatch list, and no others', async () => {
    const run = await nextRun((m) => !!bulletinQuarter(m) && bulletinQuarter(m)! > quarterOfEscalation);
    const quarter = bulletinQuarter(run.month)!;
    // a project that only began late in the quarter, at CONTACT with its task not yet due: nothing to dispatch
    await sleepTo(new Date(run.at.getTime() - 25 * 24 * 3600_000));
    const fresh = await w.register({ name: '会议·新线索' });
    await w.step(fresh.workflowId);
    await sleepTo(run.at);
    const bulletin = (await eventually(async () => w.store.db.report.findUniqueOrThrow({ where: { id: `QUARTERLY:${quarter}` } }))).content as unknown as QuarterlyBulletin;
    const active = await w.store.db.project.findMany({ where: { stage: { notIn: ['TERMINATED', 'IN_PRODUCTION', 'DISCARDED', 'WITHDRAWN', 'REJECTED', 'FAILED'] } } });
    const qualifying = active.filter((x) => x.escalationLevel >= 4 || run.at.getTime() - x.stageSince.getTime() > 90 * 24 * 3600_000).map((x) => x.id).sort();
    expect(qualifying).toEqual([p.coordinated, p.steady, p.ignored].map((x) => x.projectId).sort());
    expect(bulletin.dispatch.map((d) => d.projectId).sort()).toEqual(qualifying);
    expect(bulletin.dispatch.find((d) => d.projectId === p.ignored.projectId)!.reasons).toEqual(['四级督办', expect.stringMatching(/^停滞\d+天$/)]);
    const meeting = await countyTask(countyTaskId.quarterlyDispatch(quarter));
    expect((meeting.context as unknown as MeetingContext).items.map((i) => i.projectId).sort()).toEqual(qualifying);
  });
});
