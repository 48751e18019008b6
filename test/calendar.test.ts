// Asia/Shanghai calendar boundaries (八: 月研判, 季调度, 年总结): months, quarters and years begin at
// local midnight, which is 16:00 UTC the day before.
import { describe, expect, it } from 'vitest';
import { parsePeriod, periodsOf, quarterKeyOfDate, shanghaiDate, shanghaiInstant } from '../domain/shanghai-time';
import { quotaTable } from '../domain/trips';
import { DEFAULT_POLICY } from '../domain/policy';

describe('Asia/Shanghai periods', () => {
  it('puts a task due on 31 Dec 23:30 (Shanghai) in that year, and 00:30 on 1 Jan in the next', () => {
    const lateDec = shanghaiInstant(2026, 12, 31, 23, 30);
    expect(lateDec.toISOString()).toBe('2026-12-31T15:30:00.000Z');
    expect(periodsOf(lateDec).year.key).toBe('2026');
    expect(periodsOf(lateDec).quarter.key).toBe('2026-Q4');
    expect(periodsOf(lateDec).month.key).toBe('2026-12');
    const earlyJan = shanghaiInstant(2027, 1, 1, 0, 30);
    expect(earlyJan.toISOString()).toBe('2026-12-31T16:30:00.000Z'); // still 31 Dec in UTC
    expect(periodsOf(earlyJan).year.key).toBe('2027');
    expect(shanghaiDate(earlyJan)).toBe('2027-01-01');
  });

  it('gives each month, quarter and year its Shanghai start and end', () => {
    expect(parsePeriod('2026-02')).toMatchObject({ kind: 'MONTH', start: new Date('2026-01-31T16:00:00Z'), end: new Date('2026-02-28T16:00:00Z') });
    expect(parsePeriod('2026-Q4')).toMatchObject({ kind: 'QUARTER', start: new Date('2026-09-30T16:00:00Z'), end: new Date('2026-12-31T16:00:00Z') });
    expect(parsePeriod('2028')).toMatchObject({ kind: 'YEAR', start: new Date('2027-12-31T16:00:00Z'), end: new Date('2028-12-31T16:00:00Z') });
    expect(shanghaiInstant(2026, 6, 1, 9).toISOString()).toBe('2026-06-01T01:00:00.000Z'); // 月研判 on the 1st at 09:00
    for (const bad of ['2026-13', '2026-Q5', '26', '2026-1', 'x']) expect(parsePeriod(bad)).toBeNull();
    expect(['2026-03-31', '2026-04-01', '2026-12-31'].map(quarterKeyOfDate)).toEqual(['2026-Q1', '2026-Q2', '2026-Q4']);
  });
});

describe('三: trip quota', () => {
  it('asks ≥ 1 trip of a PRINCIPAL and ≥ 3 of a DEPUTY each quarter', () => {
    const people = [
      { personId: 'a', username: 'kfq_principal', displayName: '', unitId: 'L01', unitName: '县经济开发区', position: 'PRINCIPAL' as const },
      { personId: 'b', username: 'kfq_deputy', displayName: '', unitId: 'L01', unitName: '县经济开发区', position: 'DEPUTY' as const },
      { personId: 'c', username: 'kfq1', displayName: '', unitId: 'L01', unitName: '县经济开发区', position: 'STAFF' as const },
    ];
    const rows = quotaTable('2026-Q2', people, new Map([['a', 1], ['b', 1]]), DEFAULT_POLICY);
    expect(rows.map((r) => [r.username, r.required, r.made, r.shortfall])).toEqual([['kfq_principal', 1, 1, 0], ['kfq_deputy', 3, 1, 2]]);
  });
});

describe('八 月研判 agenda', () => {
  it('lists every active project, flagging stalled (> 60 days in a stage) and escalated (level ≥ 2) ones first', async () => {
    const { monthlyAgenda } = await import('../domain/agenda');
    const now = new Date('2026-06-01T01:00:00Z');
    const day = 86_400_000;
    const p = (id: string, days: number, level: number) => ({
      id, name: id, stage: 'NEGOTIATION', stageSince: new Date(now.getTime() - days * day), escalationLevel: level,
      responsibleUnitId: 'R00', landingSiteId: 'L03', plannedInvestmentWan: 1000,
    });
    const a = monthlyAgenda('2026-06', [p('fresh', 10, 0), p('stalled', 61, 0), p('escalated', 5, 2), p('both', 90, 3), p('edge', 60, 1)], now, DEFAULT_POLICY);
    expect(a.items.map((i) => [i.projectId, i.flags])).toEqual([
      ['both', ['STALLED', 'ESCALATED']], ['stalled', ['STALLED']], ['escalated', ['ESCALATED']], ['edge', []], ['fresh', []],
    ]);
    expect(a.flagged).toBe(3);
    expect(a.items[0]).toMatchObject({ stageName: '洽谈', escalationName: '三级督办', responsibleUnit: '县商务局(县投资促进服务中心)', landingSite: '南洲镇' });
  });
});

describe('八 季调度 boundaries', () => {
  it('publishes each quarter\'s 通报 in the first month of the next, and reminds of trip quotas in the third month', async () => {
    const { bulletinQuarter, quotaReminderQuarter } = await import('../domain/cycles');
    expect(['2027-01', '2027-02', '2027-04', '2027-07', '2027-10', '2027-12'].map(bulletinQuarter)).toEqual(['2026-Q4', null, '2027-Q1', '2027-Q2', '2027-Q3', null]);
    expect(['2027-03', '2027-04', '2027-06', '2027-12'].map(quotaReminderQuarter)).toEqual(['2027-Q1', null, '2027-Q2', '2027-Q4']);
  });
});
