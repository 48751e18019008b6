// Issue 13 points 3 and 4 in a real browser (Debian's Chromium) against the started service: info1
// registers a lead through 登记线索 and lands on its page (the progress line at 线索核实, the
// timeline); the same name and investor again shows §7's duplicate warning with the project it
// matches, and registers anyway once confirmed; 项目库's search and filters; a project a few stages in
// with its progress line, open tasks and timeline; the side actions shown only to whoever may take them
// (终止 for ADMIN, not for info1), an amendment's 400 at its field, a termination through its dialog;
// ADMIN's link to the project's workflow in the Temporal Web UI (§6), and the API's `temporalUi` and
// `actions` behind it. Any console error or failed request not declared fails the test.
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/app';
import { DEFAULT_POLICY } from '../domain/policy';
import { NAMED_UNITS } from '../domain/units';
import { logIn, openPage, webRoot, type WatchedPage } from '../harness/browser';
import { DEMO_USER_FOR_GROUP, forward } from '../harness/pipeline';
import { PHONE, startWebEnv, type WebEnv } from './helpers/web-env';

const UI = 'http://127.0.0.1:8233';
let env: WebEnv;
/** the same service with a Temporal Web UI named (TEMPORAL_UI_URL), on the same database and Temporal */
let withUi: { app: FastifyInstance; base: string };
beforeAll(async () => {
  env = await startWebEnv('web-projects');
  const app = await buildApp({
    db: env.store.db, temporal: env.temporal.client, taskQueue: env.taskQueue, jwtSecret: 'x'.repeat(32), jwtTtlSeconds: 3600,
    policy: DEFAULT_POLICY, webRoot: await webRoot(), temporalUiUrl: `${UI}/`,
  });
  withUi = { app, base: await app.listen({ host: '127.0.0.1', port: 0 }) };
});
afterAll(async () => {
  await withUi?.app.close();
  await env?.teardown();
});

const lead = (name: string, extra: Record<string, unknown> = {}) => ({
  name, investor: '湖南洞庭食品科技有限公司', investorOrigin: 'IN_PROVINCE', industryChain: 'FOOD', channel: 'BUSINESS_REFERRAL',
  plannedInvestmentWan: 45000, landMu: 120, ...extra,
});

/** registers a lead through the API as info1 and completes its tasks as the demo accounts until the project reaches `until` */
async function projectAt(name: string, until: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await env.call('POST', '/api/v1/projects', { as: 'info1', body: lead(name, extra) });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const id: string = r.body.id;
  let stage: string = r.body.stage;
  for (let guard = 0; stage !== until && guard < 20; guard++) {
    const detail = await env.call('GET', `/api/v1/projects/${id}`, { as: 'admin' });
    const task = detail.body.openTasks[0];
    const done = await env.call('POST', `/api/v1/tasks/${task.id}/complete`, { as: DEMO_USER_FOR_GROUP[task.candidateGroup], body: forward(task.type) });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    stage = done.body.stage;
  }
  expect(stage).toBe(until);
  return id;
}

/** waits for a value on the page (this machine may be slow: the first visit loads the page's code and the names) */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 100 });
const item = (page: Page, field: string) => page.locator(`[data-test="field-${field}"]`);
async function pick(page: Page, field: string, label: string) {
  await item(page, field).locator('.el-select__wrapper').click();
  await page.getByRole('option', { name: label, exact: true }).click();
}
async function fillLead(page: Page, name: string, investor: string) {
  await page.locator('input[name=name]').fill(name);
  await page.locator('input[name=investor]').fill(investor);
  await pick(page, 'investorOrigin', '境内省外');
  await pick(page, 'industryChain', '稻虾');
  await pick(page, 'channel', '亲情招商');
  await page.locator('input[name=plannedInvestmentWan]').fill('32000');
  await page.locator('input[name=landMu]').fill('85');
  await page.locator('input[name=expectedJobs]').fill('260');
  await page.locator('input[name=landMu]').press('Tab');
}
const stageOf = (page: Page) => page.locator('[data-test=stage-where]').innerText();

describe('登记线索 and the duplicate warning (issue 13 point 4)', () => {
  it('info1 registers a lead through the form, lands on its page at 线索核实; the same lead again is warned of and registered only when confirmed', async () => {
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'info1');
    await page.goto('/projects');
    await page.getByRole('button', { name: '登记线索' }).click();
    await page.waitForURL(/\/projects\/new$/);

    // a required field left empty is named at the field, nothing is sent
    await page.getByRole('button', { name: '登记线索' }).click();
    await poll(() => item(page, 'name').locator('.el-form-item__error').innerText()).toBe('必填');

    const name = '网页登记稻虾深加工项目';
    const investor = '湖南某稻虾食品股份有限公司';
    await fillLead(page, name, investor);
    // the source unit is the caller's own (县商务局)
    await poll(() => item(page, 'sourceUnitId').innerText()).toContain('县商务局');
    await w.screenshot('register-lead');
    await page.getByRole('button', { name: '登记线索' }).click();
    await page.waitForURL(/\/projects\/NX-\d{4}-\d{4}$/);
    const first = page.url().split('/').pop()!;

    // its page: the name, the progress line at 线索核实, the timeline with the registration, the 线索核实 task for info1
    await poll(() => page.locator('[data-test=project-name]').innerText()).toBe(name);
    await poll(() => stageOf(page)).toContain('当前阶段：线索核实');
    expect(await page.locator('[data-stage=LEAD][aria-current=step]').count()).toBe(1);
    await poll(() => page.locator('[data-test=timeline]').innerText()).toContain('登记线索，进入「线索核实」阶段');
    const task = page.locator('[data-test=open-tasks]');
    expect(await task.innerText()).toContain('项目信息收集专班');
    expect(await task.getByRole('button', { name: '办理' }).count()).toBe(1); // info1 is of 项目信息收集专班
    const detail = await env.call('GET', `/api/v1/projects/${first}`, { as: 'info1' });
    expect(detail.body).toMatchObject({ name, investor, investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP', channel: 'KINSHIP', plannedInvestmentWan: 32000, landMu: 85, expectedJobs: 260, sourceUnitId: NAMED_UNITS.commerce });

    // the same name and investor: §7's warning, naming the project, and nothing registered until confirmed
    w.allow(/\/api\/v1\/projects$/, 409);
    await page.goto('/projects/new');
    await fillLead(page, name, investor);
    await page.getByRole('button', { name: '登记线索' }).click();
    const warning = page.locator('[data-test=duplicate]');
    await warning.waitFor();
    expect(await warning.innerText()).toContain('可能重复登记');
    await poll(() => warning.locator('.el-table').innerText()).toContain(first);
    expect((await env.call('GET', `/api/v1/projects?q=${encodeURIComponent(name)}`, { as: 'info1' })).body.total).toBe(1);
    await w.screenshot('register-lead-duplicate');
    await page.getByRole('button', { name: '确认不是同一项目，仍然登记' }).click();
    await page.waitForURL((u) => /\/projects\/NX-\d{4}-\d{4}$/.test(u.pathname) && !u.pathname.endsWith(first));
    expect((await env.call('GET', `/api/v1/projects?q=${encodeURIComponent(name)}`, { as: 'info1' })).body.total).toBe(2);
    w.expectClean();
    await w.close();
  });

  it('shows the service\'s 400 at the field it names', async () => {
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'kfq1'); // 县经济开发区 may record leads for itself only
    await page.goto('/projects/new');
    await fillLead(page, '网页登记来源单位不符的项目', '某某投资有限公司');
    await pick(page, 'sourceUnitId', '南洲镇');
    w.allow(/\/api\/v1\/projects$/, 403);
    await page.getByRole('button', { name: '登记线索' }).click();
    await poll(() => item(page, 'sourceUnitId').locator('.el-form-item__error').innerText()).toBe('必须是您本人所在的单位');
    w.expectClean();
    await w.close();
  });
});

describe('项目库 (issue 13 point 3)', () => {
  it('lists the projects with search, filters and paging, opens a project, and shows cards on a phone', async () => {
    await projectAt('网页项目库稻虾产业园', 'CONTACT', { industryChain: 'RICE_SHRIMP' });
    await projectAt('网页项目库养老综合体', 'LEAD', { industryChain: 'ELDERLY_CARE', investor: '长沙康养集团有限公司' });
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'info1');
    await page.goto('/projects');
    const rows = page.locator('[data-test=projects] .el-table__body-wrapper .el-table__row');
    await poll(() => rows.count()).toBeGreaterThanOrEqual(2);
    const all = (await env.call('GET', '/api/v1/projects', { as: 'info1' })).body.total;
    await poll(() => page.locator('[data-test=count]').innerText()).toBe(`共 ${all} 个项目`);
    await w.screenshot('projects');

    // search by name (Enter), then by investor
    await page.locator('input[name=q]').fill('养老综合体');
    await page.locator('input[name=q]').press('Enter');
    await poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('网页项目库养老综合体');
    expect(page.url()).toContain('q=');
    await page.locator('input[name=q]').fill('长沙康养');
    await page.getByRole('button', { name: '查询' }).click();
    await poll(() => rows.count()).toBe(1);

    // the 产业链 filter, the stage filter, then 清除条件
    await page.getByRole('button', { name: '清除条件' }).click();
    await poll(() => rows.count()).toBe(all);
    await page.locator('[data-name=industryChain] .el-select__wrapper').click();
    await page.getByRole('option', { name: '养老', exact: true }).click();
    await poll(() => rows.count()).toBe(1);
    await page.getByRole('button', { name: '清除条件' }).click();
    await page.locator('[data-name=stage] .el-select__wrapper').click();
    await page.getByRole('option', { name: '2. 前期对接', exact: true }).click();
    await poll(async () => (await rows.allInnerTexts()).join('\n')).toContain('网页项目库稻虾产业园');
    expect((await rows.allInnerTexts()).every((t) => t.includes('前期对接'))).toBe(true);

    // a row opens its project
    await rows.filter({ hasText: '网页项目库稻虾产业园' }).first().click();
    await page.waitForURL(/\/projects\/NX-/);
    await poll(() => page.locator('[data-test=project-name]').innerText()).toBe('网页项目库稻虾产业园');
    w.expectClean();
    await w.close();

    // a phone: cards, no wider than the screen
    const m = await env.open(PHONE);
    await logIn(m, 'info1');
    await m.page.goto('/projects');
    await poll(() => m.page.locator('[data-test=project-card]').count()).toBeGreaterThanOrEqual(2);
    expect(await m.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await m.screenshot('projects-phone');
    m.expectClean();
    await m.close();
  });
});

describe('a project\'s page (issue 13 point 3)', () => {
  let id: string;
  beforeAll(async () => {
    id = await projectAt('网页项目页小龙虾精深加工项目', 'NEGOTIATION', { landMu: 150 });
    const amended = await env.call('POST', `/api/v1/projects/${id}/amend`, { as: 'commerce1', body: { fields: { expectedJobs: 600 }, reason: '投资方补充了用工计划' } });
    expect(amended.status).toBe(200);
  });

  it('shows the progress line where the project is, its open task, the timeline, and only the side actions the caller may take', async () => {
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'info1');
    await page.goto(`/projects/${id}`);
    await poll(() => stageOf(page)).toContain('当前阶段：洽谈（第 5 步，共 15 步）');
    for (const done of ['LEAD', 'CONTACT', 'PLAN', 'PRELIM_REVIEW']) {
      expect(await page.locator(`[data-stage=${done}] .el-step__head`).getAttribute('class')).toContain('is-success');
    }
    expect(await page.locator('[data-stage=NEGOTIATION][aria-current=step]').count()).toBe(1);
    expect(await page.locator('[data-test=ladder]').innerText()).toContain('无逾期');
    const tasks = await page.locator('[data-test=open-tasks]').innerText();
    expect(tasks).toContain('县商务局组织谈判');
    const timeline = await page.locator('[data-test=timeline]').innerText();
    for (const s of ['阶段由「研判专班初审」转入「洽谈」', '变更项目信息：预计就业人数 800 → 600（投资方补充了用工计划）', '登记线索']) expect(timeline).toContain(s);
    // the full record on request
    await page.getByText(/显示全部记录/).click();
    await poll(() => page.locator('[data-test=timeline]').innerText()).toContain('下达任务');
    await page.getByText(/显示全部记录/).click();
    await w.screenshot('project-page');

    // info1 (县商务局, the responsible unit) may amend, not terminate; no factor issue before 合同审签; no Temporal link
    const actions = page.locator('[data-test=side-actions]');
    expect(await actions.getByRole('button', { name: '变更项目信息' }).count()).toBe(1);
    expect(await actions.getByRole('button', { name: '终止项目' }).count()).toBe(0);
    expect(await actions.getByRole('button', { name: '提出要素保障问题' }).count()).toBe(0);
    expect(await page.getByText('在 Temporal Web UI 中查看流程').count()).toBe(0);

    // an amendment the service refuses: its Chinese message at the field it names
    await actions.getByRole('button', { name: '变更项目信息' }).click();
    const dialog = page.locator('[data-test=amend-dialog]');
    await dialog.locator('input[name=landMu]').fill('0');
    await dialog.locator('textarea[name=reason]').fill('核减用地');
    w.allow(/\/amend$/, 400);
    await dialog.getByRole('button', { name: '保存变更' }).click();
    await poll(() => dialog.locator('[data-test=field-landMu] .el-form-item__error').innerText()).toBe('应大于 0');
    await w.screenshot('project-amend-400');
    // then a good one: the timeline has it
    await dialog.locator('input[name=landMu]').fill('130');
    await dialog.getByRole('button', { name: '保存变更' }).click();
    await poll(() => page.locator('[data-test=timeline]').innerText()).toContain('用地面积（亩） 150 → 130（核减用地）');
    w.expectClean();
    await w.close();

    // on a phone: the stages one under another, nothing wider than the screen
    const m = await env.open(PHONE);
    await logIn(m, 'info1');
    await m.page.goto(`/projects/${id}`);
    await poll(() => stageOf(m.page)).toContain('当前阶段：洽谈');
    expect(await m.page.locator('.el-steps--vertical').count()).toBe(1);
    expect(await m.page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await m.screenshot('project-page-phone');
    m.expectClean();
    await m.close();
  });

  it('ADMIN sees 终止 and the Temporal Web UI link; info1 does not; the API answers the link to ADMIN only', async () => {
    // the API: the link for ADMIN where a Web UI is named, null for anyone else or where none is
    const detailOn = async (base: string, username: string) =>
      (await fetch(`${base}/api/v1/projects/${id}`, { headers: { authorization: `Bearer ${await env.login(username)}` } }).then((r) => r.json())) as { temporalUi: string | null; actions: unknown };
    const adminDetail = await detailOn(withUi.base, 'admin');
    expect(adminDetail.temporalUi).toBe(`${UI}/namespaces/default/workflows/project-${id}`);
    expect(adminDetail.actions).toEqual({ factorIssue: false, amend: { fields: true, isMajor: true, isCaseByCase: true }, terminate: true, specialDispatch: false });
    const infoDetail = await detailOn(withUi.base, 'info1');
    expect(infoDetail.temporalUi).toBeNull();
    expect(infoDetail.actions).toEqual({ factorIssue: false, amend: { fields: true, isMajor: true, isCaseByCase: true }, terminate: false, specialDispatch: false });
    expect((await env.call('GET', `/api/v1/projects/${id}`, { as: 'admin' })).body.temporalUi).toBeNull(); // no Web UI named
    // 九: the 县长 changes the flags, never the other fields (and terminates only in a 季调度 meeting); 县经济开发区 (the landing site) amends nothing
    expect((await env.call('GET', `/api/v1/projects/${id}`, { as: 'countyhead' })).body.actions).toEqual({ factorIssue: false, amend: { fields: false, isMajor: true, isCaseByCase: true }, terminate: false, specialDispatch: true });
    expect((await env.call('GET', `/api/v1/projects/${id}`, { as: 'kfq1' })).body.actions.amend.fields).toBe(false);

    const i = await openPage(env.browser, withUi.base);
    await logIn(i, 'info1');
    await i.page.goto(`/projects/${id}`);
    await i.page.locator('[data-test=project-name]').waitFor();
    expect(await i.page.getByText('在 Temporal Web UI 中查看流程').count()).toBe(0);
    expect(await i.page.getByRole('button', { name: '终止项目' }).count()).toBe(0);
    i.expectClean();
    await i.close();

    const w: WatchedPage = await openPage(env.browser, withUi.base);
    const { page } = w;
    await logIn(w, 'admin');
    await page.goto(`/projects/${id}`);
    const link = page.locator('[data-test=temporal-ui]');
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`${UI}/namespaces/default/workflows/project-${id}`);
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await page.locator('[data-test=open-tasks]').getByRole('button', { name: '办理' }).count()).toBe(0); // ADMIN never completes

    // 终止 through its dialog: a reason is required, then the project ends with its tasks cancelled
    await page.getByRole('button', { name: '终止项目' }).click();
    const dialog = page.locator('[data-test=terminate-dialog]');
    await dialog.getByRole('button', { name: '确认终止' }).click();
    await poll(() => dialog.locator('[data-test=field-reason] .el-form-item__error').innerText()).toContain('请写明终止的原因');
    await dialog.locator('textarea[name=reason]').fill('投资方战略调整，项目不再推进');
    await dialog.getByRole('button', { name: '确认终止' }).click();
    await poll(() => stageOf(page)).toContain('项目已结束：已终止');
    expect(await page.locator('[data-stage=NEGOTIATION] .el-step__head').getAttribute('class')).toContain('is-error');
    expect(await page.locator('[data-stage=end]').innerText()).toContain('已终止');
    expect(await page.locator('[data-test=timeline]').innerText()).toContain('投资方战略调整，项目不再推进');
    expect(await page.getByRole('button', { name: '终止项目' }).count()).toBe(0);
    expect((await env.call('GET', `/api/v1/projects/${id}`, { as: 'admin' })).body).toMatchObject({ stage: 'TERMINATED', openTasks: [] });
    await w.screenshot('project-terminated');
    w.expectClean();
    await w.close();
  });

  it('offers 提出要素保障问题 to the landing site from 合同审签 on, and lists the issue', async () => {
    const contract = await projectAt('网页要素保障测试项目', 'CONTRACT');
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'kfq1'); // 县经济开发区: the landing site of forward('lead.verify')
    await page.goto(`/projects/${contract}`);
    await page.getByRole('button', { name: '提出要素保障问题' }).click();
    const dialog = page.locator('[data-test=factor-dialog]');
    await dialog.getByText('用电', { exact: true }).click();
    await dialog.locator('textarea[name=description]').fill('厂区 10 千伏专线尚未接入');
    await w.screenshot('project-factor-issue');
    await dialog.getByRole('button', { name: '提交' }).click();
    const issues = page.locator('[data-test=factor-issues]');
    await poll(() => issues.innerText().catch(() => '')).toContain('厂区 10 千伏专线尚未接入');
    expect(await issues.innerText()).toContain('用电');
    expect(await issues.innerText()).toMatch(/待.*专班办理/);
    expect(await page.locator('[data-test=open-tasks]').innerText()).toContain('要素保障问题');
    w.expectClean();
    await w.close();
  });
});
