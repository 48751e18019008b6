// The projection events a workflow emits, in order (seq) — a project's, or the county calendar's for
// its own tasks — and that the projection activity writes to the database: the Project row, Task rows,
// the timeline and the notification outbox.
import type { Policy } from './policy';
import { projectIdOf, type ProjectFields } from './project';
import type { ActiveStage, Stage, TaskTypeName } from './pipeline';
import type { GroupKey } from './organisation';
import type { SpecialDispatchTrigger } from './special-dispatch';

export type TaskStatus = 'OPEN' | 'CLAIMED' | 'COMPLETED' | 'CANCELLED';

/** A task as the API shows it (§7 task shape, without the project's number which the reader adds). */
export interface TaskView {
  id: string;
  /** the project, or null for a task of the county calendar (meetings, accountability) */
  projectId: string | null;
  type: TaskTypeName;
  title: string;
  /** the pipeline stage the task gates, or for a side task the stage it was raised at; null for a county task */
  stage: ActiveStage | null;
  /** what a side task is about (a factor issue's category and description), else null */
  context: Record<string, unknown> | null;
  /** the signer index of a multi-step task (contract.signoff), else 0 */
  step: number;
  candidateGroup: GroupKey;
  status: TaskStatus;
  claimedBy: string | null;
  createdAt: string;
  dueAt: string;
  /** 0 none, 1 OVERDUE, 2–4 the ladder levels of §4 */
  escalationLevel: number;
  outcomes: string[];
}

/** §4: the steps of the escalation ladder. */
export type LadderStep = 'REMINDER' | 'OVERDUE' | 'LEVEL_2' | 'LEVEL_3' | 'LEVEL_4';
export const LADDER_LEVEL: Record<LadderStep, number> = { REMINDER: 0, OVERDUE: 1, LEVEL_2: 2, LEVEL_3: 3, LEVEL_4: 4 };

interface Base { seq: number; at: string }

export type ProjectionEvent = Base & (
  | { kind: 'PROJECT_REGISTERED'; actor: string; project: ProjectFields; stage: Stage; policy: Policy; policyVersion?: number }
  | { kind: 'POLICY_APPLIED'; actor: string; from: number; to: number; policy: Policy }
  | { kind: 'PROJECT_REROUTED'; actor: string; reason: string; changes: Record<string, { old: unknown; new: unknown }>; moved: { taskId: string; taskType: TaskTypeName; from: GroupKey; to: GroupKey }[] }
  | { kind: 'STAGE_CHANGED'; from: Stage; to: Stage; patch: Partial<ProjectFields>; reason?: string; actor?: string }
  | { kind: 'PROJECT_AMENDED'; actor: string; reason: string; changes: Record<string, { old: unknown; new: unknown }> }
  | { kind: 'FACTOR_ISSUE_RAISED'; actor: string; taskId: string; issue: Record<string, unknown> }
  | { kind: 'SPECIAL_DISPATCH_OPENED'; taskId: string; trigger: SpecialDispatchTrigger; reason: string; actor?: string }
  | { kind: 'TASK_CREATED'; task: TaskView }
  | { kind: 'TASK_CLAIMED'; taskId: string; taskType: TaskTypeName; actor: string }
  | { kind: 'TASK_ASSIGNED'; taskId: string; taskType: TaskTypeName; actor: string; assignee: string | null }
  | { kind: 'TASK_COMPLETED'; taskId: string; taskType: TaskTypeName; actor: string; outcome: string; comment: string | null; data: Record<string, unknown> }
  | { kind: 'TASK_CANCELLED'; taskId: string; taskType: TaskTypeName; reason: string }
  | { kind: 'TASK_LADDER'; taskId: string; taskType: TaskTypeName; step: LadderStep; level: number; candidateGroup: GroupKey; dueAt: string }
);

/** A batch the projection refused for good, on record without its data. */
export interface ProjectionFailure { workflowId: string; projectId: string | null; firstSeq: number; lastSeq: number; kinds: string; error: string }

/** The record of a refused batch, for whoever wrote it: the workflow's journal, or the monthly fan-out. */
export const projectionFailureOf = (workflowId: string, batch: ProjectionEvent[], error: string): ProjectionFailure => ({
  workflowId, projectId: projectIdOf(workflowId), firstSeq: batch[0].seq, lastSeq: batch[batch.length - 1].seq,
  kinds: batch.map((b) => b.kind).join(','), error,
});
