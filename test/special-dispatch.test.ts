// 八 专题调度 on the time-skipping server with a real worker and a real SQLite projection: the policy's
// condition of a major problem opens a meeting.specialDispatch task for the 县委专职副书记 (once per
// factor issue); the 县长 or a 分管副县长 may ask for one with a reason; its decisions act as the
// 月研判's (an instruction becomes a project.coordination task for the named unit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskView } from '../domain/events';
import { DEFAULT_POLICY } from '../domain/policy';
import { specialDispatchDue } from '../domain/special-dispatch';
import { NAMED_UNITS } from '../domain/units';
import { actorNamed } from '../harness/pipeline';
import { startWorkflowEnv, type WorkflowEnv } from '../harness/workflow-env';
import { raiseFactorIssueUpdate, requestSpecialDispatchUpdate, snapshotQuery } from '../workflows/messages/project';
import { eventually } from './helpers/eventually';
import { ladderAt } from './helpers/ladder';
import { refusal } from './helpers/refusal';

let w: WorkflowEnv;
beforeAll(async () => {
  w = await startWorkflowEnv('special-dispatch');
});
afterAll(async () => w?.teardown());

const snap = (workflowId: string) => w.env.client.workflow.getHandle(workflowId).query(snapshotQuery);
const sleepUntil = async (instant: number) => w.env.sleep(Math.max(0, instant - (await w.env.currentTimeMs())) + 60_000);
const dispatchesOf = (projectId: string) => w.store.db.task.findMany({ where: { projectId, type: 'meeting.specialDispatch' }, orderBy: { id: 'asc' } });

describe('八 专题调度 — the policy condition (pure)', () => {
  const task = (id: string, type: string, level: number, context: Record<string, unknown> | null = null) =>
    ({ id, type, escalationLevel: level, context } as unknown as TaskView);
  it('a factor issue escalated to the 分管副县长 past its due time, or a project at level 4 with a factor issue open; once per factor issue', () => {
    expect(specialDispatchDue(DEFAULT_POLICY, [task('T1', 'contract.signoff', 4)], {})).toBeNull(); // no factor issue: not this rule
    expect(specialDispatchDue(DEFAULT_POLICY, [task('T2', 'factor.escalation', 0, { fromTask: 'T1' })], {})).toBeNull(); // not yet due
    expect(specialDispatchDue(DEFAULT_POLICY, [task('T2', 'factor.escalation', 1, { fromTask: 'T1' })], {})).toMatchObject({ trigger: 'FACTOR_ESCALATION_OVERDUE' });
    expect(specialDispatchDue(DEFAULT_POLICY, [task('T2', 'factor.escalation', 3, { fromTask: 'T1' })], { T1: 'T5' })).toBeNull(); // taken up already
    expect(specialDispatchDue(DEFAULT_POLICY, [task('T3', 'signing.ceremony', 4), task('T4', 'factor.issue', 0)], {}))
      .toMatchObject({ trigger: 'ESCALATED_WITH_FACTOR_ISSUE', factorTask: { id: 'T4' } });
    const off = { ...DEFAULT_POLICY, specialDispatch: { factorEscalationOverdue: false, escalationLevelWithFactorIssue: null } };
    expect(specialDispatchDue(off, [task('T2', 'factor.escalation', 3, { fromTask: 'T1' }), task('T3', 'x', 4)], {})).toBeNull();
    // a run started under a policy before 专题调度 existed takes the built-in rule
    const { specialDispatch: _, ...older } = DEFAULT_POLICY;
    expect(specialDispatchDue(older as typeof DEFAULT_POLICY, [task('T2', 'factor.escalation', 1, { fromTask: 'T1' })], {})).not.toBeNull();
  });
});

describe('八 专题调度 in a project workflow', () => {
  it('opens for the 县委专职副书记 when the 分管副县长\'s factor issue goes overdue — once; coordinate becomes a task for the named unit', async () => {
    const p = await w.register();
    const handle = w.env.client.workflow.getHandle(p.workflowId);
    await w.walkTo(p.workflowId, 'CONTRACT');
    const issue = await handle.executeUpdate(raiseFactorIssueUpdate, {
      args: [{ actor: await actorNamed(w.store.db, 'kfq1'), issue: { category: 'LAND', description: '用地指标未落实，影响供地' } }],
    });
    const esc = await w.complete(p.workflowId, issue.id, 'factor1', { outcome: 'escalated', comment: '需县级协调用地指标' });
    const escalation = esc.openTasks.find((t) => t.type === 'factor.escalation')!;
    expect(await dispatchesOf(p.projectId)).toEqual([]);

    await sleepUntil(ladderAt(escalation).OVERDUE);
    const [sd] = await eventually(async () => {
      const list = await dispatchesOf(p.projectId);
      expect(list).toHaveLength(1);
      return list;
    });
    expect(sd).toMatchObject({ candidateGroup: 'ROLE:DEPUTY_SECRETARY', status: 'OPEN', title: '专题调度（县委专职副书记）' });
    expect(sd.context).toMatchObject({
      trigger: 'FACTOR_ESCALATION_OVERDUE', factorIssue: { taskId: escalation.id, category: 'LAND', description: '用地指标未落实，影响供地', raisedBy: 'kfq1' },
      stage: 'CONTRACT', stageName: '合同审签', openTasks: expect.arrayContaining([expect.objectContaining({ id: escalation.id, escalationLevel: 1 })]),
    });
    expect((sd.context as { reason: string }).reason).toContain('用地指标未落实');
    const opened = await w.store.db.timelineEvent.findFirstOrThrow({ where: { projectId: p.projectId, kind: 'SPECIAL_DISPATCH_OPENED' } });
    expect(opened).toMatchObject({ actor: null, taskId: sd.id, taskType: 'meeting.specialDispatch', data: { trigger: 'FACTOR_ESCALATION_OVERDUE' } });

    // the same issue climbing on opens no second one
    await sleepUntil(ladderAt(escalation).LEVEL_2);
    await eventually(async () => expect((await w.store.db.task.findUniqueOrThrow({ where: { id: escalation.id } })).escalationLevel).toBe(2));
    expect(await dispatchesOf(p.projectId)).toHaveLength(1);

    // decisions: only the 县委专职副书记; coordinate needs the unit and the instruction
    expect((await refusal(w.complete(p.workflowId, sd.id, 'vicehead', { outcome: 'close', data: { conclusion: '已解决' } }))).type).toBe('FORBIDDEN');
    const bad = await refusal(w.complete(p.workflowId, sd.id, 'deputysec', { outcome: 'coordinate', data: { instruction: '抓紧落实' } }));
    expect(bad.type).toBe('VALIDATION');
    expect(bad.details?.[0]).toEqual([{ field: 'data.unitId', message: expect.any(String) }]);
    const done = await w.complete(p.workflowId, sd.id, 'deputysec', {
      outcome: 'coordinate', data: { unitId: NAMED_UNITS.approvalService, instruction: '县行政审批服务局会同自然资源部门十日内调剂用地指标' },
    });
    const coordination = done.openTasks.find((t) => t.type === 'project.coordination')!;
    expect(coordination).toMatchObject({
      candidateGroup: `UNIT:${NAMED_UNITS.approvalService}`,
      context: { unitId: NAMED_UNITS.approvalService, instruction: '县行政审批服务局会同自然资源部门十日内调剂用地指标', meetingTitle: '专题调度', fromTask: sd.id },
    });
    expect(coordination.context).not.toHaveProperty('openTasks'); // the instruction, not the agenda
  });

  it('the 县长 or a 分管副县长 asks for one with a reason; one open at a time; escalate puts it to the 县长', async () => {
    const p = await w.register();
    const handle = w.env.client.workflow.getHandle(p.workflowId);
    await w.walkTo(p.workflowId, 'NEGOTIATION');
    const ask = async (who: string, reason: string) =>
      handle.executeUpdate(requestSpecialDispatchUpdate, { args: [{ actor: await actorNamed(w.store.db, who), reason }] });
    expect((await refusal(ask('commerce1', '需要专题调度'))).type).toBe('FORBIDDEN');
    const empty = await refusal(ask('countyhead', ' '));
    expect(empty.type).toBe('VALIDATION');
    expect(empty.details?.[0]).toEqual([{ field: 'body.reason', message: expect.any(String) }]);
    const sd = await ask('countyhead', '投资方要求调整股权结构，涉及国有平台公司出资');
    expect(sd).toMatchObject({
      type: 'meeting.specialDispatch', candidateGroup: 'ROLE:DEPUTY_SECRETARY',
      context: { trigger: 'REQUEST', requestedBy: 'countyhead', reason: '投资方要求调整股权结构，涉及国有平台公司出资', stage: 'NEGOTIATION' },
    });
    const again = await refusal(ask('vicehead', '再次提请'));
    expect(again.type).toBe('CONFLICT');
    expect(again.message).toContain(sd.id);
    const done = await w.complete(p.workflowId, sd.id, 'deputysec', { outcome: 'escalate', data: { instruction: '涉及国有资本出资，提请县长季调度研究' } });
    expect(done.openTasks.map((t) => t.type)).toEqual(['negotiation.conduct']);
    const row = await w.store.db.task.findUniqueOrThrow({ where: { id: sd.id } });
    expect(row).toMatchObject({ status: 'COMPLETED', outcome: 'escalate', completedBy: 'deputysec', data: { instruction: '涉及国有资本出资，提请县长季调度研究' } });
    const opened = await w.store.db.timelineEvent.findFirstOrThrow({ where: { projectId: p.projectId, kind: 'SPECIAL_DISPATCH_OPENED' } });
    expect(opened).toMatchObject({ actor: 'countyhead', comment: '投资方要求调整股权结构，涉及国有平台公司出资', data: { trigger: 'REQUEST' } });
    // a vice head may ask once the first is decided
    expect(await ask('vicehead', '洽谈停滞，需再次专题调度')).toMatchObject({ context: { requestedBy: 'vicehead' } });
    expect((await snap(p.workflowId)).openTasks.map((t) => t.type).sort()).toEqual(['meeting.specialDispatch', 'negotiation.conduct']);
  });
});
