// §9 routing corrections: a project accepted into 县农业农村局 (R09, nobody in it) answers with a warning
// and waits in ADMIN's 无人可办 list; ADMIN reroutes it to 县经济开发区 with a reason, and its open task
// appears in kfq1's inbox with the same due time — over real HTTP against the dev server — and its ladder
// goes on to the new unit's people (on the time-skipping server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAMED_UNITS } from '../domain/units';
import { startWorkflowEnv, type WorkflowEnv } from '../harness/workflow-env';
import { actorNamed } from '../harness/pipeline';
import { rerouteProjectUpdate, snapshotQuery } from '../workflows/messages/project';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';
import { ladderAt } from './helpers/ladder';

const KFQ = NAMED_UNITS.economicZone;
const lead = {
  name: '改派测试·稻虾米加工', investor: '湖南某米业有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP', channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 12000,
};

describe('§9 reroute over the API', () => {
  let a: ApiEnv;
  beforeAll(async () => {
    a = await startApiEnv('reroute');
  });
  afterAll(async () => a?.teardown());

  it('moves the open task of a project stuck with a unit nobody is in to 县经济开发区, due time and level kept', async () => {
    const p = await a.call('POST', '/api/v1/projects', { as: 'info1', body: lead });
    const verify = await a.store.db.task.findFirstOrThrow({ where: { projectId: p.body.id, type: 'lead.verify' } });
    const accepted = await a.call('POST', `/api/v1/tasks/${verify.id}/complete`, { as: 'info1', body: { outcome: 'accept', data: { landingSiteId: 'L03', responsibleUnitId: 'R09' } } });
    expect(accepted.status).toBe(200); // allowed, with a warning
    expect(accepted.body.warnings).toEqual([expect.objectContaining({ code: 'UNSTAFFED_GROUP', group: 'UNIT:R09', message: expect.stringContaining('县农业农村局') })]);
    const contact = await a.store.db.task.findFirstOrThrow({ where: { projectId: p.body.id, type: 'contact.inspect' } });
    expect((await a.call('GET', '/api/v1/tasks?unstaffed=true&pageSize=100', { as: 'admin' })).body.items.map((t: { id: string }) => t.id)).toContain(contact.id);

    // who may: ADMIN and 县商务局; what: a real change, to a unit of the right kind, with a reason
    const body = { responsibleUnitId: KFQ, reason: '县农业农村局暂无招商人员，改由县经济开发区负责' };
    expect((await a.call('POST', `/api/v1/projects/${p.body.id}/reroute`, { as: 'kfq1', body })).status).toBe(404); // not theirs to read yet
    expect((await a.call('POST', `/api/v1/projects/${p.body.id}/reroute`, { as: 'nanzhou1', body })).status).toBe(403); // the landing site reads it, may not reroute
    const bad = await a.call('POST', `/api/v1/projects/${p.body.id}/reroute`, { as: 'admin', body: { landingSiteId: 'R01', reason: '试' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.landingSiteId', 'body.reason']);
    expect((await a.call('POST', `/api/v1/projects/${p.body.id}/reroute`, { as: 'admin', body: { responsibleUnitId: 'R09', reason: '不变' } })).status).toBe(400);

    const r = await a.call('POST', `/api/v1/projects/${p.body.id}/reroute`, { as: 'admin', body });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: p.body.id, stage: 'CONTACT', warnings: [], moved: [{ taskId: contact.id, taskType: 'contact.inspect', from: 'UNIT:R09', to: `UNIT:${KFQ}` }] });
    const inbox = await a.call('GET', '/api/v1/tasks?pageSize=100', { as: 'kfq1' });
    const mine = inbox.body.items.find((t: { id: string }) => t.id === contact.id);
    expect(mine).toMatchObject({ candidateGroup: `UNIT:${KFQ}`, dueAt: contact.dueAt.toISOString(), escalationLevel: 0 });
    expect((await a.call('GET', '/api/v1/tasks?unstaffed=true&pageSize=100', { as: 'admin' })).body.items.map((t: { id: string }) => t.id)).not.toContain(contact.id);
    expect(await a.store.db.project.findUniqueOrThrow({ where: { id: p.body.id } })).toMatchObject({ responsibleUnitId: KFQ, landingSiteId: 'L03' });
    const events = await a.store.db.timelineEvent.findMany({ where: { projectId: p.body.id, kind: 'PROJECT_REROUTED' } });
    expect(events.map((e) => [e.actor, e.comment])).toEqual([['admin', body.reason]]);
    const audit = (await a.call('GET', `/api/v1/admin/audit?target=project:${p.body.id}`, { as: 'admin' })).body.items;
    expect(audit).toEqual([expect.objectContaining({ action: 'PROJECT_REROUTED', before: { responsibleUnitId: 'R09', landingSiteId: 'L03' } })]);
    // and kfq1 now does it
    expect((await a.call('POST', `/api/v1/tasks/${contact.id}/complete`, { as: 'kfq1', body: { outcome: 'done' } })).status).toBe(200);
  });
});

describe('§9 reroute and the ladder', () => {
  let w: WorkflowEnv;
  beforeAll(async () => {
    w = await startWorkflowEnv('reroute-ladder');
  });
  afterAll(async () => w?.teardown());

  it('takes the moved task\'s ladder on to the new unit\'s people, from the same due time', async () => {
    const p = await w.register({ name: '改派测试·督办' });
    await w.step(p.workflowId, undefined, { responsibleUnitId: 'R09' });
    const handle = w.env.client.workflow.getHandle(p.workflowId);
    const task = (await handle.query(snapshotQuery)).openTasks[0];
    expect(task.candidateGroup).toBe('UNIT:R09');
    const r = await handle.executeUpdate(rerouteProjectUpdate, { args: [{ actor: await actorNamed(w.store.db, 'admin'), responsibleUnitId: KFQ, reason: '改由县经济开发区负责' }] });
    expect(r.moved).toEqual([{ taskId: task.id, taskType: 'contact.inspect', from: 'UNIT:R09', to: `UNIT:${KFQ}` }]);
    expect(r.snapshot.openTasks[0]).toMatchObject({ id: task.id, dueAt: task.dueAt, candidateGroup: `UNIT:${KFQ}` });

    await w.env.sleep(ladderAt(task).OVERDUE + 60_000 - (await w.env.currentTimeMs()));
    const overdue = await eventually(async () => w.store.db.notification.findFirstOrThrow({
      where: { taskId: task.id, kind: 'OVERDUE' }, include: { receipts: { include: { person: { select: { username: true } } } } },
    }));
    expect(overdue.receipts.map((x) => x.person.username)).toEqual(['kfq_deputy']); // §4: the new unit's DEPUTY
    const reminder = await w.store.db.notification.findFirstOrThrow({ where: { taskId: task.id, kind: 'REMINDER' }, include: { receipts: { include: { person: { select: { username: true } } } } } });
    expect(reminder.receipts.map((x) => x.person.username).sort()).toEqual(['kfq1', 'kfq_deputy', 'kfq_principal']);
  });
});
