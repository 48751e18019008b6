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

/**
 * 八: the clock the county calendar reads. The county's own is real time (no clock given). A rehearsal
 * (演练) runs the calendar from the county instant `from` at `speed` times real time, so that a year of
 * 月研判、季调度 and 年总结 passes in minutes on a staging deployment — and on the production Temporal
 * Server in the tests, which cannot skip time. Only the calendar's boundaries move: due dates and
 * ladders follow the policy's own durations, and the records carry real instants.
 */
export interface CalendarClock {
  /** the county instant the rehearsal starts at (ISO 8601) */
  from: string;
  /** county milliseconds per real millisecond (≥ 1) */
  speed: number;
  /** the real instant the rehearsal started (set by the calendar at its first run, carried on) */
  startedAt?: number;
}

/** The county instant at a real instant. */
export function countyInstant(clock: CalendarClock | undefined, real: number): number {
  if (!clock) return real;
  return Date.parse(clock.from) + (real - (clock.startedAt ?? real)) * clock.speed;
}

/** The real instant at which the county clock shows `county`. */
export function realInstant(clock: CalendarClock | undefined, county: number): number {
  if (!clock) return county;
  return (clock.startedAt ?? 0) + (county - Date.parse(clock.from)) / clock.speed;
}

/** The clock's problems (empty: a clock the calendar can run on). */
export function clockProblems(clock: CalendarClock): string[] {
  const problems: string[] = [];
  if (!Number.isFinite(Date.parse(clock.from))) problems.push(`from: 不是有效的时间（${clock.from}）`);
  if (!(Number.isFinite(clock.speed) && clock.speed >= 1)) problems.push(`speed: 须为不小于 1 的数（${clock.speed}）`);
  return problems;
}
