// 十一 年度考核: scores, ranking within category, and the accountability ladder across years.
import { describe, expect, it } from 'vitest';
import { accountability, placeOf, rankUnits, scoreOf, type UnitFigures } from '../domain/assessment';
import { DEFAULT_POLICY } from '../domain/policy';

const zero: UnitFigures = { leads: 0, signed: 0, signedInvestmentWan: 0, inProduction: 0, quotaShortfalls: 0, overdueTasks: 0, escalations: 0, tasks: 0, tripsRequired: 0 };
/** a unit that had something to do in the year (a trip owed) and nothing else to show */
const busy: Partial<UnitFigures> = { tripsRequired: 4 };
const site = (unitId: string, unitName: string, f: Partial<UnitFigures>) => ({ unitId, unitName, category: 'LANDING_SITE' as const, figures: { ...zero, ...f } });

describe('十一 年度考核', () => {
  it('scores with the policy weights: figures for, shortfalls, overdue tasks and escalations against', () => {
    expect(scoreOf({ ...zero, leads: 3, signed: 1, signedInvestmentWan: 50_000, inProduction: 1, quotaShortfalls: 2, overdueTasks: 1, escalations: 1, tasks: 9 }, DEFAULT_POLICY))
      .toBe(3 * 2 + 10 + 5 + 15 - 6 - 2 - 3);
  });

  it('ranks within each category only', () => {
    const ranked = rankUnits([
      site('L01', '县经济开发区', { signed: 2 }), site('L03', '南洲镇', { leads: 1 }), site('L04', '华阁镇', { overdueTasks: 3 }),
      { unitId: 'R01', unitName: '县发展和改革局', category: 'RESPONSIBLE', figures: { ...zero, escalations: 9 } },
    ], DEFAULT_POLICY);
    expect(ranked.map((r) => [r.unitId, r.rank, r.of])).toEqual([['L01', 1, 3], ['L03', 2, 3], ['L04', 3, 3], ['R01', 1, 1]]);
  });

  it('climbs the ladder for a unit bottom two twice and last twice, and not for one that recovers', () => {
    const units = (f: Record<string, Partial<UnitFigures>>) => rankUnits(Object.entries(f).map(([name, fig], i) => site(`L${i}`, name, fig)), DEFAULT_POLICY);
    // year 1: 茅草街镇 last, 厂窖镇 second last
    const y1 = units({ 南洲镇: { signed: 3 }, 华阁镇: { signed: 2 }, 三仙湖镇: { signed: 1 }, 厂窖镇: { overdueTasks: 1 }, 茅草街镇: { overdueTasks: 5 } });
    // year 2: 茅草街镇 last again; 厂窖镇 recovers
    const y2 = units({ 南洲镇: { signed: 3 }, 华阁镇: { overdueTasks: 1 }, 三仙湖镇: { signed: 1 }, 厂窖镇: { signed: 4 }, 茅草街镇: { overdueTasks: 5 } });
    expect(accountability(y1, null).map((a) => [a.unitName, a.steps])).toEqual([['厂窖镇', ['INTERVIEW']], ['茅草街镇', ['INTERVIEW']]]);
    expect(accountability(y2, y1).map((a) => [a.unitName, a.steps])).toEqual([
      ['华阁镇', ['INTERVIEW']], ['茅草街镇', ['INTERVIEW', 'REASSIGN', 'DISCIPLINE']],
    ]);
    // year 3: 茅草街镇 second last (bottom two a third time, but not last): no discipline
    const y3 = units({ 南洲镇: { signed: 3 }, 华阁镇: { overdueTasks: 9 }, 三仙湖镇: { signed: 1 }, 厂窖镇: { signed: 4 }, 茅草街镇: { overdueTasks: 5 } });
    expect(accountability(y3, y2).map((a) => [a.unitName, a.steps])).toEqual([
      ['茅草街镇', ['INTERVIEW', 'REASSIGN']], ['华阁镇', ['INTERVIEW', 'REASSIGN']],
    ]);
  });

  it('breaks an equal score with the policy\'s tie-breaks: fewer overdue tasks, then more signed investment, then more leads', () => {
    const ranked = rankUnits([
      site('L01', '县经济开发区', { signed: 2 }),
      site('L03', '南洲镇', { leads: 1, overdueTasks: 1 }), // 2 − 2 = 0, one overdue
      site('L04', '华阁镇', { ...busy }), // 0, none overdue
      site('L05', '三仙湖镇', { leads: 6, overdueTasks: 1, escalations: 2 }), // 12 − 2 − 6 = 4
      site('L06', '茅草街镇', { leads: 2, quotaShortfalls: 1, overdueTasks: 1 }), // 4 − 3 − 2 = −1
    ], DEFAULT_POLICY);
    expect(ranked.map((r) => [r.unitName, r.score, r.rank, r.fromBottom, r.tied])).toEqual([
      ['县经济开发区', 20, 1, 5, false], ['三仙湖镇', 4, 2, 4, false], ['华阁镇', 0, 3, 3, false], ['南洲镇', 0, 4, 2, false], ['茅草街镇', -1, 5, 1, false],
    ]);
    // the units held to account are the last two after the tie-break, not all who share the score
    expect(accountability(ranked, null).map((a) => a.unitName)).toEqual(['南洲镇', '茅草街镇']);
    expect(placeOf(ranked[3])).toBe('4/5');
    // another order of keys in the policy: more leads first
    const leadsFirst = rankUnits([site('L03', '南洲镇', { leads: 1, overdueTasks: 1 }), site('L04', '华阁镇', { ...busy })], { ...DEFAULT_POLICY, rankingTieBreaks: ['leads'] });
    expect(leadsFirst.map((r) => r.unitName)).toEqual(['南洲镇', '华阁镇']);
  });

  it('marks units equal on the score and every tie-break 并列: they share the place, all tied at the bottom are held to account, the name decides nothing', () => {
    const ranked = rankUnits([
      site('L01', '县经济开发区', { signed: 2 }), site('L03', '南洲镇', busy), site('L04', '华阁镇', busy), site('L05', '三仙湖镇', busy), site('L06', '茅草街镇', { signed: 1 }),
    ], DEFAULT_POLICY);
    expect(ranked.map((r) => [r.unitId, r.rank, r.fromBottom, r.tied])).toEqual([
      ['L01', 1, 5, false], ['L06', 2, 4, false], ['L04', 3, 1, true], ['L03', 3, 1, true], ['L05', 3, 1, true],
    ]);
    expect(ranked.map(placeOf)).toEqual(['1/5', '2/5', '3/5（并列）', '3/5（并列）', '3/5（并列）']);
    expect(accountability(ranked, null).map((a) => a.unitId).sort()).toEqual(['L03', 'L04', 'L05']);
    // the next year one unit falls below the tie: the tie is second last (bottom two again), only that one is last again
    const below = rankUnits([site('L01', '县经济开发区', { signed: 1 }), site('L03', '南洲镇', busy), site('L04', '华阁镇', busy), site('L05', '三仙湖镇', { overdueTasks: 1 })], DEFAULT_POLICY);
    expect(accountability(below, ranked).map((a) => [a.unitId, a.steps])).toEqual([
      ['L04', ['INTERVIEW', 'REASSIGN']], ['L03', ['INTERVIEW', 'REASSIGN']], ['L05', ['INTERVIEW', 'REASSIGN', 'DISCIPLINE']],
    ]);
  });

  it('does not rank a unit with nothing to assess in the year, and holds nobody to account where all the ranked are equal', () => {
    const ranked = rankUnits([site('L01', '县经济开发区', { leads: 1 }), site('L03', '南洲镇', {}), site('L04', '华阁镇', { tasks: 2 })], DEFAULT_POLICY);
    expect(ranked.map((r) => [r.unitName, r.rank, r.of])).toEqual([['县经济开发区', 1, 2], ['华阁镇', 2, 2]]);
    expect(rankUnits([site('L01', '县经济开发区', {}), site('L03', '南洲镇', {})], DEFAULT_POLICY)).toEqual([]);
    const equal = rankUnits([site('L01', '县经济开发区', busy), site('L03', '南洲镇', busy), site('L04', '华阁镇', busy)], DEFAULT_POLICY);
    expect(equal.map((r) => [r.rank, r.tied])).toEqual([[1, true], [1, true], [1, true]]); // one shared place
    expect(accountability(equal, null)).toEqual([]);
    expect(accountability(equal, equal)).toEqual([]);
  });
});
