// The project workflow on the time-skipping test server, with a real worker and a real SQLite
// projection: the first gate (lead.verify), its Update validator, idempotency, and the due time
// passing with no completion (§4 ladder).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProject } from '../api/register-project';
import type { Actor } from '../domain/organisation';
import { NAMED_UNITS } from '../domain/units';
import { completeTaskUpdate, type CompleteTaskInput } from '../workflows/messages/tasks';
import { SA } from '../workflows/search-attributes';
import { eventually } from './helpers/eventually';
import { dueAtUnder, ladderAt } from './helpers/ladder';
import { shanghaiDate } from '../domain/shanghai-time';
import { isWorkingDay } from '../domain/working-days';
import { CHINESE_DAYS_TABLE } from '../domain/holiday-table';
import { refusal } from './helpers/refusal';
import { startWorkflowEnv, type WorkflowEnv } from '../harness/workflow-env';

const info1: Actor = { username: 'info1', displayName: '信息收集专班成员', groups: ['TF:INFO', `UNIT:${NAMED_UNITS.commerce}`] };
const outsider: Actor = { username: 'kfq1', displayName: '县经济开发区专职招商人员', groups: [`UNIT:${NAMED_UNITS.economicZone}`] };
const lead = {
  name: '南县稻虾深加工项目', investor: '湖南某食品有限公司', investorOrigin: 'OUT_OF_PROVINCE' as const, industryChain: 'RICE_SHRIMP' as const,
  channel: 'BUSINESS_REFERRAL' as const, plannedInvestmentWan: 30000, sourceUnitId: NAMED_UNITS.commerce, isMajor: false, isCaseByCase: false,
};

let w: WorkflowEnv;
let env: WorkflowEnv['env'];
let store: WorkflowEnv['store'];

beforeAll(async () => {
  w = await startWorkflowEnv('workflow');
  ({ env, store } = w);
});

afterAll(async () => w?.teardown());

const deps = () => ({ db: store.db, temporal: env.client, taskQueue: w.taskQueue, policy: w.policy });
const complete = (workflowId: string, input: CompleteTaskInput) =>
  env.client.workflow.getHandle(workflowId).executeUpdate(completeTaskUpdate, { args: [input] });
const timelineOf = (projectId: string) => store.db.timelineEvent.findMany({ where: { projectId }, orderBy: { seq: 'asc' } });

describe('project workflow — first gate (九: 线索核实)', () => {
  it('opens lead.verify for task force INFO, refuses bad completions before writing anything, and is idempotent', async () => {
    const p = await registerProject(deps(), lead, 'info1');
    expect(p.stage).toBe('LEAD');
    // the sync Update returns only after the projection is written: the task is in the database now
    const task = await store.db.task.findFirstOrThrow({ where: { projectId: p.projectId } });
    expect(task).toMatchObject({ type: 'lead.verify', candidateGroup: 'TF:INFO', status: 'OPEN', stage: 'LEAD' });
    // §4: 7 working days, due at 17:30 (Asia/Shanghai) of the last — counted with the table the run pinned
    expect(task.dueAt.getTime()).toBe(dueAtUnder(task.createdAt, 7));
    expect(new Date(task.dueAt.getTime() + 8 * 3600_000).toISOString().slice(11, 16)).toBe('17:30');
    expect(isWorkingDay(CHINESE_DAYS_TABLE, shanghaiDate(task.dueAt))).toBe(true);
    expect(task.dueAt.getTime() - task.createdAt.getTime()).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000); // never sooner than 7 calendar days
    const before = (await timelineOf(p.projectId)).length;

    expect((await refusal(complete(p.workflowId, { taskId: task.id, outcome: 'accept', actor: outsider, data: { landingSiteId: 'L01', responsibleUnitId: 'R01' } }))).type).toBe('FORBIDDEN');
    expect((await refusal(complete(p.workflowId, { taskId: task.id, outcome: 'approve', actor: info1 }))).type).toBe('VALIDATION');
    const bad = await refusal(complete(p.workflowId, { taskId: task.id, outcome: 'accept', actor: info1, data: { landingSiteId: 'R01' } }));
    expect(bad.type).toBe('VALIDATION');
    expect(bad.details?.[0]).toEqual([
      { field: 'data.landingSiteId', message: '必须是项目落户地单位（LANDING_SITE）的编号' },
      { field: 'data.responsibleUnitId', message: expect.any(String) },
    ]);
    expect((await refusal(complete(p.workflowId, { taskId: 'NX-0000-0000-T001', outcome: 'accept', actor: info1 }))).type).toBe('NOT_FOUND');
    expect(await timelineOf(p.projectId)).toHaveLength(before); // refused in the validator: nothing written

    const accepted = { taskId: task.id, outcome: 'accept', actor: info1, data: { landingSiteId: NAMED_UNITS.nanzhou, responsibleUnitId: 'R09' } };
    const first = await complete(p.workflowId, accepted);
    expect(first.stage).toBe('CONTACT');
    expect(first.openTasks.map((t) => [t.type, t.candidateGroup])).toEqual([['contact.inspect', 'UNIT:R09']]);
    const again = await complete(p.workflowId, accepted);
    expect(again).toEqual(first);
    expect((await refusal(complete(p.workflowId, { taskId: task.id, outcome: 'discard', comment: '重复', actor: info1 }))).type).toBe('CONFLICT');

    const stored = await store.db.project.findUniqueOrThrow({ where: { id: p.projectId } });
    expect(stored).toMatchObject({ stage: 'CONTACT', landingSiteId: NAMED_UNITS.nanzhou, responsibleUnitId: 'R09' });
    const completed = await store.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(completed).toMatchObject({ status: 'COMPLETED', outcome: 'accept', completedBy: 'info1' });
    const kinds = (await timelineOf(p.projectId)).map((e) => e.kind);
    expect(kinds).toEqual(['PROJECT_REGISTERED', 'TASK_CREATED', 'TASK_COMPLETED', 'STAGE_CHANGED', 'TASK_CREATED']);
    const desc = await env.client.workflow.getHandle(p.workflowId).describe();
    expect(desc.typedSearchAttributes.get(SA.ProjectStage)).toBe('CONTACT');
    expect(desc.typedSearchAttributes.get(SA.LandingSite)).toBe('南洲镇');
  });

  it('reminds at D−2 and marks the task OVERDUE at D when 7 working days pass with no completion; completing stops the ladder', async () => {
    const p = await registerProject(deps(), { ...lead, name: '逾期测试项目' }, 'info1');
    const task = await store.db.task.findFirstOrThrow({ where: { projectId: p.projectId } });
    const steps = ladderAt(task);
    const skipTo = async (at: number) => env.sleep(at + 60_000 - (await env.currentTimeMs()));

    await skipTo(steps.REMINDER!);
    const reminder = await eventually(async () => {
      const n = await store.db.notification.findFirstOrThrow({ where: { taskId: task.id, kind: 'REMINDER' }, include: { receipts: { include: { person: { select: { username: true } } }, orderBy: { id: 'asc' } } } });
      return n;
    });
    expect(reminder.receipts.map((r) => r.person).map((r) => r.username)).toEqual(['info1']);
    expect((await store.db.task.findUniqueOrThrow({ where: { id: task.id } })).overdue).toBe(false);

    await skipTo(steps.OVERDUE);
    const overdue = await eventually(async () => store.db.notification.findFirstOrThrow({ where: { taskId: task.id, kind: 'OVERDUE' }, include: { receipts: { include: { person: { select: { username: true } } }, orderBy: { id: 'asc' } } } }));
    // §4: the INFO task force's lead unit 县商务局's DEPUTY, with the task force's 组长
    expect(overdue.receipts.map((r) => r.person).map((r) => r.username)).toEqual(['commerce_deputy', 'info1']);
    expect(overdue.title).toContain('逾期测试项目');
    const t = await store.db.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(t).toMatchObject({ overdue: true, escalationLevel: 1, status: 'OPEN' });
    expect((await store.db.project.findUniqueOrThrow({ where: { id: p.projectId } })).escalationLevel).toBe(1);
    const desc = await env.client.workflow.getHandle(p.workflowId).describe();
    expect(desc.typedSearchAttributes.get(SA.EscalationLevel)).toBe(1);
    const ladder = (await timelineOf(p.projectId)).filter((e) => e.kind === 'TASK_LADDER').map((e) => (e.data as { step: string }).step);
    expect(ladder).toEqual(['REMINDER', 'OVERDUE']);

    // completed at D+3 (calendar days, before D+7 working days): the rest of its ladder (D+7, D+15, D+30) never fires
    await env.sleep('3 days');
    expect(await env.currentTimeMs()).toBeLessThan(steps.LEVEL_2);
    await complete(p.workflowId, { taskId: task.id, outcome: 'discard', comment: '投资方已联系不上', actor: info1 });
    await env.sleep('40 days');
    expect(await store.db.notification.count({ where: { taskId: task.id } })).toBe(2);
    expect(await env.client.workflow.getHandle(p.workflowId).result()).toBe('DISCARDED');
    expect((await store.db.project.findUniqueOrThrow({ where: { id: p.projectId } })).stage).toBe('DISCARDED');
  });
});
