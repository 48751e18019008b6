// §4 工作日: the holiday table of the installed npm `chinese-days` (the State Council's 放假安排 with
// their 调休 make-up days), as the value a workflow run pins (domain/working-days.ts). Read by whoever
// starts or refreshes a run — the API, the worker's activities, the scripts — never by workflow code:
// upgrading the package must not change the history of a running workflow.
import chineseDays from 'chinese-days/dist/chinese-days.json';
import chineseDaysPackage from 'chinese-days/package.json';
import { shanghaiYear } from './shanghai-time';
import { tableFrom, type HolidayTable } from './working-days';

const yearsOf = (dates: string[]) => [...new Set(dates.map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);

/** The whole table of the installed `chinese-days` package. */
export const CHINESE_DAYS_TABLE: HolidayTable = (() => {
  const holidays = Object.keys(chineseDays.holidays).sort();
  const makeUpDays = Object.keys(chineseDays.workdays).sort();
  return { source: `chinese-days@${chineseDaysPackage.version}`, years: yearsOf(holidays), holidays, makeUpDays };
})();

/**
 * What a run starting (or refreshing) at `nowMs` pins: the table from last year on (a ladder step early
 * in January counts back into December).
 */
export function holidaysForRuns(nowMs: number, table: HolidayTable = CHINESE_DAYS_TABLE): HolidayTable {
  return tableFrom(table, shanghaiYear(nowMs) - 1);
}

/**
 * The line a process logs once at start when the table does not cover this year or the next: due
 * times in those years count weekends only until a newer `chinese-days` is installed. Null when covered.
 */
export function holidayCoverageWarning(nowMs: number, table: HolidayTable = CHINESE_DAYS_TABLE): string | null {
  const year = shanghaiYear(nowMs);
  const missing = [year, year + 1].filter((y) => !table.years.includes(y));
  if (missing.length === 0) return null;
  const last = Math.max(...table.years);
  return `工作日：节假日表 ${table.source} 只覆盖到 ${last} 年；${missing.join('、')} 年的到期时间只扣除周末（法定节假日与调休未计入），`
    + '国务院办公厅公布放假安排、chinese-days 发布新版后请升级该依赖并重启 worker 与 API（运行中的项目在下一次月研判时取用新表）';
}
