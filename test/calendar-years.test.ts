// Two simulated years of the county calendar on the time-skipping server (八, 三, 十一): monthly
// progress tasks appear on the 1st and climb the ladder when ignored; trip-quota reminders and
// shortfalls are right for each PRINCIPAL and DEPUTY; the annual ranking holds 南洲镇 — last two years
// running — to all three accountability steps, and not 县经济开发区, which is ahead of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnnualAssessment } from '../domain/assessment';
import type { QuarterlyBulletin } from '../domain/bulletin';
import { nextMonthlyRun } from '../domain/cycles';
import { DAY_MS } from '../domain/policy';
import { NAMED_UNITS } from '../domain/units';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { calendarStateQuery, COUNTY_CALENDAR_ID, countyTaskId } from '../workflows/messages/county-calendar';
import { nextRunWhere, sleepPast } from './helpers/county-clock';
import { eventually } from './helpers/eventually';
import { ladderAt } from './helpers/ladder';
import { startWorkflowEnv, type WorkflowEnv } from '../harness/workflow-env';

let w: WorkflowEnv;
beforeAll(async () => {
  w = await startWorkflowEnv('calendar-years');
});
afterAll(async () => w?.teardown());

const KFQ = NAMED_UNITS.economicZone; // 县经济开发区 (L01): short of quota in the first year, recovers in the second
const NANZHOU = NAMED_UNITS.nanzhou; // 南洲镇 (L03): never travels
const sleepTo = (t: number) => sleepPast(w, t);
const report = <T>(id: string) => eventually(async () => (await w.store.db.report.findUniqueOrThrow({ where: { id } })).content as unknown as T, 30_000);
const trip = (username: string, date: string, n: number) => w.store.db.trip.create({
  data: { id: `trip-${username}-${date}-${n}`, personId: `p-${username}`, startDate: date, endDate: date, destination: '广东省东莞市', purpose: '走访鞋材企业', leadsFound: 0, recordedBy: username },
});
const quotaOf = (b: QuarterlyBulletin) => b.quota.map((q) => [q.username, q.made, q.required, q.shortfall]);
const runOf = (test: (month: string) => boolean, after?: number) => nextRunWhere(w, test, after);

describe('two simulated years of the county calendar', () => {
  let firstYear = 0;

  it('opens monthly.progress on the 1st, which climbs the ladder when ignored', async () => {
    // the simulation begins in late November (whenever the test runs); 县经济开发区's PRINCIPAL travels once in that quarter
    const december = await runOf((m) => m.endsWith('-12'));
    firstYear = Number(december.month.slice(0, 4));
    if (december.at.getTime() - 10 * DAY_MS > (await w.env.currentTimeMs())) await sleepTo(december.at.getTime() - 10 * DAY_MS);
    await trip('kfq_principal', `${firstYear}-11-20`, 1);
    const ignored = await w.register({ name: '两年·无人报告的项目' }); // source unit 县商务局 reports, and never does
    await ensureCountyCalendar(w.env.client, w.taskQueue, { policy: w.policy });

    const run = await runOf(() => true);
    expect(run.month).toBe(december.month);
    await sleepTo(run.at.getTime());
    const task = await eventually(async () => w.store.db.task.findFirstOrThrow({ where: { projectId: ignored.projectId, type: 'monthly.progress' } }));
    expect(task).toMatchObject({ candidateGroup: `UNIT:${NAMED_UNITS.commerce}`, dueAt: run.progressDueAt, context: { period: run.month } });
    expect(task.createdAt.getTime() - run.at.getTime()).toBeGreaterThanOrEqual(0);
    expect(task.createdAt.getTime() - run.at.getTime()).toBeLessThan(60_000);
    // D−2 reminder, D overdue, D+7 level 2, D+15 level 3 (the 分管副县长), D+30 level 4 (the 县长)
    const ladder = ladderAt({ createdAt: task.createdAt, dueAt: run.progressDueAt });
    await sleepTo(ladder.LEVEL_2 + 60_000);
    await eventually(async () => expect((await w.store.db.task.findUniqueOrThrow({ where: { id: task.id } })).escalationLevel).toBe(2));
    await sleepTo(ladder.LEVEL_4 + 60_000);
    await eventually(async () => expect((await w.store.db.task.findUniqueOrThrow({ where: { id: task.id } })).escalationLevel).toBe(4));
    const notices = await w.store.db.notification.findMany({ where: { taskId: task.id }, orderBy: { id: 'asc' }, include: { receipts: { include: { person: { select: { username: true } } }, orderBy: { id: 'asc' } } } });
    expect(notices.map((n) => [n.kind, n.level])).toEqual([['REMINDER', 0], ['OVERDUE', 1], ['ESCALATION', 2], ['ESCALATION', 3], ['ESCALATION', 4]]);
    expect(notices[3].receipts.map((r) => r.person).map((r) => r.username)).toEqual(['vicehead']);
    expect(notices[4].receipts.map((r) => r.person).map((r) => r.username)).toEqual(['countyhead']);
  });

  it('puts each PRINCIPAL and DEPUTY short of quota in the 通报 and ranks the first year: the landing sites with trips owed, 南洲镇 last and held to account', async () => {
    // (the January run has passed while the ladder above climbed)
    expect((await w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID).query(calendarStateQuery)).lastMonthly).toBe(`${firstYear + 1}-01`);
    const q4 = await report<QuarterlyBulletin>(`QUARTERLY:${firstYear}-Q4`);
    expect(quotaOf(q4)).toEqual([
      ['kfq_principal', 1, 1, 0], ['kfq_deputy', 0, 3, 3], ['nanzhou_principal', 0, 1, 1], ['nanzhou_deputy', 0, 3, 3],
    ]);
    expect(q4.quotaShortfalls).toBe(3);
    const a = await report<AnnualAssessment>(`ANNUAL:${firstYear}`);
    // 十一: only the two landing sites whose leaders owe trips have anything to assess; the other 12 are not ranked
    const sites = a.rankings.filter((r) => r.category === 'LANDING_SITE');
    expect(sites.map((r) => [r.unitId, r.rank, r.of, r.tied])).toEqual([[KFQ, 1, 2, false], [NANZHOU, 2, 2, false]]);
    expect(a.unranked.filter((u) => u.category === 'LANDING_SITE')).toHaveLength(12);
    // the first place is below nobody: 县经济开发区 (shortfall 3 against 4) is not held to account
    expect(a.accountability.filter((x) => x.unitId === KFQ || x.unitId === NANZHOU).map((x) => [x.unitId, x.steps])).toEqual([[NANZHOU, ['INTERVIEW']]]);
    expect(await eventually(async () => w.store.db.task.findUniqueOrThrow({ where: { id: countyTaskId.accountability(firstYear, NANZHOU, 'INTERVIEW') } })))
      .toMatchObject({ type: 'accountability.interview', candidateGroup: 'ROLE:COUNTY_HEAD', context: { unitId: NANZHOU, year: firstYear } });
    expect(await w.store.db.task.findUnique({ where: { id: countyTaskId.accountability(firstYear, KFQ, 'INTERVIEW') } })).toBeNull();
    // 十 奖励: first of its category, but on a score below zero — 县经济开发区 is not commended
    expect(sites[0].score).toBeLessThan(0);
    expect(a.recognition!.units.filter((u) => u.category === 'LANDING_SITE')).toEqual([]);
  });

  it('reminds only those short of quota a month before the quarter ends, in the second year', async () => {
    const year = firstYear + 1;
    // 县经济开发区 recovers: its PRINCIPAL travels once and its DEPUTY three times every quarter, and it brings a lead
    for (const month of ['02', '05', '08', '11']) {
      await trip('kfq_principal', `${year}-${month}-10`, 1);
      for (let i = 1; i <= 3; i++) await trip('kfq_deputy', `${year}-${month}-1${i}`, i);
    }
    const lead = await w.register({ name: '两年·开发区引荐线索', sourceUnitId: KFQ });
    await w.step(lead.workflowId, { outcome: 'discard', comment: '投资方暂缓' }); // counted as a lead; no tasks left to ignore
    const march = await runOf((m) => m === `${year}-03`);
    await sleepTo(march.at.getTime());
    const reminders = await eventually(async () => {
      const n = await w.store.db.notification.findMany({ where: { kind: 'QUOTA_REMINDER', dedupeKey: { startsWith: `QUOTA:${year}-Q1:` } }, include: { receipts: { include: { person: { select: { username: true } } }, orderBy: { id: 'asc' } } } });
      expect(n).toHaveLength(2);
      return n;
    });
    expect(reminders.map((r) => r.receipts.map((r) => r.person)[0].username).sort()).toEqual(['nanzhou_deputy', 'nanzhou_principal']);
    const april = nextMonthlyRun(march.at.getTime());
    await sleepTo(april.at.getTime());
    expect(quotaOf(await report<QuarterlyBulletin>(`QUARTERLY:${year}-Q1`))).toEqual([
      ['kfq_principal', 1, 1, 0], ['kfq_deputy', 3, 3, 0], ['nanzhou_principal', 0, 1, 1], ['nanzhou_deputy', 0, 3, 3],
    ]);
  });

  it('holds 南洲镇 to all three steps in the second year, and not 县经济开发区, which recovered', async () => {
    const year = firstYear + 1;
    // the ladder reads last year's standings as the calendar carried them through its yearly
    // continue-as-new: the stored copy is not needed
    expect((await w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID).query(calendarStateQuery)).standings?.year).toBe(firstYear);
    await w.store.db.unitRanking.deleteMany({ where: { year: firstYear } });
    const january = await runOf((m) => m === `${year + 1}-01`);
    await sleepTo(january.at.getTime());
    const a = await report<AnnualAssessment>(`ANNUAL:${year}`);
    const sites = a.rankings.filter((r) => r.category === 'LANDING_SITE');
    expect(sites[0]).toMatchObject({ unitId: KFQ, rank: 1 });
    expect(sites.at(-1)).toMatchObject({ unitId: NANZHOU, rank: 2, fromBottom: 1 });
    expect(a.accountability.find((x) => x.unitId === NANZHOU)!.steps).toEqual(['INTERVIEW', 'REASSIGN', 'DISCIPLINE']);
    expect(a.accountability.find((x) => x.unitId === KFQ)).toBeUndefined();
    const tasks = await eventually(async () => {
      const t = await w.store.db.task.findMany({ where: { id: { startsWith: `CAL-${year}-` }, type: { startsWith: 'accountability.' } }, orderBy: { id: 'asc' } });
      expect(t.filter((x) => x.id.includes(NANZHOU))).toHaveLength(3);
      return t;
    });
    expect(tasks.filter((t) => t.id.includes(NANZHOU)).map((t) => [t.type, t.candidateGroup])).toEqual([
      ['accountability.discipline', 'ROLE:DISCIPLINE'], ['accountability.interview', 'ROLE:COUNTY_HEAD'], ['accountability.reassign', `UNIT:${NANZHOU}:LEADERS`],
    ]);
    expect(tasks.some((t) => t.id.includes(KFQ))).toBe(false);
    // the 约谈 is done by the 县长; the calendar went through two yearly continue-as-new runs meanwhile
    await w.complete(COUNTY_CALENDAR_ID, countyTaskId.accountability(year, NANZHOU, 'INTERVIEW'), 'countyhead', { outcome: 'held', data: { date: `${year + 1}-01-01` } });
    const state = await w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID).query(calendarStateQuery);
    expect(state.runs.at(-1)!.annual).toMatchObject({ year, tasks: expect.arrayContaining(tasks.map((t) => t.id)) });
  });
});
