// 八 月研判 on the time-skipping server: the county calendar wakes on the 1st at 09:00 (Asia/Shanghai)
// and every active project gets a monthly.progress task for its responsible unit, due the end of the
// 5th, which then follows the §4 ladder like any other task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePeriod, shanghaiDate } from '../domain/shanghai-time';
import type { AnnualAssessment } from '../domain/assessment';
import type { QuarterlyBulletin } from '../domain/bulletin';
import { bulletinQuarter, nextMonthlyRun, quotaReminderQuarter } from '../domain/cycles';
import { NAMED_UNITS } from '../domain/units';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { calendarStateQuery, COUNTY_CALENDAR_ID } from '../workflows/messages/county-calendar';
import { openCalendarTaskUpdate } from '../workflows/messages/project';
import { eventually } from './helpers/eventually';
import { startWorkflowEnv, type WorkflowEnv } from '../harness/workflow-env';

let w: WorkflowEnv;
beforeAll(async () => {
  w = await startWorkflowEnv('calendar');
});
afterAll(async () => w?.teardown());

describe('county calendar — 月研判 progress reports', () => {
  it('opens monthly.progress in every active project on the 1st at 09:00, due the 5th, once per month', async () => {
    const active = await w.register({ name: '月报·洽谈中项目' });
    await w.walkTo(active.workflowId, 'PLAN', { responsibleUnitId: NAMED_UNITS.economicZone });
    const lead = await w.register({ name: '月报·线索项目' }); // no responsible unit yet: its source unit reports
    const ended = await w.register({ name: '月报·已放弃项目' });
    await w.step(ended.workflowId, { outcome: 'discard', comment: '线索不实' });

    expect(await ensureCountyCalendar(w.env.client, w.taskQueue, { policy: w.policy })).toBe('started');
    expect(await ensureCountyCalendar(w.env.client, w.taskQueue, { policy: w.policy })).toBe('running');

    // §9: a policy version put after the calendar started is taken at its next run
    await w.store.db.policyVersion.create({ data: { number: 1, policy: { ...w.policy, version: `${w.policy.version}·测试版本` }, note: '测试', createdBy: 'admin', createdAt: new Date() } });
    const run = nextMonthlyRun(await w.env.currentTimeMs());
    await w.env.sleep(run.at.getTime() - (await w.env.currentTimeMs()) + 60_000);
    const tasks = await eventually(async () => {
      const t = await w.store.db.task.findMany({ where: { type: 'monthly.progress' }, orderBy: { projectId: 'asc' } });
      expect(t).toHaveLength(2);
      return t;
    });
    expect(tasks.map((t) => [t.projectId, t.candidateGroup, t.dueAt.toISOString(), t.context])).toEqual([
      [active.projectId, `UNIT:${NAMED_UNITS.economicZone}`, run.progressDueAt.toISOString(), { period: run.month }],
      [lead.projectId, `UNIT:${NAMED_UNITS.commerce}`, run.progressDueAt.toISOString(), { period: run.month }],
    ]);
    expect(tasks[0].createdAt.getTime() - run.at.getTime()).toBeLessThan(60 * 60_000); // right after 09:00
    const state = await w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID).query(calendarStateQuery);
    expect(state.lastMonthly).toBe(run.month);
    expect(state.policyVersion).toBe(1);
    expect(state.runs[0]).toMatchObject({ month: run.month, opened: 2, alreadyOpen: 0, agendaItems: 2 });
    // the month's agenda: every active project, none of them stalled or escalated yet
    const agenda = await w.store.db.report.findUniqueOrThrow({ where: { id: `MONTHLY:${run.month}` } });
    expect((agenda.content as { items: { projectId: string; flags: string[] }[] }).items.map((i) => [i.projectId, i.flags]).sort())
      .toEqual([[active.projectId, []], [lead.projectId, []]].sort());

    // once per month: asking again for the same month opens nothing new
    const again = await w.env.client.workflow.getHandle(active.workflowId).executeUpdate(openCalendarTaskUpdate, {
      args: [{ type: 'monthly.progress', key: run.month, dueAt: run.progressDueAt.toISOString(), context: { period: run.month } }],
    });
    expect(again).toEqual({ taskId: tasks[0].id, created: false });

    // reported by the responsible unit; the other one, left open, becomes OVERDUE after the 5th
    const done = await w.complete(active.workflowId, tasks[0].id, 'kfq1', { outcome: 'reported', data: { progress: '已完成投资计划书初稿' } });
    expect(done.stage).toBe('PLAN'); // the pipeline is untouched
    await w.env.sleep(run.progressDueAt.getTime() - (await w.env.currentTimeMs()) + 60_000);
    await eventually(async () => expect((await w.store.db.task.findUniqueOrThrow({ where: { id: tasks[1].id } })).escalationLevel).toBe(1));
    expect((await w.store.db.task.findUniqueOrThrow({ where: { id: tasks[0].id } })).status).toBe('COMPLETED');
  });

  it('reminds the LANDING_SITE leaders short of their trip quota one month before the quarter ends (三)', async () => {
    let run = nextMonthlyRun(await w.env.currentTimeMs());
    while (!quotaReminderQuarter(run.month)) run = nextMonthlyRun(run.at.getTime());
    const quarter = quotaReminderQuarter(run.month)!;
    const firstDay = shanghaiDate(parsePeriod(quarter)!.start);
    await w.store.db.trip.create({
      data: { id: 'trip-1', personId: 'p-kfq_principal', startDate: firstDay, endDate: firstDay, destination: '浙江省温州市', purpose: '走访鞋企', leadsFound: 1, recordedBy: 'kfq_principal' },
    });
    await w.env.sleep(run.at.getTime() - (await w.env.currentTimeMs()) + 60_000);
    const reminders = await eventually(async () => {
      const n = await w.store.db.notification.findMany({ where: { kind: 'QUOTA_REMINDER', dedupeKey: { startsWith: `QUOTA:${quarter}:` } }, orderBy: { dedupeKey: 'asc' }, include: { receipts: { include: { person: { select: { username: true } } }, orderBy: { id: 'asc' } } } });
      expect(n).toHaveLength(3);
      return n;
    });
    expect(reminders.map((r) => r.receipts.map((r) => r.person)[0].username).sort()).toEqual(['kfq_deputy', 'nanzhou_deputy', 'nanzhou_principal']);
    const deputy = reminders.find((r) => r.dedupeKey === `QUOTA:${quarter}:p-kfq_deputy`)!;
    expect(deputy.body).toContain('尚差 3 次');
    const state = await w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID).query(calendarStateQuery);
    expect(state.runs.find((r) => r.month === run.month)).toMatchObject({ quotaReminders: 3 });
    expect(state.runs.filter((r) => !quotaReminderQuarter(r.month)).every((r) => r.quotaReminders === null)).toBe(true);
  });

  it('publishes the quarter\'s 通报 on the first day of the next quarter (八 季调度, 三)', async () => {
    const before = await w.env.currentTimeMs();
    let run = nextMonthlyRun(before);
    while (!bulletinQuarter(run.month)) run = nextMonthlyRun(run.at.getTime());
    const quarter = bulletinQuarter(run.month)!;
    // within the quarter: a project signed and in production
    const p = await w.register({ name: '通报·投产项目' });
    await w.walkTo(p.workflowId, 'IN_PRODUCTION');
    await w.env.sleep(run.at.getTime() - (await w.env.currentTimeMs()) + 60_000);
    const report = await eventually(async () => w.store.db.report.findUniqueOrThrow({ where: { id: `QUARTERLY:${quarter}` } }));
    const b = report.content as unknown as QuarterlyBulletin;
    expect(b.signed.map((x) => [x.projectId, x.contractNo, x.signedAmountWan])).toEqual([[p.projectId, 'NXHT-2026-001', 60000]]);
    expect(b.inProduction.map((x) => [x.projectId, x.landingSite])).toEqual([[p.projectId, '县经济开发区']]);
    expect(b.quota).toHaveLength(4); // the PRINCIPAL and DEPUTY of 县经济开发区 and 南洲镇
    // the lead project has sat in LEAD since before the quarter began, with monthly reports left unanswered
    const lead = await w.store.db.project.findFirstOrThrow({ where: { name: '月报·线索项目' } });
    expect(b.dispatch.map((d) => d.projectId)).toContain(lead.id);
    expect(b.dispatch.find((d) => d.projectId === lead.id)!.reasons.join()).toMatch(/停滞\d+天/);
    const commerce = b.units.find((u) => u.unit === '县商务局(县投资促进服务中心)')!;
    expect(commerce.overdueTasks).toBeGreaterThan(0);
    const state = await w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID).query(calendarStateQuery);
    expect(state.runs.find((r) => r.month === run.month)?.bulletin).toMatchObject({ quarter, signed: 1 });
  });

  it('makes the annual assessment of the year before in January (十一 年总结)', async () => {
    let run = nextMonthlyRun(await w.env.currentTimeMs());
    while (!run.month.endsWith('-01')) run = nextMonthlyRun(run.at.getTime());
    const year = Number(run.month.slice(0, 4)) - 1;
    await w.env.sleep(run.at.getTime() - (await w.env.currentTimeMs()) + 60_000);
    const report = await eventually(async () => w.store.db.report.findUniqueOrThrow({ where: { id: `ANNUAL:${year}` } }), 30_000);
    const assessment = report.content as unknown as AnnualAssessment;
    // every RESPONSIBLE and LANDING_SITE unit: ranked, or not ranked for having nothing to assess
    expect(assessment.rankings.length).toBeGreaterThan(0);
    expect(assessment.rankings.length + assessment.unranked.length).toBe(36);
    // the units in the last two places of their category after the tie-breaks (units tied there share the place), none in first place
    const bottom = assessment.rankings.filter((r) => r.fromBottom <= 2 && r.rank > 1);
    expect(assessment.accountability.map((x) => [x.unitId, x.steps[0]]).sort()).toEqual(bottom.map((r) => [r.unitId, 'INTERVIEW']).sort());
    expect(await w.store.db.unitRanking.count({ where: { year } })).toBe(assessment.rankings.length);
    const state = await w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID).query(calendarStateQuery);
    const annual = state.runs.find((r) => r.month === run.month)?.annual;
    expect(annual).toMatchObject({ year, units: assessment.rankings.length, accountability: bottom.length });
    // 十一: a task for each step, for the role or the unit the step names (this is the second January
    // the test passes, so units in the bottom two both years also climb to 调整分工 and 问责)
    const groupOf = (id: string) => {
      const [, , unitId, step] = id.split('-').slice(-4);
      return step === 'INTERVIEW' ? 'ROLE:COUNTY_HEAD' : step === 'REASSIGN' ? `UNIT:${unitId}:LEADERS` : 'ROLE:DISCIPLINE';
    };
    const tasks = await eventually(async () => {
      const t = await w.store.db.task.findMany({ where: { type: { startsWith: 'accountability.' }, id: { startsWith: `CAL-${year}-` } }, orderBy: { id: 'asc' } });
      expect(t).toHaveLength(annual!.tasks.length);
      return t;
    });
    expect(tasks.map((t) => [t.id, t.workflowId, t.projectId, t.candidateGroup])).toEqual(annual!.tasks.sort().map((id) => [id, COUNTY_CALENDAR_ID, null, groupOf(id)]));
    expect(tasks.filter((t) => t.type === 'accountability.interview')).toHaveLength(bottom.length);
  });
});
