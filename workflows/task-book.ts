// The task book: how a workflow keeps the tasks people complete (§3, §7) and runs their escalation
// ladder (§4). Both the project workflow and the county calendar (八 meetings, 十一 accountability)
// keep their tasks here, so every task — whoever owns it — is claimed, assigned, completed and
// escalated the same way. Deterministic workflow code: no I/O but the projection activity.
import { condition } from '@temporalio/workflow';
import { checkMember, completionFingerprint, validateCompletion } from '../domain/completion';
import { DomainError } from '../domain/errors';
import { groupNameOf, type Actor } from '../domain/organisation';
import { LADDER_LEVEL, type TaskView } from '../domain/events';
import { LEVEL_NAMES, ladderSchedule } from '../domain/ladder';
import { taskTypeDef, type ActiveStage, type TaskTypeDef, type TaskTypeName } from '../domain/pipeline';
import { dueDaysOf, type Policy } from '../domain/policy';
import { dayClock, type HolidayTable } from '../domain/working-days';
import type { ProjectFields } from '../domain/project';
import {
  assignTaskUpdate, claimTaskUpdate, completeTaskUpdate, type AssignTaskInput, type CompletedTask, type CompleteTaskInput,
  type CompletionResult, type TaskBookState,
} from './messages/tasks';
import { guardedUpdate, type Journal, type Turns } from './plumbing';

export interface TaskBookHost {
  /** the project the tasks belong to, or null for the county calendar */
  projectId: string | null;
  /** task ids are `${idPrefix}001`, … unless the opener names the task */
  idPrefix: string;
  /** the policy the workflow applies now (§9: ADMIN may apply a newer version to a running project) */
  policy(): Policy;
  journal: Journal;
  turns: Turns;
  /** where the book's tasks stand now: the project (null for the county) and its stage */
  scope(): { project: ProjectFields | null; stage: ActiveStage | null };
  /** publishes what changed (search attributes, the UI's current details) */
  publish(): void;
  /** applies a completed task's outcome: the next task, another stage, a meeting's decisions … */
  onCompleted(task: TaskView, def: TaskTypeDef, c: CompleteTaskInput, data: Record<string, unknown>): Promise<void> | void;
  /** the answer to the completing caller */
  result(task: TaskView, outcome: string): CompletionResult;
  /** after a step of a task's ladder, in the same turn (八 专题调度: the project's condition of a major problem) */
  afterLadder?(task: TaskView): void;
}

export function createTaskBook(s: TaskBookState, host: TaskBookHost) {
  const { journal, turns } = host;
  const now = () => new Date();
  const open = () => Object.values(s.open);
  /** whose tasks these are, as a refusal names it */
  const where = host.projectId ? `项目 ${host.projectId}` : '县级调度日历';
  // §4 工作日: the policy's day counting with the table this run holds
  const clock = () => dayClock(host.policy(), s.holidays);
  /** When a task of `type` opened now is due. */
  const dueAtFor = (type: TaskTypeName, openedAt = Date.now()) => new Date(clock().dueAt(openedAt, dueDaysOf(host.policy(), type))).toISOString();
  /** Takes a newer holiday table that the history records (it counts the tasks opened from now on). */
  const adoptHolidays = (table: HolidayTable | undefined) => {
    if (table) s.holidays = table;
  };

  const openTask = (type: TaskTypeName, opts: { id?: string; step?: number; context?: Record<string, unknown> | null; dueAt?: string } = {}) => {
    const def = taskTypeDef(type);
    const scope = host.scope();
    const created = now();
    const step = opts.step ?? 0;
    const context = opts.context ?? null;
    const id = opts.id ?? `${host.idPrefix}${String(++s.taskCounter).padStart(3, '0')}`;
    const task: TaskView = {
      id, projectId: host.projectId, type, title: def.title, stage: def.stage ?? scope.stage, step, context,
      candidateGroup: def.candidateGroup({ project: scope.project, step, context }),
      status: 'OPEN', claimedBy: null,
      createdAt: created.toISOString(),
      dueAt: opts.dueAt ?? dueAtFor(type, created.getTime()),
      escalationLevel: 0,
      outcomes: Object.keys(def.outcomes),
    };
    s.open[id] = task;
    journal.emit({ kind: 'TASK_CREATED', task });
    void runLadder(id);
    return task;
  };

  /** Opens a task under a name of its own once: a name already open or completed opens nothing. */
  const openOnce = (type: TaskTypeName, opts: { id: string; context?: Record<string, unknown> | null; dueAt?: string }) => {
    if (!s.open[opts.id] && !s.completed[opts.id]) openTask(type, opts);
    return opts.id;
  };

  const closeTask = (id: string) => {
    delete s.open[id];
    delete s.ladder[id];
  };

  /**
   * §9 routing: after the project's units changed, each open task goes to the group its type names for
   * the project as it now stands; a claim on a moved task is released. Its due time and its ladder stay.
   */
  const regroup = () => {
    const scope = host.scope();
    const moved: { taskId: string; taskType: TaskTypeName; from: string; to: string }[] = [];
    for (const t of open()) {
      const to = taskTypeDef(t.type).candidateGroup({ project: scope.project, step: t.step, context: t.context });
      if (to === t.candidateGroup) continue;
      moved.push({ taskId: t.id, taskType: t.type, from: t.candidateGroup, to });
      t.candidateGroup = to;
      if (t.claimedBy) {
        t.claimedBy = null;
        t.status = 'OPEN';
      }
    }
    return moved;
  };

  /** Closes every open task with a reason (the project ended). */
  const cancelAll = (reason: string) => {
    for (const t of open()) {
      closeTask(t.id);
      journal.emit({ kind: 'TASK_CANCELLED', taskId: t.id, taskType: t.type, reason });
    }
  };

  // §4: every open task follows the ladder from its due time; completing it stops the ladder.
  const runLadder = async (taskId: string) => {
    const task = s.open[taskId];
    if (!task) return;
    const points = ladderSchedule(Date.parse(task.createdAt), Date.parse(task.dueAt), host.policy(), clock());
    // s.ladder counts the steps already taken, so a continued run picks up where the last one stopped
    for (let i = s.ladder[taskId] ?? 0; i < points.length; i++) {
      const point = points[i];
      const wait = point.at - Date.now();
      if (wait > 0 && (await condition(() => !s.open[taskId], wait))) return;
      const taken = await turns.exclusive(async () => {
        const t = s.open[taskId];
        if (!t) return false;
        s.ladder[taskId] = i + 1;
        t.escalationLevel = Math.max(t.escalationLevel, LADDER_LEVEL[point.step]);
        journal.emit({ kind: 'TASK_LADDER', taskId, taskType: t.type, step: point.step, level: t.escalationLevel, candidateGroup: t.candidateGroup, dueAt: t.dueAt });
        host.afterLadder?.(t);
        host.publish();
        await journal.flush();
        return true;
      });
      if (!taken) return;
    }
  };

  // ── completing, claiming, assigning (§1, §3, §7) ─────────────────────────────────────────────
  // the completions whose handler is under way: a concurrent one is checked against them, so the task
  // is never found neither open nor completed
  const completing = new Map<string, Omit<CompletedTask, 'result'>>();

  const checkCompletion = (c: CompleteTaskInput): Record<string, unknown> | 'REPEAT' => {
    const done = s.completed[c.taskId] ?? completing.get(c.taskId);
    const task = s.open[c.taskId];
    if (!done && !task) throw new DomainError('NOT_FOUND', `任务 ${c.taskId} 不是${where}的任务`);
    checkMember(c.actor, done ? done.candidateGroup : task.candidateGroup, c.taskId);
    if (done) {
      // §7: repeating the same completion returns the same result; another outcome, or the same outcome
      // with other data or another comment, is a conflict
      if (done.outcome !== c.outcome) throw new DomainError('CONFLICT', `任务 ${c.taskId} 已办结，办理结果为 ${done.outcome}，不能再以 ${c.outcome} 办理`);
      if (done.fingerprint !== undefined && done.fingerprint !== completionFingerprint(c)) {
        throw new DomainError('CONFLICT', `任务 ${c.taskId} 已办结（办理结果 ${done.outcome}），当时的数据或办理意见与本次提交的不同`);
      }
      return 'REPEAT';
    }
    if (task.claimedBy && task.claimedBy !== c.actor.username) {
      throw new DomainError('CONFLICT', `任务 ${c.taskId} 已由 ${task.claimedBy} 认领，只有认领人可以办理`);
    }
    return validateCompletion(taskTypeDef(task.type), c, { project: host.scope().project, now: now(), context: task.context });
  };

  const complete = async (data: Record<string, unknown> | 'REPEAT', c: CompleteTaskInput): Promise<CompletionResult> => {
    // a repeat takes its turn after the completion it repeats, which has recorded its result by then
    if (data === 'REPEAT') return s.completed[c.taskId].result;
    const task = s.open[c.taskId];
    const def = taskTypeDef(task.type);
    const record = { outcome: c.outcome, fingerprint: completionFingerprint(c), candidateGroup: task.candidateGroup };
    completing.set(task.id, record);
    closeTask(task.id);
    journal.emit({
      kind: 'TASK_COMPLETED', taskId: task.id, taskType: task.type, actor: c.actor.username,
      outcome: c.outcome, comment: c.comment?.trim() || null, data,
    });
    await host.onCompleted(task, def, c, data);
    // issue 15: a caller that writes the events itself (projectedByCaller) has its answer in this workflow
    // task; the projection activity writes them too, in the next turn, before anything else changes here.
    // With publishAfterWrite the Web UI's search attributes and details follow that write, in the workflow
    // task after the answer: one command fewer in the one the caller waits on (an input, not `patched`,
    // which would add a marker and an upsert of its own to that very workflow task)
    const unwritten = c.projectedByCaller ? journal.unwritten() : undefined;
    if (unwritten) {
      const publishAfterWrite = c.publishAfterWrite === true;
      if (!publishAfterWrite) host.publish();
      void turns.exclusive(async () => {
        await journal.flush();
        if (publishAfterWrite) host.publish();
      });
    } else {
      host.publish();
      await journal.flush();
    }
    const result = host.result(task, c.outcome);
    s.completed[c.taskId] = { ...record, result };
    completing.delete(task.id);
    return unwritten ? { ...result, unwritten } : result;
  };

  const checkClaim = ({ taskId, actor }: { taskId: string; actor: Actor }) => {
    const task = s.open[taskId];
    if (!task) {
      if (s.completed[taskId]) throw new DomainError('CONFLICT', `任务 ${taskId} 已办结`);
      throw new DomainError('NOT_FOUND', `任务 ${taskId} 不是${where}的待办任务`);
    }
    checkMember(actor, task.candidateGroup, taskId);
    if (task.claimedBy && task.claimedBy !== actor.username) throw new DomainError('CONFLICT', `任务 ${taskId} 已由 ${task.claimedBy} 认领`);
    return task;
  };

  // §1: ADMIN may reassign (never complete); whoever claimed a task may give it back
  const checkAssign = (i: AssignTaskInput) => {
    const task = s.open[i.taskId];
    if (!task) throw new DomainError(s.completed[i.taskId] ? 'CONFLICT' : 'NOT_FOUND', s.completed[i.taskId] ? `任务 ${i.taskId} 已办结` : `任务 ${i.taskId} 不是${where}的待办任务`);
    if (i.assignee) {
      if (!i.actor.admin) throw new DomainError('FORBIDDEN', '只有系统管理员（ADMIN）可以指派任务');
      if (!i.assignee.groups.includes(task.candidateGroup)) {
        throw new DomainError('VALIDATION', `${i.assignee.username} 不在任务 ${i.taskId} 的候选组「${groupNameOf(task.candidateGroup)}」（${task.candidateGroup}）中`, [{ field: 'username', message: '不在该任务的候选组中' }]);
      }
    } else if (!i.actor.admin && task.claimedBy !== i.actor.username) {
      throw new DomainError('FORBIDDEN', `只有系统管理员（ADMIN）或认领人可以释放任务 ${i.taskId}`);
    }
    return task;
  };

  /** The Updates people use on this book's tasks (§7): complete, claim, assign / release. */
  const registerHandlers = () => {
    guardedUpdate(turns, completeTaskUpdate, checkCompletion, complete);

    guardedUpdate(turns, claimTaskUpdate, checkClaim, async (task, c) => {
      if (task.claimedBy !== c.actor.username) {
        task.claimedBy = c.actor.username;
        task.status = 'CLAIMED';
        journal.emit({ kind: 'TASK_CLAIMED', taskId: task.id, taskType: task.type, actor: c.actor.username });
        await journal.flush();
      }
      return task;
    });

    guardedUpdate(turns, assignTaskUpdate, checkAssign, async (task, i) => {
      const assignee = i.assignee?.username ?? null;
      if (task.claimedBy !== assignee) {
        task.claimedBy = assignee;
        task.status = assignee ? 'CLAIMED' : 'OPEN';
        journal.emit({ kind: 'TASK_ASSIGNED', taskId: task.id, taskType: task.type, actor: i.actor.username, assignee });
        await journal.flush();
      }
      return task;
    });
  };

  return {
    open,
    openTask,
    openOnce,
    closeTask,
    cancelAll,
    regroup,
    registerHandlers,
    dueAtFor,
    adoptHolidays,
    /** the open tasks as the Web UI's current details list them (§6), under a heading */
    details: (heading: string) => {
      const lines = open().map((t) => `- ${t.title}（${t.candidateGroup}，${t.dueAt.slice(0, 10)} 到期${t.escalationLevel ? `，${LEVEL_NAMES[t.escalationLevel]}` : ''}）`);
      return `${heading}\n\n${lines.length ? `待办：\n${lines.join('\n')}` : '无待办'}`;
    },
    /** the highest escalation level of the open tasks (§6 EscalationLevel) */
    escalationLevel: () => open().reduce((m, t) => Math.max(m, t.escalationLevel), 0),
    /** after continue-as-new: the ladders of the carried open tasks go on where they stopped */
    resumeLadders: () => {
      for (const id of Object.keys(s.open)) void runLadder(id);
    },
  };
}
