// Messages of the project workflow (九, 十四): its name, input, state, Updates and Query — defined once
// and imported by the workflow, the API, the activities and the tests. The Updates on its tasks are
// in ./tasks.
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor } from '../../domain/organisation';
import type { ProjectionEvent, TaskView } from '../../domain/events';
import type { Policy } from '../../domain/policy';
import type { ProjectFields } from '../../domain/project';
import type { FactorIssue, Stage, TaskTypeName } from '../../domain/pipeline';
import type { Amendment } from '../../domain/side-actions';
import type { HolidayTable } from '../../domain/working-days';
import type { TaskBookState } from './tasks';

export const PROJECT_WORKFLOW = 'projectWorkflow';

export interface ProjectWorkflowInput {
  project: ProjectFields;
  policy: Policy;
  /** §9: the number of the policy version `policy` is (0: the built-in policy, before any version was put) */
  policyVersion?: number;
  /** §4 工作日: the holiday table the run counts working days with (absent in runs started before working days) */
  holidays?: HolidayTable;
  /** present when the workflow continues as new: everything the next run needs */
  carried?: ProjectState;
  /** continue as new once the history is this long (besides whenever Temporal suggests it) */
  continueAsNewAfterEvents?: number;
}

/** The workflow's whole state; small and serialisable so continue-as-new can carry it. */
export interface ProjectState extends TaskBookState {
  project: ProjectFields;
  stage: Stage;
  stageSince: string;
  seq: number;
  executiveDeferrals: number;
  /** tasks the county calendar opened here (monthly progress, a meeting's coordination), by `${type}:${key}` → task id (once each) */
  calendarTasks?: Record<string, string>;
  /** §9: the number of the policy version the project is under (absent: the version it started with, as its input says) */
  policyVersion?: number;
  /** 八 专题调度: the factor issues taken up (their factor.issue task id) → the meeting.specialDispatch task */
  specialDispatch?: Record<string, string>;
  /** calendarTasks as a run carried it before the name changed; read once into calendarTasks */
  periodic?: Record<string, string>;
}

export interface ProjectSnapshot {
  projectId: string;
  stage: Stage;
  stageSince: string;
  escalationLevel: number;
  openTasks: TaskView[];
  project: ProjectFields;
  /** §9: the policy version the project is under */
  policyVersion: number;
}

/**
 * The county calendar (八) opens a task in a project: the monthly progress report (key: the month) or a
 * meeting's instruction (key: the meeting task's id). Once per type and key.
 */
export const CALENDAR_TASK_TYPES = ['monthly.progress', 'project.coordination'] as const satisfies readonly TaskTypeName[];
export interface OpenCalendarTaskInput {
  type: (typeof CALENDAR_TASK_TYPES)[number]; key: string; dueAt: string; context: Record<string, unknown>;
  /** §4 工作日: the worker's current holiday table, which the project counts its later tasks with */
  holidays?: HolidayTable;
  /**
   * Issue 15: the caller writes the task into the database — from the events the Update answers with —
   * instead of the workflow's projection activity (the monthly 研判 fan-out writes them for every project
   * itself, one Update and one workflow task a project instead of two and an activity). Absent from
   * Updates recorded before, which replay as they ran.
   */
  projectedByCaller?: boolean;
}
export interface OpenCalendarTaskResult {
  taskId: string;
  created: boolean;
  /**
   * With projectedByCaller: the project's events not yet written (the task's among them), for the caller
   * to write with the projection (activities/projection.ts applyProjectionEvents). They stay in the
   * workflow's journal too, so its next batch carries them again; the projection writes each sequence
   * number once, whichever comes first.
   */
  unwritten?: ProjectionEvent[];
}
export const openCalendarTaskUpdate = defineUpdate<OpenCalendarTaskResult, [OpenCalendarTaskInput]>('openCalendarTask');

export interface RaiseFactorIssueInput { actor: Actor; issue: FactorIssue }
export interface AmendProjectInput { actor: Actor; amendment: Amendment }
export interface TerminateProjectInput {
  actor: Actor;
  reason: string;
  /** the 季调度 meeting task whose decision this is (八): set by the county calendar, never by the API */
  meeting?: string;
}

/** §3, 十四: POST /projects/:id/factor-issues — opens a factor.issue task for task force FACTOR. */
export const raiseFactorIssueUpdate = defineUpdate<TaskView, [RaiseFactorIssueInput]>('raiseFactorIssue');
/** 八 专题调度: POST /projects/:id/special-dispatch — the 县长 or a 分管副县长 asks the 县委专职副书记 to take up the project. */
export interface RequestSpecialDispatchInput { actor: Actor; reason: string }
export const requestSpecialDispatchUpdate = defineUpdate<TaskView, [RequestSpecialDispatchInput]>('requestSpecialDispatch');
/** §3: POST /projects/:id/amend — audited, old and new values on the timeline. */
export const amendProjectUpdate = defineUpdate<ProjectSnapshot, [AmendProjectInput]>('amendProject');
/** §3: POST /projects/:id/terminate — ADMIN or the quarterly dispatch; cancels open tasks. */
export const terminateProjectUpdate = defineUpdate<ProjectSnapshot, [TerminateProjectInput]>('terminateProject');
/** §9 routing corrections: POST /projects/:id/reroute (ADMIN or 县商务局) — the responsible unit or the landing site changes; open tasks move to the new group with their ladder. */
export interface RerouteProjectInput { actor: Actor; responsibleUnitId?: string; landingSiteId?: string; reason: string }
export interface RerouteResult { snapshot: ProjectSnapshot; moved: { taskId: string; taskType: string; from: string; to: string }[] }
export const rerouteProjectUpdate = defineUpdate<RerouteResult, [RerouteProjectInput]>('rerouteProject');
/** §9: POST /projects/:id/apply-policy (ADMIN) — the project goes on under another policy version, on its timeline. */
export interface ApplyPolicyInput { actor: Actor; version: number; policy: Policy }
export const applyPolicyUpdate = defineUpdate<ProjectSnapshot, [ApplyPolicyInput]>('applyPolicy');
export const snapshotQuery = defineQuery<ProjectSnapshot>('snapshot');
/** Waits until everything decided so far is in the database, then answers the snapshot (read-your-writes). */
export const syncUpdate = defineUpdate<ProjectSnapshot>('sync');
