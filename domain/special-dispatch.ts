// 八 专题调度: the 县委专职副书记, 第一召集人 of the county's investment work, "对项目建设中的重大问题进行
// 专题调度". A project's workflow opens a meeting.specialDispatch task for role DEPUTY_SECRETARY when a
// major problem meets the policy's condition (specialDispatch in policy.ts), or when the 县长 or a
// 分管副县长 asks for one with a reason (POST /api/v1/projects/:id/special-dispatch). Its decisions
// (domain/pipeline.ts, the task type) are the monthly meeting's: coordinate (an instruction that becomes
// a project.coordination task for a named unit), escalate (the project goes on the 县长's next quarterly
// dispatch list, with the reason), close. Pure: the workflow, the API and the 通报 read it.
import { z } from 'zod';
import { DomainError } from './errors';
import { lazySchema } from './lazy-schema';
import { group, type Actor } from './organisation';
import { DEFAULT_POLICY, type Policy } from './policy';
import { text, TEXT_LENGTH } from './text';
import type { TaskView } from './events';

/** What opened a special dispatch: the policy's condition of a major problem, or a request. */
export const SPECIAL_DISPATCH_TRIGGERS = {
  FACTOR_ESCALATION_OVERDUE: '提请分管副县长协调的要素保障问题逾期未解决',
  ESCALATED_WITH_FACTOR_ISSUE: '项目督办已升至政策规定的级别（默认四级：县长）且有要素保障问题未解决',
  REQUEST: '县长/分管副县长提请',
} as const;
export type SpecialDispatchTrigger = keyof typeof SPECIAL_DISPATCH_TRIGGERS;

/** The request body: why the 县长 or 分管副县长 asks for a special dispatch. */
export const SpecialDispatchRequest = lazySchema(() => z.strictObject({
  reason: text(TEXT_LENGTH.note, 2).describe('提请专题调度的事由，如：项目用地指标迟迟未落实，需县委专职副书记专题调度'),
}));

/** 八: the 县长 (总召集人) and the 分管副县长 (召集人) may ask the 第一召集人 for a special dispatch. */
export function checkSpecialDispatchRequest(actor: Actor): void {
  if (!actor.groups.includes(group.role('COUNTY_HEAD')) && !actor.groups.includes(group.role('VICE_HEAD'))) {
    throw new DomainError('FORBIDDEN', '只有县长或分管副县长可以提请专题调度（八）');
  }
}

/** The policy's condition (default DEFAULT_POLICY.specialDispatch; a run started under an older policy has none of its own). */
export const specialDispatchRule = (policy: Policy): Policy['specialDispatch'] => policy.specialDispatch ?? DEFAULT_POLICY.specialDispatch;

const FACTOR_TYPES = new Set(['factor.issue', 'factor.escalation']);
/** The factor issue a task belongs to: the factor.issue task it started from (an escalation names it as fromTask). */
const factorRoot = (t: TaskView) => (t.type === 'factor.escalation' && typeof t.context?.fromTask === 'string' ? t.context.fromTask : t.id);

/**
 * 八: whether the project's open tasks now meet the policy's condition of a major problem, and about
 * which factor issue (each factor issue gives rise to one special dispatch at most: `dispatched` holds
 * the issues already taken up). Read after every step of a ladder.
 */
export function specialDispatchDue(policy: Policy, open: readonly TaskView[], dispatched: Readonly<Record<string, string>>):
  { trigger: Exclude<SpecialDispatchTrigger, 'REQUEST'>; factorTask: TaskView } | null {
  const rule = specialDispatchRule(policy);
  const factors = open.filter((t) => FACTOR_TYPES.has(t.type) && !dispatched[factorRoot(t)]);
  if (factors.length === 0) return null;
  // a factor issue the 分管副县长 was asked to coordinate, still open past its due time (OVERDUE and on)
  if (rule.factorEscalationOverdue) {
    const overdue = factors.find((t) => t.type === 'factor.escalation' && t.escalationLevel >= 1);
    if (overdue) return { trigger: 'FACTOR_ESCALATION_OVERDUE', factorTask: overdue };
  }
  // the project escalated to the ladder's level the policy names (4: the 县长) while a factor issue is open
  const level = rule.escalationLevelWithFactorIssue;
  if (level !== null && open.some((t) => t.escalationLevel >= level)) {
    return { trigger: 'ESCALATED_WITH_FACTOR_ISSUE', factorTask: factors[0] };
  }
  return null;
}

/** The factor issue a special dispatch is about, as its agenda shows it. */
export const factorRootOf = factorRoot;
