// §4 Timed escalation, without manual follow-up (clauses 八, 十一): when each step of a task's
// ladder falls, relative to its due time D.
// The offsets count working days unless the policy counts the ladder in calendar days (§4 工作日).
import type { LadderStep } from './events';
import type { Policy } from './policy';
import { dayClock, type DayClock } from './working-days';

export interface LadderPoint { step: LadderStep; at: number }

/** The ladder of a task created at `createdAt` and due at `dueAt`, counted with the run's day clock (calendar days without one). */
export function ladderSchedule(createdAt: number, dueAt: number, policy: Policy, clock: DayClock = dayClock(policy, null)): LadderPoint[] {
  const l = policy.ladder;
  const points: LadderPoint[] = [
    { step: 'REMINDER', at: clock.shift(dueAt, -l.reminderBeforeDays) }, // D − 2: reminder to the candidate group
    { step: 'OVERDUE', at: dueAt }, // D: OVERDUE, the DEPUTY of the group's unit
    { step: 'LEVEL_2', at: clock.shift(dueAt, l.level2AfterDays) }, // D + 7: the unit's PRINCIPAL
    { step: 'LEVEL_3', at: clock.shift(dueAt, l.level3AfterDays) }, // D + 15: VICE_HEAD
    { step: 'LEVEL_4', at: clock.shift(dueAt, l.level4AfterDays) }, // D + 30: COUNTY_HEAD
  ];
  // a task due within the reminder window gets no reminder before its creation
  return points.filter((p) => p.step !== 'REMINDER' || p.at > createdAt);
}

export const LADDER_STEP_NAMES: Record<LadderStep, string> = {
  REMINDER: '到期提醒', OVERDUE: '已逾期', LEVEL_2: '二级督办', LEVEL_3: '三级督办', LEVEL_4: '四级督办',
};

/** The name of an escalation level (0 none, 1 OVERDUE, 2–4 the ladder levels). */
export const LEVEL_NAMES = ['', '已逾期', '二级督办', '三级督办', '四级督办'] as const;
