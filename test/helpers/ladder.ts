// When the §4 ladder of a task falls, counted as the workflow counts it: the policy's day counting
// with the holiday table a new run pins (the installed chinese-days', from last year on).
import { CHINESE_DAYS_TABLE } from '../../domain/holiday-table';
import type { LadderStep } from '../../domain/events';
import { ladderSchedule } from '../../domain/ladder';
import { DEFAULT_POLICY, type Policy } from '../../domain/policy';
import { dayClock, type HolidayTable } from '../../domain/working-days';

type Instant = string | Date | number;
const ms = (t: Instant) => (typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime());

/** The instant of each ladder step of a task (REMINDER absent when the task was due within its window). */
export function ladderAt(task: { createdAt: Instant; dueAt: Instant }, policy: Policy = DEFAULT_POLICY, table: HolidayTable = CHINESE_DAYS_TABLE): Partial<Record<LadderStep, number>> & Record<Exclude<LadderStep, 'REMINDER'>, number> {
  const points = ladderSchedule(ms(task.createdAt), ms(task.dueAt), policy, dayClock(policy, table));
  return Object.fromEntries(points.map((p) => [p.step, p.at])) as ReturnType<typeof ladderAt>;
}

/** When a task of `days` opened at `openedAt` is due under the policy (working days by default). */
export function dueAtUnder(openedAt: Instant, days: number, policy: Policy = DEFAULT_POLICY, table: HolidayTable = CHINESE_DAYS_TABLE): number {
  return dayClock(policy, table).dueAt(ms(openedAt), days);
}
