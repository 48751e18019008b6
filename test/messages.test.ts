// Issue 12 point 4: every error message is Chinese — zod's (zh-CN locale) at the API and inside the
// workflow bundle, the service's own, the generic ones of the error handler — while `code` and the field
// paths stay as they were. Over real HTTP against the Temporal dev server, with a worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiEnv, type ApiEnv, type Res } from './helpers/api-env';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('messages');
});
afterAll(async () => a?.teardown());

const CJK = /[\u4e00-\u9fff]/;
interface ErrorBody { error: { code: string; message: string; details?: { field: string; message: string }[] } }

/** The answer is the error `code` with `status`, its message and every detail's message Chinese, its fields exactly `fields` (when given). */
function expectChinese(r: Res<ErrorBody>, status: number, code: string, fields?: string[]) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body.error.code).toBe(code);
  expect(r.body.error.message).toMatch(CJK);
  for (const d of r.body.error.details ?? []) expect(d.message, d.field).toMatch(CJK);
  if (fields) expect((r.body.error.details ?? []).map((d) => d.field).sort()).toEqual([...fields].sort());
}

const lead = {
  name: '南县中文提示测试项目', investor: '长沙某农业科技有限公司', investorOrigin: 'IN_PROVINCE', industryChain: 'MODERN_AGRI',
  channel: 'KINSHIP', plannedInvestmentWan: 12000,
};

describe('a wrong completion answers in Chinese', () => {
  let taskId: string;
  let path: string;
  const accept = { outcome: 'accept', data: { landingSiteId: 'L03', responsibleUnitId: 'R09' } };

  beforeAll(async () => {
    const r = await a.call('POST', '/api/v1/projects', { as: 'info1', body: { ...lead, sourceUnitId: 'R00' } });
    expect(r.status).toBe(201);
    const detail = await a.call('GET', `/api/v1/projects/${r.body.id}`, { as: 'info1' });
    taskId = detail.body.openTasks[0].id;
    path = `/api/v1/tasks/${taskId}/complete`;
  });

  it('400 for an outcome lead.verify does not have, naming the outcomes with their Chinese labels', async () => {
    const r = await a.call('POST', path, { as: 'info1', body: { outcome: 'maybe' } });
    expectChinese(r, 400, 'VALIDATION', ['outcome']);
    expect(r.body.error.details[0].message).toBe('只能是 accept（核实通过）、discard（放弃）');
    expect(r.body.error.message).toContain('线索核实');
  });

  it('400 for a landing site that is not one (checked by the workflow\'s validator, with the unit\'s category named)', async () => {
    const r = await a.call('POST', path, { as: 'info1', body: { outcome: 'accept', data: { landingSiteId: 'R01', responsibleUnitId: 'R09' } } });
    expectChinese(r, 400, 'VALIDATION', ['data.landingSiteId']);
    expect(r.body.error.details).toEqual([{ field: 'data.landingSiteId', message: '必须是项目落户地单位（LANDING_SITE）的编号' }]);
    expect(r.body.error.message).toContain('data.landingSiteId');
  });

  it('400 for a discard without a comment', async () => {
    const r = await a.call('POST', path, { as: 'info1', body: { outcome: 'discard' } });
    expectChinese(r, 400, 'VALIDATION', ['comment']);
    expect(r.body.error.message).toContain('放弃');
  });

  it('400 from zod\'s own messages inside the workflow bundle (the zh-CN locale holds there too): an unknown and a missing data field', async () => {
    const unknown = await a.call('POST', path, { as: 'info1', body: { outcome: 'accept', data: { ...accept.data, area: 30 } } });
    expectChinese(unknown, 400, 'VALIDATION', ['data']);
    expect(unknown.body.error.details[0].message).toBe('不接受的字段：area');
    const missing = await a.call('POST', path, { as: 'info1', body: { outcome: 'accept', data: { landingSiteId: 'L03' } } });
    expectChinese(missing, 400, 'VALIDATION', ['data.responsibleUnitId']);
    // a missing unit is 必填, like any missing field (the unit's category is named when one is given wrongly)
    expect(missing.body.error.details).toEqual([{ field: 'data.responsibleUnitId', message: '必填' }]);
  });

  it('400 from the API\'s own schema: a comment too long, a data object nested too deeply', async () => {
    const long = await a.call('POST', path, { as: 'info1', body: { outcome: 'discard', comment: '长'.repeat(5001) } });
    expectChinese(long, 400, 'VALIDATION', ['body.comment']);
    expect(long.body.error.details[0].message).toBe('最多 5000 个字符');
    const deep = await a.call('POST', path, { as: 'info1', body: { outcome: 'accept', data: { a: { b: { c: { d: { e: { f: { g: 1 } } } } } } } } });
    expectChinese(deep, 400, 'VALIDATION', ['body.data']);
  });

  it('401 without a token, 403 outside the candidate group (naming the group) and for ADMIN, 404 for an unknown task', async () => {
    expectChinese(await a.call('POST', path, { body: accept }), 401, 'UNAUTHORIZED');
    const outsider = await a.call('POST', path, { as: 'kfq1', body: accept });
    expectChinese(outsider, 403, 'FORBIDDEN');
    expect(outsider.body.error.message).toContain('项目信息收集专班');
    expect(outsider.body.error.message).toContain('TF:INFO');
    expectChinese(await a.call('POST', path, { as: 'admin', body: accept }), 403, 'FORBIDDEN');
    const unknown = await a.call('POST', '/api/v1/tasks/NX-1999-0001-T001/complete', { as: 'info1', body: accept });
    expectChinese(unknown, 404, 'NOT_FOUND');
    expect(unknown.body.error.message).toContain('NX-1999-0001-T001');
  });

  it('409 for a second completion with another outcome, and with the same outcome but other data', async () => {
    expect((await a.call('POST', path, { as: 'info1', body: accept })).status).toBe(200);
    const other = await a.call('POST', path, { as: 'info1', body: { outcome: 'discard', comment: '重复线索' } });
    expectChinese(other, 409, 'CONFLICT');
    expect(other.body.error.message).toContain(taskId);
    const otherData = await a.call('POST', path, { as: 'info1', body: { outcome: 'accept', data: { landingSiteId: 'L04', responsibleUnitId: 'R09' } } });
    expectChinese(otherData, 409, 'CONFLICT');
  });
});

describe('the API\'s validation, its own refusals and the generic answers are Chinese too', () => {
  it('400 for a bad registration, each field named as before', async () => {
    const r = await a.call('POST', '/api/v1/projects', {
      as: 'info1',
      body: { ...lead, name: '项'.repeat(101), plannedInvestmentWan: -5, investorOrigin: undefined, landingSiteId: 'R01', extra: 1 },
    });
    expectChinese(r, 400, 'VALIDATION', ['body', 'body.investorOrigin', 'body.landingSiteId', 'body.name', 'body.plannedInvestmentWan']);
    const byField = Object.fromEntries(r.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
    expect(byField).toMatchObject({
      'body.name': '最多 100 个字符', 'body.plannedInvestmentWan': '应大于 0', 'body': '不接受的字段：extra',
      'body.landingSiteId': '必须是项目落户地单位（LANDING_SITE）的编号',
    });
    expect(byField['body.investorOrigin']).toMatch(/^必填/);
    expect(r.body.error.message).toContain('body.plannedInvestmentWan：应大于 0');
  });

  it('400 for an unknown query parameter, naming it and the parameters the address takes', async () => {
    const r = await a.call('GET', '/api/v1/projects?stage=LEAD&foo=1', { as: 'info1' });
    expectChinese(r, 400, 'VALIDATION', ['querystring.foo']);
    expect(r.body.error.message).toContain('foo');
    expect(r.body.error.details[0].message).toContain('stage');
    expectChinese(await a.call('GET', '/api/v1/tasks?overdue=maybe', { as: 'info1' }), 400, 'VALIDATION', ['querystring.overdue']);
  });

  it('a refusal of a side action inside the workflow (the factor issue before the contract stage)', async () => {
    const p = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县要素保障测试项目' } });
    const detail = await a.call('GET', `/api/v1/projects/${p.body.id}`, { as: 'info1' });
    await a.call('POST', `/api/v1/tasks/${detail.body.openTasks[0].id}/complete`, { as: 'info1', body: { outcome: 'accept', data: { landingSiteId: 'L01', responsibleUnitId: 'R09' } } });
    const early = await a.call('POST', `/api/v1/projects/${p.body.id}/factor-issues`, { as: 'nanzhou1', body: { category: 'LAND', description: '用地指标不足' } });
    // 南洲镇 is neither its responsible unit nor its landing site now: 403, said in Chinese
    expectChinese(early, 403, 'FORBIDDEN');
    const soon = await a.call('POST', `/api/v1/projects/${p.body.id}/factor-issues`, { as: 'kfq1', body: { category: 'LAND', description: '用地指标不足' } });
    expectChinese(soon, 409, 'CONFLICT');
    expect(soon.body.error.message).toContain('合同审签（CONTRACT）');
    const bad = await a.call('POST', `/api/v1/projects/${p.body.id}/factor-issues`, { as: 'kfq1', body: { category: 'ROADS', description: '' } });
    expectChinese(bad, 400, 'VALIDATION', ['body.category', 'body.description']);
  });

  it('the error handler\'s own: no route, another method, a body that is not JSON, a wrong login, a role refused', async () => {
    expectChinese(await a.call('GET', '/api/v1/nowhere', { as: 'info1' }), 404, 'NOT_FOUND');
    expectChinese(await a.call('DELETE', '/api/v1/projects', { as: 'info1' }), 405, 'METHOD_NOT_ALLOWED');
    const res = await fetch(`${a.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expectChinese({ status: res.status, body: (await res.json()) as ErrorBody }, 400, 'VALIDATION', ['body']);
    expectChinese(await a.call('POST', '/api/v1/auth/login', { body: { username: 'info1', password: 'not-the-password' } }), 401, 'UNAUTHORIZED');
    expectChinese(await a.call('POST', '/api/v1/auth/login', { body: { username: 'info1' } }), 400, 'VALIDATION', ['body.password']);
    expectChinese(await a.call('GET', '/api/v1/admin/policy', { as: 'info1' }), 403, 'FORBIDDEN');
  });
});
