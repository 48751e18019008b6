// Nothing a user sends can wedge a project or break a page (issue "Hardening"), over real HTTP against
// the dev server: text that is not well-formed or holds control characters, figures out of range,
// concurrent and repeated completions, termination outside the 季调度, formula cells in a CSV, and
// the 通报 counting a signing in the quarter of its date.
import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/app';
import { csvLines } from '../api/csv';
import { createDb } from '../db/client';
import { temporaryRefusal } from '../api/errors';
import { storeQuarterlyBulletin } from '../activities/reports';
import { applyProjectionEvents, recordProjectionFailure } from '../activities/projection';
import { growthAgainstTargets } from '../domain/indicators';
import { taskType } from '../domain/pipeline';
import { DAY_MS, DEFAULT_POLICY } from '../domain/policy';
import { periodsOf, quarterKeyOfDate, shanghaiDate } from '../domain/shanghai-time';
import { NAMED_UNITS } from '../domain/units';
import { DEMO_PASSWORD, freshDb } from '../harness/db';
import { migrateDeploy } from '../runtime/migrate';
import { DEMO_USER_FOR_GROUP, forward } from '../harness/pipeline';
import { startApiEnv, type ApiEnv, type Res } from './helpers/api-env';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('hardening', { requestDeadlineMs: 3000, loginThrottle: { perAccount: 3, perAddress: 8, windowMs: 2500 } });
});
afterAll(async () => a?.teardown());

const lead = {
  name: '南县智能装备产业园', investor: '长沙某智能装备有限公司', investorOrigin: 'IN_PROVINCE', industryChain: 'NEW_MATERIALS',
  channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 30000,
};
const fields = (r: { body: { error: { details?: { field: string }[] } } }) => r.body.error.details?.map((d) => d.field);
/** POSTs a raw JSON text (JSON.stringify would not send a lone surrogate as written). */
async function postRaw(path: string, json: string, as: string): Promise<Res> {
  const res = await fetch(`${a.base}${path}`, {
    method: 'POST', body: json,
    headers: { authorization: `Bearer ${await a.login(as)}`, 'content-type': 'application/json' },
  });
  return { status: res.status, body: await res.json() };
}

describe('text and figures are refused at the door, naming the field, and nothing is used up', () => {
  it('refuses a lone surrogate, a control character, an over-long name and an infinite or absurd figure; the next project still gets number 0001', async () => {
    const surrogate = await postRaw('/api/v1/projects', JSON.stringify(lead).replace('"name":"南县', '"name":"\\udfff南县'), 'nanzhou1');
    expect(surrogate.status).toBe(400);
    expect(fields(surrogate)).toEqual(['body.name']);
    expect(surrogate.body.error.message).toContain('孤立的 UTF-16 代理项');
    const control = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, investor: '长沙\u0007某公司' } });
    expect(control.status).toBe(400);
    expect(fields(control)).toEqual(['body.investor']);
    expect(fields(await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '园'.repeat(101) } }))).toEqual(['body.name']);
    const infinite = await postRaw('/api/v1/projects', JSON.stringify({ ...lead, plannedInvestmentWan: 1 }).replace('"plannedInvestmentWan":1', '"plannedInvestmentWan":1.7976931348623157e308'), 'nanzhou1');
    expect(infinite.status).toBe(400);
    expect(fields(infinite)).toEqual(['body.plannedInvestmentWan']);
    expect(fields(await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, landMu: 1e9, expectedJobs: 2.5 } }))).toEqual(['body.landMu', 'body.expectedJobs']);

    const ok = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县智能装备产业园\n（二期）' } });
    expect(ok.status).toBe(201);
    expect(ok.body.projectNo).toMatch(/-0001$/);
    const list = await a.call('GET', '/api/v1/projects', { as: 'admin' });
    expect(list.status).toBe(200);
    expect(list.body.total).toBe(1);
  });

  it('refuses a comment that is not well-formed text, and indicators out of range; growth is never Infinity', async () => {
    const p = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县评论测试项目' } });
    const bad = await postRaw(`/api/v1/tasks/${p.body.projectNo}-T001/complete`, '{"outcome":"discard","comment":"\\ud800放弃"}', 'info1');
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['body.comment']);
    const indicator = await postRaw('/api/v1/indicators/2026', '{"foreignTradeWan":1e308}', 'admin');
    expect(indicator.status).toBe(400);
    expect(fields(indicator)).toEqual(['body.foreignTradeWan']);
    // figures stored before ranges were checked: the report shows no growth rather than Infinity
    const growth = growthAgainstTargets({ foreignTradeWan: Number.MAX_VALUE }, { foreignTradeWan: Number.MIN_VALUE }, DEFAULT_POLICY);
    expect(growth.find((g) => g.key === 'foreignTradeWan')).toMatchObject({ growthPercent: null, met: null });
  });
});

describe('the projection, behind the validators', () => {
  it('refuses for good (not retryable) events that no database stores — a lone surrogate, an infinite figure — and writes none of them', async () => {
    const at = new Date().toISOString();
    const project = {
      projectNo: 'NX-2026-0666', createdBy: 'info1', name: '南县\udfff项目', investor: '某公司', investorOrigin: 'LOCAL' as const,
      industryChain: 'FOOD' as const, channel: 'OTHER' as const, plannedInvestmentWan: 1000, sourceUnitId: 'R00', isMajor: false, isCaseByCase: false,
    };
    const register = (p: typeof project) => applyProjectionEvents(a.store.db, 'project-NX-2026-0666', [
      { seq: 1, at, kind: 'PROJECT_REGISTERED', actor: 'info1', stage: 'LEAD', policy: DEFAULT_POLICY, project: p },
    ]);
    const surrogate = await register(project).catch((e: unknown) => e);
    expect(surrogate).toBeInstanceOf(ApplicationFailure);
    expect(surrogate).toMatchObject({ type: 'PROJECTION_REJECTED', nonRetryable: true });
    expect((surrogate as Error).message).toContain('[0].project.name: a lone surrogate');
    const infinite = await register({ ...project, name: '南县项目', plannedInvestmentWan: Infinity }).catch((e: unknown) => e);
    expect(infinite).toMatchObject({ type: 'PROJECTION_REJECTED', nonRetryable: true });
    expect(await a.store.db.project.count({ where: { id: 'NX-2026-0666' } })).toBe(0);
    await recordProjectionFailure(a.store.db, { workflowId: 'project-NX-2026-0666', projectId: 'NX-2026-0666', firstSeq: 1, lastSeq: 1, kinds: 'PROJECT_REGISTERED', error: 'x' });
    expect(await a.store.db.projectionFailure.count({ where: { projectId: 'NX-2026-0666' } })).toBe(1);
    // ADMIN sees it through the API; nobody else
    const seen = await a.call('GET', '/api/v1/admin/projection-failures?projectId=NX-2026-0666', { as: 'admin' });
    expect(seen.status).toBe(200);
    expect(seen.body.items).toEqual([expect.objectContaining({ workflowId: 'project-NX-2026-0666', kinds: ['PROJECT_REGISTERED'], error: 'x' })]);
    expect((await a.call('GET', '/api/v1/admin/projection-failures', { as: 'info1' })).status).toBe(403);
  });
});

describe('registering a lead again', () => {
  const post = async (body: object, key?: string) => {
    const res = await fetch(`${a.base}/api/v1/projects`, {
      method: 'POST', body: JSON.stringify(body),
      headers: { authorization: `Bearer ${await a.login('nanzhou1')}`, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    });
    return { status: res.status, body: (await res.json()) as { projectNo: string; error: { message: string; details: { field: string }[] } } };
  };

  it('answers a retry with the same Idempotency-Key with the same project, also when the first never started its workflow', async () => {
    const body = { ...lead, name: '南县幂等登记项目' };
    const first = await post(body, 'retry-key-0001');
    const again = await post(body, 'retry-key-0001');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.body.projectNo).toBe(first.body.projectNo);
    expect(await a.store.db.project.count({ where: { name: '南县幂等登记项目' } })).toBe(1);
    expect((await post(body, 'bad key!')).status).toBe(400);

    // a request that allocated its number and died before starting the workflow: the retry starts it
    await a.store.db.registrationKey.create({ data: { id: 'nanzhou1:crashed-key-0001', projectNo: 'NX-2026-0888', input: { ...lead, name: '南县中断登记项目', sourceUnitId: 'L03', isMajor: false, isCaseByCase: false } } });
    const resumed = await post({ ...lead, name: '南县中断登记项目' }, 'crashed-key-0001');
    expect(resumed.status).toBe(201);
    expect(resumed.body.projectNo).toBe('NX-2026-0888');
    expect((await a.temporal.client.workflow.getHandle('project-NX-2026-0888').describe()).status.name).toBe('RUNNING');

    // a retry after the project has ended (found by the fuzzer: it answered 404): the same project, as it stands
    expect((await a.call('POST', `/api/v1/projects/${first.body.projectNo}/terminate`, { as: 'admin', body: { reason: '投资方主体注销' } })).status).toBe(200);
    const late = await post(body, 'retry-key-0001');
    expect(late.status).toBe(201);
    expect(late.body).toMatchObject({ projectNo: first.body.projectNo, stage: 'TERMINATED' });
  });

  it('refuses a lead whose name and investor match an active project, naming it, unless the caller confirms', async () => {
    const body = { ...lead, name: '南县重名登记项目' };
    const first = await post(body);
    expect(first.status).toBe(201);
    const dup = await post(body);
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain(first.body.projectNo);
    expect(dup.body.error.details.map((d) => d.field)).toEqual(['body.name']);
    const confirmed = await post({ ...body, confirmDuplicate: true });
    expect(confirmed.status).toBe(201);
    expect(confirmed.body.projectNo).not.toBe(first.body.projectNo);
  });
});

describe('completing a task at once and again', () => {
  it('gives 20 concurrent completions one winner; the others answer 200 with the same result or 409, never 404', async () => {
    const p = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县并发测试项目' } });
    const url = `/api/v1/tasks/${p.body.projectNo}-T001/complete`;
    const accept = { outcome: 'accept', data: { landingSiteId: NAMED_UNITS.nanzhou, responsibleUnitId: NAMED_UNITS.commerce } };
    const discard = { outcome: 'discard', comment: '投资方放弃' };
    await a.login('info1');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => a.call('POST', url, { as: 'info1', body: i % 2 ? discard : accept })));
    expect(answers.map((r) => r.status).filter((s) => s !== 200 && s !== 409)).toEqual([]);
    const won = answers.filter((r) => r.status === 200);
    expect(won).toHaveLength(10);
    expect(new Set(won.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(answers.filter((r) => r.status === 409)).toHaveLength(10);
    const completed = await a.store.db.timelineEvent.count({ where: { projectId: p.body.projectNo, kind: 'TASK_COMPLETED' } });
    expect(completed).toBe(1);
  });

  it('answers a repeat with other data or another comment 409, while the project runs and after it has ended', async () => {
    const p = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县重复测试项目' } });
    const url = `/api/v1/tasks/${p.body.projectNo}-T001/complete`;
    const accept = (responsibleUnitId: string) => ({ outcome: 'accept', data: { landingSiteId: NAMED_UNITS.nanzhou, responsibleUnitId } });
    const first = await a.call('POST', url, { as: 'info1', body: accept(NAMED_UNITS.commerce) });
    expect(first.status).toBe(200);
    expect(await a.call('POST', url, { as: 'info1', body: accept(NAMED_UNITS.commerce) })).toEqual(first);
    const other = await a.call('POST', url, { as: 'info1', body: accept(NAMED_UNITS.economicZone) });
    expect(other.status).toBe(409);
    expect(other.body.error.message).toContain('当时的数据或办理意见与本次提交的不同');

    // the project ends at once (discarded): the answers come from the database, the same way
    const q = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县放弃测试项目' } });
    const qurl = `/api/v1/tasks/${q.body.projectNo}-T001/complete`;
    expect((await a.call('POST', qurl, { as: 'info1', body: { outcome: 'discard', comment: '联系不上投资方' } })).status).toBe(200);
    expect((await a.call('POST', qurl, { as: 'info1', body: { outcome: 'discard', comment: '联系不上投资方' } })).status).toBe(200);
    expect((await a.call('POST', qurl, { as: 'info1', body: { outcome: 'discard', comment: '另一个理由' } })).status).toBe(409);
  });
});

describe('the policy', () => {
  it('lets ADMIN terminate a project, and the 县长 only through a 季调度 decision, not by a call of his own (§3, 八)', async () => {
    const p = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县终止测试项目' } });
    const url = `/api/v1/projects/${p.body.projectNo}/terminate`;
    expect((await a.call('POST', url, { as: 'countyhead', body: { reason: '县长直接终止' } })).status).toBe(403);
    expect((await a.call('POST', url, { as: 'admin', body: { reason: '投资方主体注销' } })).status).toBe(200);
  });

  it('lets a unit raise isMajor / isCaseByCase but never lower them; the 县长 lowers one, with a reason on the timeline (九); the Web UI shows the flags as they stand', async () => {
    const p = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县一事一议测试项目', isCaseByCase: true } });
    const id = p.body.projectNo;
    const accepted = await a.call('POST', `/api/v1/tasks/${id}-T001/complete`, {
      as: 'info1', body: { outcome: 'accept', data: { landingSiteId: NAMED_UNITS.economicZone, responsibleUnitId: NAMED_UNITS.economicZone } },
    });
    expect(accepted.status).toBe(200);
    const amend = (as: string, fields: Record<string, unknown>) => a.call('POST', `/api/v1/projects/${id}/amend`, { as, body: { fields, reason: '评审会前调整' } });
    const lower = await amend('kfq1', { isCaseByCase: false });
    expect(lower.status).toBe(403);
    expect(lower.body.error.message).toContain('只有县长可以取消「一事一议」（isCaseByCase）');
    expect((await amend('kfq1', { isMajor: true })).status).toBe(200);
    expect((await amend('countyhead', { plannedInvestmentWan: 1000 })).status).toBe(403);
    expect((await amend('countyhead', { isCaseByCase: false })).status).toBe(200);
    const timeline = await a.store.db.timelineEvent.findMany({ where: { projectId: id, kind: 'PROJECT_AMENDED' }, orderBy: { seq: 'asc' } });
    expect(timeline.map((e) => [e.actor, e.comment, Object.keys(e.data as object).length && Object.keys((e.data as { changes: object }).changes)])).toEqual([
      ['kfq1', '评审会前调整', ['isMajor']], ['countyhead', '评审会前调整', ['isCaseByCase']],
    ]);
    // the Web UI: the memo shows the project as it now stands, the static summary says it is the registration's (§6)
    const desc = await a.temporal.client.workflow.getHandle(`project-${id}`).describe();
    expect(desc.memo?.summary).toBe(`${id} 南县一事一议测试项目（长沙某智能装备有限公司，计划投资30000万元，特别重大）`);
    expect(await desc.staticSummary()).toBe(`登记时：${id} 南县一事一议测试项目（长沙某智能装备有限公司，计划投资30000万元，一事一议）`);
  });

  it('keeps the 四即 milestones in order of date and a contract number to one project (十四)', async () => {
    // another project's signed contract NXHT-DUP, as the projection holds it
    const at = new Date().toISOString();
    const other = {
      projectNo: 'NX-2026-0999', createdBy: 'info1', name: '南县已签约项目', investor: '某公司', investorOrigin: 'LOCAL' as const,
      industryChain: 'FOOD' as const, channel: 'OTHER' as const, plannedInvestmentWan: 1000, sourceUnitId: 'R00', isMajor: false, isCaseByCase: false,
    };
    await applyProjectionEvents(a.store.db, 'project-NX-2026-0999', [
      { seq: 1, at, kind: 'PROJECT_REGISTERED', actor: 'info1', stage: 'LEAD', policy: DEFAULT_POLICY, project: other },
      {
        seq: 2, at, kind: 'TASK_CREATED', task: {
          id: 'NX-2026-0999-T011', projectId: 'NX-2026-0999', type: 'signing.ceremony', title: '签约仪式', stage: 'SIGNING', step: 0, context: null,
          candidateGroup: 'UNIT:R00', status: 'OPEN', claimedBy: null, createdAt: at, dueAt: at, escalationLevel: 0, outcomes: ['signed', 'cancelled'],
        },
      },
      { seq: 3, at, kind: 'TASK_COMPLETED', taskId: 'NX-2026-0999-T011', taskType: 'signing.ceremony', actor: 'commerce1', outcome: 'signed', comment: null, data: { signedDate: '2026-01-15', contractNo: 'NXHT-DUP', signedAmountWan: 1000 } },
    ]);

    const p = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县四即测试项目' } });
    const id = p.body.projectNo;
    const openTask = async () => (await a.call('GET', `/api/v1/projects/${id}`, { as: 'admin' })).body.openTasks.find((t: { type: string }) => taskType(t.type)?.stage);
    for (let task = await openTask(); task.type !== 'signing.ceremony'; task = await openTask()) {
      const done = await a.call('POST', `/api/v1/tasks/${task.id}/complete`, { as: DEMO_USER_FOR_GROUP[task.candidateGroup], body: forward(task.type) });
      expect(done.status, task.type).toBe(200);
    }
    const signing = await openTask();
    const today = shanghaiDate(Date.now());
    const yesterday = shanghaiDate(Date.now() - DAY_MS);
    const sign = (contractNo: string) => a.call('POST', `/api/v1/tasks/${signing.id}/complete`, {
      as: 'commerce1', body: { outcome: 'signed', data: { signedDate: today, contractNo, signedAmountWan: 30000 } },
    });
    const dup = await sign('NXHT-DUP');
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toContain('NX-2026-0999');
    expect(fields(dup)).toEqual(['data.contractNo']);
    expect((await sign(`NXHT-${id}`)).status).toBe(200);
    const supply = await openTask();
    expect(supply).toMatchObject({ type: 'milestone.landSupply', context: { notBefore: today } });
    const early = await a.call('POST', `/api/v1/tasks/${supply.id}/complete`, { as: 'factor1', body: { outcome: 'done', data: { date: yesterday } } });
    expect(early.status).toBe(400);
    expect(fields(early)).toEqual(['data.date']);
    expect(early.body.error.message).toContain(`不得早于 ${today}`);
    expect((await a.call('POST', `/api/v1/tasks/${supply.id}/complete`, { as: 'factor1', body: { outcome: 'done', data: { date: today } } })).status).toBe(200);
  });

  it('refuses a trip that overlaps another of the same person, naming it (三)', async () => {
    const day = (n: number) => shanghaiDate(Date.now() - n * DAY_MS);
    const trip = { startDate: day(6), endDate: day(4), destination: '浙江省温州市', purpose: '走访鞋业商会', leadsFound: 1 };
    const first = await a.call('POST', '/api/v1/trips', { as: 'nanzhou_deputy', body: trip });
    expect(first.status).toBe(201);
    const overlap = await a.call('POST', '/api/v1/trips', { as: 'nanzhou_principal', body: { ...trip, personId: 'p-nanzhou_deputy', startDate: day(5), endDate: day(3) } });
    expect(overlap.status).toBe(409);
    expect(overlap.body.error.message).toContain(first.body.id);
    expect((await a.call('POST', '/api/v1/trips', { as: 'nanzhou_deputy', body: { ...trip, startDate: day(3), endDate: day(2) } })).status).toBe(201);
    expect((await a.call('POST', '/api/v1/trips', { as: 'nanzhou_principal', body: trip })).status).toBe(201); // another person, the same days
  });

  it('lets whoever recorded a trip, or ADMIN, correct or withdraw it, on record; a withdrawn trip counts for nothing (三)', async () => {
    // days 10 to 15 before today, or of the quarter before when this one began less than 16 days ago: all in one quarter
    const sinceQuarterBegan = Math.floor((Date.now() - periodsOf(Date.now()).quarter.start.getTime()) / DAY_MS);
    const offset = sinceQuarterBegan >= 16 ? 0 : sinceQuarterBegan + 1;
    const day = (n: number) => shanghaiDate(Date.now() - (n + offset) * DAY_MS);
    const quarter = quarterKeyOfDate(day(12));
    expect(quarterKeyOfDate(day(15))).toBe(quarter);
    const late = await a.call('POST', '/api/v1/trips', { as: 'nanzhou_deputy', body: { startDate: day(15), endDate: day(15), destination: '湖北省武汉市', purpose: '参加招商推介会', leadsFound: 1 } });
    expect(late.status).toBe(201);
    const made = async () => (await a.call('GET', `/api/v1/trips?quarter=${quarter}&personId=p-nanzhou_deputy`, { as: 'nanzhou_deputy' })).body.total as number;
    const rec = await a.call('POST', '/api/v1/trips', { as: 'nanzhou_deputy', body: { startDate: day(12), endDate: day(10), destination: '湖南省长沙市', purpose: '对接食品企业', leadsFound: 0 } });
    expect(rec.status).toBe(201);
    const id = rec.body.id;
    const before = await made();
    const correct = (as: string, body: object) => a.call('POST', `/api/v1/trips/${id}/correct`, { as, body });
    expect((await correct('nanzhou_principal', { fields: { leadsFound: 2 }, reason: '补报线索' })).status).toBe(403); // not who recorded it
    expect((await correct('kfq1', { fields: { leadsFound: 2 }, reason: '补报线索' })).status).toBe(403);
    expect(fields(await correct('nanzhou_deputy', { fields: {}, reason: '补报线索' }))).toEqual(['body.fields']);
    expect(fields(await correct('nanzhou_deputy', { fields: { endDate: day(13) }, reason: '改日期' }))).toEqual(['body.fields.endDate']);
    // moved onto another trip of the same person: 409 naming it, and nothing written
    const onto = await correct('nanzhou_deputy', { fields: { startDate: day(15) }, reason: '改日期' });
    expect(onto.status).toBe(409);
    expect(onto.body.error.message).toContain(late.body.id);
    expect(fields(onto)).toEqual(['body.fields.startDate']);
    const fixed = await correct('nanzhou_deputy', { fields: { destination: '湖南省岳阳市', leadsFound: 2 }, reason: '目的地登记有误，补报线索' });
    expect(fixed.status).toBe(200);
    expect(fixed.body).toMatchObject({ destination: '湖南省岳阳市', leadsFound: 2, startDate: day(12), withdrawnAt: null });
    expect(fixed.body.changes).toEqual([expect.objectContaining({
      kind: 'CORRECTED', by: 'nanzhou_deputy', reason: '目的地登记有误，补报线索',
      before: expect.objectContaining({ destination: '湖南省长沙市', leadsFound: 0 }), after: expect.objectContaining({ destination: '湖南省岳阳市', leadsFound: 2 }),
    })]);
    // withdrawn: counts for nothing, stays on record, cannot be withdrawn or corrected again
    const withdrawn = await a.call('POST', `/api/v1/trips/${id}/withdraw`, { as: 'nanzhou_deputy', body: { reason: '重复登记' } });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.withdrawnAt).not.toBeNull();
    expect(withdrawn.body.changes.map((c: { kind: string }) => c.kind)).toEqual(['CORRECTED', 'WITHDRAWN']);
    expect(await made()).toBe(before - 1);
    expect((await a.call('POST', `/api/v1/trips/${id}/withdraw`, { as: 'nanzhou_deputy', body: { reason: '重复登记' } })).status).toBe(409);
    expect((await correct('nanzhou_deputy', { fields: { leadsFound: 3 }, reason: '再改' })).status).toBe(409);
    expect((await a.call('GET', `/api/v1/trips/${id}`, { as: 'nanzhou_deputy' })).body.changes).toHaveLength(2);
    // once the quarter's 通报 is published, only ADMIN may change a trip of it
    await storeQuarterlyBulletin(a.store.db, { quarter, at: new Date().toISOString() }, DEFAULT_POLICY);
    const closed = await a.call('POST', `/api/v1/trips/${late.body.id}/withdraw`, { as: 'nanzhou_deputy', body: { reason: '未成行' } });
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toContain(`${quarter} 的季度通报已发布`);
    expect((await a.call('POST', `/api/v1/trips/${late.body.id}/withdraw`, { as: 'admin', body: { reason: '经核实未成行' } })).body.changes[0]).toMatchObject({ kind: 'WITHDRAWN', by: 'admin' });
  });

  it('counts a signing in the 通报 of the quarter of its signedDate, not of the day it was recorded (八)', async () => {
    const store = await freshDb('hardening-bulletin');
    try {
      const project = {
        projectNo: 'NX-2026-0077', createdBy: 'info1', name: '南县跨季签约项目', investor: '某食品有限公司', investorOrigin: 'LOCAL' as const,
        industryChain: 'FOOD' as const, channel: 'OTHER' as const, plannedInvestmentWan: 9000, sourceUnitId: 'R00', isMajor: false, isCaseByCase: false,
      };
      await applyProjectionEvents(store.db, 'project-NX-2026-0077', [
        { seq: 1, at: '2026-02-01T02:00:00.000Z', kind: 'PROJECT_REGISTERED', actor: 'info1', stage: 'LEAD', policy: DEFAULT_POLICY, project },
      ]);
      // signed on 30 March, recorded on 2 April
      await store.db.timelineEvent.create({
        data: {
          workflowId: 'project-NX-2026-0077', projectId: 'NX-2026-0077', seq: 2, at: new Date('2026-04-02T02:00:00.000Z'), kind: 'TASK_COMPLETED',
          taskType: 'signing.ceremony', outcome: 'signed', actor: 'commerce1', data: { signedDate: '2026-03-30', contractNo: 'NXHT-2026-077', signedAmountWan: 9000 },
        },
      });
      const at = '2026-07-01T01:00:00.000Z';
      expect((await storeQuarterlyBulletin(store.db, { quarter: '2026-Q1', at }, DEFAULT_POLICY)).signed).toBe(1);
      expect((await storeQuarterlyBulletin(store.db, { quarter: '2026-Q2', at }, DEFAULT_POLICY)).signed).toBe(0);
    } finally {
      await store.cleanup();
    }
  });
});

describe('exports', () => {
  it('keeps a cell that a spreadsheet would run as a formula as text (OWASP), and numbers as numbers', () => {
    const csv = csvLines(['名称', '得分'], [['=HYPERLINK("http://x")', -48], ['+1', '-2'], ['@SUM(A1)', '\tx'], ['南县', 3]]);
    expect(csv.split('\r\n')).toEqual(['名称,得分', '"\'=HYPERLINK(""http://x"")",-48', "'+1,'-2", "'@SUM(A1),'\tx", '南县,3', '']);
  });
});

describe('requests that are not what the API takes', () => {
  it('answers an over-large body 413 (before any login), a malformed address, an over-long id and over-deep data 400, another method 405 — all in the error shape', async () => {
    const big = await a.call('POST', '/api/v1/auth/login', { body: { username: 'info1', password: 'x'.repeat(300_000) } });
    expect(big).toMatchObject({ status: 413, body: { error: { code: 'TOO_LARGE' } } });
    const malformed = await fetch(`${a.base}/api/v1/tasks/%E0%A4%A`, { headers: { authorization: `Bearer ${await a.login('info1')}` } });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('VALIDATION');
    const long = await a.call('POST', `/api/v1/tasks/${'T'.repeat(80)}/claim`, { as: 'info1' });
    expect(long.status).toBe(400);
    expect(fields(long)).toEqual(['params.id']);
    const longer = await a.call('POST', `/api/v1/tasks/${'T'.repeat(5000)}/claim`, { as: 'info1' });
    expect(longer.status).toBe(400);
    expect(fields(longer)).toEqual(['url']);
    let deep: unknown = { x: 1 };
    for (let i = 0; i < 50; i++) deep = { x: deep };
    const nested = await a.call('POST', '/api/v1/tasks/NX-2026-0001-T001/complete', { as: 'info1', body: { outcome: 'accept', data: deep } });
    expect(nested.status).toBe(400);
    expect(fields(nested)).toEqual(['body.data']);
    const method = await fetch(`${a.base}/api/v1/projects`, { method: 'DELETE', headers: { authorization: `Bearer ${await a.login('admin')}` } });
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('POST, GET, HEAD');
    expect(((await method.json()) as { error: { code: string } }).error.code).toBe('METHOD_NOT_ALLOWED');
    // a method whose body is parsed before any route is found (found by the fuzzer: it answered 400)
    const query = await fetch(`${a.base}/api/v1/me`, { method: 'QUERY' });
    expect([query.status, query.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await fetch(`${a.base}/nowhere`, { method: 'QUERY' })).status).toBe(404);
  });
});

describe('HTTP hygiene and tokens', () => {
  const jwt = (header: object, payload: object, alg: 'sha256' | 'sha512' | null) => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${part(header)}.${part(payload)}`;
    return `${unsigned}.${alg ? createHmac(alg, 'x'.repeat(32)).update(unsigned).digest('base64url') : ''}`;
  };
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: 'p-info1', username: 'info1', ver: 0, iat: now - 10 };

  it('refuses a token signed with another algorithm, an unsigned one and an expired one; accepts HS256', async () => {
    const me = (token: string) => a.call('GET', '/api/v1/me', { token });
    expect((await me(jwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now + 600 }, 'sha256'))).status).toBe(200);
    expect((await me(jwt({ alg: 'HS512', typ: 'JWT' }, { ...claims, exp: now + 600 }, 'sha512'))).status).toBe(401);
    expect((await me(jwt({ alg: 'none', typ: 'JWT' }, { ...claims, exp: now + 600 }, null))).status).toBe(401);
    expect((await me(jwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, exp: now - 1 }, 'sha256'))).status).toBe(401);
    // a token without the version the service puts in every token it issues
    expect((await me(jwt({ alg: 'HS256', typ: 'JWT' }, { ...claims, ver: undefined, exp: now + 600 }, 'sha256'))).status).toBe(401);
  });

  it('refuses every token issued before a password change or a deactivation; the new password follows the policy (§9)', async () => {
    const login = (password: string) => a.call('POST', '/api/v1/auth/login', { body: { username: 'orgdept', password } });
    const me = (token: string) => a.call('GET', '/api/v1/me', { token });
    const change = (token: string, body: object) => a.call('POST', '/api/v1/me/password', { token, body });
    const phone = (await login(DEMO_PASSWORD)).body.token;
    const desk = (await login(DEMO_PASSWORD)).body.token;
    const wrongOld = await change(desk, { oldPassword: 'not-the-password', newPassword: '南县招商2026年度' });
    expect(wrongOld.status).toBe(400);
    expect(fields(wrongOld)).toEqual(['body.oldPassword']);
    for (const newPassword of ['short', 'orgdept-2026-new', DEMO_PASSWORD]) {
      const weak = await change(desk, { oldPassword: DEMO_PASSWORD, newPassword });
      expect(weak.status).toBe(400);
      expect(fields(weak)).toEqual(['body.newPassword']);
    }
    expect((await me(phone)).status).toBe(200); // nothing changed yet
    const changed = await change(desk, { oldPassword: DEMO_PASSWORD, newPassword: '南县招商2026年度' });
    expect(changed.status).toBe(200);
    for (const old of [phone, desk]) {
      const refused = await me(old);
      expect(refused.status).toBe(401);
      expect(refused.body.error.message).toBe('此登录令牌已失效（此后密码已修改或重置，或账号曾被停用）：请重新登录');
    }
    expect((await me(changed.body.token)).status).toBe(200);
    expect((await login(DEMO_PASSWORD)).status).toBe(401);
    const again = await login('南县招商2026年度');
    expect(again.status).toBe(200);
    // deactivated (§9): the token stops working at once, and no new one is issued
    await a.store.db.person.update({ where: { username: 'orgdept' }, data: { active: false } });
    expect((await me(again.body.token)).status).toBe(401);
    expect((await login('南县招商2026年度')).status).toBe(401);
  });

  it('sends security headers and no-store, keeps cross-origin calls closed unless configured, and keeps its files to its own user', async () => {
    const res = await fetch(`${a.base}/api/v1/me`, { headers: { authorization: `Bearer ${await a.login('info1')}`, origin: 'https://evil.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${a.base}/api/v1/projects`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${a.base}/docs/json`)).status).toBe(200);
    expect((await fetch(`${a.base}/docs/static/index.html`)).status).toBe(200);

    const open = await buildApp({
      db: a.store.db, temporal: a.temporal.client, taskQueue: a.taskQueue, jwtSecret: 'x'.repeat(32), jwtTtlSeconds: 3600, policy: DEFAULT_POLICY,
      corsOrigins: ['https://zhaoshang.nanxian.gov.cn'],
    });
    const allowed = await open.inject({ method: 'OPTIONS', url: '/api/v1/projects', headers: { origin: 'https://zhaoshang.nanxian.gov.cn', 'access-control-request-method': 'POST' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://zhaoshang.nanxian.gov.cn');
    const refused = await open.inject({ method: 'OPTIONS', url: '/api/v1/projects', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    await open.close();

    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-perm-')), 'data');
    const db = createDb(`file:${path.join(dir, 'x.db')}`);
    await db.$queryRawUnsafe('SELECT 1');
    await db.$disconnect();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, 'x.db')).mode & 0o777).toBe(0o600);
    const migrated = path.join(path.dirname(dir), 'migrated', 'm.db'); // Prisma's CLI makes the file when the service first starts
    await migrateDeploy(`file:${migrated}`);
    expect([fs.statSync(path.dirname(migrated)).mode & 0o777, fs.statSync(migrated).mode & 0o777]).toEqual([0o700, 0o600]);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });
});

describe('login throttling', () => {
  const attempt = (username: string, password: string) => fetch(`${a.base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });

  it('locks an account after wrong passwords in a row, the right one too, with Retry-After, until the lock expires', async () => {
    for (let i = 0; i < 3; i++) expect((await attempt('kfq_deputy', 'wrong')).status).toBe(401);
    const locked = await attempt('kfq_deputy', DEMO_PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: { code: string } }).error.code).toBe('TOO_MANY_REQUESTS');
    expect((await attempt('kfq_principal', DEMO_PASSWORD)).status).toBe(200); // another account is not locked
    await new Promise((r) => setTimeout(r, 2600));
    expect((await attempt('kfq_deputy', DEMO_PASSWORD)).status).toBe(200);
  });

  it('locks an address that tries many accounts, and does the same work for an unknown user as for a wrong password', async () => {
    for (let i = 0; i < 8; i++) expect((await attempt(`nobody${i}`, 'guess')).status).toBe(401);
    expect((await attempt('info1', DEMO_PASSWORD)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 2600));
    expect((await attempt('info1', DEMO_PASSWORD)).status).toBe(200);

    // the time of the answer does not tell which usernames exist: both run the password hash
    const app = await buildApp({ db: a.store.db, temporal: a.temporal.client, taskQueue: a.taskQueue, jwtSecret: 'x'.repeat(32), jwtTtlSeconds: 3600, policy: DEFAULT_POLICY });
    const timeOf = async (username: string) => {
      const t0 = performance.now();
      for (let i = 0; i < 4; i++) await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: 'wrong' } });
      return performance.now() - t0;
    };
    await timeOf('info1'); // warm up
    const [known, unknown] = [await timeOf('info1'), await timeOf('no-such-user')];
    expect(unknown / known).toBeGreaterThan(0.4);
    await app.close();
  });
});

describe('when Temporal cannot answer (the last tests: the worker is stopped)', () => {
  it('answers a completion, a registration and an amendment 503 with Retry-After within the deadline, saying it is safe to repeat', async () => {
    const p = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县无人值守测试项目' } });
    await a.stopWorker();
    const started = Date.now();
    const res = await fetch(`${a.base}/api/v1/tasks/${p.body.projectNo}-T001/complete`, {
      method: 'POST', body: JSON.stringify({ outcome: 'discard', comment: '无人处理' }),
      headers: { authorization: `Bearer ${await a.login('info1')}`, 'content-type': 'application/json' },
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('可以放心地重新发送同一请求');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { ...lead, name: '南县无人值守测试项目二' } })).status).toBe(503);
    expect((await a.call('POST', `/api/v1/projects/${p.body.projectNo}/terminate`, { as: 'admin', body: { reason: '无人值守' } })).status).toBe(503);
  });

  it('takes Temporal\'s temporary refusals (FAILED_PRECONDITION: a workflow task failing and retried; UNAVAILABLE) for 503, and others not', () => {
    const grpc = (code: number) => Object.assign(new Error('Workflow Task in failed state'), { code, details: 'x', metadata: {} });
    expect(temporaryRefusal(Object.assign(new Error('wrapped'), { cause: grpc(9) }))?.status).toBe(503);
    expect(temporaryRefusal(grpc(14))?.retryAfterSeconds).toBe(5);
    expect(temporaryRefusal(grpc(5))).toBeNull(); // NOT_FOUND is an answer, not a refusal
    // … but for the namespace itself it is a server still loading its namespaces (after a restart): not now
    expect(temporaryRefusal(Object.assign(new Error('Namespace default is not found.'), { code: 5, details: 'Update-with-Start could not be executed.', metadata: {} }))?.status).toBe(503);
    expect(temporaryRefusal(Object.assign(new Error('Namespace default is not found.'), { cause: grpc(5) }))?.status).toBe(503);
    expect(temporaryRefusal(Object.assign(new Error('Workflow not found'), { cause: grpc(5) }))).toBeNull();
    expect(temporaryRefusal(new Error('plain'))).toBeNull();
  });
});
