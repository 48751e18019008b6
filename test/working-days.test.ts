// §4 工作日 (domain/working-days.ts): due times in working days with the chinese-days table — the
// National Day week of 2026 with its 调休 make-up day, and a year the table does not cover.
import { describe, expect, it } from 'vitest';
import { CHINESE_DAYS_TABLE } from '../domain/holiday-table';
import { addWorkingDays, dueAtOf, isWorkingDay, type HolidayTable } from '../domain/working-days';

describe('§4 working days', () => {
  it('counts a task of 3 working days opened on Wednesday 30 September 2026 to the end of Saturday 10 October (国庆 off, the 10th a 调休 make-up day)', () => {
    expect(CHINESE_DAYS_TABLE.years).toContain(2026);
    expect(['2026-10-01', '2026-10-07', '2026-10-08', '2026-10-10', '2026-10-11'].map((d) => isWorkingDay(CHINESE_DAYS_TABLE, d))).toEqual([false, false, true, true, false]);
    expect(addWorkingDays(CHINESE_DAYS_TABLE, '2026-09-30', 3)).toEqual({ date: '2026-10-10', uncoveredYears: [] });
    // opened at 10:00 Shanghai time on the 30th: due at 17:30 on the 10th
    const { dueAtMs } = dueAtOf(CHINESE_DAYS_TABLE, Date.parse('2026-09-30T10:00:00+08:00'), 3);
    expect(new Date(dueAtMs).toISOString()).toBe('2026-10-10T09:30:00.000Z');
    // opened late in the evening of the 30th in UTC terms is still the 30th in Shanghai
    expect(new Date(dueAtOf(CHINESE_DAYS_TABLE, Date.parse('2026-09-30T15:00:00Z'), 3).dueAtMs).toISOString()).toBe('2026-10-10T09:30:00.000Z');
    // and the end of the working day is a policy time
    expect(new Date(dueAtOf(CHINESE_DAYS_TABLE, Date.parse('2026-09-30T10:00:00+08:00'), 3, '18:00').dueAtMs).toISOString()).toBe('2026-10-10T10:00:00.000Z');
  });

  it('counts weekends only in a year the table does not cover, and says which', () => {
    const year = Math.max(...CHINESE_DAYS_TABLE.years) + 1; // 2027 with chinese-days 1.5.7
    // 30 September of that year, then three weekdays (1 October is not known as a holiday there)
    const from = `${year}-09-30`;
    const r = addWorkingDays(CHINESE_DAYS_TABLE, from, 3);
    const weekdays: string[] = [];
    for (let t = Date.parse(`${from}T00:00:00Z`) + 864e5; weekdays.length < 3; t += 864e5) {
      const d = new Date(t);
      if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) weekdays.push(d.toISOString().slice(0, 10));
    }
    expect(r).toEqual({ date: weekdays[2], uncoveredYears: [year] });
  });

  it('counts with the table it is given: a run holding an older table keeps its due times when a newer one is installed', () => {
    const older: HolidayTable = { source: 'test@0', years: [2026], holidays: [], makeUpDays: [] }; // knew nothing of 国庆
    expect(addWorkingDays(older, '2026-09-30', 3).date).toBe('2026-10-05');
    expect(addWorkingDays(CHINESE_DAYS_TABLE, '2026-09-30', 3).date).toBe('2026-10-10');
    expect(addWorkingDays(older, '2026-09-30', 3).date).toBe('2026-10-05');
  });
});
