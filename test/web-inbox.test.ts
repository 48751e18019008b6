// Issue 13 points 2, 5 and 10 in a real browser (Debian's Chromium) against the started service:
// info1 opens 我的待办, completes 线索核实 through the form rendered from the task's `form` (unit
// pickers limited to their category) and sees the project move to 前期对接; a wrong completion shows
// the service's Chinese message at the field it names; the inbox, a task form and 消息 at 375 px;
// marking notifications read brings the header's unread count down. Any console error or failed
// request not declared fails the test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { recipientsFor, writeNotice } from '../activities/recipients';
import { UNITS } from '../domain/units';
import { logIn, type WatchedPage } from '../harness/browser';
import { DEMO_USER_FOR_GROUP, forward } from '../harness/pipeline';
import { eventually } from './helpers/eventually';
import { PHONE, startWebEnv, type WebEnv } from './helpers/web-env';

let env: WebEnv;
beforeAll(async () => {
  env = await startWebEnv('web-inbox');
});
afterAll(async () => {
  await env?.teardown();
});

/** registers a lead through the API (as 县商务局's commerce1) and waits for its 线索核实 task in info1's inbox */
async function leadWithTask(name: string, more: Record<string, unknown> = {}): Promise<{ projectId: string; taskId: string }> {
  const r = await env.call('POST', '/api/v1/projects', {
    as: 'commerce1',
    body: { name, investor: '湖南某食品有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP', channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 30000, ...more },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const projectId: string = r.body.id;
  const taskId = await eventually(async () => {
    const box = await env.call('GET', `/api/v1/tasks?projectId=${projectId}&type=lead.verify`, { as: 'info1' });
    expect(box.body.items).toHaveLength(1);
    return box.body.items[0].id as string;
  });
  return { projectId, taskId };
}

/** the form item of a field (by the path the service names it with) */
const item = (page: Page, path: string) => page.locator(`[data-test="field-${path}"]`);

/** picks an option of an Element Plus select inside a form item */
async function pick(page: Page, path: string, label: string) {
  await item(page, path).locator('.el-select__wrapper').click();
  await page.getByRole('option', { name: label, exact: true }).click();
  await expect.poll(() => item(page, path).locator('.el-select__placeholder:not(.is-transparent)').innerText()).toBe(label);
}

/** the page is no wider than the phone */
const noOverflow = (w: WatchedPage) => w.page.evaluate<number>('document.documentElement.scrollWidth');

describe('我的待办 and the task form (issue 13 point 2)', () => {
  it('info1 completes 线索核实 through the form and sees the project move to 前期对接', async () => {
    const name = '网页办理稻虾深加工项目';
    const { projectId, taskId } = await leadWithTask(name);
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'info1');
    await page.waitForURL(/\/tasks$/);

    // the inbox: the task with its project, investor, stage, group, due time and who has it
    const row = page.locator('.el-table__row', { hasText: name });
    await row.waitFor();
    const text = await row.innerText();
    for (const s of ['线索核实', '湖南某食品有限公司', '项目信息收集专班', '剩余', '未认领']) expect(text).toContain(s);
    await expect.poll(() => page.locator('[data-test=total]').innerText()).toMatch(/共 \d+ 项/);
    await w.screenshot('inbox');

    // the filters go to the API: this project's tasks only, then back
    await page.goto(`/tasks?projectId=${projectId}`);
    await expect.poll(() => page.locator('.el-table__row').count()).toBe(1);
    await expect.poll(() => page.getByText(`只看项目 ${projectId} 的待办`).isVisible()).toBe(true);

    // 认领 from the inbox, then open the task
    await page.locator('.el-table__row', { hasText: name }).getByRole('button', { name: '认领' }).click();
    await expect.poll(() => page.locator('.el-table__row', { hasText: name }).getByRole('button', { name: '退回' }).count()).toBe(1);
    await page.locator('.el-table__row', { hasText: name }).getByRole('link', { name: '线索核实' }).click();
    await page.waitForURL(new RegExp(`/tasks/${taskId}$`));
    await expect.poll(() => page.locator('[data-test=project-link]').innerText()).toBe(name);
    await expect.poll(() => page.locator('[data-test=claim-bar]').innerText()).toContain('您已认领此任务');

    // the outcomes as buttons with their Chinese labels; 核实通过 shows its two unit pickers
    await expect.poll(() => page.locator('[data-test^=outcome-]').allInnerTexts()).toEqual(['核实通过', '放弃']);
    await page.getByRole('button', { name: '核实通过' }).click();
    // 项目落户地 offers exactly the 14 landing sites of the 附件
    await item(page, 'data.landingSiteId').locator('.el-select__wrapper').click();
    await expect.poll(() => page.getByRole('option').allInnerTexts())
      .toEqual(UNITS.filter((u) => u.category === 'LANDING_SITE').map((u) => u.name));
    await page.keyboard.press('Escape');
    await pick(page, 'data.landingSiteId', '南洲镇');
    await pick(page, 'data.responsibleUnitId', '县农业农村局');
    await page.locator('textarea[name=comment]').fill('投资方资质、项目信息核实无误');
    await w.screenshot('task-form');

    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => page.locator('[data-test=result]').innerText()).toContain('已提交。项目已进入「前期对接」');
    await expect.poll(() => page.locator('[data-test=result]').getByRole('link', { name: '查看项目' }).getAttribute('href')).toBe(`/projects/${projectId}`);
    // the task now reads as done, with its history
    await expect.poll(() => page.locator('.head').innerText()).toContain('已办结');
    await expect.poll(() => page.locator('.el-descriptions').innerText()).toContain('南洲镇');
    await w.screenshot('task-result');

    // the service agrees
    const project = await env.call('GET', `/api/v1/projects/${projectId}`, { as: 'info1' });
    expect(project.body).toMatchObject({ stage: 'CONTACT', landingSiteId: 'L03', responsibleUnitId: 'R09' });
    const done = await env.call('GET', '/api/v1/tasks/done', { as: 'info1' });
    expect(done.body.items.find((t: { id: string }) => t.id === taskId)).toMatchObject({ outcome: 'accept', comment: '投资方资质、项目信息核实无误' });

    // 已办 lists it (asked once)
    const asked: string[] = [];
    page.on('request', (r) => { if (r.url().includes('/api/v1/tasks/done')) asked.push(r.url()); });
    await page.goto('/tasks/done');
    await expect.poll(() => page.locator('.el-table__row', { hasText: name }).innerText()).toContain('核实通过');
    await expect.poll(() => page.locator('.el-loading-mask').count()).toBe(0);
    expect(asked).toHaveLength(1);
    await w.screenshot('done');
    w.expectClean();
    await w.close();
  });

  it('a wrong completion shows the service\'s Chinese message at the field it names, and a corrected one goes through', async () => {
    const name = '网页错误办理测试项目';
    const { projectId, taskId } = await leadWithTask(name);
    const w = await env.open();
    const { page } = w;
    w.allow(/\/complete$/, 400);
    await logIn(w, 'info1');
    await page.goto(`/tasks/${taskId}`);
    const answerOf = async (click: () => Promise<void>) => {
      const answer = page.waitForResponse((r) => r.url().endsWith(`/tasks/${taskId}/complete`));
      await click();
      const res = await answer;
      return { status: res.status(), body: (await res.json()) as { error: { message: string; details: { field: string; message: string }[] } } };
    };

    // 放弃 needs a reason: without one the service refuses, naming the comment
    await page.getByRole('button', { name: '放弃' }).click();
    await expect.poll(() => item(page, 'comment').locator('label').innerText()).toBe('办理意见');
    expect(await item(page, 'comment').getAttribute('class')).toContain('is-required');
    const noReason = await answerOf(() => page.getByRole('button', { name: '提交' }).click());
    expect(noReason.status).toBe(400);
    const atComment = noReason.body.error.details.find((d) => d.field.replace(/^body\./, '') === 'comment')!.message;
    expect(atComment).toMatch(/[\u4e00-\u9fa5]/);
    await expect.poll(() => item(page, 'comment').locator('.el-form-item__error').innerText()).toBe(atComment);
    await expect.poll(() => page.locator('[data-test=form-error]').innerText()).toContain('未能提交');

    // 核实通过 without 项目落户地: the service says so at that field
    await page.getByRole('button', { name: '核实通过' }).click();
    await pick(page, 'data.responsibleUnitId', '县商务局(县投资促进服务中心)');
    const noSite = await answerOf(() => page.getByRole('button', { name: '提交' }).click());
    expect(noSite.status).toBe(400);
    expect(noSite.body.error.details.map((d) => d.field.replace(/^body\./, ''))).toEqual(['data.landingSiteId']);
    const atSite = noSite.body.error.details[0].message;
    expect(atSite).toMatch(/[\u4e00-\u9fa5]/);
    await expect.poll(() => item(page, 'data.landingSiteId').locator('.el-form-item__error').innerText()).toBe(atSite);
    expect(await item(page, 'data.responsibleUnitId').locator('.el-form-item__error').count()).toBe(0);
    // the general message reads the field by its label, not its path
    const general = await page.locator('[data-test=form-error]').innerText();
    expect(general).toContain('「项目落户地」');
    expect(general).not.toContain('data.landingSiteId');
    await w.screenshot('task-form-error');

    // corrected, it goes through
    await pick(page, 'data.landingSiteId', '县经济开发区');
    await expect.poll(() => item(page, 'data.landingSiteId').locator('.el-form-item__error').count()).toBe(0);
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => page.locator('[data-test=result]').innerText()).toContain('项目已进入「前期对接」');
    expect((await env.call('GET', `/api/v1/projects/${projectId}`, { as: 'info1' })).body.stage).toBe('CONTACT');
    w.expectClean();
    await w.close();
  });
});

/** walks a project through the pipeline by the API (each task by the demo account of its group) until it reaches `stage` */
async function walkTo(projectId: string, firstTask: string, stage: string, opts: { isCaseByCase?: boolean } = {}) {
  let task = { id: firstTask, type: 'lead.verify', candidateGroup: 'TF:INFO' };
  for (let guard = 0; guard < 15; guard++) {
    const owner = DEMO_USER_FOR_GROUP[task.candidateGroup];
    const done = await env.call('POST', `/api/v1/tasks/${task.id}/complete`, {
      as: owner, body: forward(task.type, { ...opts, landingSiteId: 'L01', responsibleUnitId: 'R00' }),
    });
    expect(done.status, `${task.type}: ${JSON.stringify(done.body)}`).toBe(200);
    task = done.body.openTasks[0];
    if (done.body.stage === stage) return task.id;
  }
  throw new Error(`${projectId} did not reach ${stage}`);
}

describe('the form\'s other inputs (issue 13 point 2)', () => {
  it('numbers within their bounds (a figure the service refuses shown at it), a choice as buttons, a date picker that refuses future days', async () => {
    // 提交投资计划书 (plan.submit) for 县商务局: figures in 万元, 亩 and people
    const plan = await leadWithTask('网页计划书填报测试项目');
    const planTask = await walkTo(plan.projectId, plan.taskId, 'PLAN');
    const w = await env.open();
    const { page } = w;
    w.allow(/\/complete$/, 400);
    await logIn(w, 'commerce1');
    await page.goto(`/tasks/${planTask}`);
    await page.getByRole('button', { name: '提交', exact: true }).first().waitFor();
    // plan.submit has one outcome: it is chosen already, its fields shown
    const number = (path: string) => item(page, path).locator('input');
    await number('data.plannedInvestmentWan').fill('60000');
    await number('data.landMu').fill('0'); // 用地面积 must be more than 0
    await number('data.expectedJobs').fill('800');
    await number('data.expectedAnnualTaxWan').fill('3000');
    await number('data.expectedJobs').press('Tab');
    expect(await item(page, 'data.landMu').innerText()).toContain('大于 0');
    const answer = page.waitForResponse((r) => r.url().endsWith('/complete'));
    await page.locator('[data-test=submit]').click();
    const res = await answer;
    expect(res.status()).toBe(400);
    const details = ((await res.json()) as { error: { details: { field: string; message: string }[] } }).error.details;
    expect(details.map((d) => d.field.replace(/^body\./, ''))).toEqual(['data.landMu']);
    await expect.poll(() => item(page, 'data.landMu').locator('.el-form-item__error').innerText()).toBe(details[0].message);
    await w.screenshot('task-form-numbers');
    await number('data.landMu').fill('150');
    await number('data.landMu').press('Tab');
    await page.locator('[data-test=submit]').click();
    await expect.poll(() => page.locator('[data-test=result]').innerText()).toContain('项目已进入「研判专班初审」');
    expect((await env.call('GET', `/api/v1/projects/${plan.projectId}`, { as: 'commerce1' })).body).toMatchObject({ stage: 'PRELIM_REVIEW', landMu: 150, expectedJobs: 800 });
    w.expectClean();
    await w.close();

    // 县长办公会/常务会 (executive.deliberate) for 县政府办: the meeting kind as buttons, its date not after today
    const exec = await leadWithTask('网页常务会审议测试项目', { isCaseByCase: true });
    const execTask = await walkTo(exec.projectId, exec.taskId, 'EXECUTIVE', { isCaseByCase: true });
    const g = await env.open();
    await logIn(g, 'govoffice');
    await g.page.goto(`/tasks/${execTask}`);
    await g.page.getByRole('button', { name: '审议通过' }).click();
    await item(g.page, 'data.meetingKind').getByText('县人民政府常务会').click();
    expect(await g.page.getByRole('radio', { name: '县人民政府常务会' }).isChecked()).toBe(true);
    await item(g.page, 'data.meetingDate').locator('input').click();
    const table = g.page.locator('.el-date-table').filter({ visible: true });
    await table.waitFor();
    // today can be chosen; every later day of the month cannot
    const cells = await table.locator('td').evaluateAll((tds) => tds.map((td) => td.className));
    const today = cells.findIndex((c) => c.includes('today'));
    expect(today).toBeGreaterThanOrEqual(0);
    expect(cells[today]).not.toContain('disabled');
    const later = cells.slice(today + 1).filter((c) => !c.includes('next-month'));
    expect(later.every((c) => c.includes('disabled'))).toBe(true);
    await table.locator('td.today').click();
    await item(g.page, 'data.decisionNo').locator('input').fill('南政常〔2026〕3号');
    await item(g.page, 'data.specialTerms').locator('textarea').fill('一事一议：前三年地方留成税收全额奖补');
    await g.screenshot('task-form-executive');
    await g.page.locator('[data-test=submit]').click();
    await expect.poll(() => g.page.locator('[data-test=result]').innerText()).toContain('项目已进入「合同审签」');
    const done = await env.call('GET', `/api/v1/tasks/${execTask}`, { as: 'govoffice' });
    expect(done.body).toMatchObject({ outcome: 'approve', data: { meetingKind: 'STANDING_COMMITTEE', decisionNo: '南政常〔2026〕3号' } });
    expect(done.body.data.meetingDate).toBe(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()));
    g.expectClean();
    await g.close();
  });
});

describe('on a phone, 375 px wide (issue 13 point 10)', () => {
  it('the inbox shows cards without sideways scrolling, and a task form completes 线索核实', async () => {
    const name = '手机办理测试项目';
    const { projectId, taskId } = await leadWithTask(name);
    const w = await env.open(PHONE);
    const { page } = w;
    await logIn(w, 'info1');
    await page.waitForURL(/\/tasks$/);
    const card = page.locator('[data-test=task-card]', { hasText: name });
    await card.waitFor();
    expect(await page.locator('.el-table').count()).toBe(0);
    expect(await card.innerText()).toContain('项目信息收集专班');
    expect(await noOverflow(w)).toBeLessThanOrEqual(375);
    await w.screenshot('phone-inbox');

    await card.getByRole('button', { name: '办理' }).click();
    await page.waitForURL(new RegExp(`/tasks/${taskId}$`));
    await page.getByRole('button', { name: '核实通过' }).click();
    await pick(page, 'data.landingSiteId', '华阁镇');
    await pick(page, 'data.responsibleUnitId', '县商务局(县投资促进服务中心)');
    expect(await noOverflow(w)).toBeLessThanOrEqual(375);
    await w.screenshot('phone-task-form');
    await page.getByRole('button', { name: '提交' }).click();
    await expect.poll(() => page.locator('[data-test=result]').innerText()).toContain('项目已进入「前期对接」');
    expect(await noOverflow(w)).toBeLessThanOrEqual(375);
    expect((await env.call('GET', `/api/v1/projects/${projectId}`, { as: 'info1' })).body.stage).toBe('CONTACT');
    w.expectClean();
    await w.close();
  });
});

describe('消息 (issue 13 point 5)', () => {
  it('shows the unread count in the header; marking one and then all read brings it down; 去办理 opens the task', async () => {
    const name = '消息提醒测试项目';
    const { projectId, taskId } = await leadWithTask(name);
    // two notices for the 线索核实 of this project, as the ladder writes them (§4: the candidate group, then the leaders)
    await env.store.db.$transaction(async (tx) => {
      await writeNotice(tx, {
        dedupeKey: `web:${taskId}:REMINDER`, projectId, taskId, kind: 'REMINDER', level: 0,
        title: `【到期提醒】${name}：线索核实`, body: '「线索核实」即将到期，请尽快办理。', createdAt: new Date(Date.now() - 60_000),
      }, await recipientsFor(tx, 'REMINDER', 'TF:INFO'));
      await writeNotice(tx, {
        dedupeKey: `web:${taskId}:OVERDUE`, projectId, taskId, kind: 'OVERDUE', level: 1,
        title: `【已逾期】${name}：线索核实`, body: '「线索核实」已超过办理期限。', createdAt: new Date(),
      }, await recipientsFor(tx, 'OVERDUE', 'TF:INFO'));
    });
    const unreadNow = async () => (await env.call('GET', '/api/v1/me', { as: 'info1' })).body.unreadNotifications as number;
    const before = await unreadNow();
    expect(before).toBeGreaterThanOrEqual(2);

    const w = await env.open(PHONE);
    const { page } = w;
    await logIn(w, 'info1');
    const badge = page.locator('[data-test=unread] .el-badge__content');
    await expect.poll(() => badge.innerText()).toBe(String(before));
    await page.locator('[data-test=unread]').click();
    await page.waitForURL(/\/notifications$/);
    const overdue = page.locator('[data-test=notice]', { hasText: `【已逾期】${name}` });
    await overdue.waitFor();
    expect(await overdue.innerText()).toContain('逾期');
    await expect.poll(() => page.locator('[data-test=unread-count]').innerText()).toBe(`未读 ${before} 条`);
    expect(await noOverflow(w)).toBeLessThanOrEqual(375);
    await w.screenshot('phone-notifications');

    // one read: the header's count drops by one
    await overdue.getByRole('button', { name: '标为已读' }).click();
    await expect.poll(() => badge.innerText()).toBe(String(before - 1));
    await expect.poll(() => overdue.getByRole('button', { name: '标为已读' }).count()).toBe(0);
    expect(await unreadNow()).toBe(before - 1);

    // only the unread ones
    await page.getByText('未读', { exact: true }).click();
    await page.waitForURL(/unread=true/);
    await expect.poll(() => page.locator('[data-test=notice]', { hasText: `【已逾期】${name}` }).count()).toBe(0);
    await expect.poll(() => page.locator('[data-test=notice]', { hasText: `【到期提醒】${name}` }).count()).toBe(1);

    // all read: the badge is gone
    await page.getByRole('button', { name: '全部标为已读' }).click();
    await expect.poll(() => badge.isVisible()).toBe(false);
    expect(await unreadNow()).toBe(0);
    await expect.poll(() => page.getByText('没有未读消息').isVisible()).toBe(true);

    // 去办理 opens the task the notice is about
    await page.getByText('全部', { exact: true }).click();
    await page.locator('[data-test=notice]', { hasText: `【到期提醒】${name}` }).getByRole('button', { name: '去办理' }).click();
    await page.waitForURL(new RegExp(`/tasks/${taskId}$`));
    await expect.poll(() => page.locator('[data-test=project-link]').innerText()).toBe(name);
    w.expectClean();
    await w.close();
  });
});
