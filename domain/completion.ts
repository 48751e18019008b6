// Completing a task (§3, §7): the checks that decide whether a completion is accepted, as pure
// functions. The workflow's Update validator runs them before anything is written.
import { DomainError, zodIssues } from './errors';
import type { Actor, GroupKey } from './organisation';
import type { OutcomeContext, TaskTypeDef } from './pipeline';

export interface Completion {
  taskId: string;
  outcome: string;
  comment?: string;
  data?: Record<string, unknown>;
}

/** Validates outcome, comment and data of a completion; returns the parsed data or throws DomainError('VALIDATION'). */
export function validateCompletion(def: TaskTypeDef, c: Completion, ctx: OutcomeContext): Record<string, unknown> {
  const outcome = def.outcomes[c.outcome];
  if (!outcome) {
    throw new DomainError('VALIDATION', `outcome must be one of ${Object.keys(def.outcomes).join(', ')} for ${def.type}`, [
      { field: 'outcome', message: `must be one of ${Object.keys(def.outcomes).join(', ')}` },
    ]);
  }
  if (outcome.commentRequired && !(c.comment && c.comment.trim() !== '')) {
    throw new DomainError('VALIDATION', `comment is required for outcome ${c.outcome}`, [{ field: 'comment', message: 'required for this outcome' }]);
  }
  const parsed = outcome.data(ctx).safeParse(c.data ?? {});
  if (!parsed.success) {
    const details = zodIssues(parsed.error, 'data');
    throw new DomainError('VALIDATION', `invalid data for ${def.type} / ${c.outcome}: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
  }
  return parsed.data;
}

/** §1: only a member of the candidate group may complete a task (ADMIN is never a member). */
export function checkMember(actor: Actor, candidateGroup: GroupKey, taskId: string): void {
  if (!actor.groups.includes(candidateGroup)) {
    throw new DomainError('FORBIDDEN', `${actor.username} is not in the candidate group ${candidateGroup} of task ${taskId}`);
  }
}
