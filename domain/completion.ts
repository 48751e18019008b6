// Completing a task (§3, §7): the checks that decide whether a completion is accepted, as pure
// functions. The workflow's Update validator runs them before anything is written.
import { DomainError, parseOrRefuse, zodIssues } from './errors';
import type { Actor, GroupKey } from './organisation';
import type { OutcomeContext, TaskTypeDef } from './pipeline';
import { text, TEXT_LENGTH } from './text';

/** §3: the comment of any outcome (required for some): text of a report's length. */
export const COMMENT = text(TEXT_LENGTH.long, 0);

export interface Completion {
  taskId: string;
  outcome: string;
  comment?: string;
  data?: Record<string, unknown>;
}

/** JSON with the keys of every object in order: equal values give equal text, whatever order their keys came in. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/**
 * What makes two completions of a task the same completion (§7: a repeat is answered as the first):
 * the outcome, the comment and the data — a repeat with other data or another comment is another
 * completion, refused as a conflict.
 */
export const completionFingerprint = (c: Completion): string =>
  canonicalJson({ outcome: c.outcome, comment: c.comment?.trim() || null, data: c.data ?? {} });

/** Validates outcome, comment and data of a completion; returns the parsed data or throws DomainError('VALIDATION'). */
export function validateCompletion(def: TaskTypeDef, c: Completion, ctx: OutcomeContext): Record<string, unknown> {
  const outcome = def.outcomes[c.outcome];
  if (!outcome) {
    throw new DomainError('VALIDATION', `outcome must be one of ${Object.keys(def.outcomes).join(', ')} for ${def.type}`, [
      { field: 'outcome', message: `must be one of ${Object.keys(def.outcomes).join(', ')}` },
    ]);
  }
  if (c.comment !== undefined) parseOrRefuse(COMMENT, c.comment, 'comment');
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
