// §4 Timed escalation, without manual follow-up (clauses 八, 十一): when each step of a task's
// ladder falls, relative to its due time D.
import type { LadderStep } from './events';
import { DAY_MS, type Policy } from './policy';

export interface LadderPoint { step: LadderStep; at: number }

export function ladderSchedule(createdAt: number, dueAt: number, policy: Policy): LadderPoint[] {
  const l = policy.ladder;
  const points: LadderPoint[] = [
    { step: 'REMINDER', at: dueAt - l.reminderBeforeDays * DAY_MS }, // D − 2: reminder to the candidate group
    { step: 'OVERDUE', at: dueAt }, // D: OVERDUE, the DEPUTY of the group's unit
    { step: 'LEVEL_2', at: dueAt + l.level2AfterDays * DAY_MS }, // D + 7: the unit's PRINCIPAL
    { step: 'LEVEL_3', at: dueAt + l.level3AfterDays * DAY_MS }, // D + 15: VICE_HEAD
    { step: 'LEVEL_4', at: dueAt + l.level4AfterDays * DAY_MS }, // D + 30: COUNTY_HEAD
  ];
  // a task due within the reminder window gets no reminder before its creation
  return points.filter((p) => p.step !== 'REMINDER' || p.at > createdAt);
}

export const LADDER_STEP_NAMES: Record<LadderStep, string> = {
  REMINDER: '到期提醒', OVERDUE: '已逾期', LEVEL_2: '二级督办', LEVEL_3: '三级督办', LEVEL_4: '四级督办',
};

/** The name of an escalation level (0 none, 1 OVERDUE, 2–4 the ladder levels). */
export const LEVEL_NAMES = ['', '已逾期', '二级督办', '三级督办', '四级督办'] as const;
