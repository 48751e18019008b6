// §4 工作日: due times count working days — weekends and the State Council's statutory holidays off,
// 调休 make-up days on — with the holiday table of npm `chinese-days`; a task is due at the end of its
// last working day (a policy time, default 17:30 Asia/Shanghai). A year the table does not cover counts
// weekends only (the caller says so once in its log: `uncoveredYears`).
//
// Pure and deterministic: the table is a value. What a running workflow uses must not change when a
// newer table is installed (replay), so a workflow receives the table it counts with as data — the
// table of the package as this module reads it (`CHINESE_DAYS_TABLE`) is only where that value comes from.
import chineseDays from 'chinese-days/dist/chinese-days.json';
import chineseDaysPackage from 'chinese-days/package.json';
import { DAY_MS } from './policy';
import { shanghaiDate } from './shanghai-time';

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

const yearsOf = (dates: string[]) => [...new Set(dates.map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);

/** The table of the installed `chinese-days` package. */
export const CHINESE_DAYS_TABLE: HolidayTable = (() => {
  const holidays = Object.keys(chineseDays.holidays).sort();
  const makeUpDays = Object.keys(chineseDays.workdays).sort();
  return { source: `chinese-days@${chineseDaysPackage.version}`, years: yearsOf(holidays), holidays, makeUpDays };
})();

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10); // of a UTC midnight
const weekend = (date: string) => [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

/** Whether the day is worked: a covered year by the table, another by the weekend alone. */
export function isWorkingDay(table: HolidayTable, date: string): boolean {
  if (!table.years.includes(Number(date.slice(0, 4)))) return !weekend(date);
  if (table.makeUpDays.includes(date)) return true;
  return !weekend(date) && !table.holidays.includes(date);
}

/**
 * The n-th working day after `from` (YYYY-MM-DD; `from` itself is not counted), and the years it
 * crossed that the table does not cover.
 */
export function addWorkingDays(table: HolidayTable, from: string, n: number): { date: string; uncoveredYears: number[] } {
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a number of working days: ${n}`);
  const uncovered = new Set<number>();
  let t = Date.parse(`${from}T00:00:00Z`);
  for (let left = n; left > 0;) {
    t += DAY_MS;
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
