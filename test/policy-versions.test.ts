// §9 the policy, versioned, over real HTTP against the dev server: ADMIN puts a version that shortens
// 线索核实 (lead.verify) to 3 working days; a project registered after it is due in 3, one registered
// before keeps 7; applying the version to the older project is on its timeline and its later tasks
// follow it; versions are listed and compared; a bad policy is 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../domain/policy';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { dueAtUnder } from './helpers/ladder';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('policy');
});
afterAll(async () => a?.teardown());

const lead = (name: string) => ({
  name, investor: '湖南某食品有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP', channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 30000,
});
const taskOf = (projectId: string, type: string) => a.store.db.task.findFirstOrThrow({ where: { projectId, type } });
const shorter = { ...DEFAULT_POLICY, version: '南政发〔2022〕6号·2026年修订', dueDays: { ...DEFAULT_POLICY.dueDays, 'lead.verify': 3, 'contact.inspect': 20 } };

describe('§9 policy versions', () => {
  it('applies a new version to projects registered after it, and to an older one only when ADMIN applies it, on its timeline', async () => {
    const builtIn = await a.call('GET', '/api/v1/admin/policy', { as: 'admin' });
    expect(builtIn.body).toMatchObject({ version: 0, policy: { dueDays: { 'lead.verify': 7 } }, createdBy: 'system' });
    expect((await a.call('GET', '/api/v1/admin/policy', { as: 'info1' })).status).toBe(403);

    // refused before anything is stored, naming the field
    const negative = await a.call('PUT', '/api/v1/admin/policy', { as: 'admin', body: { policy: { ...shorter, dueDays: { ...shorter.dueDays, 'lead.verify': -1 } }, note: '错误示例' } });
    expect(negative.status).toBe(400);
    expect(negative.body.error.details.map((d: { field: string }) => d.field)).toContain('body.policy.dueDays.lead.verify');
    const half = await a.call('PUT', '/api/v1/admin/policy', { as: 'admin', body: { policy: { ...shorter, dueDays: { ...shorter.dueDays, 'lead.verify': 2.5 } }, note: '半天' } });
    expect(half.body.error.details.map((d: { field: string }) => d.field)).toContain('body.policy.dueDays.lead.verify');
    expect((await a.call('PUT', '/api/v1/admin/policy', { as: 'info1', body: { policy: shorter, note: '越权' } })).status).toBe(403);
    expect((await a.call('GET', '/api/v1/admin/policy/versions', { as: 'admin' })).body.total).toBe(0);

    const before = await a.call('POST', '/api/v1/projects', { as: 'info1', body: lead('政策版本·之前登记') });
    expect(before.status).toBe(201);

    const put = await a.call('PUT', '/api/v1/admin/policy', { as: 'admin', body: { policy: shorter, note: '县政府常务会议决定：线索核实缩短为3个工作日' } });
    expect(put).toMatchObject({ status: 200, body: { version: 1, createdBy: 'admin', note: expect.stringContaining('线索核实') } });
    const after = await a.call('POST', '/api/v1/projects', { as: 'info1', body: lead('政策版本·之后登记') });

    const oldTask = await taskOf(before.body.id, 'lead.verify');
    const newTask = await taskOf(after.body.id, 'lead.verify');
    expect(oldTask.dueAt.getTime()).toBe(dueAtUnder(oldTask.createdAt, 7));
    expect(newTask.dueAt.getTime()).toBe(dueAtUnder(newTask.createdAt, 3));
    const rows = await a.store.db.project.findMany({ where: { id: { in: [before.body.id, after.body.id] } }, orderBy: { id: 'asc' }, select: { id: true, policyVersion: true } });
    expect(rows.map((r) => r.policyVersion)).toEqual([0, 1]);

    // versions listed and compared, field by field
    expect((await a.call('GET', '/api/v1/admin/policy/versions', { as: 'admin' })).body.items.map((v: { version: number }) => v.version)).toEqual([1]);
    const diff = await a.call('GET', '/api/v1/admin/policy/diff?from=0&to=1', { as: 'admin' });
    expect(diff.body.changes).toEqual([
      { path: 'dueDays.contact.inspect', before: 30, after: 20 }, { path: 'dueDays.lead.verify', before: 7, after: 3 },
      { path: 'version', before: '南政发〔2022〕6号', after: '南政发〔2022〕6号·2026年修订' },
    ]);
    expect((await a.call('GET', '/api/v1/admin/policy/versions/9', { as: 'admin' })).status).toBe(404);

    // ADMIN applies the version to the older project: on its timeline; its open task keeps its due time, the next follows the version
    expect((await a.call('POST', `/api/v1/projects/${before.body.id}/apply-policy`, { as: 'info1', body: {} })).status).toBe(403);
    const applied = await a.call('POST', `/api/v1/projects/${before.body.id}/apply-policy`, { as: 'admin', body: {} });
    expect(applied.body).toEqual({ id: before.body.id, stage: 'LEAD', policyVersion: 1, previousVersion: 0 });
    expect((await a.call('POST', `/api/v1/projects/${before.body.id}/apply-policy`, { as: 'admin', body: {} })).body.previousVersion).toBe(1); // again: nothing changes
    const timeline = await a.store.db.timelineEvent.findMany({ where: { projectId: before.body.id, kind: 'POLICY_APPLIED' } });
    expect(timeline.map((e) => [e.actor, e.data])).toEqual([['admin', { from: 0, to: 1 }]]);
    expect((await taskOf(before.body.id, 'lead.verify')).dueAt.getTime()).toBe(oldTask.dueAt.getTime());
    const done = await a.call('POST', `/api/v1/tasks/${oldTask.id}/complete`, { as: 'info1', body: { outcome: 'accept', data: { landingSiteId: 'L03', responsibleUnitId: 'R01' } } });
    expect(done.status).toBe(200);
    const contact = await taskOf(before.body.id, 'contact.inspect');
    expect(contact.dueAt.getTime()).toBe(dueAtUnder(contact.createdAt, 20));
    expect((await a.store.db.project.findUniqueOrThrow({ where: { id: before.body.id } })).policyVersion).toBe(1);

    const audit = (await a.call('GET', '/api/v1/admin/audit?pageSize=100', { as: 'admin' })).body.items.map((e: { action: string; target: string }) => `${e.action} ${e.target}`);
    expect(audit).toEqual(expect.arrayContaining(['POLICY_VERSION_CREATED policy:1', `POLICY_APPLIED project:${before.body.id}`]));
  });
});
