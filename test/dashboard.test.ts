// §10 驾驶舱 (issue 13 point 8) over HTTP: GET /api/v1/dashboard with projects driven to different
// stages — the funnel of the 15 stages and the ends, the book by 产业链 and by 落户地, the signed
// investment per quarter against the year before, the overdue and escalated tasks by the party
// answerable, the 四即 lead times (the annual report's) and the growth targets of 二 (as GET
// /indicators/:year answers them); readable by the county's leaders and 县商务局 only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../domain/policy';
import { quarterOfMonth, shanghaiDate, shanghaiYear } from '../domain/shanghai-time';
import { NAMED_UNITS } from '../domain/units';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { walkProject } from './helpers/walk';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('dashboard');
});
afterAll(async () => a?.teardown());

const now = Date.now();
const today = shanghaiDate(now);
const year = shanghaiYear(now);
const yearStart = `${year}-01-01`;
/** n days after an ISO date, but never after today (a date of fact is never in the future) */
const after = (date: string, n: number) => {
  const d = shanghaiDate(Date.parse(`${date}T00:00:00+08:00`) + n * DAY_MS);
  return d < today ? d : today;
};
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);

const lead = (over: Record<string, unknown>) => ({ investor: '某投资有限公司', investorOrigin: 'IN_PROVINCE', channel: 'CAPITAL', ...over });
// A: 医疗健康, foreign, signed on 1 January and in production; B: 食品加工 from another province, signed today, land supplied today;
// C: 纺织鞋业 signed last June, land supplied this year; D: 新材料 at 洽谈; E: 其他, a lead not yet verified;
// F: 现代农业, discarded; G: 养老 at 前期对接 in 南洲镇
const P = {
  A: lead({ name: '南县医疗耗材外资项目', investorOrigin: 'FOREIGN', industryChain: 'HEALTH', plannedInvestmentWan: 30000 }),
  B: lead({ name: '南县小龙虾深加工项目', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'FOOD', plannedInvestmentWan: 20000 }),
  C: lead({ name: '南县运动鞋智能制造项目', industryChain: 'TEXTILE_SHOES', plannedInvestmentWan: 12000 }),
  D: lead({ name: '南县新型复合材料项目', industryChain: 'NEW_MATERIALS', plannedInvestmentWan: 8000 }),
  E: lead({ name: '南县物流园线索', industryChain: 'OTHER', plannedInvestmentWan: 5000 }),
  F: lead({ name: '南县设施农业线索', industryChain: 'MODERN_AGRI', plannedInvestmentWan: 3000 }),
  G: lead({ name: '南县康养中心项目', industryChain: 'ELDERLY_CARE', plannedInvestmentWan: 6000 }),
};
const id: Record<keyof typeof P, string> = { A: '', B: '', C: '', D: '', E: '', F: '', G: '' };
const signedA = yearStart;
const signedC = `${year - 1}-06-01`;
const AMOUNT = { A: 28000, B: 18500.5, C: 11000 };
const datesA = { landSupply: after(signedA, 10), landCertificate: after(signedA, 25), constructionStart: after(signedA, 40), productionStart: after(signedA, 100) };
const landSupplyC = after(yearStart, 5);

/** the happy path until `until` (test/helpers/walk.ts) */
const walk = (id: string, until: string, data: Record<string, Record<string, unknown>> = {}) => walkProject(a, id, until, data);
const plan = (p: Record<string, unknown>) => ({ 'plan.submit': { plannedInvestmentWan: p.plannedInvestmentWan } });
const openTask = (pid: string) => a.store.db.task.findFirstOrThrow({ where: { projectId: pid, status: { in: ['OPEN', 'CLAIMED'] } } });
/** marks a task overdue at a ladder level, as the ladder's projection would (§4) */
const overdueAt = async (pid: string, level: number) => a.store.db.task.update({ where: { id: (await openTask(pid)).id }, data: { overdue: true, escalationLevel: level } });

beforeAll(async () => {
  for (const k of Object.keys(P) as (keyof typeof P)[]) {
    const r = await a.call('POST', '/api/v1/projects', { as: 'info1', body: P[k] });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    id[k] = r.body.id;
  }
  await walk(id.A, 'IN_PRODUCTION', {
    ...plan(P.A),
    'signing.ceremony': { signedDate: signedA, contractNo: 'NXHT-A', signedAmountWan: AMOUNT.A },
    'milestone.landSupply': { date: datesA.landSupply }, 'milestone.landCertificate': { date: datesA.landCertificate },
    'milestone.constructionStart': { date: datesA.constructionStart }, 'milestone.productionStart': { date: datesA.productionStart },
  });
  await walk(id.B, 'LAND_CERTIFICATE', {
    'lead.verify': { landingSiteId: NAMED_UNITS.nanzhou }, ...plan(P.B),
    'signing.ceremony': { signedDate: today, contractNo: 'NXHT-B', signedAmountWan: AMOUNT.B }, 'milestone.landSupply': { date: today },
  });
  await walk(id.C, 'LAND_CERTIFICATE', {
    ...plan(P.C), 'signing.ceremony': { signedDate: signedC, contractNo: 'NXHT-C', signedAmountWan: AMOUNT.C }, 'milestone.landSupply': { date: landSupplyC },
  });
  await walk(id.D, 'NEGOTIATION', plan(P.D));
  await walk(id.G, 'CONTACT', { 'lead.verify': { landingSiteId: NAMED_UNITS.nanzhou } });
  const discard = await a.call('POST', `/api/v1/tasks/${(await openTask(id.F)).id}/complete`, { as: 'info1', body: { outcome: 'discard', comment: '投资方资金不到位' } });
  expect(discard.status).toBe(200);
  // §4: overdue open tasks at several ladder levels
  await overdueAt(id.D, 3); // 洽谈专班
  await overdueAt(id.G, 4); // 县商务局
  await overdueAt(id.B, 2); // 要素保障专班
  await overdueAt(id.C, 1); // 要素保障专班
  await overdueAt(id.E, 1); // 项目信息收集专班
  // 二: the year's figures and last year's
  expect((await a.call('POST', `/api/v1/indicators/${year - 1}`, { as: 'admin', body: { outOfProvinceCapitalWan: 100000, foreignTradeWan: 45000, actualForeignUsd: 1_000_000 } })).status).toBe(200);
  expect((await a.call('POST', `/api/v1/indicators/${year}`, { as: 'admin', body: { outOfProvinceCapitalWan: 110000, foreignTradeWan: 50000, actualForeignUsd: 1_200_000 } })).status).toBe(200);
}, 300_000);

describe('GET /api/v1/dashboard (§10 驾驶舱)', () => {
  it('answers the county head the figures of every section exactly', async () => {
    const r = await a.call('GET', `/api/v1/dashboard?year=${year}`, { as: 'countyhead' });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const d = r.body;
    expect(d.year).toBe(year);
    expect(d.years[0]).toBe(year);
    expect(d.years).toContain(2022);

    // 九: the 15 stages in order — now at each, and how many got that far (in production included)
    const at: Record<string, number> = { LEAD: 1, CONTACT: 1, NEGOTIATION: 1, LAND_CERTIFICATE: 2 };
    const reached: Record<string, number> = {
      LEAD: 6, CONTACT: 5, PLAN: 4, PRELIM_REVIEW: 4, NEGOTIATION: 4, MATERIALS: 3, PRE_REVIEW: 3, REVIEW_MEETING: 3, EXECUTIVE: 3,
      CONTRACT: 3, SIGNING: 3, LAND_SUPPLY: 3, LAND_CERTIFICATE: 3, CONSTRUCTION: 1, PRODUCTION: 1,
    };
    expect(d.stages.items.map((s: { code: string }) => s.code)).toEqual(Object.keys(reached));
    expect(d.stages.items.map((s: { name: string }) => s.name).slice(0, 5)).toEqual(['线索核实', '前期对接', '投资计划书', '研判专班初审', '洽谈']);
    for (const s of d.stages.items) expect(s, s.code).toMatchObject({ projects: at[s.code] ?? 0, reached: reached[s.code] });
    expect(d.stages.items[0].order).toBe(1);
    expect(d.stages.items[14]).toMatchObject({ order: 15, name: '竣工即投产' });
    expect(d.stages.ends).toEqual([
      { code: 'IN_PRODUCTION', name: '已投产', projects: 1, success: true }, { code: 'DISCARDED', name: '已放弃', projects: 1, success: false },
      { code: 'WITHDRAWN', name: '已撤回', projects: 0, success: false }, { code: 'REJECTED', name: '未通过', projects: 0, success: false },
      { code: 'FAILED', name: '未成功', projects: 0, success: false }, { code: 'TERMINATED', name: '已终止', projects: 0, success: false },
    ]);
    expect(d.stages).toMatchObject({ active: 5, total: 7 });

    // 六: the book (pipeline and production; F, discarded, is not in it) by 产业链, every chain in order
    expect(d.chains.items).toEqual([
      { code: 'FOOD', name: '食品加工', projects: 1, investmentWan: 20000 },
      { code: 'TEXTILE_SHOES', name: '纺织鞋业', projects: 1, investmentWan: 12000 },
      { code: 'HEALTH', name: '医疗健康', projects: 1, investmentWan: 30000 },
      { code: 'NEW_MATERIALS', name: '新材料', projects: 1, investmentWan: 8000 },
      { code: 'RICE_SHRIMP', name: '稻虾', projects: 0, investmentWan: 0 },
      { code: 'MODERN_AGRI', name: '现代农业', projects: 0, investmentWan: 0 },
      { code: 'TOURISM', name: '文旅', projects: 0, investmentWan: 0 },
      { code: 'ELDERLY_CARE', name: '养老', projects: 1, investmentWan: 6000 },
      { code: 'OTHER', name: '其他', projects: 1, investmentWan: 5000 },
    ]);
    expect(d.chains.total).toEqual({ projects: 6, investmentWan: 81000 });

    // 三, 四: by 落户地 — the 14 landing sites, then the lead not yet placed
    expect(d.landingSites.items).toHaveLength(15);
    const site = (unitId: string | null) => d.landingSites.items.find((s: { unitId: string | null }) => s.unitId === unitId);
    expect(site(NAMED_UNITS.economicZone)).toEqual({ unitId: NAMED_UNITS.economicZone, name: '县经济开发区', projects: 3, investmentWan: 50000 });
    expect(site(NAMED_UNITS.nanzhou)).toEqual({ unitId: NAMED_UNITS.nanzhou, name: '南洲镇', projects: 2, investmentWan: 26000 });
    expect(site(null)).toEqual({ unitId: null, name: '待定（线索核实中）', projects: 1, investmentWan: 5000 });
    expect(d.landingSites.items[14].unitId).toBeNull();
    expect(d.landingSites.items.filter((s: { projects: number }) => s.projects === 0)).toHaveLength(12);
    expect(d.landingSites.total).toEqual({ projects: 6, investmentWan: 81000 });

    // 八: signed investment per quarter against the year before (A on 1 January, B today; C last June)
    const qToday = quarterOfMonth(Number(today.slice(5, 7)));
    const quarters = [1, 2, 3, 4].map((q) => ({
      quarter: q, name: `第${['一', '二', '三', '四'][q - 1]}季度`,
      current: {
        projects: (q === 1 ? 1 : 0) + (q === qToday ? 1 : 0),
        signedAmountWan: (q === 1 ? AMOUNT.A : 0) + (q === qToday ? AMOUNT.B : 0),
      },
      previous: q === 2 ? { projects: 1, signedAmountWan: AMOUNT.C } : { projects: 0, signedAmountWan: 0 },
    }));
    expect(d.signings).toEqual({
      year, previousYear: year - 1, quarters,
      current: { projects: 2, signedAmountWan: AMOUNT.A + AMOUNT.B }, previous: { projects: 1, signedAmountWan: AMOUNT.C },
      growthPercent: Math.round(((AMOUNT.A + AMOUNT.B - AMOUNT.C) / AMOUNT.C) * 1000) / 10,
    });

    // §4: overdue open tasks by the party answerable, the most escalated first
    expect(d.overdue.items).toEqual([
      { group: 'TF:NEGOTIATE', name: '洽谈专班', kind: 'TASK_FORCE', overdue: 1, level2: 1, level3: 1 },
      { group: `UNIT:${NAMED_UNITS.commerce}`, name: '县商务局(县投资促进服务中心)', kind: 'UNIT', overdue: 1, level2: 1, level3: 1 },
      { group: 'TF:FACTOR', name: '要素保障专班', kind: 'TASK_FORCE', overdue: 2, level2: 1, level3: 0 },
      { group: 'TF:INFO', name: '项目信息收集专班', kind: 'TASK_FORCE', overdue: 1, level2: 0, level3: 0 },
    ]);
    expect(d.overdue.total).toEqual({ overdue: 5, level2: 3, level3: 2 });

    // 十四: 四即 — the milestones reached this year: 供地 by A, B (same day) and C (signed last year); the rest by A
    const supply = [daysBetween(signedA, datesA.landSupply), 0, daysBetween(signedC, landSupplyC)];
    const sorted = [...supply].sort((x, y) => x - y);
    const one = (days: number) => ({ projects: 1, averageDays: days, medianDays: days, maxDays: days });
    expect(d.fourReady.items).toEqual([
      { key: 'landSupply', name: '签约即供地', projects: 3, averageDays: Math.round((supply.reduce((s, x) => s + x, 0) / 3) * 10) / 10, medianDays: sorted[1], maxDays: sorted[2] },
      { key: 'landCertificate', name: '交地即交证', ...one(daysBetween(signedA, datesA.landCertificate)) },
      { key: 'constructionStart', name: '拿证即开工', ...one(daysBetween(signedA, datesA.constructionStart)) },
      { key: 'productionStart', name: '竣工即投产', ...one(daysBetween(signedA, datesA.productionStart)) },
    ]);
    // … as the annual report computes them
    const annual = (await a.call('GET', `/api/v1/reports/annual/${year}`, { as: 'countyhead' })).body;
    expect(d.fourReady.items.map(({ medianDays: _m, ...s }: { medianDays: number }) => s)).toEqual(annual.leadTimeSummary);

    // 二: the growth targets, as GET /indicators/:year answers them
    const indicators = (await a.call('GET', `/api/v1/indicators/${year}`, { as: 'countyhead' })).body;
    expect(d.targets).toEqual({ baseYear: 2021, updatedBy: 'admin', updatedAt: indicators.updatedAt, items: indicators.growth });
    expect(d.targets.items.map((g: { key: string; growthPercent: number; targetPercent: number; met: boolean }) => [g.key, g.growthPercent, g.targetPercent, g.met])).toEqual([
      ['outOfProvinceCapitalWan', 10, 10, true], ['foreignTradeWan', 11.1, 12, false], ['actualForeignUsd', 20, 15, true],
    ]);
    // B, from another province, signed this year: what the year's signings bring beside 境内省外资金
    expect(d.targets.items[0].signedFromProjects).toBe(AMOUNT.B);
  });

  it('answers the current year by default and the year before with its own signings, 四即 and targets', async () => {
    const r = await a.call('GET', '/api/v1/dashboard', { as: 'vicehead' });
    expect(r.status).toBe(200);
    expect(r.body.year).toBe(year);
    const before = (await a.call('GET', `/api/v1/dashboard?year=${year - 1}`, { as: 'countyhead' })).body;
    expect(before.signings).toMatchObject({ year: year - 1, previousYear: year - 2, current: { projects: 1, signedAmountWan: AMOUNT.C }, previous: { projects: 0, signedAmountWan: 0 }, growthPercent: null });
    expect(before.fourReady.items.map((f: { projects: number }) => f.projects)).toEqual([0, 0, 0, 0]);
    expect(before.fourReady.items[0]).toMatchObject({ averageDays: null, medianDays: null, maxDays: null });
    expect(before.targets.items.map((g: { value: number | null; growthPercent: number | null }) => [g.value, g.growthPercent])).toEqual([[100000, null], [45000, null], [1_000_000, null]]);
    // the figures of now do not depend on the year
    expect(before.stages).toEqual(r.body.stages);
    expect(before.overdue).toEqual(r.body.overdue);
  });

  it('is readable by the leaders, the offices watching the pipeline and 县商务局; 403 in Chinese for others; 400 for a bad year', async () => {
    for (const who of ['countyhead', 'vicehead', 'deputysec', 'openeco', 'govoffice', 'discipline', 'orgdept', 'admin', 'commerce1', 'commerce_principal']) {
      expect((await a.call('GET', `/api/v1/dashboard?year=${year}`, { as: who })).status, who).toBe(200);
    }
    // info1 is seated in 县商务局 as a member of a task force, not as its staff
    for (const who of ['info1', 'negotiate1', 'kfq_principal', 'nanzhou1', 'justice1']) {
      const r = await a.call('GET', `/api/v1/dashboard?year=${year}`, { as: who });
      expect(r.status, who).toBe(403);
      expect(r.body.error.code).toBe('FORBIDDEN');
      expect(r.body.error.message).toMatch(/^驾驶舱只对县领导/);
    }
    expect((await a.call('GET', '/api/v1/dashboard')).status).toBe(401);
    for (const bad of ['year=abc', 'year=1999', 'yr=2026']) {
      const r = await a.call('GET', `/api/v1/dashboard?${bad}`, { as: 'countyhead' });
      expect(r.status, bad).toBe(400);
      expect(r.body.error.details[0].field).toMatch(/^querystring\./);
    }
  });

  it('is in the OpenAPI document with its response schema described', async () => {
    const doc = (await fetch(`${a.base}/docs/json`).then((r) => r.json())) as { paths: Record<string, { get: { responses: Record<string, { content: { 'application/json': { schema: { properties: Record<string, { description?: string }> } } } }> } }> };
    const props = doc.paths['/api/v1/dashboard'].get.responses['200'].content['application/json'].schema.properties;
    expect(Object.keys(props)).toEqual(['year', 'asOf', 'years', 'stages', 'chains', 'landingSites', 'signings', 'overdue', 'fourReady', 'targets']);
    for (const [k, p] of Object.entries(props)) expect(p.description, k).toBeTruthy();
  });
});
