// 八 月研判, issue 15: the monthly fan-out opens a monthly.progress task in every active project with one
// Update and one workflow task each, and writes the tasks itself from the events the projects answer
// with (projectedByCaller) — no projection activity per project. Nothing is lost when the writer stops
// between the Update and the write, and nothing is written twice when the project's own next batch
// carries the same events again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { applyProjectionEvents, applyProjectionGroups, createProjectionWriter } from '../activities/projection';
import { DEFAULT_POLICY } from '../domain/policy';
import { NAMED_UNITS } from '../domain/units';
import { LEAD } from '../harness/workflow-env';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { COUNTY_CALENDAR_ID } from '../workflows/messages/county-calendar';
import { openCalendarTaskUpdate } from '../workflows/messages/project';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';

const { EventType } = temporal.api.enums.v1;

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('monthly-fanout');
});
afterAll(async () => a?.teardown());

const register = async (name: string) => (await a.registerLead(name)).id as string;
const timeline = (projectId: string, kind: string) => a.store.db.timelineEvent.findMany({ where: { projectId, kind }, orderBy: { seq: 'asc' } });

describe('the monthly 研判 fan-out (八)', () => {
  it('opens one monthly.progress task in each active project, written by the fan-out, the project\'s workflow taking one workflow task', async () => {
    const ids = [await register('扇出·甲项目'), await register('扇出·乙项目')];
    // the county calendar on a rehearsal clock two seconds before a 1st at 09:00 (domain/cycles.ts CalendarClock)
    expect(await ensureCountyCalendar(a.temporal.client, a.taskQueue, { policy: DEFAULT_POLICY, clock: { from: '2027-12-01T08:59:58+08:00', speed: 1 } })).toBe('started');
    const tasks = await eventually(async () => {
      const t = await a.store.db.task.findMany({ where: { type: 'monthly.progress' }, orderBy: { projectId: 'asc' } });
      expect(t).toHaveLength(2);
      return t;
    }, 60_000);
    expect(tasks.map((t) => [t.projectId, t.status, t.candidateGroup])).toEqual(ids.map((id) => [id, 'OPEN', `UNIT:${NAMED_UNITS.commerce}`]));
    for (const id of ids) {
      const project = await a.store.db.project.findUniqueOrThrow({ where: { id } });
      const created = await timeline(id, 'TASK_CREATED');
      expect(created.map((e) => e.taskType)).toEqual(['lead.verify', 'monthly.progress']);
      expect(project.lastSeq).toBe(created.at(-1)!.seq);
      // between the Update's acceptance and its completion the history holds no activity: one workflow task
      const { events } = await a.temporal.client.workflow.getHandle(`project-${id}`).fetchHistory();
      const types = events!.map((e) => e.eventType);
      const accepted = types.lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
      const completed = types.lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
      expect(completed).toBeGreaterThan(accepted);
      expect(types.slice(accepted, completed)).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    }
    await a.temporal.client.workflow.getHandle(COUNTY_CALENDAR_ID).terminate('测试结束');
  });

  it('loses nothing when the writer stops after the Update, and writes nothing twice when the project\'s next batch repeats the events', async () => {
    const id = await register('扇出·丙项目');
    const handle = a.temporal.client.workflow.getHandle(`project-${id}`);
    const open = { type: 'monthly.progress' as const, key: '2099-01', dueAt: '2099-01-05T17:30:00+08:00', context: { period: '2099-01' }, projectedByCaller: true };
    // the fan-out's Update, and then the fan-out stops before it writes: the task is the workflow's, not yet the database's
    const first = await handle.executeUpdate(openCalendarTaskUpdate, { args: [open] });
    expect(first.created).toBe(true);
    expect(first.unwritten!.map((e) => e.kind)).toContain('TASK_CREATED');
    expect(await a.store.db.task.findUnique({ where: { id: first.taskId } })).toBeNull();
    // its retry: the task is open already, and the events still unwritten come again
    const retry = await handle.executeUpdate(openCalendarTaskUpdate, { args: [open] });
    expect(retry).toMatchObject({ taskId: first.taskId, created: false });
    expect(retry.unwritten!.map((e) => e.seq)).toEqual(first.unwritten!.map((e) => e.seq));
    expect(await applyProjectionEvents(a.store.db, `project-${id}`, retry.unwritten!)).toEqual({ applied: retry.unwritten!.length });
    expect(await a.store.db.task.findUniqueOrThrow({ where: { id: first.taskId } })).toMatchObject({ type: 'monthly.progress', status: 'OPEN' });
    // written once more (a retry that wrote already): nothing
    expect(await applyProjectionEvents(a.store.db, `project-${id}`, first.unwritten!)).toEqual({ applied: 0 });

    // the project's own next batch (an amendment by ADMIN) carries the same events again: written once
    const amended = await a.call('POST', `/api/v1/projects/${id}/amend`, { as: 'admin', body: { fields: { landMu: 80 }, reason: '用地面积核减' } });
    expect(amended.status).toBe(200);
    const created = await timeline(id, 'TASK_CREATED');
    expect(created.map((e) => e.taskType)).toEqual(['lead.verify', 'monthly.progress']);
    expect((await timeline(id, 'PROJECT_AMENDED')).length).toBe(1);
    const seqs = (await a.store.db.timelineEvent.findMany({ where: { projectId: id }, select: { seq: true } })).map((e) => e.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect((await a.store.db.project.findUniqueOrThrow({ where: { id } })).lastSeq).toBe(Math.max(...seqs));
    // and the workflow's journal is empty again: a further Update answers nothing unwritten
    expect((await handle.executeUpdate(openCalendarTaskUpdate, { args: [open] })).unwritten).toEqual([]);
  });

  it('writes many projects\' events in one commit, each once, and one project\'s bad events take no other\'s down', async () => {
    const at = new Date().toISOString();
    const registered = (no: string, name: unknown) => ({
      workflowId: `project-${no}`,
      events: [{
        seq: 1, at, kind: 'PROJECT_REGISTERED' as const, actor: 'info1', stage: 'LEAD' as const, policy: DEFAULT_POLICY,
        project: { ...LEAD, projectNo: no, createdBy: 'info1', name: name as string },
      }],
    });
    const good = [registered('NX-2026-0701', '扇出·丁项目'), registered('NX-2026-0702', '扇出·戊项目')];
    // a lone surrogate no database stores, and a name the database refuses (NOT NULL)
    const [surrogate, refused] = [registered('NX-2026-0703', '扇出\udfff项目'), registered('NX-2026-0704', null)];
    const first = await applyProjectionGroups(a.store.db, [good[0], surrogate, refused, good[1]]);
    expect(first).toEqual([{ applied: 1 }, { refused: expect.stringContaining('a lone surrogate') }, { refused: expect.stringContaining('NX-2026-0704') }, { applied: 1 }]);
    const stored = await a.store.db.project.findMany({ where: { id: { in: ['NX-2026-0701', 'NX-2026-0702', 'NX-2026-0703', 'NX-2026-0704'] } }, orderBy: { id: 'asc' } });
    expect(stored.map((p) => [p.id, p.name, p.lastSeq])).toEqual([['NX-2026-0701', '扇出·丁项目', 1], ['NX-2026-0702', '扇出·戊项目', 1]]);
    // again (a retried fan-out): nothing written twice
    expect(await applyProjectionGroups(a.store.db, good)).toEqual([{ applied: 0 }, { applied: 0 }]);
    expect(await a.store.db.timelineEvent.count({ where: { projectId: { in: ['NX-2026-0701', 'NX-2026-0702'] } } })).toBe(2);

    // the writer the projection activities share: batches given together are committed together, and
    // each caller learns its own outcome (a refused one the non-retryable failure the workflow records)
    const write = createProjectionWriter(a.store.db);
    const [ok, no] = await Promise.allSettled([write(registered('NX-2026-0705', '扇出·己项目')), write(registered('NX-2026-0706', null))]);
    expect(ok).toEqual({ status: 'fulfilled', value: { applied: 1 } });
    expect(no.status === 'rejected' && no.reason).toMatchObject({ type: 'PROJECTION_REJECTED', nonRetryable: true });
    expect((await a.store.db.project.findMany({ where: { id: { in: ['NX-2026-0705', 'NX-2026-0706'] } } })).map((p) => p.id)).toEqual(['NX-2026-0705']);
  });
});
