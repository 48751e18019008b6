// The REST API over real HTTP, against the Temporal dev server (real visibility) and a fresh SQLite
// file: login, me, units, registering a lead, the inbox, and the lead.verify round trip with its
// 401 / 403 / 400 / 404 / 409 answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../harness/db';
import { eventually } from './helpers/eventually';
import { startApiEnv, type ApiEnv } from './helpers/api-env';

let a: ApiEnv;
let store: ApiEnv['store'];
let temporal: ApiEnv['temporal'];
beforeAll(async () => {
  a = await startApiEnv('api');
  ({ store, temporal } = a);
});
afterAll(async () => a?.teardown());
const call: ApiEnv['call'] = (...args) => a.call(...args);
const login = (u: string) => a.login(u);

const lead = {
  name: '南县高端鞋材产业园', investor: '温州某鞋业集团', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'TEXTILE_SHOES',
  channel: 'CHAMBER', plannedInvestmentWan: 80000, landMu: 120,
  partnerId: 'partner-demo-shenzhen-chamber', // 七: a lead of channel CHAMBER names its 商协会 (the seed's)
};

describe('health, auth, organisation', () => {
  it('answers /healthz and /readyz with the database and Temporal really checked', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    const ready = await call('GET', '/readyz');
    expect(ready).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', temporal: 'ok' }, deliveries: { PENDING: 0, SENT: 0, FAILED: 0 } } });
  });

  it('logs in with a JWT, refuses a wrong password, and tells the caller who they are', async () => {
    const wrong = await call('POST', '/api/v1/auth/login', { body: { username: 'info1', password: 'wrong' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('UNAUTHORIZED');
    const missing = await call('POST', '/api/v1/auth/login', { body: { username: 'info1' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.password']);
    const ok = await call('POST', '/api/v1/auth/login', { body: { username: 'kfq_deputy', password: DEMO_PASSWORD } });
    expect(ok.status).toBe(200);
    expect(Date.parse(ok.body.expiresAt)).toBeGreaterThan(Date.now());
    const me = await call('GET', '/api/v1/me', { token: ok.body.token });
    expect(me.body).toMatchObject({ username: 'kfq_deputy', position: 'DEPUTY', unit: { name: '县经济开发区', category: 'LANDING_SITE' } });
    expect((await call('GET', '/api/v1/me')).status).toBe(401);
    expect((await call('GET', '/api/v1/me', { token: 'not-a-token' })).status).toBe(401);
    const info = await call('GET', '/api/v1/me', { token: await login('info1') });
    expect(info.body.taskForces).toEqual([{ code: 'INFO', name: '项目信息收集专班' }]);
  });

  it('lists the 69 units with their categories', async () => {
    const r = await call('GET', '/api/v1/units', { token: await login('info1') });
    expect(r.body.total).toBe(69);
    expect(r.body.items).toHaveLength(69);
    expect(r.body.items[0]).toEqual({ id: 'R00', name: '县商务局(县投资促进服务中心)', category: 'RESPONSIBLE', subcategory: 'COORDINATOR' });
    const sites = await call('GET', '/api/v1/units?category=LANDING_SITE', { token: await login('info1') });
    expect(sites.body.total).toBe(14);
  });
});

describe('projects and the lead.verify round trip', () => {
  let projectId: string;
  let workflowId: string;
  let taskId: string;

  it('registers a lead: 201, starts project-NX-YYYY-NNNN with its summary and search attributes', async () => {
    const r = await call('POST', '/api/v1/projects', { token: await login('nanzhou1'), body: lead });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ stage: 'LEAD' });
    expect(r.body.projectNo).toMatch(/^NX-\d{4}-0001$/);
    expect(r.body.workflowId).toBe(`project-${r.body.projectNo}`);
    ({ id: projectId, workflowId } = r.body);
    const desc = await temporal.client.workflow.getHandle(workflowId).describe();
    expect(await desc.staticSummary()).toContain('南县高端鞋材产业园');
    // visibility is eventually consistent: the dev server answers the administrators' query shortly
    await eventually(async () => {
      const ids: string[] = [];
      for await (const w of temporal.client.workflow.list({ query: `ProjectStage="LEAD" AND IndustryChain="TEXTILE_SHOES"` })) ids.push(w.workflowId);
      expect(ids).toContain(workflowId);
    });
  });

  it('refuses an invalid lead with 400 naming each bad field, and stores nothing', async () => {
    const before = await store.db.project.count();
    const r = await call('POST', '/api/v1/projects', {
      token: await login('nanzhou1'),
      body: { ...lead, plannedInvestmentWan: -5, industryChain: 'STEEL', landingSiteId: 'R01', extra: 1 },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION');
    const fields = r.body.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['body', 'body.industryChain', 'body.landingSiteId', 'body.plannedInvestmentWan'].sort());
    expect(r.body.error.message).toContain('body.plannedInvestmentWan');
    expect(await store.db.project.count()).toBe(before);
  });

  it('lists projects in the §7 list shape and shows the detail with open tasks and timeline', async () => {
    const token = await login('info1');
    const list = await call('GET', '/api/v1/projects?stage=LEAD&q=鞋材', { token });
    expect(list.body).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(list.body.items[0]).toMatchObject({ id: projectId, name: '南县高端鞋材产业园', stage: 'LEAD', landMu: 120 });
    expect(list.body.items[0].openTasks).toBeUndefined();
    expect((await call('GET', '/api/v1/projects?stage=SIGNING', { token })).body.total).toBe(0);
    expect((await call('GET', '/api/v1/projects?stage=NOPE', { token })).status).toBe(400);
    const detail = await call('GET', `/api/v1/projects/${projectId}`, { token });
    expect(detail.body.openTasks.map((t: { type: string }) => t.type)).toEqual(['lead.verify']);
    expect(detail.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['PROJECT_REGISTERED', 'TASK_CREATED']);
    expect((await call('GET', '/api/v1/projects/NX-1999-0001', { token })).status).toBe(404);
    taskId = detail.body.openTasks[0].id;
  });

  it('shows lead.verify in the inbox of info1 (task force INFO) and nobody else\'s', async () => {
    const inbox = await call('GET', '/api/v1/tasks', { token: await login('info1') });
    expect(inbox.body.items).toEqual([expect.objectContaining({
      id: taskId, projectId, projectNo: projectId, type: 'lead.verify', title: '线索核实', stage: 'LEAD', candidateGroup: 'TF:INFO',
      status: 'OPEN', claimedBy: null, escalationLevel: 0, outcomes: ['accept', 'discard'],
    })]);
    for (const u of ['kfq1', 'assess1', 'admin']) expect((await call('GET', '/api/v1/tasks', { token: await login(u) })).body.total).toBe(0);
    expect((await call('GET', '/api/v1/tasks?type=lead.verify&overdue=true', { token: await login('info1') })).body.total).toBe(0);
  });

  it('completes lead.verify: 401, 403 outside the group (and for ADMIN), 400 with the field, 404, then idempotent 200 and 409', async () => {
    const path = `/api/v1/tasks/${taskId}/complete`;
    const accept = { outcome: 'accept', data: { landingSiteId: 'L03', responsibleUnitId: 'R09' } };
    expect((await call('POST', path, { body: accept })).status).toBe(401);
    const forbidden = await call('POST', path, { token: await login('kfq1'), body: accept });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('FORBIDDEN');
    expect((await call('POST', path, { token: await login('admin'), body: accept })).status).toBe(403);
    const bad = await call('POST', path, { token: await login('info1'), body: { outcome: 'accept', data: { landingSiteId: 'R01', responsibleUnitId: 'R09' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'data.landingSiteId', message: '必须是项目落户地单位（LANDING_SITE）的编号' }]);
    const noComment = await call('POST', path, { token: await login('info1'), body: { outcome: 'discard' } });
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.details).toEqual([{ field: 'comment', message: '此办理结果须填写办理意见' }]);
    expect((await call('POST', path, { token: await login('info1'), body: { outcome: 'maybe' } })).status).toBe(400);
    expect((await call('POST', '/api/v1/tasks/NX-1999-0001-T001/complete', { token: await login('info1'), body: accept })).status).toBe(404);
    expect((await store.db.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('OPEN');

    const first = await call('POST', path, { token: await login('info1'), body: accept });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ taskId, outcome: 'accept', projectId, stage: 'CONTACT' });
    expect(first.body.openTasks).toEqual([expect.objectContaining({ type: 'contact.inspect', candidateGroup: 'UNIT:R09', projectNo: projectId })]);
    const again = await call('POST', path, { token: await login('info1'), body: accept });
    expect(again).toEqual(first);
    const conflict = await call('POST', path, { token: await login('info1'), body: { outcome: 'discard', comment: '重复' } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe('CONFLICT');

    const detail = await call('GET', `/api/v1/projects/${projectId}`, { token: await login('info1') });
    expect(detail.body).toMatchObject({ stage: 'CONTACT', landingSiteId: 'L03', responsibleUnitId: 'R09' });
    const done = detail.body.timeline.find((e: { kind: string }) => e.kind === 'TASK_COMPLETED');
    expect(done).toMatchObject({ actor: 'info1', taskType: 'lead.verify', outcome: 'accept', data: { landingSiteId: 'L03', responsibleUnitId: 'R09' } });
    expect((await call('GET', '/api/v1/tasks', { token: await login('info1') })).body.total).toBe(0);
  });

  it('claims: a claimed task is the claimer\'s; others of the group see it claimed and cannot take it', async () => {
    const r = await call('POST', '/api/v1/projects', { token: await login('info1'), body: { ...lead, name: '认领测试项目', sourceUnitId: 'R00' } });
    const detail = await call('GET', `/api/v1/projects/${r.body.id}`, { token: await login('info1') });
    const id = detail.body.openTasks[0].id;
    // a second INFO member
    await store.db.taskForceMembership.create({ data: { taskForceCode: 'INFO', personId: 'p-commerce1' } });
    const claimed = await call('POST', `/api/v1/tasks/${id}/claim`, { token: await login('info1') });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'CLAIMED', claimedBy: 'info1' });
    expect((await call('POST', `/api/v1/tasks/${id}/claim`, { token: await login('info1') })).status).toBe(200);
    const other = await call('GET', `/api/v1/tasks?projectId=${r.body.id}`, { token: await login('commerce1') });
    expect(other.body.items[0]).toMatchObject({ id, status: 'CLAIMED', claimedBy: 'info1' });
    expect((await call('POST', `/api/v1/tasks/${id}/claim`, { token: await login('commerce1') })).status).toBe(409);
    const taken = await call('POST', `/api/v1/tasks/${id}/complete`, { token: await login('commerce1'), body: { outcome: 'discard', comment: '无效线索' } });
    expect(taken.status).toBe(409);
    // §1: the claimer gives it back; ADMIN assigns it to a member of the group, never to an outsider
    expect((await call('POST', `/api/v1/tasks/${id}/unclaim`, { token: await login('commerce1') })).status).toBe(403);
    expect((await call('POST', `/api/v1/tasks/${id}/unclaim`, { token: await login('info1') })).body).toMatchObject({ status: 'OPEN', claimedBy: null });
    const outsider = await call('POST', `/api/v1/tasks/${id}/assign`, { token: await login('admin'), body: { username: 'kfq1' } });
    expect(outsider.status).toBe(400);
    expect(outsider.body.error.details).toEqual([{ field: 'username', message: '不在该任务的候选组中' }]);
    expect((await call('POST', `/api/v1/tasks/${id}/assign`, { token: await login('info1'), body: { username: 'commerce1' } })).status).toBe(403);
    expect((await call('POST', `/api/v1/tasks/${id}/assign`, { token: await login('admin'), body: { username: 'nobody' } })).status).toBe(400);
    const assigned = await call('POST', `/api/v1/tasks/${id}/assign`, { token: await login('admin'), body: { username: 'commerce1' } });
    expect(assigned.body).toMatchObject({ status: 'CLAIMED', claimedBy: 'commerce1' });
    expect((await call('POST', `/api/v1/tasks/${id}/complete`, { token: await login('info1'), body: { outcome: 'discard', comment: '无效线索' } })).status).toBe(409);
    expect((await call('POST', `/api/v1/tasks/${id}/complete`, { token: await login('admin'), body: { outcome: 'discard', comment: '无效线索' } })).status).toBe(403);
    expect((await call('POST', `/api/v1/tasks/${id}/complete`, { token: await login('commerce1'), body: { outcome: 'discard', comment: '无效线索' } })).body.stage).toBe('DISCARDED');
    const kinds = (await call('GET', `/api/v1/projects/${r.body.id}`, { token: await login('info1') })).body.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'TASK_ASSIGNED')).toHaveLength(2);
  });

  it('serves the OpenAPI document at /docs generated from the zod schemas', async () => {
    const doc = await call('GET', '/docs/json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/v1/projects', '/api/v1/tasks/{id}/complete', '/api/v1/auth/login']));
    const body = doc.body.paths['/api/v1/projects'].post.requestBody.content['application/json'].schema;
    expect(body.properties.industryChain.enum).toContain('RICE_SHRIMP');
    expect(doc.body.paths['/api/v1/tasks/{id}/complete'].post.description).toContain('lead.verify');
  });

  it('states in the OpenAPI document the rules it enforces: unit ids, dates, at least one field (a client generated from it is not refused for what it allows)', async () => {
    const doc = (await call('GET', '/docs/json')).body;
    const bodyOf = (path: string) => doc.paths[path].post.requestBody.content['application/json'].schema;
    const query = (path: string, name: string) => doc.paths[path].get.parameters.find((p: { name: string }) => p.name === name).schema;
    const registration = bodyOf('/api/v1/projects');
    expect(registration.properties.sourceUnitId.enum).toHaveLength(69); // the units of the 附件
    expect(registration.properties.landingSiteId.enum).toHaveLength(14); // 项目落户地 only
    expect(query('/api/v1/projects', 'landingSiteId').enum).toHaveLength(14);
    expect(query('/api/v1/trips', 'unitId').enum).toHaveLength(69);
    expect(query('/api/v1/tasks', 'type').enum).toContain('lead.verify');
    const trip = bodyOf('/api/v1/trips');
    expect(trip.properties.startDate).toMatchObject({ type: 'string', format: 'date', pattern: expect.any(String) });
    expect(new RegExp(trip.properties.startDate.pattern).test('2026-02-30')).toBe(false);
    expect(new RegExp(trip.properties.startDate.pattern).test('2028-02-29')).toBe(true);
    expect(bodyOf('/api/v1/indicators/{year}').minProperties).toBe(1);
    expect(bodyOf('/api/v1/projects/{id}/amend').properties.fields.minProperties).toBe(1);
    expect(bodyOf('/api/v1/trips/{id}/correct').properties.fields.minProperties).toBe(1);
    // every operation that validates its input documents its 400
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { parameters?: unknown[]; requestBody?: unknown; responses: Record<string, unknown> }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        if (op.parameters?.length || op.requestBody) expect(Object.keys(op.responses), `${method} ${path}`).toContain('400');
      }
    }
    // and the server refuses exactly that, naming the field
    const token = await login('kfq1');
    const bad = await call('POST', '/api/v1/projects', { token, body: { name: '枚举测试', investor: '某公司', investorOrigin: 'LOCAL', industryChain: 'FOOD', channel: 'OTHER', plannedInvestmentWan: 10, landingSiteId: 'R00' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'body.landingSiteId', message: expect.stringContaining('LANDING_SITE') }]);
    expect((await call('GET', '/api/v1/projects?landingSiteId=X99', { token })).status).toBe(400);
  });
});
