// 十一 年度考核: each RESPONSIBLE and LANDING_SITE unit is scored on the year's figures with the
// policy's weights and ranked within its category; then the accountability ladder runs across
// consecutive years:
//   bottom two this year                      → 约谈 (accountability.interview, COUNTY_HEAD) and a 表态发言
//   bottom two this year and last year        → 调整分管负责人分工 (accountability.reassign, the unit)
//   last this year and last year              → 问责、诫勉谈话 (accountability.discipline, DISCIPLINE)
import type { ChainRow, LeadTimeRow, LeadTimeSummary } from './bulletin';
import type { Growth, SignedByOrigin } from './indicators';
import type { TaskTypeName } from './pipeline';
import type { Policy } from './policy';
import type { UnitCategory } from './units';

export interface UnitFigures {
  leads: number; signed: number; signedInvestmentWan: number; inProduction: number;
  quotaShortfalls: number; overdueTasks: number; escalations: number;
  /** tasks offered to the unit in the year, and trips its leaders owed (三): what it had to do, unweighted */
  tasks: number; tripsRequired: number;
}
/**
 * rank: 1 + the units of the category placed before it (by score, then the policy's tie-breaks);
 * fromBottom: 1 + the units placed after it (1 = last); of: the units ranked in the category;
 * tied (并列): another unit is equal on the score and every tie-break, and shares the place.
 */
export interface UnitScore {
  unitId: string; unitName: string; category: UnitCategory; figures: UnitFigures; score: number;
  rank: number; fromBottom: number; of: number; tied: boolean;
}

/** 十一: the figures a tie-break may compare, and which way is better (DOMAIN.md §5). */
export const TIE_BREAK_KEYS = {
  overdueTasks: 'fewer', signedInvestmentWan: 'more', leads: 'more', signed: 'more', inProduction: 'more', quotaShortfalls: 'fewer', escalations: 'fewer',
} as const satisfies Partial<Record<keyof UnitFigures, 'more' | 'fewer'>>;
export type TieBreakKey = keyof typeof TIE_BREAK_KEYS;
export const TIE_BREAK_NAMES: Record<TieBreakKey, string> = {
  overdueTasks: '逾期任务少', signedInvestmentWan: '签约金额多', leads: '线索多', signed: '签约项目多', inProduction: '投产项目多',
  quotaShortfalls: '外出招商差额少', escalations: '督办少',
};

export function scoreOf(f: UnitFigures, policy: Policy): number {
  const w = policy.assessmentWeights;
  const score = w.leads * f.leads + w.signed * f.signed + w.signedInvestmentYi * (f.signedInvestmentWan / 10_000) + w.inProduction * f.inProduction
    + w.quotaShortfalls * f.quotaShortfalls + w.overdueTasks * f.overdueTasks + w.escalations * f.escalations;
  return Math.round(score * 100) / 100;
}

/** 十一: a unit with nothing to assess in the year — no figure, no task offered, no trip owed — is not ranked. */
export const hasSomethingToAssess = (f: UnitFigures): boolean => Object.values(f).some((v) => v !== 0);

/**
 * 十一 排名: within each category, by score, then by the policy's tie-break keys in order (default:
 * fewer overdue tasks, more signed investment, more leads). Units still equal on every key share a
 * place and are marked tied (并列); the name only orders them in the list. Units with nothing to
 * assess are left out (the caller lists them as not ranked).
 */
export function rankUnits(units: { unitId: string; unitName: string; category: UnitCategory; figures: UnitFigures }[], policy: Policy): UnitScore[] {
  const byCategory = new Map<UnitCategory, { u: (typeof units)[number]; score: number }[]>();
  for (const u of units) {
    if (!hasSomethingToAssess(u.figures)) continue;
    byCategory.set(u.category, [...(byCategory.get(u.category) ?? []), { u, score: scoreOf(u.figures, policy) }]);
  }
  // negative: a is placed before b
  const compare = (a: { u: { figures: UnitFigures }; score: number }, b: typeof a): number => {
    if (a.score !== b.score) return b.score - a.score;
    for (const key of policy.rankingTieBreaks) {
      const d = b.u.figures[key] - a.u.figures[key];
      if (d !== 0) return TIE_BREAK_KEYS[key] === 'more' ? d : -d;
    }
    return 0;
  };
  const out: UnitScore[] = [];
  for (const list of byCategory.values()) {
    list.sort((a, b) => compare(a, b) || a.u.unitName.localeCompare(b.u.unitName, 'zh'));
    for (const x of list) {
      const before = list.filter((y) => compare(y, x) < 0).length;
      const after = list.filter((y) => compare(y, x) > 0).length;
      out.push({
        ...x.u, score: x.score, rank: 1 + before, fromBottom: 1 + after, of: list.length, tied: before + after + 1 < list.length,
      });
    }
  }
  return out;
}

/** How a report shows a unit's place: 3/22, or 20/22（并列） when it shares the place. */
export const placeOf = (r: Pick<UnitScore, 'rank' | 'of' | 'tied'>): string => `${r.rank}/${r.of}${r.tied ? '（并列）' : ''}`;

/** 年总结: the year's ranking, the accountability it calls for, and the growth figures of 二. */
export interface AnnualAssessment {
  year: number;
  generatedAt: string;
  rankings: UnitScore[];
  /** units with nothing to assess in the year: not ranked (十一) */
  unranked: { unitId: string; unitName: string; category: UnitCategory }[];
  /** 九, 十一: the task forces' own overdue tasks and escalations (they count for no unit) */
  taskForces: { code: string; name: string; overdueTasks: number; escalations: number }[];
  accountability: { unitId: string; unitName: string; steps: AccountabilityStep[]; actions: string[] }[];
  growth: Growth[];
  /** 二: what the year's signed projects bring to the figures of growth (境内省外, 外资), beside those ADMIN enters */
  signedByOrigin?: SignedByOrigin;
  /** 六: the year's figures by 产业链 (absent from assessments stored before it was added) */
  chains?: ChainRow[];
  /** 十四: the 四即 lead times of the projects signed or reaching a milestone in the year, and their summary */
  leadTimes?: LeadTimeRow[];
  leadTimeSummary?: LeadTimeSummary[];
  /** 七: what each 招商顾问 / 商协会 brought in the year (absent from assessments stored before it was added) */
  partners?: PartnerCredit[];
  /** 十 奖励: the commendation side (absent from assessments stored before it was added) */
  recognition?: Recognition;
  /** the year is still running and nothing is stored: the standings so far, computed live on request (never stored so) */
  provisional?: boolean;
}

/** 七 招商顾问 and 商协会: a partner's year — the leads that name it, and the signings of its projects. */
export interface PartnerCredit {
  partnerId: string; name: string; kind: string; kindName: string;
  leads: number; plannedInvestmentWan: number; signed: number; signedInvestmentWan: number;
}

// ── 十 奖励: "对招商引资工作成绩突出的单位和个人，评先评优时予以优先考虑，对个人优先提拔重用" ─────────────

/** A person's year as the commendation reads it: the leads they registered, and those signed in the year. */
export interface PersonYear {
  personId: string; username: string; displayName: string; unitId: string | null; unitName: string | null;
  leads: number; signed: number; signedInvestmentWan: number;
  /** tasks they completed after the due time in the year, and tasks they hold (claimed) past it now */
  overdueTasks: number;
}
export interface Recognition {
  /** the policy's rule, in words */
  rule: string;
  units: { unitId: string; unitName: string; category: UnitCategory; rank: number; of: number; score: number; tied: boolean }[];
  people: PersonYear[];
}

/**
 * 十 奖励 (policy.recognition): the best `unitsPerCategory` units of each category (by the ranking of
 * 十一, a positive score only: a unit is not commended for doing less harm than others; nor one the
 * ranking holds to account), and the
 * `people` persons with the most signed investment among those with no overdue task (then more signed
 * projects, more leads; the username only orders equals). Who is commended is 县委组织部's to review.
 */
export function recognitionOf(rankings: readonly UnitScore[], people: readonly PersonYear[], policy: Policy, heldToAccount: ReadonlySet<string> = new Set()): Recognition {
  const rule = policy.recognition ?? { unitsPerCategory: 2, people: 5 };
  // 十一 comes first: a unit the same ranking holds to account (its bottom two) is not commended
  const units = rankings.filter((r) => r.rank <= rule.unitsPerCategory && r.score > 0 && !heldToAccount.has(r.unitId))
    .map((r) => ({ unitId: r.unitId, unitName: r.unitName, category: r.category, rank: r.rank, of: r.of, score: r.score, tied: r.tied }));
  const best = people.filter((p) => p.overdueTasks === 0 && p.signedInvestmentWan > 0)
    .sort((a, b) => b.signedInvestmentWan - a.signedInvestmentWan || b.signed - a.signed || b.leads - a.leads || a.username.localeCompare(b.username))
    .slice(0, rule.people);
  return {
    rule: `各类别考核排名前 ${rule.unitsPerCategory} 位（得分为正、未被问责）的单位；无逾期任务的人员中签约金额最多的 ${rule.people} 人`,
    units, people: best,
  };
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

// 十一 排名后两位 / 末位: the last two places after the tie-breaks; units tied there share the place
// and are all held to account (a standing stored before fromBottom existed has its rank only)
const placeFromBottom = (s: Standing) => s.fromBottom ?? s.of - s.rank + 1;
const bottomTwo = (s: Standing) => placeFromBottom(s) <= 2;
const last = (s: Standing) => placeFromBottom(s) === 1;

/** 十一: the steps this year's ranking calls for, given last year's (null in the first year). */
export function accountability(thisYear: UnitScore[], lastYear: Standing[] | null): { unitId: string; unitName: string; steps: AccountabilityStep[] }[] {
  const before = new Map((lastYear ?? []).map((s) => [s.unitId, s]));
  return thisYear.flatMap((s) => {
    // a unit in first place is below nobody: not held to account, also where all the ranked units are
    // equal on every key, or a category ranks two units or fewer
    if (!bottomTwo(s) || s.rank === 1) return [];
    const prev = before.get(s.unitId);
    const steps: AccountabilityStep[] = ['INTERVIEW'];
    if (prev && bottomTwo(prev)) steps.push('REASSIGN');
    if (prev && last(prev) && last(s)) steps.push('DISCIPLINE');
    return [{ unitId: s.unitId, unitName: s.unitName, steps }];
  });
}
