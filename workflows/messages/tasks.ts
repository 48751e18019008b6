// The messages people send to any workflow that keeps tasks (a project's and the county calendar's
// alike, §7): complete, claim, assign / release. Defined once, imported by both workflows (through
// the task book), the API, the activities and the tests.
import { defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/organisation';
import type { Completion } from '../../domain/completion';
import type { ProjectionEvent, TaskView } from '../../domain/events';
import type { Stage } from '../../domain/pipeline';
import type { HolidayTable } from '../../domain/working-days';

/** The part of a workflow's state that holds its tasks; carried across continue-as-new. */
export interface TaskBookState {
  taskCounter: number;
  open: Record<string, TaskView>;
  /** per open task, how many steps of its escalation ladder (§4) have been taken */
  ladder: Record<string, number>;
  completed: Record<string, CompletedTask>;
  /**
   * §4 工作日: the holiday table the run counts working days with — pinned when the workflow started,
   * replaced only by a table its history records (the 月研判's monthly Update, an activity's result).
   * Absent in a run started before working days: it counts calendar days.
   */
  holidays?: HolidayTable;
}

/** What a completed task keeps: enough to answer a repeated completion the same way (§7). */
export interface CompletedTask {
  outcome: string;
  /** completionFingerprint of the completion (absent in a task completed by an older run: the outcome alone decides) */
  fingerprint?: string;
  candidateGroup: string;
  result: CompletionResult;
}

export interface CompleteTaskInput extends Completion {
  actor: Actor;
  /**
   * Issue 15: the caller (the API) writes the completion's events itself from `unwritten` in the answer,
   * so the answer does not wait for the projection activity; the workflow writes them too, right after
   * (idempotent: whichever comes second writes nothing). Absent in Updates sent before: they replay as sent.
   */
  projectedByCaller?: boolean;
  /**
   * With projectedByCaller: the workflow's search attributes and details (the Temporal Web UI's view) are
   * set after the projection activity's write, not in the workflow task that answers (issue 15). Absent
   * in Updates sent before: they replay as sent.
   */
  publishAfterWrite?: boolean;
}

export interface ClaimTaskInput {
  taskId: string;
  actor: Actor;
}

/** §1: ADMIN assigns a task to a member of its candidate group, or releases it (assignee null); the claimer may release their own claim. */
export interface AssignTaskInput { taskId: string; actor: Actor; assignee: Actor | null }

export interface CompletionResult {
  taskId: string;
  outcome: string;
  /** the project, or null for a task of the county calendar */
  projectId: string | null;
  /** the project's stage after the completion, or null for a task of the county calendar */
  stage: Stage | null;
  openTasks: TaskView[];
  /** with projectedByCaller: the workflow's events not yet written (the completion's among them), in order */
  unwritten?: ProjectionEvent[];
}

/** §7 POST /tasks/:id/complete — validated before anything is written; idempotent. */
export const completeTaskUpdate = defineUpdate<CompletionResult, [CompleteTaskInput]>('completeTask');
/** §7 POST /tasks/:id/claim */
export const claimTaskUpdate = defineUpdate<TaskView, [ClaimTaskInput]>('claimTask');
/** §1 POST /tasks/:id/assign and /unclaim */
export const assignTaskUpdate = defineUpdate<TaskView, [AssignTaskInput]>('assignTask');
