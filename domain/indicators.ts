// 二 主要目标 (2022–2025, and kept as the county's yardstick): 境内省外资金 +10 %, 外贸进出口总额
// +12 %, 实际利用外资 +15 % 年均 (a year on average). Figures are entered yearly by ADMIN; growth is
// against last year, and 年均 is the average yearly (compound) growth since the policy's base year.
// Beside the figures ADMIN enters stand what the year's signed projects bring: the signed amounts of
// the projects of investors from other provinces (境内省外) and of foreign investors (外资).
import { z } from 'zod';
import { atLeastOne, FIGURE } from './text';
import type { Policy } from './policy';

export const INDICATORS = {
  outOfProvinceCapitalWan: { name: '引进境内省外资金（万元）', target: 'outOfProvinceCapital' },
  foreignTradeWan: { name: '外贸进出口总额（万元）', target: 'foreignTrade' },
  actualForeignUsd: { name: '实际利用外资（美元）', target: 'actualForeignInvestment' },
} as const;
export type IndicatorKey = keyof typeof INDICATORS;

const figure = FIGURE.yearly();
export const IndicatorInput = atLeastOne(z.strictObject({
  outOfProvinceCapitalWan: figure.optional(),
  foreignTradeWan: figure.optional(),
  actualForeignUsd: figure.optional(),
}), '至少填写一项指标');
export type IndicatorInput = z.infer<typeof IndicatorInput>;

/**
 * 二: the targets are 年均 over 2022–2025 (南政发〔2022〕6号 was signed in May 2022), so they are measured
 * from the figures of the year before the first: 2021 is the base year of the average yearly growth.
 */
export const GROWTH_BASE_YEAR = 2021;

/** 二: what the year's signed projects bring — 境内省外 (investorOrigin OUT_OF_PROVINCE) and 外资 (FOREIGN investors, or a project with foreign investment). */
export interface SignedByOrigin {
  outOfProvince: { projects: number; signedAmountWan: number };
  foreign: { projects: number; signedAmountWan: number; foreignInvestmentUsd: number };
}
export interface SignedProjectFigures { investorOrigin: string; signedAmountWan: number; foreignInvestmentUsd: number | null }

const round2 = (n: number) => Math.round(n * 100) / 100;

export function signedByOrigin(signings: SignedProjectFigures[]): SignedByOrigin {
  const out: SignedByOrigin = { outOfProvince: { projects: 0, signedAmountWan: 0 }, foreign: { projects: 0, signedAmountWan: 0, foreignInvestmentUsd: 0 } };
  for (const s of signings) {
    if (s.investorOrigin === 'OUT_OF_PROVINCE') {
      out.outOfProvince.projects++;
      out.outOfProvince.signedAmountWan = round2(out.outOfProvince.signedAmountWan + s.signedAmountWan);
    }
    if (s.investorOrigin === 'FOREIGN' || (s.foreignInvestmentUsd ?? 0) > 0) {
      out.foreign.projects++;
      out.foreign.signedAmountWan = round2(out.foreign.signedAmountWan + s.signedAmountWan);
      out.foreign.foreignInvestmentUsd = round2(out.foreign.foreignInvestmentUsd + (s.foreignInvestmentUsd ?? 0));
    }
  }
  return out;
}

/** Which figure of the signed projects stands beside each indicator (in its unit), or none (外贸 has no project figure). */
const SIGNED_BESIDE: Record<IndicatorKey, { name: string; of: (s: SignedByOrigin) => number } | null> = {
  outOfProvinceCapitalWan: { name: '当年签约境内省外项目签约金额（万元）', of: (s) => s.outOfProvince.signedAmountWan },
  foreignTradeWan: null,
  actualForeignUsd: { name: '当年签约外资项目外资金额（美元）', of: (s) => s.foreign.foreignInvestmentUsd },
};

export interface Growth {
  key: IndicatorKey; name: string; value: number | null; previous: number | null; growthPercent: number | null; targetPercent: number; met: boolean | null;
  /** 年均: the base year, its figure, the average yearly growth since (compound, one decimal) and whether it meets the target; null where a figure is missing */
  baseYear?: number | null; baseValue?: number | null; averageGrowthPercent?: number | null; averageMet?: boolean | null;
  /** the year's signed projects' figure beside this one (null: none stands beside it, or not computed) */
  signedFromProjects?: number | null; signedFromProjectsName?: string | null;
}

/** A percentage to one decimal, or null where it is not a finite number (figures stored before their range was checked may be anything). */
const percent = (ratio: number): number | null => {
  const p = Math.round(ratio * 1000) / 10;
  return Number.isFinite(p) ? p : null;
};

export function growthAgainstTargets(
  current: Partial<Record<IndicatorKey, number | null>>, previous: Partial<Record<IndicatorKey, number | null>> | null, policy: Policy,
  more?: { year: number; base?: Partial<Record<IndicatorKey, number | null>> | null; signed?: SignedByOrigin },
): Growth[] {
  return (Object.keys(INDICATORS) as IndicatorKey[]).map((key) => {
    const value = current[key] ?? null;
    const prev = previous?.[key] ?? null;
    // figures stored before their range was checked may be anything: a report shows no growth rather than Infinity or NaN
    const growthPercent = value !== null && prev !== null && prev > 0 ? percent((value - prev) / prev) : null;
    const targetPercent = policy.growthTargets[INDICATORS[key].target];
    const growth: Growth = { key, name: INDICATORS[key].name, value, previous: prev, growthPercent, targetPercent, met: growthPercent === null ? null : growthPercent >= targetPercent };
    if (!more) return growth;
    // 年均: (value / base)^(1 / years) − 1, over the years since the base year
    const years = more.year - GROWTH_BASE_YEAR;
    const baseValue = years > 0 ? more.base?.[key] ?? null : null;
    const averageGrowthPercent = value !== null && baseValue !== null && baseValue > 0 && value >= 0 ? percent((value / baseValue) ** (1 / years) - 1) : null;
    const beside = SIGNED_BESIDE[key];
    return {
      ...growth,
      baseYear: GROWTH_BASE_YEAR, baseValue, averageGrowthPercent, averageMet: averageGrowthPercent === null ? null : averageGrowthPercent >= targetPercent,
      signedFromProjects: beside && more.signed ? beside.of(more.signed) : null, signedFromProjectsName: beside?.name ?? null,
    };
  });
}
