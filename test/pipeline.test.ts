// The whole pipeline of clauses 九 and 十四 on the time-skipping server: the happy paths of a plain
// and a 一事一议 project, every return, rejection, discard, withdrawal, deferral and termination,
// the side actions, and the escalation ladder of §4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAMED_UNITS } from '../domain/units';
import { amendProjectUpdate, raiseFactorIssueUpdate, snapshotQuery, terminateProjectUpdate } from '../workflows/messages/project';
import { SA } from '../workflows/search-attributes';
import { eventually } from './helpers/eventually';
import { dueAtUnder, ladderAt } from './helpers/ladder';
import { actorNamed } from '../harness/pipeline';
import { refusal } from './helpers/refusal';
import { startWorkflowEnv, type WorkflowEnv } from '../harness/workflow-env';

let w: WorkflowEnv;
beforeAll(async () => {
  w = await startWorkflowEnv('pipeline');
});
afterAll(async () => w?.teardown());

const snap = (workflowId: string) => w.env.client.workflow.getHandle(workflowId).query(snapshotQuery);
const result = (workflowId: string) => w.env.client.workflow.getHandle(workflowId).result();
const stagesOf = async (projectId: string) =>
  (await w.store.db.timelineEvent.findMany({ where: { projectId, kind: 'STAGE_CHANGED' }, orderBy: { seq: 'asc' } })).map((e) => (e.data as { to: string }).to);
const completedTypes = async (projectId: string) =>
  (await w.store.db.timelineEvent.findMany({ where: { projectId, kind: 'TASK_COMPLETED' }, orderBy: { seq: 'asc' } })).map((e) => `${e.taskType}/${e.outcome}`);

describe('happy paths (九, 十四 四即)', () => {
  it('walks a plain project through every gate to IN_PRODUCTION, with three contract signers', async () => {
    const p = await w.register();
    await w.walkTo(p.workflowId, 'IN_PRODUCTION');
    expect(await result(p.workflowId)).toBe('IN_PRODUCTION');
    expect(await stagesOf(p.projectId)).toEqual([
      'CONTACT', 'PLAN', 'PRELIM_REVIEW', 'NEGOTIATION', 'MATERIALS', 'PRE_REVIEW', 'REVIEW_MEETING', 'CONTRACT',
      'SIGNING', 'LAND_SUPPLY', 'LAND_CERTIFICATE', 'CONSTRUCTION', 'PRODUCTION', 'IN_PRODUCTION',
    ]);
    const signers = await w.store.db.task.findMany({ where: { projectId: p.projectId, type: 'contract.signoff' }, orderBy: { id: 'asc' } });
    expect(signers.map((t) => [t.candidateGroup, t.completedBy])).toEqual([
      [`UNIT:${NAMED_UNITS.commerce}`, 'commerce1'], [`UNIT:${NAMED_UNITS.justice}`, 'justice1'], ['ROLE:VICE_HEAD', 'vicehead'],
    ]);
    const stored = await w.store.db.project.findUniqueOrThrow({ where: { id: p.projectId } });
    expect(stored).toMatchObject({ stage: 'IN_PRODUCTION', plannedInvestmentWan: 60000, landMu: 150, expectedJobs: 800 });
    expect(await w.store.db.task.count({ where: { projectId: p.projectId, status: { in: ['OPEN', 'CLAIMED'] } } })).toBe(0);
  });

  it('walks a 一事一议 project through 县人民政府常务会 (a deferral counted) and the 县长\'s signature', async () => {
    const p = await w.register({ name: '南县新材料一事一议项目', isCaseByCase: true, industryChain: 'NEW_MATERIALS' });
    await w.walkTo(p.workflowId, 'REVIEW_MEETING');
    expect((await w.step(p.workflowId)).stage).toBe('EXECUTIVE'); // approve → 9 for 一事一议
    const deferred = await w.step(p.workflowId, { outcome: 'defer', comment: '补充产业链配套论证' });
    expect(deferred.stage).toBe('EXECUTIVE');
    expect(deferred.openTasks.map((t) => t.type)).toEqual(['executive.deliberate']);
    // 一事一议: special terms are required on approval
    const task = deferred.openTasks[0];
    const missing = await refusal(w.complete(p.workflowId, task.id, 'govoffice', {
      outcome: 'approve', data: { meetingKind: 'MAYOR_OFFICE', meetingDate: '2026-01-10', decisionNo: '南政办〔2026〕1号' },
    }));
    expect(missing.type).toBe('VALIDATION');
    expect(missing.details?.[0]).toEqual([{ field: 'data.specialTerms', message: expect.any(String) }]);
    const future = await refusal(w.complete(p.workflowId, task.id, 'govoffice', {
      outcome: 'approve', data: { meetingKind: 'MAYOR_OFFICE', meetingDate: '2099-01-01', decisionNo: 'x', specialTerms: 'y' },
    }));
    expect(future.details?.[0]).toEqual([{ field: 'data.meetingDate', message: '不得晚于今天' }]);
    await w.walkTo(p.workflowId, 'IN_PRODUCTION');
    const timeline = await w.store.db.timelineEvent.findMany({ where: { projectId: p.projectId, kind: 'STAGE_CHANGED' }, orderBy: { seq: 'asc' } });
    expect(timeline.filter((e) => e.comment?.startsWith('暂缓审议')).map((e) => e.comment)).toEqual(['暂缓审议（第1次）']);
    const approval = await w.store.db.task.findFirstOrThrow({ where: { projectId: p.projectId, type: 'executive.deliberate', outcome: 'approve' } });
    expect(approval.data).toMatchObject({ meetingKind: 'STANDING_COMMITTEE', specialTerms: expect.stringContaining('一事一议') });
    const signers = await w.store.db.task.findMany({ where: { projectId: p.projectId, type: 'contract.signoff' }, orderBy: { id: 'asc' } });
    expect(signers.map((t) => t.candidateGroup)).toEqual([`UNIT:${NAMED_UNITS.commerce}`, `UNIT:${NAMED_UNITS.justice}`, 'ROLE:VICE_HEAD', 'ROLE:COUNTY_HEAD']);
    const desc = await w.env.client.workflow.getHandle(p.workflowId).describe();
    expect(desc.typedSearchAttributes.get(SA.ProjectStage)).toBe('IN_PRODUCTION');
    expect(desc.typedSearchAttributes.get(SA.IsCaseByCase)).toBe(true);
  });
});

describe('returns and deferrals', () => {
  it('sends 初审 return to PLAN, 预审 return and 评审会 defer to MATERIALS, and a contract return back to 县商务局', async () => {
    const p = await w.register();
    await w.walkTo(p.workflowId, 'PRELIM_REVIEW');
    expect((await refusal(w.step(p.workflowId, { outcome: 'return' }))).details?.[0]).toEqual([{ field: 'comment', message: '此办理结果须填写办理意见' }]);
    expect((await w.step(p.workflowId, { outcome: 'return', comment: '投资强度不足，请修改计划书' })).stage).toBe('PLAN');
    await w.walkTo(p.workflowId, 'PRE_REVIEW');
    expect((await w.step(p.workflowId, { outcome: 'return', comment: '缺环评材料' })).stage).toBe('MATERIALS');
    await w.walkTo(p.workflowId, 'REVIEW_MEETING');
    expect((await w.step(p.workflowId, { outcome: 'defer', comment: '补充用地论证' })).stage).toBe('MATERIALS');
    await w.walkTo(p.workflowId, 'CONTRACT');
    await w.step(p.workflowId); // 县商务局 approves
    const back = await w.step(p.workflowId, { outcome: 'return', comment: '违约条款需修改' }); // 县司法局 returns
    expect(back.stage).toBe('CONTRACT');
    expect(back.openTasks.map((t) => [t.type, t.candidateGroup, t.step])).toEqual([['contract.signoff', `UNIT:${NAMED_UNITS.commerce}`, 0]]);
    await w.walkTo(p.workflowId, 'SIGNING');
    expect(await completedTypes(p.projectId)).toEqual(expect.arrayContaining(['prelim.review/return', 'prereview.check/return', 'review.meeting/defer', 'contract.signoff/return']));
  });

  it('lets the review meeting mark a plain project 一事一议 and send it to the executive meeting', async () => {
    const p = await w.register();
    await w.walkTo(p.workflowId, 'REVIEW_MEETING');
    expect((await refusal(w.step(p.workflowId, { outcome: 'escalate', data: {} }))).type).toBe('VALIDATION');
    const r = await w.step(p.workflowId, { outcome: 'escalate', data: { isCaseByCase: true } });
    expect(r.stage).toBe('EXECUTIVE');
    expect((await snap(p.workflowId)).project.isCaseByCase).toBe(true);
    expect((await w.store.db.project.findUniqueOrThrow({ where: { id: p.projectId } })).isCaseByCase).toBe(true);
  });
});

describe('terminal outcomes', () => {
  const cases: [string, string, string, string][] = [
    ['LEAD', 'discard', '线索不实', 'DISCARDED'],
    ['CONTACT', 'withdrawn', '投资方放弃', 'WITHDRAWN'],
    ['PRELIM_REVIEW', 'reject', '属限制类产业', 'REJECTED'],
    ['NEGOTIATION', 'failed', '条件差距过大', 'FAILED'],
    ['NEGOTIATION', 'withdrawn', '投资方转投他地', 'WITHDRAWN'],
    ['REVIEW_MEETING', 'reject', '亩均税收不达标', 'REJECTED'],
    ['SIGNING', 'cancelled', '投资方资金链断裂', 'FAILED'],
  ];
  it.each(cases)('at %s, %s ends the project (%s → %s)', async (stage, outcome, comment, terminal) => {
    const p = await w.register();
    await w.walkTo(p.workflowId, stage);
    expect((await w.step(p.workflowId, { outcome, comment })).stage).toBe(terminal);
    expect(await result(p.workflowId)).toBe(terminal);
    expect((await w.store.db.project.findUniqueOrThrow({ where: { id: p.projectId } })).stage).toBe(terminal);
  });

  it('rejects at the executive meeting', async () => {
    const p = await w.register({ isMajor: true });
    await w.walkTo(p.workflowId, 'EXECUTIVE');
    expect((await w.step(p.workflowId, { outcome: 'reject', comment: '不符合产业政策' })).stage).toBe('REJECTED');
  });

  it('is terminated by ADMIN only, with open tasks cancelled and a reason on the timeline', async () => {
    const p = await w.register();
    await w.walkTo(p.workflowId, 'NEGOTIATION');
    const handle = w.env.client.workflow.getHandle(p.workflowId);
    expect((await refusal(handle.executeUpdate(terminateProjectUpdate, { args: [{ actor: await actorNamed(w.store.db, 'negotiate1'), reason: '不想做了' }] }))).type).toBe('FORBIDDEN');
    expect((await refusal(handle.executeUpdate(terminateProjectUpdate, { args: [{ actor: await actorNamed(w.store.db, 'admin'), reason: '' }] }))).type).toBe('VALIDATION');
    const r = await handle.executeUpdate(terminateProjectUpdate, { args: [{ actor: await actorNamed(w.store.db, 'admin'), reason: '投资方涉嫌违法，终止洽谈' }] });
    expect(r).toMatchObject({ stage: 'TERMINATED', openTasks: [] });
    expect(await result(p.workflowId)).toBe('TERMINATED');
    const task = await w.store.db.task.findFirstOrThrow({ where: { projectId: p.projectId, type: 'negotiation.conduct' } });
    expect(task.status).toBe('CANCELLED');
    const last = await w.store.db.timelineEvent.findFirstOrThrow({ where: { projectId: p.projectId, kind: 'STAGE_CHANGED' }, orderBy: { seq: 'desc' } });
    expect(last).toMatchObject({ actor: 'admin', comment: '投资方涉嫌违法，终止洽谈' });
  });
});

describe('side actions', () => {
  it('raises a factor issue from the contract stage on; FACTOR escalates it to VICE_HEAD; the pipeline goes on', async () => {
    const p = await w.register();
    const handle = w.env.client.workflow.getHandle(p.workflowId);
    await w.walkTo(p.workflowId, 'NEGOTIATION');
    const issue = { category: 'POWER', description: '园区变电站容量不足，需新建专线' };
    expect((await refusal(handle.executeUpdate(raiseFactorIssueUpdate, { args: [{ actor: await actorNamed(w.store.db, 'kfq1'), issue }] }))).type).toBe('CONFLICT');
    await w.walkTo(p.workflowId, 'CONTRACT');
    expect((await refusal(handle.executeUpdate(raiseFactorIssueUpdate, { args: [{ actor: await actorNamed(w.store.db, 'nanzhou1'), issue }] }))).type).toBe('FORBIDDEN');
    expect((await refusal(handle.executeUpdate(raiseFactorIssueUpdate, { args: [{ actor: await actorNamed(w.store.db, 'kfq1'), issue: { category: 'GOLD', description: '' } }] }))).type).toBe('VALIDATION');
    const task = await handle.executeUpdate(raiseFactorIssueUpdate, { args: [{ actor: await actorNamed(w.store.db, 'kfq1'), issue }] });
    expect(task).toMatchObject({ type: 'factor.issue', candidateGroup: 'TF:FACTOR', context: { category: 'POWER', raisedBy: 'kfq1' } });
    await w.step(p.workflowId); // the pipeline goes on meanwhile: 县商务局 signs
    const esc = await w.complete(p.workflowId, task.id, 'factor1', { outcome: 'escalated', comment: '需县级协调电网公司' });
    const followUp = esc.openTasks.find((t) => t.type === 'factor.escalation')!;
    expect(followUp).toMatchObject({ candidateGroup: 'ROLE:VICE_HEAD', context: { category: 'POWER', fromTask: task.id } });
    await w.complete(p.workflowId, followUp.id, 'vicehead', { outcome: 'resolved', comment: '电网公司承诺三个月内完成专线' });
    await w.walkTo(p.workflowId, 'SIGNING');
    const kinds = (await w.store.db.timelineEvent.findMany({ where: { projectId: p.projectId }, orderBy: { seq: 'asc' } })).map((e) => e.kind);
    expect(kinds).toContain('FACTOR_ISSUE_RAISED');
  });

  it('records amendments with old and new values; only the responsible unit or ADMIN may amend', async () => {
    const p = await w.register();
    await w.walkTo(p.workflowId, 'CONTACT'); // responsible unit: 县商务局 (commerce1)
    const handle = w.env.client.workflow.getHandle(p.workflowId);
    const amend = async (who: string, amendment: unknown) =>
      handle.executeUpdate(amendProjectUpdate, { args: [{ actor: await actorNamed(w.store.db, who), amendment: amendment as never }] });
    expect((await refusal(amend('kfq1', { fields: { plannedInvestmentWan: 70000 }, reason: '增资' }))).type).toBe('FORBIDDEN');
    expect((await refusal(amend('commerce1', { fields: { plannedInvestmentWan: -1 }, reason: '增资' }))).details?.[0]).toEqual([
      { field: 'amendment.fields.plannedInvestmentWan', message: expect.any(String) },
    ]);
    expect((await refusal(amend('commerce1', { fields: { plannedInvestmentWan: 50000 }, reason: '无变化' }))).type).toBe('VALIDATION');
    await amend('commerce1', { fields: { plannedInvestmentWan: 70000, isMajor: true }, reason: '投资方追加投资' });
    await amend('admin', { fields: { name: '南县稻虾产业园（二期）' }, reason: '更名' });
    const stored = await w.store.db.project.findUniqueOrThrow({ where: { id: p.projectId } });
    expect(stored).toMatchObject({ plannedInvestmentWan: 70000, isMajor: true, name: '南县稻虾产业园（二期）' });
    const amended = await w.store.db.timelineEvent.findMany({ where: { projectId: p.projectId, kind: 'PROJECT_AMENDED' }, orderBy: { seq: 'asc' } });
    expect(amended.map((e) => [e.actor, e.data])).toEqual([
      ['commerce1', { changes: { plannedInvestmentWan: { old: 50000, new: 70000 }, isMajor: { old: false, new: true } } }],
      ['admin', { changes: { name: { old: '南县稻虾产业园项目', new: '南县稻虾产业园（二期）' } } }],
    ]);
    const desc = await handle.describe();
    expect(desc.typedSearchAttributes.get(SA.IsMajor)).toBe(true);
    expect(desc.typedSearchAttributes.get(SA.PlannedInvestmentWan)).toBe(70000);
  });
});

describe('§4 escalation ladder', () => {
  const ladderOf = async (taskId: string) =>
    (await w.store.db.notification.findMany({ where: { taskId }, orderBy: { id: 'asc' }, include: { receipts: { include: { person: { select: { username: true } } }, orderBy: { id: 'asc' } } } }))
      .map((n) => [n.kind, n.level, n.receipts.map((r) => r.person).map((r) => r.username).sort().join(',')]);

  it('takes a task left open through every level at its virtual time, to the right people', async () => {
    // contact.inspect for 县经济开发区 as responsible unit: due in 30 working days
    const p = await w.register();
    await w.step(p.workflowId, undefined, { responsibleUnitId: NAMED_UNITS.economicZone });
    const task = (await snap(p.workflowId)).openTasks[0];
    expect(task).toMatchObject({ type: 'contact.inspect', candidateGroup: `UNIT:${NAMED_UNITS.economicZone}` });
    expect(Date.parse(task.dueAt)).toBe(dueAtUnder(task.createdAt, 30));
    const ladder = ladderAt(task);
    const at = async (instant: number) => {
      await w.env.sleep(Math.max(0, instant - (await w.env.currentTimeMs())) + 60_000);
    };
    const expected: [string, number, string][] = [];
    const check = async () => eventually(async () => expect(await ladderOf(task.id)).toEqual(expected));

    await at(ladder.REMINDER! - 12 * 3600_000);
    await check(); // nothing before D − 2
    await at(ladder.REMINDER!);
    expected.push(['REMINDER', 0, 'kfq1,kfq_deputy,kfq_principal']);
    await check();
    await at(ladder.OVERDUE);
    expected.push(['OVERDUE', 1, 'kfq_deputy']);
    await check();
    await at(ladder.LEVEL_2);
    expected.push(['ESCALATION', 2, 'kfq_principal']);
    await check();
    await at(ladder.LEVEL_3);
    expected.push(['ESCALATION', 3, 'vicehead']);
    await check();
    await at(ladder.LEVEL_4);
    expected.push(['ESCALATION', 4, 'countyhead']);
    await check();
    const desc = await w.env.client.workflow.getHandle(p.workflowId).describe();
    expect(desc.typedSearchAttributes.get(SA.EscalationLevel)).toBe(4);
    expect(await w.store.db.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ escalationLevel: 4, overdue: true });
    const steps = (await w.store.db.timelineEvent.findMany({ where: { taskId: task.id, kind: 'TASK_LADDER' }, orderBy: { seq: 'asc' } })).map((e) => (e.data as { step: string }).step);
    expect(steps).toEqual(['REMINDER', 'OVERDUE', 'LEVEL_2', 'LEVEL_3', 'LEVEL_4']);
    // completing it brings the project's level back to 0
    await w.step(p.workflowId);
    expect((await w.env.client.workflow.getHandle(p.workflowId).describe()).typedSearchAttributes.get(SA.EscalationLevel)).toBe(0);
  });

  it('stops at level 2 for a task completed between D + 7 and D + 15', async () => {
    const p = await w.register();
    await w.step(p.workflowId, undefined, { responsibleUnitId: NAMED_UNITS.economicZone });
    const task = (await snap(p.workflowId)).openTasks[0];
    await w.env.sleep(ladderAt(task).LEVEL_2 + 3600_000 - (await w.env.currentTimeMs()));
    await eventually(async () => expect((await w.store.db.task.findUniqueOrThrow({ where: { id: task.id } })).escalationLevel).toBe(2));
    await w.step(p.workflowId);
    await w.env.sleep('40 days');
    expect((await ladderOf(task.id)).map(([kind, level]) => `${kind}:${level}`)).toEqual(['REMINDER:0', 'OVERDUE:1', 'ESCALATION:2']);
    const next = (await snap(p.workflowId)).openTasks[0];
    expect(next.type).toBe('plan.submit'); // its own ladder, meanwhile, has started from its own due time
  });
});
