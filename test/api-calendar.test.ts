// §7 over HTTP for the county calendar's data: trips (三) with who may record whose trip and the
// quarter's quota table, the monthly agenda report (八) as JSON and CSV, and the indicators (二).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodsOf, shanghaiDate } from '../domain/shanghai-time';
import type { AnnualAssessment } from '../domain/assessment';
import { startApiEnv, type ApiEnv } from './helpers/api-env';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('api-calendar');
});
afterAll(async () => a?.teardown());

const today = shanghaiDate(Date.now());
const quarter = periodsOf(Date.now()).quarter;
const trip = { startDate: shanghaiDate(quarter.start), endDate: today, destination: '广东省深圳市', purpose: '拜访医疗器械企业，洽谈落户', leadsFound: 2 };

describe('trips', () => {
  it('records one\'s own trip, and a DEPUTY records for a colleague of the same unit', async () => {
    const own = await a.call('POST', '/api/v1/trips', { as: 'kfq_principal', body: trip });
    expect(own.status).toBe(201);
    expect(own.body).toMatchObject({ username: 'kfq_principal', unitName: '县经济开发区', quarter: quarter.key, recordedBy: 'kfq_principal' });
    const forColleague = await a.call('POST', '/api/v1/trips', { as: 'kfq_deputy', body: { ...trip, personId: 'p-kfq1' } });
    expect(forColleague.status).toBe(201);
    expect(forColleague.body).toMatchObject({ username: 'kfq1', recordedBy: 'kfq_deputy' });
    expect((await a.call('POST', '/api/v1/trips', { as: 'kfq_deputy', body: trip })).status).toBe(201);
  });

  it('refuses someone else\'s trip unless from their unit\'s leaders, and bad input naming the field', async () => {
    expect((await a.call('POST', '/api/v1/trips', { as: 'kfq1', body: { ...trip, personId: 'p-kfq_deputy' } })).status).toBe(403);
    expect((await a.call('POST', '/api/v1/trips', { as: 'nanzhou_deputy', body: { ...trip, personId: 'p-kfq1' } })).status).toBe(403);
    expect((await a.call('POST', '/api/v1/trips', { as: 'kfq_deputy', body: { ...trip, personId: 'p-nobody' } })).status).toBe(404);
    const backwards = await a.call('POST', '/api/v1/trips', { as: 'kfq1', body: { ...trip, startDate: today, endDate: '2000-01-01' } });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details).toEqual([{ field: 'body.endDate', message: '不得早于开始日期（startDate）' }]);
    const bad = await a.call('POST', '/api/v1/trips', { as: 'kfq1', body: { ...trip, startDate: '2026-02-30', leadsFound: -1 } });
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.leadsFound', 'body.startDate']);
    const future = await a.call('POST', '/api/v1/trips', { as: 'kfq1', body: { ...trip, startDate: '2099-01-01', endDate: '2099-01-02' } });
    expect(future.body.error.details).toEqual([{ field: 'body.startDate', message: '不得晚于今天' }]);
  });

  it('lists the quarter\'s trips with the quota of every LANDING_SITE PRINCIPAL and DEPUTY', async () => {
    const r = await a.call('GET', `/api/v1/trips?quarter=${quarter.key}&unitId=L01`, { as: 'kfq1' });
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(3);
    expect(r.body.quota.map((q: { username: string; required: number; made: number; shortfall: number }) => [q.username, q.required, q.made, q.shortfall])).toEqual([
      ['kfq_principal', 1, 1, 0], ['kfq_deputy', 3, 1, 2],
    ]);
    const all = await a.call('GET', '/api/v1/trips', { as: 'admin' });
    expect(all.body.quarter).toBe(quarter.key);
    expect(all.body.quota.map((q: { username: string }) => q.username)).toEqual(['kfq_principal', 'kfq_deputy', 'nanzhou_principal', 'nanzhou_deputy']);
    expect((await a.call('GET', '/api/v1/trips?quarter=2026-Q9', { as: 'admin' })).status).toBe(400);
    expect((await a.call('GET', '/api/v1/trips?quarter=2020-Q1', { as: 'admin' })).body.total).toBe(0);
  });
});

describe('reports', () => {
  it('answers the monthly agenda as JSON and as CSV with Chinese headers, and 404 / 400 for missing or malformed months', async () => {
    const { storeMonthlyAgenda } = await import('../activities/reports');
    const { DEFAULT_POLICY } = await import('../domain/policy');
    await a.call('POST', '/api/v1/projects', { as: 'info1', body: { name: '报表测试项目', investor: '某公司', investorOrigin: 'LOCAL', industryChain: 'FOOD', channel: 'OTHER', plannedInvestmentWan: 900 } });
    await storeMonthlyAgenda(a.store.db, { month: '2026-11', at: new Date().toISOString() }, DEFAULT_POLICY);
    const json = await a.call('GET', '/api/v1/reports/monthly/2026-11', { as: 'vicehead' });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ month: '2026-11', flagged: 0 });
    expect(json.body.items.map((i: { name: string; stageName: string }) => [i.name, i.stageName])).toEqual([['报表测试项目', '线索核实']]);
    const res = await fetch(`${a.base}/api/v1/reports/monthly/2026-11?format=csv`, { headers: { authorization: `Bearer ${await a.login('vicehead')}` } });
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM that makes spreadsheets read UTF-8
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('项目编号,项目名称,阶段,本阶段天数,督办级别,责任单位,落户地,计划投资（万元）,标记');
    expect(csv.split('\r\n')[1]).toMatch(/^NX-\d{4}-\d{4},报表测试项目,线索核实,0,,,,900,$/);
    const viaAccept = await fetch(`${a.base}/api/v1/reports/monthly/2026-11`, { headers: { authorization: `Bearer ${await a.login('vicehead')}`, accept: 'text/csv' } });
    expect(Buffer.from(await viaAccept.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await a.call('GET', '/api/v1/reports/monthly/2030-01', { as: 'vicehead' })).status).toBe(404);
    // the quarter's 通报, with the trips recorded above in its quota table
    const { storeQuarterlyBulletin } = await import('../activities/reports');
    await storeQuarterlyBulletin(a.store.db, { quarter: quarter.key, at: new Date().toISOString() }, DEFAULT_POLICY);
    const q = await a.call('GET', `/api/v1/reports/quarterly/${quarter.key}`, { as: 'countyhead' });
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ quarter: quarter.key, signed: [], quotaShortfalls: 3 });
    expect(q.body.quota.find((r: { username: string }) => r.username === 'kfq_principal')).toMatchObject({ made: 1, shortfall: 0 });
    const qcsv = Buffer.from(await (await fetch(`${a.base}/api/v1/reports/quarterly/${quarter.key}?format=csv`, { headers: { authorization: `Bearer ${await a.login('countyhead')}` } })).arrayBuffer());
    const text = qcsv.subarray(3).toString('utf8');
    expect(text.split('\r\n')[0]).toBe(`${quarter.key} 招商引资工作通报`);
    expect(text).toContain('外出招商,单位,职务,要求次数,完成次数,差额\r\n县经济开发区主要负责人,县经济开发区,主要负责人,1,1,0');
    expect((await a.call('GET', '/api/v1/reports/quarterly/2026-Q5', { as: 'countyhead' })).status).toBe(400);
    expect((await a.call('GET', '/api/v1/reports/quarterly/2030-Q1', { as: 'countyhead' })).status).toBe(404);
    expect((await a.call('GET', '/api/v1/reports/monthly/2026-13', { as: 'vicehead' })).status).toBe(400);
  });
});

describe('indicators (二)', () => {
  it('lets ADMIN enter a year\'s figures and shows growth against last year and the 10 / 12 / 15 % targets', async () => {
    expect((await a.call('POST', '/api/v1/indicators/2025', { as: 'vicehead', body: { foreignTradeWan: 1 } })).status).toBe(403);
    expect((await a.call('POST', '/api/v1/indicators/2025', { as: 'admin', body: {} })).status).toBe(400);
    const bad = await a.call('POST', '/api/v1/indicators/2025', { as: 'admin', body: { foreignTradeWan: -3 } });
    expect(bad.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.foreignTradeWan']);
    expect((await a.call('POST', '/api/v1/indicators/1800', { as: 'admin', body: { foreignTradeWan: 1 } })).status).toBe(400);
    await a.call('POST', '/api/v1/indicators/2025', { as: 'admin', body: { outOfProvinceCapitalWan: 500000, foreignTradeWan: 200000, actualForeignUsd: 10000000 } });
    const r = await a.call('POST', '/api/v1/indicators/2026', { as: 'admin', body: { outOfProvinceCapitalWan: 560000, foreignTradeWan: 220000 } });
    expect(r.status).toBe(200);
    expect(r.body.growth.map((g: { key: string; growthPercent: number | null; targetPercent: number; met: boolean | null }) => [g.key, g.growthPercent, g.targetPercent, g.met])).toEqual([
      ['outOfProvinceCapitalWan', 12, 10, true], ['foreignTradeWan', 10, 12, false], ['actualForeignUsd', null, 15, null],
    ]);
    expect(r.body.updatedBy).toBe('admin');
    // a later entry completes the year without losing what was there
    await a.call('POST', '/api/v1/indicators/2026', { as: 'admin', body: { actualForeignUsd: 11600000 } });
    const g = await a.call('GET', '/api/v1/indicators/2026', { as: 'countyhead' });
    expect(g.body.growth.map((x: { value: number }) => x.value)).toEqual([560000, 220000, 11600000]);
    expect(g.body.growth[2]).toMatchObject({ growthPercent: 16, met: true });
  });

  it('makes the annual assessment once: every RESPONSIBLE and LANDING_SITE unit ranked within its category, the bottom two held to account', async () => {
    const { storeAnnualAssessment } = await import('../activities/reports');
    const { DEFAULT_POLICY } = await import('../domain/policy');
    const first = await storeAnnualAssessment(a.store.db, { year: 2026, at: new Date().toISOString() }, DEFAULT_POLICY);
    // 十一: exactly the units in the last two places of their category after the tie-breaks, each to a 约谈
    const report = (await a.store.db.report.findUniqueOrThrow({ where: { id: 'ANNUAL:2026' } })).content as unknown as AnnualAssessment;
    expect(first.units).toBe(report.rankings.length);
    expect(report.rankings.length + report.unranked.length).toBe(36);
    const bottom = report.rankings.filter((r) => r.fromBottom <= 2 && r.rank > 1);
    // ranked: the units with something to assess — 县商务局 (its leads), the two 落户地 whose leaders owe trips;
    // 县经济开发区 made trips, 南洲镇 none: it is last of two, held to account; the first place never is
    expect(report.rankings.map((r) => [r.unitName, r.rank, r.of])).toEqual([['县商务局(县投资促进服务中心)', 1, 1], ['县经济开发区', 1, 2], ['南洲镇', 2, 2]]);
    expect(bottom.map((r) => r.unitName)).toEqual(['南洲镇']);
    expect(first.accountability.map((x) => [x.unitId, x.steps]).sort()).toEqual(bottom.map((r) => [r.unitId, ['INTERVIEW']]).sort());
    expect(await storeAnnualAssessment(a.store.db, { year: 2026, at: new Date().toISOString() }, DEFAULT_POLICY)).toEqual(first);
    expect(await a.store.db.unitRanking.count({ where: { year: 2026 } })).toBe(report.rankings.length);
    const r = await a.call('GET', '/api/v1/reports/annual/2026', { as: 'countyhead' });
    expect(r.status).toBe(200);
    const sites = r.body.rankings.filter((x: { category: string }) => x.category === 'LANDING_SITE');
    const ranks = sites.map((x: { rank: number }) => x.rank);
    expect(ranks[0]).toBe(1);
    expect(ranks).toEqual([...ranks].sort((x: number, y: number) => x - y)); // best first; equal scores share a place
    // 南洲镇's leaders made no trips this quarter: their shortfalls put it below 县经济开发区
    const rankOf = (name: string) => sites.find((x: { unitName: string }) => x.unitName === name).rank;
    expect(rankOf('南洲镇')).toBeGreaterThan(rankOf('县经济开发区'));
    expect(r.body.accountability.map((x: { steps: string[] }) => x.steps)).toEqual(bottom.map(() => ['INTERVIEW']));
    expect(r.body.growth.map((g: { key: string; met: boolean | null }) => [g.key, g.met])).toEqual([['outOfProvinceCapitalWan', true], ['foreignTradeWan', false], ['actualForeignUsd', true]]);
    const csv = Buffer.from(await (await fetch(`${a.base}/api/v1/reports/annual/2026?format=csv`, { headers: { authorization: `Bearer ${await a.login('countyhead')}` } })).arrayBuffer()).subarray(3).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe('年度,类别,排名,单位,得分,线索,签约,签约金额（万元）,投产,外出招商差额,逾期任务,督办,问责');
    expect(csv).toContain('县长约谈主要负责人并在年度总结会上表态发言');
    expect((await a.call('GET', '/api/v1/reports/annual/26', { as: 'countyhead' })).status).toBe(400);
    expect((await a.call('GET', '/api/v1/reports/annual/2031', { as: 'countyhead' })).status).toBe(404);
  });
});
