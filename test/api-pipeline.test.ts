// A 一事一议 project walked from lead to IN_PRODUCTION through the REST API as the demo accounts of §7:
// every task appears in the right inbox and nobody else's, someone outside the candidate group gets
// 403 for every task type, and the side actions answer 400 / 403 / 404 / 409 as §7 says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskType } from '../domain/pipeline';
import { NAMED_UNITS } from '../domain/units';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';
import { DEMO_USER_FOR_GROUP, forward, outsiderFor } from '../harness/pipeline';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('api-pipeline');
});
afterAll(async () => a?.teardown());

const lead = {
  name: '南县医疗器械一事一议项目', investor: '深圳某医疗科技股份有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'HEALTH',
  channel: 'KINSHIP', plannedInvestmentWan: 120000, landMu: 120, isCaseByCase: true,
};

describe('a 一事一议 project from lead to IN_PRODUCTION through the API', () => {
  it('shows each task in the right inbox, refuses outsiders with 403 for every task type, and ends IN_PRODUCTION', async () => {
    const created = await a.call('POST', '/api/v1/projects', { as: 'info1', body: lead });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const seen: string[] = [];
    let stage = 'LEAD';
    let factorRaised = false;
    for (let guard = 0; stage !== 'IN_PRODUCTION' && guard < 30; guard++) {
      const detail = await a.call('GET', `/api/v1/projects/${id}`, { as: 'admin' });
      const task = detail.body.openTasks.find((t: { type: string }) => taskType(t.type)?.stage);
      const owner = DEMO_USER_FOR_GROUP[task.candidateGroup];
      // the task is in its owner's inbox …
      const inbox = await a.call('GET', `/api/v1/tasks?projectId=${id}`, { as: owner });
      expect(inbox.body.items.map((t: { id: string }) => t.id)).toContain(task.id);
      // … and not in an outsider's, who may not complete it either
      const outsider = outsiderFor(task.candidateGroup);
      const theirs = await a.call('GET', `/api/v1/tasks?projectId=${id}`, { as: outsider });
      expect(theirs.body.items.map((t: { id: string }) => t.id)).not.toContain(task.id);
      const c = forward(task.type, { isCaseByCase: true });
      const refused = await a.call('POST', `/api/v1/tasks/${task.id}/complete`, { as: outsider, body: c });
      expect(refused.status, `${task.type} as ${outsider}`).toBe(403);
      const done = await a.call('POST', `/api/v1/tasks/${task.id}/complete`, { as: owner, body: c });
      expect(done.status, `${task.type} as ${owner}: ${JSON.stringify(done.body)}`).toBe(200);
      seen.push(`${task.type}@${owner}`);
      stage = done.body.stage;
      if (stage === 'CONTRACT' && !factorRaised) {
        // 十四: the landing site raises a factor issue; FACTOR resolves it while the pipeline goes on
        const raised = await a.call('POST', `/api/v1/projects/${id}/factor-issues`, { as: 'kfq1', body: { category: 'LAND', description: '用地指标待调剂' } });
        expect(raised.status).toBe(201);
        expect((await a.call('GET', '/api/v1/tasks?type=factor.issue', { as: 'factor1' })).body.items.map((t: { id: string }) => t.id)).toContain(raised.body.id);
        expect((await a.call('POST', `/api/v1/tasks/${raised.body.id}/complete`, { as: 'justice1', body: { outcome: 'resolved' } })).status).toBe(403);
        const escalated = await a.call('POST', `/api/v1/tasks/${raised.body.id}/complete`, { as: 'factor1', body: { outcome: 'escalated', comment: '需县级协调' } });
        expect(escalated.status).toBe(200);
        const followUp = escalated.body.openTasks.find((t: { type: string }) => t.type === 'factor.escalation');
        expect(followUp.candidateGroup).toBe('ROLE:VICE_HEAD');
        expect((await a.call('POST', `/api/v1/tasks/${followUp.id}/complete`, { as: 'countyhead', body: { outcome: 'resolved', comment: '已协调' } })).status).toBe(403);
        expect((await a.call('POST', `/api/v1/tasks/${followUp.id}/complete`, { as: 'vicehead', body: { outcome: 'resolved', comment: '已协调自然资源局调剂指标' } })).status).toBe(200);
        factorRaised = true;
      }
    }
    expect(stage).toBe('IN_PRODUCTION');
    // the workflow has ended: repeating the last completion still gives the same answer, another outcome 409
    const last = (await a.call('GET', `/api/v1/projects/${id}`, { as: 'admin' })).body.timeline.filter((e: { kind: string }) => e.kind === 'TASK_CREATED').pop();
    const lastTask = await a.store.db.task.findFirstOrThrow({ where: { projectId: id, type: 'milestone.productionStart' } });
    expect(last.taskType).toBe('milestone.productionStart');
    const again = await a.call('POST', `/api/v1/tasks/${lastTask.id}/complete`, { as: 'kfq1', body: forward('milestone.productionStart') });
    expect(again).toEqual({ status: 200, body: { taskId: lastTask.id, outcome: 'done', projectId: id, stage: 'IN_PRODUCTION', openTasks: [], warnings: [] } });
    expect((await a.call('POST', `/api/v1/tasks/${lastTask.id}/complete`, { as: 'kfq1', body: { outcome: 'other' } })).status).toBe(409);
    expect((await a.call('POST', `/api/v1/tasks/${lastTask.id}/claim`, { as: 'kfq1' })).status).toBe(409);
    expect(seen).toEqual([
      'lead.verify@info1', 'contact.inspect@commerce1', 'plan.submit@commerce1', 'prelim.review@assess1', 'negotiation.conduct@negotiate1',
      'materials.prepare@kfq1', 'prereview.check@openeco', 'review.meeting@vicehead', 'executive.deliberate@govoffice',
      'contract.signoff@commerce1', 'contract.signoff@justice1', 'contract.signoff@vicehead', 'contract.signoff@countyhead',
      'signing.ceremony@commerce1', 'milestone.landSupply@factor1', 'milestone.landCertificate@factor1',
      'milestone.constructionStart@kfq1', 'milestone.productionStart@kfq1',
    ]);
    const detail = await a.call('GET', `/api/v1/projects/${id}`, { as: 'admin' });
    expect(detail.body).toMatchObject({ stage: 'IN_PRODUCTION', openTasks: [], landingSiteId: NAMED_UNITS.economicZone, responsibleUnitId: NAMED_UNITS.commerce });
    expect(detail.body.timeline.filter((e: { kind: string }) => e.kind === 'TASK_COMPLETED')).toHaveLength(20); // 18 of the pipeline, 2 of the factor issue
    // the administrators' view in the Temporal UI
    await eventually(async () => {
      const ids: string[] = [];
      for await (const w of a.temporal.client.workflow.list({ query: 'ProjectStage="IN_PRODUCTION" AND IsCaseByCase=true' })) ids.push(w.workflowId);
      expect(ids).toContain(`project-${id}`);
    });
  });
});

describe('side actions and the inbox through the API', () => {
  let id: string;
  beforeAll(async () => {
    const r = await a.call('POST', '/api/v1/projects', { as: 'info1', body: { ...lead, name: '南县养老服务综合体', isCaseByCase: false, industryChain: 'ELDERLY_CARE' } });
    id = r.body.id;
    const task = (await a.call('GET', `/api/v1/projects/${id}`, { as: 'info1' })).body.openTasks[0];
    await a.call('POST', `/api/v1/tasks/${task.id}/complete`, { as: 'info1', body: forward('lead.verify', { landingSiteId: NAMED_UNITS.nanzhou }) });
  });

  it('amends: 200 for the responsible unit with old/new on the timeline, 403 for others, 400 naming the field, 404', async () => {
    const ok = await a.call('POST', `/api/v1/projects/${id}/amend`, { as: 'commerce1', body: { fields: { landMu: 80 }, reason: '用地面积核减' } });
    expect(ok.status).toBe(200);
    expect(ok.body.stage).toBe('CONTACT');
    expect((await a.call('POST', `/api/v1/projects/${id}/amend`, { as: 'nanzhou1', body: { fields: { landMu: 90 }, reason: '改一下' } })).status).toBe(403);
    const bad = await a.call('POST', `/api/v1/projects/${id}/amend`, { as: 'commerce1', body: { fields: { landMu: 'many' }, reason: '改一下' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.fields.landMu']);
    expect((await a.call('POST', `/api/v1/projects/${id}/amend`, { as: 'commerce1', body: { fields: { landingSiteId: 'L01' }, reason: '换地' } })).status).toBe(400);
    expect((await a.call('POST', '/api/v1/projects/NX-1999-0001/amend', { as: 'admin', body: { fields: { landMu: 1 }, reason: '改一下' } })).status).toBe(404);
    const timeline = (await a.call('GET', `/api/v1/projects/${id}`, { as: 'commerce1' })).body.timeline;
    expect(timeline.find((e: { kind: string }) => e.kind === 'PROJECT_AMENDED')).toMatchObject({ actor: 'commerce1', comment: '用地面积核减', data: { changes: { landMu: { old: 120, new: 80 } } } });
  });

  it('refuses a factor issue before the contract stage with 409, from a reader of another unit with 403, and from one who may not read the project with 404', async () => {
    expect((await a.call('POST', `/api/v1/projects/${id}/factor-issues`, { as: 'nanzhou1', body: { category: 'WATER', description: '供水管网未通' } })).status).toBe(409);
    expect((await a.call('POST', `/api/v1/projects/${id}/factor-issues`, { as: 'vicehead', body: { category: 'WATER', description: '供水管网未通' } })).status).toBe(403);
    expect((await a.call('POST', `/api/v1/projects/${id}/factor-issues`, { as: 'kfq1', body: { category: 'WATER', description: '供水管网未通' } })).status).toBe(404);
    expect((await a.call('POST', `/api/v1/projects/${id}/factor-issues`, { as: 'nanzhou1', body: { category: 'RAIN' } })).status).toBe(400);
  });

  it('pages and filters the inbox and the project list', async () => {
    for (let i = 0; i < 3; i++) await a.call('POST', '/api/v1/projects', { as: 'info1', body: { ...lead, name: `分页测试项目${i}`, isCaseByCase: false } });
    const page1 = await a.call('GET', '/api/v1/tasks?type=lead.verify&pageSize=2', { as: 'info1' });
    expect(page1.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await a.call('GET', '/api/v1/tasks?type=lead.verify&pageSize=2&page=2', { as: 'info1' });
    expect(page2.body.items).toHaveLength(1);
    expect(new Set([...page1.body.items, ...page2.body.items].map((t: { id: string }) => t.id)).size).toBe(3);
    expect((await a.call('GET', '/api/v1/tasks?pageSize=500', { as: 'info1' })).status).toBe(400);
    expect((await a.call('GET', '/api/v1/projects?q=分页测试&pageSize=2&page=2', { as: 'info1' })).body).toMatchObject({ total: 3, page: 2 });
    expect((await a.call('GET', `/api/v1/projects?landingSiteId=${NAMED_UNITS.nanzhou}`, { as: 'info1' })).body.items.map((p: { id: string }) => p.id)).toEqual([id]);
    expect((await a.call('GET', '/api/v1/projects?industryChain=ELDERLY_CARE', { as: 'info1' })).body.total).toBe(1);
  });

  it('terminates: 403 for a task-force member, 200 for ADMIN with open tasks cancelled, then 409', async () => {
    expect((await a.call('POST', `/api/v1/projects/${id}/terminate`, { as: 'info1', body: { reason: '撤销' } })).status).toBe(403);
    const r = await a.call('POST', `/api/v1/projects/${id}/terminate`, { as: 'admin', body: { reason: '投资方主体注销' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ stage: 'TERMINATED', openTasks: [] });
    expect((await a.call('POST', `/api/v1/projects/${id}/terminate`, { as: 'admin', body: { reason: '再次终止' } })).status).toBe(409);
    expect((await a.call('GET', `/api/v1/tasks?projectId=${id}`, { as: 'commerce1' })).body.total).toBe(0);
  });
});

describe('八 专题调度 over HTTP', () => {
  it('is asked for by the 县长 or a 分管副县长 with a reason (400 naming body.reason, 403 for others); the 县委专职副书记 finds it in the inbox and decides; the action is offered only while none is open', async () => {
    const id = (await a.call('POST', '/api/v1/projects', { as: 'info1', body: { ...lead, name: '专题调度接口测试项目' } })).body.id;
    const actions = async (as: string) => (await a.call('GET', `/api/v1/projects/${id}`, { as })).body.actions.specialDispatch;
    expect([await actions('countyhead'), await actions('vicehead'), await actions('commerce1')]).toEqual([true, true, false]);
    expect((await a.call('POST', `/api/v1/projects/${id}/special-dispatch`, { as: 'commerce1', body: { reason: '需要调度' } })).status).toBe(403);
    const empty = await a.call('POST', `/api/v1/projects/${id}/special-dispatch`, { as: 'countyhead', body: { reason: '' } });
    expect(empty).toMatchObject({ status: 400, body: { error: { details: [{ field: 'body.reason' }] } } });
    const asked = await a.call('POST', `/api/v1/projects/${id}/special-dispatch`, { as: 'vicehead', body: { reason: '投资方对用地位置有异议' } });
    expect(asked).toMatchObject({ status: 201, body: { type: 'meeting.specialDispatch', candidateGroup: 'ROLE:DEPUTY_SECRETARY', context: { requestedBy: 'vicehead', reason: '投资方对用地位置有异议' } } });
    expect(await actions('countyhead')).toBe(false); // one is open: the workflow would refuse a second (409)
    expect((await a.call('POST', `/api/v1/projects/${id}/special-dispatch`, { as: 'countyhead', body: { reason: '再次提请' } })).status).toBe(409);
    const inbox = await a.call('GET', '/api/v1/tasks', { as: 'deputysec' });
    expect(inbox.body.items.map((t: { id: string }) => t.id)).toContain(asked.body.id);
    const done = await a.call('POST', `/api/v1/tasks/${asked.body.id}/complete`, { as: 'deputysec', body: { outcome: 'close', data: { conclusion: '已与投资方商定用地位置' } } });
    expect(done.status).toBe(200);
    expect(await actions('countyhead')).toBe(true);
    const timeline = (await a.call('GET', `/api/v1/projects/${id}`, { as: 'countyhead' })).body.timeline.map((e: { kind: string; summary: string }) => `${e.kind}:${e.summary}`);
    expect(timeline).toContain('SPECIAL_DISPATCH_OPENED:分管副县长提请县委专职副书记专题调度（投资方对用地位置有异议）');
  });
});
