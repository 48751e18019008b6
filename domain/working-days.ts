// §4 工作日: due times count working days — weekends and the State Council's statutory holidays off,
// 调休 make-up days on — with the holiday table of npm `chinese-days`; a task is due at the end of its
// last working day (a policy time, default 17:30 Asia/Shanghai). A year the table does not cover counts
// weekends only (the caller says so once in its log: `uncoveredYears`).
//
// Pure and deterministic: the table is a value. What a running workflow uses must not change when a
// newer table is installed (replay), so a workflow receives the table it counts with as data (pinned in
// its input, replaced only by what its history records) — the installed package's table
// (./holiday-table.ts) is only where that value comes from, and workflow code never imports it.
import { DAY_MS, type Policy } from './policy';
import { SHANGHAI_OFFSET_MS, shanghaiDate } from './shanghai-time';

export interface HolidayTable {
  /** where the table comes from, e.g. chinese-days@1.5.7 */
  source: string;
  /** the years the table covers (it lists their holidays and make-up days) */
  years: number[];
  /** statutory holidays that fall on days that would otherwise be worked, YYYY-MM-DD */
  holidays: string[];
  /** 调休: weekend days that are worked, YYYY-MM-DD */
  makeUpDays: string[];
}

/** The part of a table from `fromYear` on: what a workflow run pins (small enough for its input). */
export function tableFrom(table: HolidayTable, fromYear: number): HolidayTable {
  const keep = (d: string) => Number(d.slice(0, 4)) >= fromYear;
  return { source: table.source, years: table.years.filter((y) => y >= fromYear), holidays: table.holidays.filter(keep), makeUpDays: table.makeUpDays.filter(keep) };
}

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10); // of a UTC midnight
const weekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

/** Whether the day is worked: a covered year by the table, another by the weekend alone. */
export function isWorkingDay(table: HolidayTable, date: string): boolean {
  if (!table.years.includes(Number(date.slice(0, 4)))) return !weekend(date);
  if (table.makeUpDays.includes(date)) return true;
  return !weekend(date) && !table.holidays.includes(date);
}

/**
 * The n-th working day after `from` (YYYY-MM-DD; `from` itself is not counted; n < 0 counts back), and
 * the years it crossed that the table does not cover.
 */
export function addWorkingDays(table: HolidayTable, from: string, n: number): { date: string; uncoveredYears: number[] } {
  if (!Number.isInteger(n)) throw new Error(`not a whole number of working days: ${n}`);
  const uncovered = new Set<number>();
  const step = n < 0 ? -DAY_MS : DAY_MS;
  let t = Date.parse(`${from}T00:00:00Z`);
  for (let left = Math.abs(n); left > 0;) {
    t += step;
    const date = dateOf(t);
    if (!table.years.includes(Number(date.slice(0, 4)))) uncovered.add(Number(date.slice(0, 4)));
    if (isWorkingDay(table, date)) left--;
  }
  return { date: dateOf(t), uncoveredYears: [...uncovered] };
}

/**
 * §4: when a task opened at `openedAtMs` with `workingDays` to do is due — the end of its last working
 * day, at `endOfDay` (HH:MM, Asia/Shanghai). Counting starts the day after it was opened.
 */
export function dueAtOf(table: HolidayTable, openedAtMs: number, workingDays: number, endOfDay = '17:30'): { dueAtMs: number; uncoveredYears: number[] } {
  const opened = shanghaiDate(openedAtMs);
  const { date, uncoveredYears } = addWorkingDays(table, opened, workingDays);
  return { dueAtMs: Date.parse(`${date}T${endOfDay}:00+08:00`), uncoveredYears };
}

/** The same Asia/Shanghai time of day, `n` working days later (n < 0: earlier). */
export function shiftWorkingDays(table: HolidayTable, atMs: number, n: number): number {
  const timeOfDay = (atMs + SHANGHAI_OFFSET_MS) % DAY_MS;
  const { date } = addWorkingDays(table, shanghaiDate(atMs), n);
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS + timeOfDay;
}

// ── how a workflow counts its days (§4) ─────────────────────────────────────────────────────────

export type DayCount = 'WORKING' | 'CALENDAR';
/** §4: how due times and the ladder's offsets count, and when a working day ends. */
export interface DayCounting { dueDays: DayCount; ladder: DayCount; endOfWorkingDay: string }
/** What a run counts with when its policy names no day counting or it holds no table: the calendar days of the runs before working days. */
export const CALENDAR_DAYS: DayCounting = { dueDays: 'CALENDAR', ladder: 'CALENDAR', endOfWorkingDay: '17:30' };

/**
 * §4: the day arithmetic of a workflow run — its policy's counting with the holiday table it holds.
 * A run started before working days (a policy without `dayCounting`, or no table pinned) keeps
 * counting calendar days, so its history replays as it was recorded.
 */
export function dayClock(policy: Policy, table: HolidayTable | null | undefined) {
  const counting: DayCounting = table && policy.dayCounting ? policy.dayCounting : CALENDAR_DAYS;
  return {
    counting,
    /** the due instant of a task opened at `openedAtMs` with `days` to do */
    dueAt(openedAtMs: number, days: number): number {
      return counting.dueDays === 'WORKING' && table
        ? dueAtOf(table, openedAtMs, days, counting.endOfWorkingDay).dueAtMs
        : openedAtMs + days * DAY_MS;
    },
    /** an instant moved by `days` of the ladder (negative: earlier) */
    shift(atMs: number, days: number): number {
      return counting.ladder === 'WORKING' && table ? shiftWorkingDays(table, atMs, days) : atMs + days * DAY_MS;
    },
  };
}
export type DayClock = ReturnType<typeof dayClock>;
