// §10 驾驶舱 (issue 13 point 8): the figures the county's leaders look at — the pipeline by stage,
// by 产业链 and by 落户地 as it stands now, the signed investment of the year's quarters against the
// year before, the overdue and escalated tasks by the party answerable, the 四即 lead times of the
// year, and the growth targets of clause 二. Each section reuses the computation that already
// answers it elsewhere: the signings of the 通报 (periodSignings), the 四即 of the annual report
// (computeAnnualAssessment), the growth of GET /indicators/:year (growthAgainstTargets). Reads only.
import { computeAnnualAssessment, periodSignings } from './reports';
import { datesOf, FOUR_READY, type MilestoneKey } from '../domain/bulletin';
import { GROWTH_BASE_YEAR, growthAgainstTargets, signedByOrigin, type Growth } from '../domain/indicators';
import { groupNameOf, parseGroup } from '../domain/organisation';
import { ACTIVE_STAGES, STAGE_NAMES, TERMINAL_STAGES } from '../domain/pipeline';
import type { Policy } from '../domain/policy';
import { INDUSTRY_CHAINS } from '../domain/project';
import { periodTitle } from '../domain/reports-live';
import { quarterOfMonth, shanghaiYear, yearPeriod } from '../domain/shanghai-time';
import { UNITS } from '../domain/units';
import type { Db } from './client';

const round2 = (n: number) => Math.round(n * 100) / 100;
const OPEN_STATUSES = ['OPEN', 'CLAIMED'];

/** 九: the stage of a project in the pipeline (15, in order) and how many are there now and how many got that far. */
export interface StageRow { code: string; name: string; order: number; projects: number; reached: number }
export interface EndRow { code: string; name: string; projects: number; success: boolean }
export interface ShareRow { projects: number; investmentWan: number }
export interface ChainShare extends ShareRow { code: string; name: string }
export interface SiteShare extends ShareRow { unitId: string | null; name: string }
export interface QuarterFigures { projects: number; signedAmountWan: number }
export interface QuarterRow { quarter: number; name: string; current: QuarterFigures; previous: QuarterFigures }
export interface OverdueRow { group: string; name: string; kind: 'UNIT' | 'TASK_FORCE' | 'ROLE'; overdue: number; level2: number; level3: number }
/** 二: a growth indicator as GET /indicators/:year answers it (every field present). */
export type TargetRow = { [K in keyof Growth]-?: Exclude<Growth[K], undefined> };
export interface FourReadyRow { key: MilestoneKey; name: string; projects: number; averageDays: number | null; medianDays: number | null; maxDays: number | null }

export interface Dashboard {
  year: number;
  asOf: string;
  years: number[];
  stages: { items: StageRow[]; ends: EndRow[]; active: number; total: number };
  chains: { items: ChainShare[]; total: ShareRow };
  landingSites: { items: SiteShare[]; total: ShareRow };
  signings: { year: number; previousYear: number; quarters: QuarterRow[]; current: QuarterFigures; previous: QuarterFigures; growthPercent: number | null };
  overdue: { items: OverdueRow[]; total: { overdue: number; level2: number; level3: number } };
  fourReady: { items: FourReadyRow[] };
  targets: { baseYear: number; updatedBy: string | null; updatedAt: string | null; items: TargetRow[] };
}

/** The projects that make up the county's book: those in the pipeline and those in production (not those that ended without landing). */
const IN_BOOK: readonly string[] = [...ACTIVE_STAGES, 'IN_PRODUCTION'];

/** 九: a task's answerable party as the 通报 names it — its unit (its leaders' tasks included), the task force, or the county role. */
function answerableGroup(key: string): { group: string; kind: OverdueRow['kind'] } {
  const g = parseGroup(key);
  if (g.kind === 'UNIT') return { group: `UNIT:${g.unitId}`, kind: 'UNIT' };
  if (g.kind === 'TASK_FORCE') return { group: `TF:${g.code}`, kind: 'TASK_FORCE' };
  return { group: `ROLE:${g.role}`, kind: 'ROLE' };
}

const median = (xs: number[]): number | null => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round(((s[mid - 1] + s[mid]) / 2) * 10) / 10;
};

export async function computeDashboard(
  db: Db, opts: { year: number; now: Date; policy: Policy; growthPolicy: Policy },
): Promise<Dashboard> {
  const { year, now } = opts;
  const thisYear = yearPeriod(year);
  const lastYear = yearPeriod(year - 1);
  const [projects, openTasks, signings, indicators, assessment, earliest] = await Promise.all([
    db.project.groupBy({ by: ['stage', 'industryChain', 'landingSiteId'], _count: true, _sum: { plannedInvestmentWan: true } }),
    db.task.findMany({ where: { status: { in: OPEN_STATUSES }, overdue: true }, select: { candidateGroup: true, escalationLevel: true } }),
    // 八: the signings of this year and the year before, each in the quarter of its signedDate
    periodSignings(db, { gte: lastYear.start, lt: thisYear.end }),
    db.indicator.findMany({ where: { year: { in: [year, year - 1, GROWTH_BASE_YEAR] } } }),
    // 十四: 四即 — the annual report's lead times of the year
    computeAnnualAssessment(db, { year, at: now.toISOString() }, opts.policy),
    db.project.findFirst({ orderBy: { createdAt: 'asc' }, select: { createdAt: true } }),
  ]);

  // 九: the pipeline now — how many projects are at each of the 15 stages, how many got that far (there or beyond, in production included), and the ends
  const byStage = new Map<string, number>();
  for (const p of projects) byStage.set(p.stage, (byStage.get(p.stage) ?? 0) + p._count);
  const inProduction = byStage.get('IN_PRODUCTION') ?? 0;
  let beyond = inProduction;
  const stageItems: StageRow[] = [...ACTIVE_STAGES].reverse().map((code) => {
    const n = byStage.get(code) ?? 0;
    beyond += n;
    return { code, name: STAGE_NAMES[code], order: ACTIVE_STAGES.indexOf(code) + 1, projects: n, reached: beyond };
  }).reverse();
  const ends: EndRow[] = TERMINAL_STAGES.map((code) => ({ code, name: STAGE_NAMES[code], projects: byStage.get(code) ?? 0, success: code === 'IN_PRODUCTION' }));
  const active = stageItems.reduce((s, r) => s + r.projects, 0);

  // 六: the book (pipeline and production) by 产业链, and by 落户地 (四: the 14 landing sites, then those not yet placed)
  const book = projects.filter((p) => IN_BOOK.includes(p.stage));
  const share = (rows: typeof book): ShareRow => ({
    projects: rows.reduce((s, p) => s + p._count, 0),
    investmentWan: round2(rows.reduce((s, p) => s + (p._sum.plannedInvestmentWan ?? 0), 0)),
  });
  const chainCodes = [...Object.keys(INDUSTRY_CHAINS), ...new Set(book.map((p) => p.industryChain).filter((c) => !(c in INDUSTRY_CHAINS)))];
  const chains = chainCodes.map((code): ChainShare => ({ code, name: (INDUSTRY_CHAINS as Record<string, string>)[code] ?? code, ...share(book.filter((p) => p.industryChain === code)) }));
  const siteIds = UNITS.filter((u) => u.category === 'LANDING_SITE').map((u) => u.id);
  const sites: SiteShare[] = [
    ...UNITS.filter((u) => u.category === 'LANDING_SITE').map((u) => ({ unitId: u.id, name: u.name, ...share(book.filter((p) => p.landingSiteId === u.id)) })),
    // a lead not yet verified has no landing site (§3 lead.verify sets it)
    { unitId: null, name: '待定（线索核实中）', ...share(book.filter((p) => !p.landingSiteId || !siteIds.includes(p.landingSiteId))) },
  ];

  // 八: signed investment per quarter, this year against the year before (by signedDate)
  const quarterly = (y: number) => [1, 2, 3, 4].map((q) => {
    const rows = signings.filter((s) => Number(s.signedDate.slice(0, 4)) === y && quarterOfMonth(Number(s.signedDate.slice(5, 7))) === q);
    return { projects: rows.length, signedAmountWan: round2(rows.reduce((s, r) => s + r.signedAmountWan, 0)) };
  });
  const [cur, prev] = [quarterly(year), quarterly(year - 1)];
  const sum = (qs: QuarterFigures[]): QuarterFigures => ({ projects: qs.reduce((s, q) => s + q.projects, 0), signedAmountWan: round2(qs.reduce((s, q) => s + q.signedAmountWan, 0)) });
  const [current, previous] = [sum(cur), sum(prev)];

  // 八, 十一: the open tasks overdue now, by the party answerable, and how many of them are escalated to level ≥ 2 and ≥ 3 (§4)
  const overdue = new Map<string, OverdueRow>();
  for (const t of openTasks) {
    const { group, kind } = answerableGroup(t.candidateGroup);
    const row = overdue.get(group) ?? { group, name: groupNameOf(group), kind, overdue: 0, level2: 0, level3: 0 };
    row.overdue++;
    if (t.escalationLevel >= 2) row.level2++;
    if (t.escalationLevel >= 3) row.level3++;
    overdue.set(group, row);
  }
  const overdueItems = [...overdue.values()].sort((a, b) => b.level3 - a.level3 || b.level2 - a.level2 || b.overdue - a.overdue || a.name.localeCompare(b.name, 'zh-CN'));

  // 十四: 四即 — of the milestones reached in the year, the days from signing: the annual report's summary, with the median beside
  const within = datesOf(String(year));
  const fourReady = FOUR_READY.map((m): FourReadyRow => {
    const s = assessment.leadTimeSummary?.find((x) => x.key === m.key);
    const days = (assessment.leadTimes ?? []).filter((r) => { const d = r.dates[m.key]; return !!d && d >= within.from && d < within.to; }).map((r) => r.days[m.key]!);
    return { key: m.key, name: m.name, projects: s?.projects ?? 0, averageDays: s?.averageDays ?? null, medianDays: median(days), maxDays: s?.maxDays ?? null };
  });

  // 二: the growth targets, as GET /indicators/:year computes them (the year's figures against last year and 年均 since the base year, the year's signings beside)
  const byYear = new Map(indicators.map((i) => [i.year, i]));
  const yearSignings = signings.filter((s) => s.signedDate.startsWith(`${year}-`));
  const signed = signedByOrigin(yearSignings.map((s) => ({ investorOrigin: s.project.investorOrigin, signedAmountWan: s.signedAmountWan, foreignInvestmentUsd: s.project.foreignInvestmentUsd })));
  const growth = growthAgainstTargets(byYear.get(year) ?? {}, byYear.get(year - 1) ?? null, opts.growthPolicy, { year, base: byYear.get(GROWTH_BASE_YEAR) ?? null, signed }).map((g): TargetRow => ({
    ...g, baseYear: g.baseYear ?? null, baseValue: g.baseValue ?? null, averageGrowthPercent: g.averageGrowthPercent ?? null,
    averageMet: g.averageMet ?? null, signedFromProjects: g.signedFromProjects ?? null, signedFromProjectsName: g.signedFromProjectsName ?? null,
  }));

  const nowYear = shanghaiYear(now);
  const first = Math.min(GROWTH_BASE_YEAR + 1, earliest ? shanghaiYear(earliest.createdAt) : nowYear, year);
  const last = Math.max(nowYear, year);
  return {
    year, asOf: now.toISOString(),
    years: Array.from({ length: last - first + 1 }, (_, i) => last - i),
    stages: { items: stageItems, ends, active, total: active + ends.reduce((s, e) => s + e.projects, 0) },
    chains: { items: chains, total: share(book) },
    landingSites: { items: sites, total: share(book) },
    signings: {
      year, previousYear: year - 1, current, previous,
      quarters: [1, 2, 3, 4].map((q) => ({ quarter: q, name: periodTitle(`${year}-Q${q}`).slice(5), current: cur[q - 1], previous: prev[q - 1] })),
      growthPercent: previous.signedAmountWan > 0 ? Math.round(((current.signedAmountWan - previous.signedAmountWan) / previous.signedAmountWan) * 1000) / 10 : null,
    },
    overdue: {
      items: overdueItems,
      total: overdueItems.reduce((s, r) => ({ overdue: s.overdue + r.overdue, level2: s.level2 + r.level2, level3: s.level3 + r.level3 }), { overdue: 0, level2: 0, level3: 0 }),
    },
    fourReady: { items: fourReady },
    targets: {
      baseYear: GROWTH_BASE_YEAR, updatedBy: byYear.get(year)?.updatedBy ?? null, updatedAt: byYear.get(year)?.updatedAt.toISOString() ?? null,
      items: growth,
    },
  };
}
