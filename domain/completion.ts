// Completing a task (§3, §7): the checks that decide whether a completion is accepted, as pure
// functions. The workflow's Update validator runs them before anything is written.
import { DomainError, parseOrRefuse, zodIssues } from './errors';
import { groupNameOf, type Actor, type GroupKey } from './organisation';
import type { OutcomeContext, TaskTypeDef } from './pipeline';
import { lazySchema } from './lazy-schema';
import { text, TEXT_LENGTH } from './text';

/** §3: the comment of any outcome (required for some): text of a report's length. */
export const COMMENT = lazySchema(() => text(TEXT_LENGTH.long, 0));

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
    const allowed = Object.entries(def.outcomes).map(([code, o]) => `${code}（${o.label}）`).join('、');
    throw new DomainError('VALIDATION', `outcome：任务「${def.title}」（${def.type}）的办理结果只能是 ${allowed}`, [
      { field: 'outcome', message: `只能是 ${allowed}` },
    ]);
  }
  if (c.comment !== undefined) parseOrRefuse(COMMENT, c.comment, 'comment');
  if (outcome.commentRequired && !(c.comment && c.comment.trim() !== '')) {
    throw new DomainError('VALIDATION', `comment：办理结果「${outcome.label}」（${c.outcome}）须填写办理意见`, [{ field: 'comment', message: '此办理结果须填写办理意见' }]);
  }
  const parsed = outcome.data(ctx).safeParse(c.data ?? {});
  if (!parsed.success) {
    const details = zodIssues(parsed.error, 'data');
    throw new DomainError('VALIDATION', `任务「${def.title}」办理结果「${outcome.label}」（${c.outcome}）的数据有误：${details.map((d) => `${d.field}：${d.message}`).join('；')}`, details);
  }
  return parsed.data;
}

/** §1: only a member of the candidate group may complete a task (ADMIN is never a member). */
export function checkMember(actor: Actor, candidateGroup: GroupKey, taskId: string): void {
  if (!actor.groups.includes(candidateGroup)) {
    throw new DomainError('FORBIDDEN', `${actor.username} 不在任务 ${taskId} 的候选组「${groupNameOf(candidateGroup)}」（${candidateGroup}）中，不能办理此任务`);
  }
}
