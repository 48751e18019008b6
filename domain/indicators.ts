// 二 主要目标 (2022–2025, and kept as the county's yardstick): 境内省外资金 +10 %, 外贸进出口总额
// +12 %, 实际利用外资 +15 % a year. Figures are entered yearly by ADMIN; growth is against last year.
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
}), 'give at least one figure');
export type IndicatorInput = z.infer<typeof IndicatorInput>;

export interface Growth { key: IndicatorKey; name: string; value: number | null; previous: number | null; growthPercent: number | null; targetPercent: number; met: boolean | null }

export function growthAgainstTargets(current: Partial<Record<IndicatorKey, number | null>>, previous: Partial<Record<IndicatorKey, number | null>> | null, policy: Policy): Growth[] {
  return (Object.keys(INDICATORS) as IndicatorKey[]).map((key) => {
    const value = current[key] ?? null;
    const prev = previous?.[key] ?? null;
    const growth = value !== null && prev !== null && prev > 0 ? Math.round(((value - prev) / prev) * 1000) / 10 : null;
    // figures stored before their range was checked may be anything: a report shows no growth rather than Infinity or NaN
    const growthPercent = growth !== null && Number.isFinite(growth) ? growth : null;
    const targetPercent = policy.growthTargets[INDICATORS[key].target];
    return { key, name: INDICATORS[key].name, value, previous: prev, growthPercent, targetPercent, met: growthPercent === null ? null : growthPercent >= targetPercent };
  });
}
