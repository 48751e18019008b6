// §10 the 驾驶舱 (issue 13 point 8) in a real browser: with projects driven to different stages (one
// signed this year and supplied with land, one signed last year, one at 洽谈, a lead, a discarded one,
// overdue tasks at several ladder levels, the year's indicators entered), the 县长 opens 驾驶舱 from
// the menu; every chart has drawn on its canvas, and every table beside it shows the API's figures
// cell by cell. Another year is chosen and its tables follow. info1 has no 驾驶舱 in the menu, and
// the address alone shows the service's refusal. The phone layout has no sideways scrolling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shanghaiDate, shanghaiYear } from '../domain/shanghai-time';
import { NAMED_UNITS } from '../domain/units';
import { logIn, type WatchedPage } from '../harness/browser';
import { PHONE, startWebEnv, type WebEnv } from './helpers/web-env';
import { walkProject } from './helpers/walk';

let env: WebEnv;
const now = Date.now();
const today = shanghaiDate(now);
const year = shanghaiYear(now);
const SECTIONS = ['stages', 'sites', 'chains', 'signings', 'overdue', 'four-ready', 'targets'] as const;

const lead = (over: Record<string, unknown>) => ({ investor: '某投资有限公司', investorOrigin: 'OUT_OF_PROVINCE', channel: 'CAPITAL', ...over });

const register = async (body: Record<string, unknown>) => {
  const r = await env.call('POST', '/api/v1/projects', { as: 'info1', body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as string;
};
const openTask = (pid: string) => env.store.db.task.findFirstOrThrow({ where: { projectId: pid, status: { in: ['OPEN', 'CLAIMED'] } } });

beforeAll(async () => {
  env = await startWebEnv('web-cockpit');
  const signed = await register(lead({ name: '南县小龙虾深加工项目', industryChain: 'FOOD', plannedInvestmentWan: 20000 }));
  const lastYear = await register(lead({ name: '南县运动鞋智能制造项目', industryChain: 'TEXTILE_SHOES', plannedInvestmentWan: 12000 }));
  const talks = await register(lead({ name: '南县新型复合材料项目', industryChain: 'NEW_MATERIALS', plannedInvestmentWan: 8000 }));
  const fresh = await register(lead({ name: '南县物流园线索', industryChain: 'OTHER', plannedInvestmentWan: 5000 }));
  const dropped = await register(lead({ name: '南县设施农业线索', industryChain: 'MODERN_AGRI', plannedInvestmentWan: 3000 }));
  // signed this year (today) with land supplied today: signings and 四即 have data
  await walkProject(env, signed, 'LAND_CERTIFICATE', {
    'lead.verify': { landingSiteId: NAMED_UNITS.nanzhou }, 'plan.submit': { plannedInvestmentWan: 20000 },
    'signing.ceremony': { signedDate: today, contractNo: 'NXHT-1', signedAmountWan: 18500.5 }, 'milestone.landSupply': { date: today },
  });
  await walkProject(env, lastYear, 'LAND_SUPPLY', {
    'plan.submit': { plannedInvestmentWan: 12000 }, 'signing.ceremony': { signedDate: `${year - 1}-06-01`, contractNo: 'NXHT-0', signedAmountWan: 11000 },
  });
  await walkProject(env, talks, 'NEGOTIATION', { 'plan.submit': { plannedInvestmentWan: 8000 } });
  expect((await env.call('POST', `/api/v1/tasks/${(await openTask(dropped)).id}/complete`, { as: 'info1', body: { outcome: 'discard', comment: '投资方资金不到位' } })).status).toBe(200);
  // §4: overdue tasks at ladder levels 1, 2 and 3, as the ladder's projection would mark them
  await env.store.db.task.update({ where: { id: (await openTask(fresh)).id }, data: { overdue: true, escalationLevel: 3 } });
  await env.store.db.task.update({ where: { id: (await openTask(talks)).id }, data: { overdue: true, escalationLevel: 2 } });
  await env.store.db.task.update({ where: { id: (await openTask(lastYear)).id }, data: { overdue: true, escalationLevel: 1 } });
  // 二: the year's figures and last year's
  expect((await env.call('POST', `/api/v1/indicators/${year - 1}`, { as: 'admin', body: { outOfProvinceCapitalWan: 100000, foreignTradeWan: 45000, actualForeignUsd: 1_000_000 } })).status).toBe(200);
  expect((await env.call('POST', `/api/v1/indicators/${year}`, { as: 'admin', body: { outOfProvinceCapitalWan: 110000, foreignTradeWan: 50000, actualForeignUsd: 1_200_000 } })).status).toBe(200);
}, 400_000);
afterAll(async () => {
  await env?.teardown();
});

type Cell = string | number | boolean | null;
/** A table cell as the figures it shows: 12,000.5 → 12000.5, +10% → 10, 达标 → true, — → null. */
function cell(text: string): Cell {
  const t = text.trim();
  if (t === '—') return null;
  if (t === '达标') return true;
  if (t === '未达标') return false;
  const n = /^[+-]?[\d,]+(\.\d+)?%?$/.test(t) ? Number(t.replace(/[,%+]/g, '')) : NaN;
  return Number.isNaN(n) ? t : n;
}
/** The rows of a section's table (body rows, then the footer), each as its cells. */
async function tableOf(w: WatchedPage, section: string): Promise<Cell[][]> {
  const rows = await w.page.locator(`[data-test=table-${section}]`).evaluate((t) => [...t.querySelectorAll('tbody tr, tfoot tr')].map((r) => [...r.children].map((c) => c.textContent ?? '')));
  return rows.map((r) => r.map(cell));
}
/** What each table should show, built from GET /api/v1/dashboard's answer. */
function expectedTables(d: any): Record<(typeof SECTIONS)[number], Cell[][]> {
  const share = (r: { name: string; projects: number; investmentWan: number }) => [r.name, r.projects, r.investmentWan];
  return {
    stages: [
      ...d.stages.items.map((s: any) => [`${s.order}. ${s.name}`, s.projects, s.reached]),
      ...d.stages.ends.map((e: any) => [`${e.name}（已结束）`, e.projects, null]),
      ['在途合计', d.stages.active, null],
    ],
    sites: [...d.landingSites.items.map(share), ['合计', d.landingSites.total.projects, d.landingSites.total.investmentWan]],
    chains: [...d.chains.items.map(share), ['合计', d.chains.total.projects, d.chains.total.investmentWan]],
    signings: [
      ...d.signings.quarters.map((q: any) => [q.name, q.current.projects, q.current.signedAmountWan, q.previous.projects, q.previous.signedAmountWan]),
      ['全年', d.signings.current.projects, d.signings.current.signedAmountWan, d.signings.previous.projects, d.signings.previous.signedAmountWan],
    ],
    overdue: [
      ...d.overdue.items.map((o: any) => [o.name, o.overdue, o.level2, o.level3]),
      ['合计', d.overdue.total.overdue, d.overdue.total.level2, d.overdue.total.level3],
    ],
    'four-ready': d.fourReady.items.map((f: any) => [f.name, f.projects, f.averageDays, f.medianDays, f.maxDays]),
    targets: d.targets.items.map((g: any) => [g.name, g.value, g.previous, g.growthPercent, g.targetPercent, g.met, g.averageGrowthPercent, g.averageMet]),
  };
}
/** How many pixels of the chart's canvas are drawn (neither transparent nor white). */
const inkOf = (w: WatchedPage, section: string) => w.page.locator(`[data-test=chart-${section}] canvas`).first().evaluate((c) => {
  // (the function runs in the page: the canvas of ECharts' canvas renderer)
  const canvas = c as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && !(data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245)) ink++;
  return ink;
});
async function chartsDrawn(w: WatchedPage) {
  for (const s of SECTIONS) {
    await w.page.locator(`[data-test=chart-${s}][data-drawn=true]`).waitFor({ timeout: 20_000 });
    expect(await inkOf(w, s), `chart ${s}`).toBeGreaterThan(500);
  }
}

describe('驾驶舱', () => {
  it('the 县长 opens it from the menu: every chart has drawn and every table shows the API\'s figures', async () => {
    const w = await env.open();
    const { page } = w;
    await logIn(w, 'countyhead');
    await page.getByRole('menuitem', { name: '驾驶舱' }).click();
    await page.waitForURL('**/cockpit');
    await chartsDrawn(w);
    const api = await env.call('GET', `/api/v1/dashboard?year=${year}`, { as: 'countyhead' });
    expect(api.status).toBe(200);
    const d = api.body;
    // every section has something to draw
    expect(d.stages.active).toBe(4);
    expect(d.signings.current.projects).toBe(1);
    expect(d.signings.previous.projects).toBe(1);
    expect(d.overdue.total).toEqual({ overdue: 3, level2: 2, level3: 1 });
    expect(d.fourReady.items[0].projects).toBe(1);
    expect(d.targets.items[0].growthPercent).toBe(10);
    const expected = expectedTables(d);
    for (const s of SECTIONS) expect(await tableOf(w, s), `table ${s}`).toEqual(expected[s]);
    // the tables are for screen readers (caption, th scope) and shown on request
    for (const s of SECTIONS) {
      const t = page.locator(`[data-test=table-${s}]`);
      expect(await t.locator('caption').textContent(), s).toBeTruthy();
      expect(await t.locator('thead th[scope=col]').count(), s).toBeGreaterThan(1);
      expect(await t.getAttribute('class')).toContain('sr-table');
    }
    await page.locator('[data-test=section-overdue]').getByRole('button', { name: '查看数据表' }).click();
    await expect.poll(() => page.locator('[data-test=table-overdue]').isVisible()).toBe(true);
    await page.locator('[data-test=section-overdue]').getByRole('button', { name: '收起数据表' }).click();
    await w.screenshot('cockpit');
    // the KPI line agrees
    const kpis = await page.locator('[data-test=kpis]').innerText();
    expect(kpis).toContain('18,500.5');
    expect(kpis).toMatch(/逾期任务\s*3/);

    // another year: the year-bound tables follow the API for it
    await page.locator('[data-test=year]').click();
    await page.getByRole('option', { name: `${year - 1}年` }).click();
    await page.waitForURL(`**/cockpit?year=${year - 1}`);
    const before = (await env.call('GET', `/api/v1/dashboard?year=${year - 1}`, { as: 'countyhead' })).body;
    const expectedBefore = expectedTables(before);
    await expect.poll(() => tableOf(w, 'signings')).toEqual(expectedBefore.signings);
    await chartsDrawn(w);
    for (const s of ['four-ready', 'targets'] as const) expect(await tableOf(w, s), s).toEqual(expectedBefore[s]);
    expect(await page.locator('[data-test=table-signings] caption').textContent()).toContain(`${year - 1}年签约投资`);
    w.expectClean();
    await w.close();
  });

  it('works at 375 px: the charts draw and nothing scrolls sideways', async () => {
    const w = await env.open(PHONE);
    const { page } = w;
    await logIn(w, 'vicehead');
    await page.goto('/cockpit');
    await chartsDrawn(w);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await w.screenshot('cockpit-phone');
    w.expectClean();
    await w.close();
  });

  it('is not in info1\'s menu, and the address alone shows the service\'s refusal', async () => {
    const w = await env.open();
    const { page } = w;
    w.allow(/\/api\/v1\/dashboard/, 403);
    await logIn(w, 'info1');
    await expect.poll(() => page.getByRole('menuitem', { name: '项目库' }).count()).toBe(1);
    expect(await page.getByRole('menuitem', { name: '驾驶舱' }).count()).toBe(0);
    await page.goto('/cockpit');
    await expect.poll(() => page.locator('.el-alert').innerText()).toContain('驾驶舱只对县领导');
    w.expectClean();
    await w.close();
  });
});
