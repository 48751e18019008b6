// §10 the workbench's 报表, 外出招商 and 会议 (issue 13 points 6 and 7) in a real browser: the month's
// 月研判议程 (provisional) with its .xlsx and CSV downloads, the 通报 and the annual ranking; a trip
// recorded through the form appearing in the list and the quota table (a wrong field refused at the
// field); and a 月研判 held through the meeting page by the 分管副县长, its decisions acting on the
// project.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMonthlyAgenda } from '../db/reports';
import { FLAG_NAMES } from '../domain/agenda';
import type { TaskView } from '../domain/events';
import { holidaysForRuns } from '../domain/holiday-table';
import { taskTypeDef } from '../domain/pipeline';
import { DEFAULT_POLICY } from '../domain/policy';
import { periodsOf, shanghaiDate } from '../domain/shanghai-time';
import { logIn } from '../harness/browser';
import { COUNTY_CALENDAR_ID, COUNTY_CALENDAR_WORKFLOW, countyTaskId, type CalendarState } from '../workflows/messages/county-calendar';
import { eventually } from './helpers/eventually';
import { PHONE, startWebEnv, type WebEnv } from './helpers/web-env';

let env: WebEnv;
let projectId = '';
const PROJECT = '南县稻虾冷链物流园项目';
beforeAll(async () => {
  env = await startWebEnv('web-reports');
  const r = await env.call('POST', '/api/v1/projects', {
    as: 'info1',
    body: { name: PROJECT, investor: '湖南某冷链物流有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP', channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 26000 },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  projectId = r.body.id;
  await eventually(async () => env.store.db.project.findUniqueOrThrow({ where: { id: projectId } }));
});
afterAll(async () => {
  await env?.teardown();
});

/** waits for what the page shows (a page loads its data after it appears; the machine may be slow) */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000 });

const now = Date.now();
const month = periodsOf(now).month.key;
const quarter = periodsOf(now).quarter.key;

describe('报表', () => {
  it('shows the month\'s 月研判议程 as provisional and downloads it as .xlsx and CSV; the 通报 and the annual ranking', async () => {
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'vicehead');
    await page.goto('/reports');
    await poll(() => page.locator('[data-test=report-title]').innerText()).toContain('月研判议程');
    expect(await page.locator('[data-test=report-title]').innerText()).toContain(`${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`);
    await poll(() => page.locator('[data-test=provisional]').innerText()).toContain('本期尚未结束，数据为实时统计');
    const table = page.locator('[data-test=monthly-table]');
    await poll(() => table.innerText()).toContain(PROJECT);
    // the table shows the API's agenda, row for row
    const api = await env.call('GET', `/api/v1/reports/monthly/${month}`, { as: 'vicehead' });
    expect(api.body.provisional).toBe(true);
    expect(await table.locator('.el-table__body tbody tr').count()).toBe(api.body.items.length);
    expect(await table.innerText()).toContain('线索核实');
    await w.screenshot('reports');

    // .xlsx: a zip, as every workbook
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 Excel 表格' }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/月研判议程\.xlsx$/);
    expect(fs.readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe('PK');
    // CSV: UTF-8 with the BOM spreadsheets need, Chinese headers, the project
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/月研判议程\.csv$/);
    const bytes = fs.readFileSync((await csv.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('项目编号,项目名称,阶段,本阶段天数,督办级别,责任单位,落户地,计划投资（万元）,标记');
    expect(text).toContain(`${projectId},${PROJECT},线索核实`);

    // the quarter's 通报: its sections, provisional, as a workbook too
    await page.getByRole('tab', { name: '季度通报' }).click();
    await poll(() => page.locator('[data-test=report-title]').innerText()).toContain('招商引资工作通报');
    await poll(() => page.locator('[data-test=bulletin-figures]').innerText()).toContain('签约项目');
    expect(await page.locator('[data-test=provisional]').innerText()).toContain('本期尚未结束');
    expect(await page.locator('.bulletin').innerText()).toContain('外出招商完成情况');
    // 八 专题调度 and 五 策划包装库 (the demo pitches, by chain)
    expect(await page.locator('[data-test=bulletin-special-dispatches]').innerText()).toContain('本季度无专题调度');
    expect(await page.locator('[data-test=bulletin-pitches]').innerText()).toContain('稻虾');
    await poll(() => page.locator('[data-test=quota-table]').innerText()).toContain('县经济开发区');
    expect(page.url()).toContain(`period=${quarter}`);
    const [bulletin] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 Excel 表格' }).click()]);
    expect(bulletin.suggestedFilename()).toMatch(/招商引资工作通报\.xlsx$/);
    expect(fs.readFileSync((await bulletin.path())!).subarray(0, 2).toString()).toBe('PK');
    await w.screenshot('reports-quarterly');

    // the year's ranking so far, with its accountability section
    await page.getByRole('tab', { name: '年度考核' }).click();
    await poll(() => page.locator('[data-test=report-title]').innerText()).toContain('招商引资工作考核');
    await poll(() => page.locator('.annual').innerText()).toContain('考核排名');
    expect(await page.locator('.annual').innerText()).toContain('问责');
    // 十 奖励 and 七 招商顾问: their sections, with the rule in words
    expect(await page.locator('.annual').innerText()).toContain('评先评优（第十条，报县委组织部审核）');
    expect(await page.locator('.annual').innerText()).toContain('无逾期任务的人员中签约金额最多的');
    expect(await page.locator('[data-test=annual-partners]').innerText()).toContain('引荐线索');
    const [annualCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV' }).click()]);
    expect(fs.readFileSync((await annualCsv.path())!).toString('utf8')).toContain('年度,类别,排名,单位,得分');
    await w.screenshot('reports-annual');
    w.expectClean();
    await w.close();
  });
});

describe('外出招商', () => {
  it('records a trip through the form — a wrong field refused at the field — and shows it in the list and the quota table', async () => {
    const w = await env.open();
    const { page } = w;
    w.allow(/\/api\/v1\/trips$/, 400);
    await logIn(w, 'kfq_principal');
    await page.goto('/trips');
    const quota = page.locator('[data-test=quota-table]');
    await poll(() => quota.innerText()).toContain('县经济开发区');
    const mine = quota.locator('tr', { hasText: '（本人）' });
    await poll(() => mine.innerText()).toContain('还差 1 次');

    await page.locator('[data-test=record-trip]').click();
    const form = page.locator('[data-test=trip-form]');
    await form.locator('input[name=destination]').fill('深'); // too short: the service names the field
    await form.locator('textarea[name=purpose]').fill('拜访冷链物流企业，洽谈在开发区建设区域分拨中心');
    await form.locator('input[name=leadsFound]').fill('2');
    await page.locator('[data-test=trip-submit]').click();
    const destination = form.locator('.el-form-item', { hasText: '目的地' });
    await poll(() => destination.locator('.el-form-item__error').innerText()).toContain('至少 2 个字符');
    await w.screenshot('trip-form');
    await form.locator('input[name=destination]').fill('广东省深圳市');
    await page.locator('[data-test=trip-submit]').click();
    await poll(() => page.locator('[data-test=trip-table]').innerText()).toContain('广东省深圳市');
    await poll(() => mine.innerText()).toContain('已完成');

    // the API agrees: the trip counts in this quarter for the 主要负责人 of 县经济开发区
    const api = await env.call('GET', `/api/v1/trips?quarter=${quarter}`, { as: 'kfq_principal' });
    expect(api.body.items.map((t: { destination: string; leadsFound: number; startDate: string; username: string }) => [t.username, t.destination, t.leadsFound, t.startDate]))
      .toEqual([['kfq_principal', '广东省深圳市', 2, shanghaiDate(Date.now())]]);
    expect(api.body.quota.find((q: { username: string }) => q.username === 'kfq_principal')).toMatchObject({ required: 1, made: 1, shortfall: 0 });
    await w.screenshot('trips');

    // corrected by whoever recorded it, with the reason; then withdrawn: it no longer counts
    await page.locator('[data-test=trip-table]').getByRole('button', { name: '更正' }).click();
    await form.locator('input[name=leadsFound]').fill('3');
    await form.locator('textarea[name=reason]').fill('漏记一条线索');
    await page.locator('[data-test=trip-submit]').click();
    await poll(() => page.locator('[data-test=trip-table]').innerText()).toContain('3 个');
    const record = await env.call('GET', `/api/v1/trips/${api.body.items[0].id}`, { as: 'kfq_principal' });
    expect(record.body).toMatchObject({ leadsFound: 3, changes: [{ kind: 'CORRECTED', reason: '漏记一条线索', after: { leadsFound: 3 } }] });
    await page.locator('[data-test=trip-table]').getByRole('button', { name: '撤回' }).click();
    await page.locator('.el-message-box textarea').fill('出行计划取消，误登记');
    await page.locator('.el-message-box').getByRole('button', { name: '撤回' }).click();
    await poll(() => page.locator('[data-test=trip-table]').innerText()).toContain('本季度还没有外出招商记录');
    await poll(() => mine.innerText()).toContain('还差 1 次');
    w.expectClean();
    await w.close();

    // a 乡镇 leader on a phone: the quota table and the button to record a trip
    const phone = await env.open(PHONE);
    await logIn(phone, 'nanzhou_deputy');
    await phone.page.goto('/trips');
    await poll(() => phone.page.locator('[data-test=quota-table]').innerText()).toContain('（本人）');
    await phone.screenshot('trips-phone');
    phone.expectClean();
    await phone.close();
  });
});

/**
 * Makes the month's 月研判 exist as the county calendar would have opened it on the 1st at 09:00. The
 * dev server cannot skip time (the calendar tests use the time-skipping server), so the calendar is
 * started as a continued run that carries the open meeting task — the state its monthly run leaves —
 * with the task's row and TASK_CREATED as its projection wrote them. Completions then go through the
 * calendar's own Update and act on the projects as in production.
 */
async function openMonthlyReview(): Promise<string> {
  const agenda = await computeMonthlyAgenda(env.store.db, { month, at: new Date().toISOString() }, DEFAULT_POLICY);
  const context = { period: month, items: agenda.items.map((i) => ({ projectId: i.projectId, name: i.name, stageName: i.stageName, reasons: i.flags.map((f) => FLAG_NAMES[f]) })) };
  const id = countyTaskId.monthlyReview(month);
  const created = new Date();
  const dueAt = new Date(created.getTime() + 9 * 86_400_000);
  const def = taskTypeDef('meeting.monthlyReview');
  const task: TaskView = {
    id, projectId: null, type: 'meeting.monthlyReview', title: def.title, stage: null, context, step: 0, candidateGroup: 'ROLE:VICE_HEAD',
    status: 'OPEN', claimedBy: null, createdAt: created.toISOString(), dueAt: dueAt.toISOString(), escalationLevel: 0, outcomes: Object.keys(def.outcomes),
  };
  await env.store.db.task.create({
    data: { id, workflowId: COUNTY_CALENDAR_ID, projectId: null, type: task.type, title: task.title, stage: null, context, candidateGroup: task.candidateGroup, status: 'OPEN', dueAt, createdAt: created },
  });
  await env.store.db.timelineEvent.create({
    data: {
      workflowId: COUNTY_CALENDAR_ID, projectId: null, seq: 1, at: created, kind: 'TASK_CREATED', taskId: id, taskType: task.type,
      data: { title: task.title, candidateGroup: task.candidateGroup, dueAt: task.dueAt },
    },
  });
  const carried: CalendarState = {
    taskCounter: 0, open: { [id]: task }, ladder: {}, completed: {}, seq: 1, lastMonthly: month, runs: [], escalated: {}, meetings: [], standings: null,
  };
  await env.temporal.client.workflow.start(COUNTY_CALENDAR_WORKFLOW, {
    workflowId: COUNTY_CALENDAR_ID, taskQueue: env.taskQueue, args: [{ policy: DEFAULT_POLICY, holidays: holidaysForRuns(Date.now()), carried }],
  });
  return id;
}

describe('会议', () => {
  it('the 分管副县长 holds the 月研判 through the meeting page: a decision short of its instruction refused at it, then completed', async () => {
    const meetingId = await openMonthlyReview();
    // the decision form on a phone (the task page renders the same form for a meeting task)
    const phone = await env.open(PHONE);
    await logIn(phone, 'vicehead');
    await phone.page.goto(`/meetings?task=${meetingId}`);
    await poll(() => phone.page.locator(`[data-test=agenda-${projectId}]`).innerText()).toContain(PROJECT);
    await phone.page.locator(`[data-test=agenda-${projectId}]`).getByText('提请县长调度', { exact: true }).click();
    await phone.page.locator(`textarea[name="instruction-${projectId}"]`).fill('冷链用地指标需县长协调');
    await phone.page.waitForTimeout(500); // the radio buttons' transition
    await phone.screenshot('meeting-phone');
    phone.expectClean();
    await phone.close();

    const w = await env.open();
    const { page } = w;
    w.allow(/\/complete$/, 400);
    await logIn(w, 'vicehead');
    await page.goto('/meetings');
    const open = page.locator('[data-test=open-meetings]');
    await poll(() => open.innerText()).toContain('月研判');
    expect(await open.innerText()).toContain('1 个项目');
    await w.screenshot('meetings');
    await open.getByRole('button', { name: '开会决定' }).click();
    await page.waitForURL(new RegExp(`task=${meetingId}`));
    await poll(() => page.locator('[data-test=meeting-title]').innerText()).toContain('月研判');

    const item = page.locator(`[data-test=agenda-${projectId}]`);
    await poll(() => item.innerText()).toContain(PROJECT);
    await poll(() => item.innerText()).toContain('已在本阶段'); // the agenda's figures from the month's report
    await item.getByText('协调督办', { exact: true }).click();
    // 承办单位 chosen, the instruction forgotten: the service's message at the instruction
    await item.locator(`[data-name="unit-${projectId}"]`).click();
    await page.keyboard.type('县经济开发区');
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^县经济开发区$/ }).click();
    await page.locator('[data-test=meeting-submit]').click();
    await page.getByRole('button', { name: '确认提交' }).click();
    const instruction = item.locator('.el-form-item', { hasText: '交办指示' });
    await poll(() => instruction.locator('.el-form-item__error').innerText()).toContain('时必填');
    expect(await page.locator('[data-test=meeting-error]').innerText()).toContain('请看标红的地方');

    await item.locator(`textarea[name="instruction-${projectId}"]`).fill('本月内完成项目核实，并提出冷链用地需求');
    await poll(() => instruction.locator('.el-form-item__error').count()).toBe(0); // the message goes once the field is filled
    await page.locator('textarea[name=comment]').fill('参会：县商务局、县经济开发区');
    await w.screenshot('meeting');
    await page.locator('[data-test=meeting-submit]').click();
    await page.getByRole('button', { name: '确认提交' }).click();
    await poll(() => page.locator('[data-test=meeting-decisions]').innerText()).toContain('本月内完成项目核实');
    expect(await page.locator('[data-test=meeting-decisions]').innerText()).toContain('协调督办');
    await w.screenshot('meeting-held');

    // the API: the meeting is completed with the decision; the instruction became a task for 县经济开发区
    const task = await env.call('GET', `/api/v1/tasks/${meetingId}`, { as: 'vicehead' });
    expect(task.body).toMatchObject({
      status: 'COMPLETED', outcome: 'held', completedBy: 'vicehead', comment: '参会：县商务局、县经济开发区',
      data: { decisions: [{ projectId, decision: 'coordinate', unitId: 'L01', instruction: '本月内完成项目核实，并提出冷链用地需求' }] },
    });
    await eventually(async () => {
      const p = await env.call('GET', `/api/v1/projects/${projectId}`, { as: 'admin' });
      expect(p.body.openTasks.map((t: { type: string; candidateGroup: string }) => [t.type, t.candidateGroup])).toContainEqual(['project.coordination', 'UNIT:L01']);
    });
    // the meeting now listed as held
    await page.goto('/meetings');
    await poll(() => page.locator('[data-test=done-meetings]').innerText()).toContain('月研判');
    expect(await page.locator('[data-test=open-meetings]').innerText()).toContain('当前没有需要您召开的会议');
    w.expectClean();
    await w.close();
  });
});
