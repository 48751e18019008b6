// 八: the county's calendar — 月研判 every month, 季调度 every quarter, 年总结 every January — as
// instants in Asia/Shanghai. Pure; the county-calendar workflow sleeps until these.
import { monthPeriod, shanghaiInstant, shanghaiParts } from './shanghai-time';

/** 八 月研判: the 1st of every month at 09:00. */
export const MONTHLY_RUN = { day: 1, hour: 9 } as const;
/** 八 月研判: the progress reports are due at the end of the 5th. */
export const MONTHLY_PROGRESS_DUE_DAY = 5;

export interface MonthlyRun { month: string; at: Date; progressDueAt: Date }

export function monthlyRun(year: number, month: number): MonthlyRun {
  return {
    month: monthPeriod(year, month).key,
    at: shanghaiInstant(year, month, MONTHLY_RUN.day, MONTHLY_RUN.hour),
    progressDueAt: shanghaiInstant(year, month, MONTHLY_PROGRESS_DUE_DAY + 1), // the end of the 5th
  };
}

/** The first monthly run strictly after an instant. */
export function nextMonthlyRun(after: Date | number): MonthlyRun {
  const t = typeof after === 'number' ? after : after.getTime();
  const { year, month } = shanghaiParts(t);
  const thisMonth = monthlyRun(year, month);
  if (thisMonth.at.getTime() > t) return thisMonth;
  return month === 12 ? monthlyRun(year + 1, 1) : monthlyRun(year, month + 1);
}

/** 八 季调度: the first monthly run of a quarter also publishes the 通报 of the quarter before. */
export function bulletinQuarter(month: string): string | null {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  if ((m - 1) % 3 !== 0) return null;
  return m === 1 ? `${y - 1}-Q4` : `${y}-Q${(m - 1) / 3}`;
}

/** 三: one month before a quarter ends (the 1st of its third month) people short of their trip quota are reminded. */
export function quotaReminderQuarter(month: string): string | null {
  const m = Number(month.slice(5, 7));
  return m % 3 === 0 ? `${month.slice(0, 4)}-Q${m / 3}` : null;
}
