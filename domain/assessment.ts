// 十一 年度考核: each RESPONSIBLE and LANDING_SITE unit is scored on the year's figures with the
// policy's weights and ranked within its category; then the accountability ladder runs across
// consecutive years:
//   bottom two this year                      → 约谈 (accountability.interview, COUNTY_HEAD) and a 表态发言
//   bottom two this year and last year        → 调整分管负责人分工 (accountability.reassign, the unit)
//   last this year and last year              → 问责、诫勉谈话 (accountability.discipline, DISCIPLINE)
import type { Growth } from './indicators';
import type { TaskTypeName } from './pipeline';
import type { Policy } from './policy';
import type { UnitCategory } from './units';

export interface UnitFigures {
  leads: number; signed: number; signedInvestmentWan: number; inProduction: number;
  quotaShortfalls: number; overdueTasks: number; escalations: number;
}
/**
 * rank: 1 + the units of the category that scored higher (equal scores share a place, 1, 2, 2, 4);
 * fromBottom: 1 + the units that scored lower (1 = last, shared by all tied at the bottom); of: the category's size.
 */
export interface UnitScore { unitId: string; unitName: string; category: UnitCategory; figures: UnitFigures; score: number; rank: number; fromBottom: number; of: number }

export function scoreOf(f: UnitFigures, policy: Policy): number {
  const w = policy.assessmentWeights;
  const score = w.leads * f.leads + w.signed * f.signed + w.signedInvestmentYi * (f.signedInvestmentWan / 10_000) + w.inProduction * f.inProduction
    + w.quotaShortfalls * f.quotaShortfalls + w.overdueTasks * f.overdueTasks + w.escalations * f.escalations;
  return Math.round(score * 100) / 100;
}

/** Ranks units within each category, best first. Equal scores share their place, and the unit name only orders the list. */
export function rankUnits(units: { unitId: string; unitName: string; category: UnitCategory; figures: UnitFigures }[], policy: Policy): UnitScore[] {
  const byCategory = new Map<UnitCategory, UnitScore[]>();
  for (const u of units) {
    const list = byCategory.get(u.category) ?? [];
    list.push({ ...u, score: scoreOf(u.figures, policy), rank: 0, fromBottom: 0, of: 0 });
    byCategory.set(u.category, list);
  }
  const out: UnitScore[] = [];
  for (const list of byCategory.values()) {
    list.sort((a, b) => b.score - a.score || a.unitName.localeCompare(b.unitName, 'zh'));
    for (const u of list) {
      out.push({ ...u, rank: 1 + list.filter((x) => x.score > u.score).length, fromBottom: 1 + list.filter((x) => x.score < u.score).length, of: list.length });
    }
  }
  return out;
}

/** 年总结: the year's ranking, the accountability it calls for, and the growth figures of 二. */
export interface AnnualAssessment {
  year: number;
  generatedAt: string;
  rankings: UnitScore[];
  accountability: { unitId: string; unitName: string; steps: AccountabilityStep[]; actions: string[] }[];
  growth: Growth[];
}

export type AccountabilityStep = 'INTERVIEW' | 'REASSIGN' | 'DISCIPLINE';
export const ACCOUNTABILITY_TASK: Record<AccountabilityStep, TaskTypeName> = {
  INTERVIEW: 'accountability.interview', REASSIGN: 'accountability.reassign', DISCIPLINE: 'accountability.discipline',
};
export const ACCOUNTABILITY_NAMES: Record<AccountabilityStep, string> = {
  INTERVIEW: '县长约谈主要负责人并在年度总结会上表态发言', REASSIGN: '责令调整分管负责人分工', DISCIPLINE: '县纪委监委启动问责，对分管负责人诫勉谈话',
};

/** 十一: a unit the year's ranking holds to account, and the steps it climbed (the county calendar opens a task per step). */
export interface AccountabilityCase { unitId: string; unitName: string; category: UnitCategory; rank: number; of: number; score: number; steps: AccountabilityStep[] }

/** Where a unit stood in a year's ranking: what the next year's accountability needs of it. */
export type Standing = Pick<UnitScore, 'unitId' | 'category' | 'rank' | 'of' | 'score'> & { fromBottom?: number };

// 十一 排名后两位 / 末位: units tied at a place share it, so all tied there are held to account
// (a standing stored before places were shared has its strict rank only)
const placeFromBottom = (s: Standing) => s.fromBottom ?? s.of - s.rank + 1;
const bottomTwo = (s: Standing) => placeFromBottom(s) <= 2;
const last = (s: Standing) => placeFromBottom(s) === 1;

/** 十一: the steps this year's ranking calls for, given last year's (null in the first year). */
export function accountability(thisYear: UnitScore[], lastYear: Standing[] | null): { unitId: string; unitName: string; steps: AccountabilityStep[] }[] {
  const before = new Map((lastYear ?? []).map((s) => [s.unitId, s]));
  // a category in which every unit scored the same (a year without figures, such as the one before
  // the service began) ranks nobody below anybody: no one is held to account for it
  const spread = new Map<string, Set<number>>();
  for (const s of thisYear) spread.set(s.category, (spread.get(s.category) ?? new Set()).add(s.score));
  return thisYear.flatMap((s) => {
    if (!bottomTwo(s) || spread.get(s.category)!.size < 2) return [];
    const prev = before.get(s.unitId);
    const steps: AccountabilityStep[] = ['INTERVIEW'];
    if (prev && bottomTwo(prev)) steps.push('REASSIGN');
    if (prev && last(prev) && last(s)) steps.push('DISCIPLINE');
    return [{ unitId: s.unitId, unitName: s.unitName, steps }];
  });
}
