// Issue 12 (points 5–7) over HTTP: the reports of the month, quarter and year still running, computed
// live and marked provisional while the county calendar has stored nothing (and answered as stored
// once it has); the 通报 and the annual report by 产业链 (六) with the 四即 lead times (十四); every
// report as an .xlsx workbook (title row, Chinese headers, a sheet per section, formula-safe cells);
// the indicators of 二 with 年均 growth since the base year and the year's signed amounts beside.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, DEFAULT_POLICY } from '../domain/policy';
import { periodTitle } from '../domain/reports-live';
import { periodsOf, shanghaiDate, shanghaiInstant } from '../domain/shanghai-time';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { walkProject } from './helpers/walk';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('reports');
});
afterAll(async () => a?.teardown());

const now = Date.now();
const { month, quarter, year } = periodsOf(now);
const today = shanghaiDate(now);
const daysBefore = (n: number) => shanghaiDate(now - n * DAY_MS);
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// A (医疗健康, a foreign investor) signed 100 days ago and in production today: 四即 at +10, +25, +40, +100 days;
// B (食品加工, from another province) signed today — its name is what a spreadsheet would run as a formula
const A = {
  name: '南县医疗耗材外资项目', investor: '新加坡某医疗集团', investorOrigin: 'FOREIGN', industryChain: 'HEALTH', channel: 'CAPITAL',
  plannedInvestmentWan: 30000, foreignInvestmentUsd: 8_000_000,
};
const B = {
  name: '=HYPERLINK("http://evil.example","点我")食品项目', investor: '广东某食品有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'FOOD',
  channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 20000,
};
const signedA = daysBefore(100);
const AMOUNT_A = 28000;
const AMOUNT_B = 18500.5;
let idA = '';
let idB = '';

/** the happy path until `until` (test/helpers/walk.ts) */
const walk = (id: string, until: string, data: Record<string, Record<string, unknown>> = {}) => walkProject(a, id, until, data);

async function download(path: string, as: string) {
  const res = await fetch(`${a.base}${path}`, { headers: { authorization: `Bearer ${await a.login(as)}` } });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

async function workbook(bytes: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  return wb;
}
// a header too wide for its column is broken before its unit (签约至供地 / （天）): compared without the break
const rowValues = (ws: ExcelJS.Worksheet, n: number) => (ws.getRow(n).values as unknown[]).slice(1).map((v) => (n === 3 && typeof v === 'string' ? v.replace('\n', '') : v));

describe('reports on demand (八): the running month, quarter and year', () => {
  it('answers them live with provisional: true while nothing is stored, writing nothing; other periods without a report are 404', async () => {
    for (const path of [`/reports/monthly/${month.key}`, `/reports/quarterly/${quarter.key}`, `/reports/annual/${year.key}`]) {
      const r = await a.call('GET', `/api/v1${path}`, { as: 'countyhead' });
      expect(r.status, path).toBe(200);
      expect(r.body.provisional, path).toBe(true);
    }
    const q = (await a.call('GET', `/api/v1/reports/quarterly/${quarter.key}`, { as: 'countyhead' })).body;
    expect(q).toMatchObject({ quarter: quarter.key, signed: [], inProduction: [], leadTimes: [] });
    expect(q.quota).toHaveLength(4); // the trip-quota table so far
    expect(q.chains.map((c: { chainName: string }) => c.chainName)).toEqual(['食品加工', '纺织鞋业', '医疗健康', '新材料', '稻虾', '现代农业', '文旅', '养老', '其他']);
    const y = (await a.call('GET', `/api/v1/reports/annual/${year.key}`, { as: 'countyhead' })).body;
    expect(y.rankings.length + y.unranked.length).toBe(36);
    // nothing was written: the county calendar's reports and next January's standings are its own
    expect(await a.store.db.report.count()).toBe(0);
    expect(await a.store.db.unitRanking.count()).toBe(0);
    for (const path of [
      '/reports/monthly/2020-01', '/reports/quarterly/2020-Q1', '/reports/annual/2020', '/reports/monthly/2099-01', '/reports/annual/2099',
      '/reports/annual/0000?format=xlsx', '/reports/annual/0223', '/reports/monthly/0000-01', '/reports/quarterly/0000-Q1?format=csv', // (found by npm run fuzz)
    ]) {
      expect((await a.call('GET', `/api/v1${path}`, { as: 'countyhead' })).status, path).toBe(404);
    }
  });

  it('counts the standings so far on the quarters begun: no trips are owed for quarters to come (三)', async () => {
    const { computeAnnualAssessment } = await import('../db/reports');
    const next = Number(year.key) + 1;
    const early = await computeAnnualAssessment(a.store.db, { year: next, at: shanghaiInstant(next, 1, 15).toISOString() }, DEFAULT_POLICY);
    // 南洲镇's PRINCIPAL owes 1 trip and its DEPUTY 3 in the first quarter only
    expect(early.rankings.find((r) => r.unitName === '南洲镇')?.figures).toMatchObject({ quotaShortfalls: 4, tripsRequired: 4 });
    const whole = await computeAnnualAssessment(a.store.db, { year: next, at: shanghaiInstant(next + 1, 1, 1, 9).toISOString() }, DEFAULT_POLICY);
    expect(whole.rankings.find((r) => r.unitName === '南洲镇')?.figures).toMatchObject({ quotaShortfalls: 16, tripsRequired: 16 });
  });
});

describe('产业链 (六) and 四即 (十四)', () => {
  beforeAll(async () => {
    idA = (await a.call('POST', '/api/v1/projects', { as: 'info1', body: A })).body.id;
    idB = (await a.call('POST', '/api/v1/projects', { as: 'info1', body: B })).body.id;
    expect(idA && idB).toBeTruthy();
    await walk(idA, 'IN_PRODUCTION', {
      'plan.submit': { foreignInvestmentUsd: A.foreignInvestmentUsd },
      'signing.ceremony': { signedDate: signedA, contractNo: 'NXHT-A', signedAmountWan: AMOUNT_A },
      'milestone.landSupply': { date: daysBefore(90) },
      'milestone.landCertificate': { date: daysBefore(75) },
      'milestone.constructionStart': { date: daysBefore(60) },
      'milestone.productionStart': { date: today },
    });
    await walk(idB, 'LAND_SUPPLY', { 'signing.ceremony': { signedDate: today, contractNo: 'NXHT-B', signedAmountWan: AMOUNT_B } });
  }, 300_000);

  it('breaks the 通报 so far down by 产业链 and shows the 四即 lead times in days from signing', async () => {
    const r = await a.call('GET', `/api/v1/reports/quarterly/${quarter.key}`, { as: 'countyhead' });
    expect(r.status).toBe(200);
    expect(r.body.provisional).toBe(true);
    expect(r.body.signed).toEqual([expect.objectContaining({ projectId: idB, industryChain: 'FOOD', chainName: '食品加工', signedDate: today, signedAmountWan: AMOUNT_B })]);
    expect(r.body.inProduction).toEqual([expect.objectContaining({ projectId: idA, chainName: '医疗健康' })]);
    const chain = (code: string) => r.body.chains.find((c: { chain: string }) => c.chain === code);
    expect(chain('FOOD')).toEqual({ chain: 'FOOD', chainName: '食品加工', leads: 1, signed: 1, signedAmountWan: AMOUNT_B, inProduction: 0, active: 1 });
    expect(chain('HEALTH')).toEqual({ chain: 'HEALTH', chainName: '医疗健康', leads: 1, signed: 0, signedAmountWan: 0, inProduction: 1, active: 0 });
    expect(chain('TOURISM')).toMatchObject({ leads: 0, signed: 0, active: 0 });
    // A reached production in the quarter, B was signed in it: both rows, earliest signing first
    expect(r.body.leadTimes.map((l: { projectId: string }) => l.projectId)).toEqual([idA, idB]);
    expect(r.body.leadTimes[0]).toMatchObject({
      name: A.name, chainName: '医疗健康', landingSite: '县经济开发区', signedDate: signedA,
      dates: { landSupply: daysBefore(90), landCertificate: daysBefore(75), constructionStart: daysBefore(60), productionStart: today },
      days: { landSupply: 10, landCertificate: 25, constructionStart: 40, productionStart: 100 },
    });
    expect(r.body.leadTimes[1]).toMatchObject({ signedDate: today, days: { landSupply: null, landCertificate: null, constructionStart: null, productionStart: null } });
    expect(r.body.leadTimeSummary.find((s: { key: string }) => s.key === 'productionStart')).toEqual({ key: 'productionStart', name: '竣工即投产', projects: 1, averageDays: 100, maxDays: 100 });
  });

  it('does the same for the year\'s standings so far, and the agenda lists the active projects with their chain', async () => {
    const y = await a.call('GET', `/api/v1/reports/annual/${year.key}`, { as: 'countyhead' });
    expect(y.body.provisional).toBe(true);
    expect(y.body.chains.find((c: { chain: string }) => c.chain === 'FOOD')).toMatchObject({ signed: 1, signedAmountWan: AMOUNT_B, active: 1 });
    expect(y.body.chains.find((c: { chain: string }) => c.chain === 'HEALTH')).toMatchObject({ inProduction: 1, signed: signedA.slice(0, 4) === year.key ? 1 : 0 });
    expect(y.body.leadTimes.find((l: { projectId: string }) => l.projectId === idA).days).toEqual({ landSupply: 10, landCertificate: 25, constructionStart: 40, productionStart: 100 });
    // 县经济开发区, the landing site of both, is ranked on what it did so far
    expect(y.body.rankings.map((u: { unitName: string }) => u.unitName)).toContain('县经济开发区');
    // 十 奖励: the commendation side — the best units of each category (a positive score), and info1, who registered both leads,
    // with the year's signed investment and no overdue task
    const signedThisYear = AMOUNT_B + (signedA.slice(0, 4) === year.key ? AMOUNT_A : 0);
    expect(y.body.recognition.rule).toContain('签约金额最多');
    // 县商务局, the responsible unit of both, leads its category (县经济开发区 owes trips: its score is not positive)
    expect(y.body.recognition.units.map((u: { unitName: string }) => u.unitName)).toContain('县商务局(县投资促进服务中心)');
    expect(y.body.recognition.units.every((u: { rank: number; score: number }) => u.rank <= DEFAULT_POLICY.recognition.unitsPerCategory && u.score > 0)).toBe(true);
    expect(y.body.recognition.people).toEqual([expect.objectContaining({
      username: 'info1', leads: 2, signed: signedThisYear === AMOUNT_B ? 1 : 2, signedInvestmentWan: signedThisYear, overdueTasks: 0,
    })]);
    const m = await a.call('GET', `/api/v1/reports/monthly/${month.key}`, { as: 'countyhead' });
    expect(m.body).toMatchObject({ month: month.key, provisional: true });
    expect(m.body.items.map((i: { projectId: string; chainName: string }) => [i.projectId, i.chainName])).toEqual([[idB, '食品加工']]);
  });

  it('keeps read access in the provisional reports: the agenda and the 调度清单 list only the projects the reader may read', async () => {
    // the 分管副县长's 月研判 put B before the 县长: it waits for this quarter's dispatch list
    await a.store.db.task.create({
      data: {
        id: `CAL-${month.key}-MR`, workflowId: 'county-calendar', type: 'meeting.monthlyReview', title: '月研判', candidateGroup: 'ROLE:VICE_HEAD',
        status: 'COMPLETED', dueAt: new Date(now + DAY_MS), createdAt: new Date(now - 1000), completedAt: new Date(now - 500), completedBy: 'vicehead', outcome: 'held',
        context: { period: month.key, items: [{ projectId: idB, name: B.name, stageName: '签约即供地', reasons: [] }] },
        data: { decisions: [{ projectId: idB, decision: 'escalate', instruction: '用地指标需县长调度' }] },
      },
    });
    const county = await a.call('GET', `/api/v1/reports/quarterly/${quarter.key}`, { as: 'countyhead' });
    expect(county.body.dispatch).toEqual([expect.objectContaining({ projectId: idB, reasons: [`${Number(month.key.slice(5))}月研判提请：用地指标需县长调度`] })]);
    const kfq = await a.call('GET', `/api/v1/reports/quarterly/${quarter.key}`, { as: 'kfq1' }); // its landing site
    expect(kfq.body.dispatch.map((d: { projectId: string }) => d.projectId)).toEqual([idB]);
    const other = await a.call('GET', `/api/v1/reports/quarterly/${quarter.key}`, { as: 'nanzhou1' });
    expect(other.status).toBe(200);
    expect(other.body.dispatch).toEqual([]);
    expect(other.body.signed.map((s: { projectId: string }) => s.projectId)).toEqual([idB]); // the 通报 itself is published to all
    expect((await a.call('GET', `/api/v1/reports/monthly/${month.key}`, { as: 'nanzhou1' })).body.items).toEqual([]);
  });

  it('answers the 通报 as a workbook: a sheet per section, title row, Chinese headers, formats and formula-safe cells', async () => {
    const { res, bytes } = await download(`/api/v1/reports/quarterly/${quarter.key}?format=xlsx`, 'countyhead');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain(XLSX_TYPE);
    expect(res.headers.get('content-disposition')).toContain(`quarterly-${quarter.key}.xlsx`);
    expect(res.headers.get('x-report-provisional')).toBe('true');
    expect(bytes.subarray(0, 2).toString()).toBe('PK'); // a zip, as every .xlsx
    const wb = await workbook(bytes);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概况', '签约项目', '投产项目', '逾期任务', '外出招商', '调度清单', '产业链', '四即用时', '专题调度', '策划包装库']);
    for (const ws of wb.worksheets) {
      expect(String(ws.getCell('A1').value)).toBe(`${periodTitle(quarter.key)} 南县招商引资工作通报 — ${ws.name}`);
      expect(String(ws.getCell('A2').value)).toMatch(/^临时数据（截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}）/);
      expect(ws.getCell('A3').font?.bold).toBe(true);
    }
    const signed = wb.getWorksheet('签约项目')!;
    expect(rowValues(signed, 3)).toEqual(['项目编号', '项目名称', '产业链', '责任单位', '签约日期', '合同编号', '签约金额（万元）']);
    expect(signed.getColumn(2).width).toBe(30);
    const b = signed.getRow(4);
    expect(b.getCell(1).value).toBe(idB);
    // the name a spreadsheet would run as a formula is text, behind an apostrophe, in a text-formatted cell
    expect(b.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(b.getCell(2).value).toBe(`'${B.name}`);
    expect(b.getCell(2).numFmt).toBe('@');
    expect(b.getCell(3).value).toBe('食品加工');
    expect(b.getCell(5).value).toEqual(new Date(`${today}T00:00:00Z`));
    expect(b.getCell(5).numFmt).toBe('yyyy-mm-dd');
    expect(b.getCell(7).value).toBe(AMOUNT_B);
    expect(b.getCell(7).numFmt).toBe('#,##0.00');
    expect(rowValues(signed, 5)).toEqual(['合计', '1 个', undefined, undefined, undefined, undefined, AMOUNT_B]);
    // no cell of the workbook is a formula
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula))));
    expect(rowValues(wb.getWorksheet('外出招商')!, 3)).toEqual(['姓名', '单位', '职务', '要求次数', '完成次数', '差额']);
    expect(rowValues(wb.getWorksheet('逾期任务')!, 3)).toEqual(['单位（专班、县级角色）', '逾期任务（件）', '督办（次）', '四级督办（次）']);
    expect(rowValues(wb.getWorksheet('调度清单')!, 4).slice(0, 2)).toEqual([idB, `'${B.name}`]);
    const chains = wb.getWorksheet('产业链')!;
    expect(rowValues(chains, 3)).toEqual(['产业链', '新增线索（个）', '签约项目（个）', '签约金额（万元）', '投产项目（个）', '在谈在建项目（个）']);
    expect(rowValues(chains, 4)).toEqual(['食品加工', 1, 1, AMOUNT_B, 0, 1]);
    expect(rowValues(chains, 13)).toEqual(['合计', 2, 1, AMOUNT_B, 1, 1]);
    const four = wb.getWorksheet('四即用时')!;
    expect(rowValues(four, 3)).toEqual([
      '项目编号', '项目名称', '产业链', '落户地', '签约日期', '供地日期', '签约至供地（天）', '交证日期', '签约至交证（天）', '开工日期', '签约至开工（天）', '投产日期', '签约至投产（天）',
    ]);
    const rowA = rowValues(four, 4);
    expect(rowA.slice(0, 4)).toEqual([idA, A.name, '医疗健康', '县经济开发区']);
    expect([rowA[6], rowA[8], rowA[10], rowA[12]]).toEqual([10, 25, 40, 100]);
    expect(four.getCell('M4').numFmt).toBe('0');
    expect(rowValues(four, 7)[0]).toBe('平均用时（天）');
    expect(rowValues(four, 7)[12]).toBe(100);
  });

  it('answers the agenda and the standings as workbooks too, and the CSV of the 通报 gains the 产业链 and 四即 sections', async () => {
    const m = await workbook((await download(`/api/v1/reports/monthly/${month.key}?format=xlsx`, 'countyhead')).bytes);
    expect(m.worksheets.map((w) => w.name)).toEqual(['月研判议程']);
    expect(String(m.worksheets[0].getCell('A1').value)).toBe(`${periodTitle(month.key)} 南县招商引资项目月研判议程`);
    expect(rowValues(m.worksheets[0], 4).slice(0, 3)).toEqual([idB, `'${B.name}`, '食品加工']);
    const y = await workbook((await download(`/api/v1/reports/annual/${year.key}?format=xlsx`, 'countyhead')).bytes);
    expect(y.worksheets.map((w) => w.name)).toEqual(['考核排名', '专班', '问责', '增长指标', '产业链', '四即用时', '招商顾问与商协会', '表彰']);
    expect(rowValues(y.getWorksheet('表彰')!, 3).slice(0, 3)).toEqual(['表彰对象', '名称/姓名', '类别/单位']);
    expect(rowValues(y.getWorksheet('表彰')!, 4).slice(0, 2)).toEqual(['单位', expect.any(String)]);
    expect(rowValues(y.getWorksheet('考核排名')!, 3).slice(0, 4)).toEqual(['类别', '排名', '单位', '得分']);
    expect(rowValues(y.getWorksheet('增长指标')!, 3)).toContain('年均增长（%）');
    const csv = (await download(`/api/v1/reports/quarterly/${quarter.key}?format=csv`, 'countyhead')).bytes.subarray(3).toString('utf8');
    expect(csv.split('\r\n')[0]).toMatch(new RegExp(`^${quarter.key} 招商引资工作通报（临时数据`));
    expect(csv).toContain('产业链,新增线索（个）,签约项目（个）,签约金额（万元）,投产项目（个）,在谈在建项目（个）\r\n食品加工,1,1,18500.5,0,1');
    expect(csv).toContain(`${idA},${A.name},医疗健康,县经济开发区,${signedA},${daysBefore(90)},10,${daysBefore(75)},25,${daysBefore(60)},40,${today},100`);
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")食品项目"`);
  });

  it('answers a stored report as published, provisional: false, once the county calendar has stored it', async () => {
    const { storeAnnualAssessment, storeMonthlyAgenda, storeQuarterlyBulletin } = await import('../activities/reports');
    const at = new Date(now - 60_000).toISOString();
    await storeMonthlyAgenda(a.store.db, { month: month.key, at }, DEFAULT_POLICY);
    await storeQuarterlyBulletin(a.store.db, { quarter: quarter.key, at }, DEFAULT_POLICY);
    await storeAnnualAssessment(a.store.db, { year: Number(year.key), at }, DEFAULT_POLICY);
    for (const path of [`/reports/monthly/${month.key}`, `/reports/quarterly/${quarter.key}`, `/reports/annual/${year.key}`]) {
      const r = await a.call('GET', `/api/v1${path}`, { as: 'countyhead' });
      expect(r.status, path).toBe(200);
      expect(r.body.provisional, path).toBe(false);
      expect(r.body.generatedAt, path).toBe(at);
    }
    // as stored: the bulletin stored without the calendar's escalations has no dispatch list
    expect((await a.call('GET', `/api/v1/reports/quarterly/${quarter.key}`, { as: 'countyhead' })).body.dispatch).toEqual([]);
    const { res, bytes } = await download(`/api/v1/reports/quarterly/${quarter.key}?format=xlsx`, 'countyhead');
    expect(res.headers.get('x-report-provisional')).toBe('false');
    expect(String((await workbook(bytes)).worksheets[0].getCell('A2').value)).toMatch(/^已发布（/);
  });
});

describe('indicators (二): 年均 growth since the base year and the year\'s signed amounts', () => {
  it('shows the average yearly growth since 2021 and, beside the figures ADMIN enters, the signed 境内省外 and 外资 amounts', async () => {
    const y = Number(year.key);
    const n = y - 2021;
    const base = { outOfProvinceCapitalWan: 100_000, foreignTradeWan: 50_000, actualForeignUsd: 1_000_000 };
    expect((await a.call('POST', '/api/v1/indicators/2021', { as: 'admin', body: base })).status).toBe(200);
    const figures = {
      outOfProvinceCapitalWan: Math.round(base.outOfProvinceCapitalWan * 1.1 ** n),
      foreignTradeWan: Math.round(base.foreignTradeWan * 1.1 ** n), // short of the 12 % a year
      actualForeignUsd: Math.round(base.actualForeignUsd * 1.15 ** n),
    };
    const r = await a.call('POST', `/api/v1/indicators/${y}`, { as: 'admin', body: figures });
    expect(r.status).toBe(200);
    expect(r.body.baseYear).toBe(2021);
    expect(r.body.growth.map((g: { key: string; baseValue: number; averageGrowthPercent: number; targetPercent: number; averageMet: boolean }) => [g.key, g.baseValue, g.averageGrowthPercent, g.targetPercent, g.averageMet])).toEqual([
      ['outOfProvinceCapitalWan', 100_000, 10, 10, true], ['foreignTradeWan', 50_000, 10, 12, false], ['actualForeignUsd', 1_000_000, 15, 15, true],
    ]);
    // the year's signings: B (another province) today; A (foreign) 100 days ago, if that is this year
    const aThisYear = signedA.slice(0, 4) === year.key;
    expect(r.body.signed).toEqual({
      outOfProvince: { projects: 1, signedAmountWan: AMOUNT_B },
      foreign: aThisYear ? { projects: 1, signedAmountWan: AMOUNT_A, foreignInvestmentUsd: A.foreignInvestmentUsd } : { projects: 0, signedAmountWan: 0, foreignInvestmentUsd: 0 },
    });
    expect(r.body.growth.map((g: { signedFromProjects: number | null }) => g.signedFromProjects)).toEqual([AMOUNT_B, null, aThisYear ? A.foreignInvestmentUsd : 0]);
    expect(r.body.growth[0].signedFromProjectsName).toBe('当年签约境内省外项目签约金额（万元）');
    // the base year itself has no 年均; GET answers the same as POST
    expect((await a.call('GET', '/api/v1/indicators/2021', { as: 'countyhead' })).body.growth[0].averageGrowthPercent).toBeNull();
    expect((await a.call('GET', `/api/v1/indicators/${y}`, { as: 'countyhead' })).body.growth).toEqual(r.body.growth);
    // the annual assessment shows them too, as the county calendar computes it
    const { computeAnnualAssessment } = await import('../db/reports');
    const live = await computeAnnualAssessment(a.store.db, { year: y, at: new Date().toISOString() }, DEFAULT_POLICY);
    expect(live.growth.map((g) => g.averageGrowthPercent)).toEqual([10, 10, 15]);
    expect(live.signedByOrigin?.outOfProvince).toEqual({ projects: 1, signedAmountWan: AMOUNT_B });
  });
});

describe('the pieces, pure', () => {
  it('年均 needs the base year\'s figure; 四即 counts calendar days and keeps the period\'s projects; 产业链 lists every chain', async () => {
    const { growthAgainstTargets } = await import('../domain/indicators');
    const { chainBreakdown, fourReadyLeadTimes } = await import('../domain/bulletin');
    const g = growthAgainstTargets({ foreignTradeWan: 121 }, { foreignTradeWan: 110 }, DEFAULT_POLICY, { year: 2023, base: { foreignTradeWan: 100 } });
    expect(g.find((x) => x.key === 'foreignTradeWan')).toMatchObject({ growthPercent: 10, averageGrowthPercent: 10, averageMet: false, baseYear: 2021 });
    expect(g.find((x) => x.key === 'outOfProvinceCapitalWan')).toMatchObject({ averageGrowthPercent: null, averageMet: null });
    expect(growthAgainstTargets({ foreignTradeWan: 121 }, null, DEFAULT_POLICY, { year: 2021, base: { foreignTradeWan: 100 } })[1].averageGrowthPercent).toBeNull();
    const lt = fourReadyLeadTimes([
      { projectId: 'P1', name: '跨年项目', industryChain: 'FOOD', landingSite: null, signedDate: '2025-12-30', milestones: { landSupply: '2026-01-02', landCertificate: '2026-03-01' } },
      { projectId: 'P2', name: '上季项目', industryChain: 'FOOD', landingSite: null, signedDate: '2025-10-01', milestones: { landSupply: '2025-11-01' } },
    ], { from: '2026-01-01', to: '2026-04-01' });
    expect(lt.rows.map((r) => [r.projectId, r.days.landSupply, r.days.landCertificate, r.days.constructionStart])).toEqual([['P1', 3, 61, null]]);
    expect(lt.summary.map((s) => [s.key, s.projects, s.averageDays])).toEqual([['landSupply', 1, 3], ['landCertificate', 1, 61], ['constructionStart', 0, null], ['productionStart', 0, null]]);
    const chains = chainBreakdown({ leads: [{ industryChain: 'ELDERLY_CARE' }, { industryChain: 'UNKNOWN' }], signed: [], inProduction: [], active: [] });
    expect(chains.map((c) => [c.chainName, c.leads])).toEqual([['食品加工', 0], ['纺织鞋业', 0], ['医疗健康', 0], ['新材料', 0], ['稻虾', 0], ['现代农业', 0], ['文旅', 0], ['养老', 1], ['其他', 0], ['UNKNOWN', 1]]);
  });
});
