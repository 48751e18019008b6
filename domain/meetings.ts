// 八 月研判 and 季调度: what the two county meetings decide, project by project. The meeting tasks
// (meeting.monthlyReview for the 分管副县长, meeting.quarterlyDispatch for the 县长) carry their agenda
// in the task's context; their outcome data is a list of decisions on projects of that agenda.
//   continue    继续推进 — nothing more (also what an agenda item without a decision means)
//   coordinate  协调督办 — the instruction becomes a project.coordination task for the named unit
//   escalate    提请县长调度 (monthly only) — the project goes on the next quarterly dispatch list
//   terminate   终止项目 (quarterly only) — the project's workflow is terminated with the instruction as reason
import { z } from 'zod';
import { text, TEXT_LENGTH } from './text';
import { UNITS } from './units';

export const DECISION_NAMES = { continue: '继续推进', coordinate: '协调督办', escalate: '提请县长调度', terminate: '终止项目' } as const;
export type DecisionKind = keyof typeof DECISION_NAMES;
export const MONTHLY_DECISIONS = ['continue', 'coordinate', 'escalate'] as const satisfies readonly DecisionKind[];
export const DISPATCH_DECISIONS = ['continue', 'coordinate', 'terminate'] as const satisfies readonly DecisionKind[];

/** One project on a meeting's agenda (the task's context holds the whole list). */
export interface MeetingItem {
  projectId: string;
  name: string;
  stageName: string;
  /** why it is on the agenda in particular: 停滞 / 督办 (monthly), 四级督办 / 停滞N天 / 月研判提请 (quarterly) */
  reasons: string[];
}
export interface MeetingContext {
  /** the month (YYYY-MM) or quarter (YYYY-Qn) the meeting is held for */
  period: string;
  items: MeetingItem[];
}

export interface Decision {
  projectId: string;
  decision: DecisionKind;
  /** coordinate: the unit that is to act */
  unitId?: string;
  /** coordinate: the instruction; escalate and terminate: the reason */
  instruction?: string;
}

/** A decision that acts on a project's workflow (八): an instruction to a unit, or termination. */
export interface DecisionAct { projectId: string; decision: 'coordinate' | 'terminate'; unitId?: string; instruction: string }
/** What carrying out a DecisionAct did: a coordination task opened, the project terminated, or it had ended already. */
export interface DecisionResult { projectId: string; decision: 'coordinate' | 'terminate'; result: 'OPENED' | 'TERMINATED' | 'ENDED'; taskId?: string }

/** The outcome data of a meeting task: decisions on projects of its agenda, each at most once. */
export function decisionsSchema(kinds: readonly DecisionKind[], context: Record<string, unknown> | null | undefined) {
  const items = (context as MeetingContext | null)?.items ?? [];
  const agenda = new Set(items.map((i) => i.projectId));
  // what the meeting's form shows (domain/forms.ts reads `title`, `description`, `choiceLabels`): metadata only
  const ids = [...agenda];
  const projectId = ids.length
    ? z.enum(ids as [string, ...string[]], { error: '不在本次会议的议程上' })
      .meta({ title: '项目', choiceLabels: Object.fromEntries(items.map((i) => [i.projectId, `${i.projectId} ${i.name}`])) })
    : z.string().refine((id) => agenda.has(id), '不在本次会议的议程上').meta({ title: '项目' });
  const decision = z.strictObject({
    projectId,
    decision: z.enum(kinds as [DecisionKind, ...DecisionKind[]]).meta({ title: '决定', choiceLabels: Object.fromEntries(kinds.map((k) => [k, DECISION_NAMES[k]])) }),
    unitId: z.enum(UNITS.map((u) => u.id) as [string, ...string[]], { error: '不是附件所列的单位' })
      .meta({ title: '协调单位', description: '协调督办时必填：承办指示的单位', choiceLabels: Object.fromEntries(UNITS.map((u) => [u.id, u.name])), unitCategory: 'ANY' }).optional(),
    instruction: text(TEXT_LENGTH.note, 2).meta({ title: '指示', description: '除“继续推进”外必填' }).optional(),
  }).superRefine((d, ctx) => {
    if (d.decision === 'coordinate' && !d.unitId) ctx.addIssue({ code: 'custom', path: ['unitId'], message: `决定为“${DECISION_NAMES.coordinate}”时必填` });
    if (d.decision !== 'continue' && !d.instruction) ctx.addIssue({ code: 'custom', path: ['instruction'], message: `决定为“${DECISION_NAMES[d.decision]}”时必填` });
  });
  return z.strictObject({
    decisions: z.array(decision).default([]).meta({ title: '会议决定', description: '议程上的项目，每个至多一项决定' }).superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((d, i) => {
        if (seen.has(d.projectId)) ctx.addIssue({ code: 'custom', path: [i, 'projectId'], message: '同一项目只能作一项决定' });
        seen.add(d.projectId);
      });
    }),
  });
}
