// The project workflow (clauses 九, 十四): one long-lived workflow per investment project. People act
// on it only by completing tasks (the completeTask Update); timers drive the escalation ladder (§4).
// Deterministic: no I/O here; the database projection is written only by the projection activity.
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler,
  upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { checkMember, DomainError, validateCompletion, type Actor } from '../domain/completion';
import { LADDER_LEVEL, type ProjectionEvent, type TaskView } from '../domain/events';
import { ladderSchedule } from '../domain/ladder';
import { isTerminal, taskForStage, taskType, type ActiveStage, type Stage } from '../domain/pipeline';
import { DAY_MS, dueDaysOf } from '../domain/policy';
import type { ProjectFields } from '../domain/project';
import {
  claimTaskUpdate, completeTaskUpdate, snapshotQuery, syncUpdate,
  type CompleteTaskInput, type CompletionResult, type ProjectState, type ProjectWorkflowInput,
} from './definitions';
import { projectSearchAttributes } from './search-attributes';

const { applyProjection } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Turns a domain error into the failure an Update caller sees (type = DomainErrorCode). */
function refuse(e: unknown): never {
  if (e instanceof DomainError) {
    throw ApplicationFailure.create({ type: e.code, message: e.message, details: [e.details], nonRetryable: true });
  }
  throw e;
}

export async function projectWorkflow(input: ProjectWorkflowInput): Promise<Stage> {
  const policy = input.policy;
  const s: ProjectState = input.carried ?? {
    project: input.project,
    stage: 'LEAD',
    stageSince: new Date().toISOString(),
    seq: 0,
    taskCounter: 0,
    executiveDeferrals: 0,
    open: {},
    ladder: {},
    completed: {},
  };
  const projectId = s.project.projectNo;
  const pending: ProjectionEvent[] = [];

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────
  const now = () => new Date();
  const emit = (e: DistributiveOmit<ProjectionEvent, 'seq' | 'at'>) => {
    pending.push({ ...e, seq: ++s.seq, at: now().toISOString() } as ProjectionEvent);
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0, pending.length);
    await applyProjection(workflowInfo().workflowId, batch);
  };
  // one transition at a time: updates and ladder timers take turns
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = turn.then(fn);
    turn = result.catch(() => undefined);
    return result;
  };

  const escalationLevel = () => Object.values(s.open).reduce((m, t) => Math.max(m, t.escalationLevel), 0);
  let lastAttributes = '';
  const syncSearchAttributes = () => {
    const pairs = projectSearchAttributes(s.project, s.stage, escalationLevel());
    const key = JSON.stringify(pairs.map((p) => [p.key.name, p.value]));
    if (key !== lastAttributes) {
      if (lastAttributes !== '' || input.carried) upsertSearchAttributes(pairs);
      lastAttributes = key; // the first set was given by the client at start
    }
  };
  const openTasks = () => Object.values(s.open);

  const openTask = (stage: ActiveStage, step = 0) => {
    const def = taskForStage(stage);
    const created = now();
    const id = `${projectId}-T${String(++s.taskCounter).padStart(3, '0')}`;
    const task: TaskView = {
      id, projectId, type: def.type, title: def.title, stage, step,
      candidateGroup: def.candidateGroup(s.project, step),
      status: 'OPEN', claimedBy: null,
      createdAt: created.toISOString(),
      dueAt: new Date(created.getTime() + dueDaysOf(policy, def.type) * DAY_MS).toISOString(),
      escalationLevel: 0,
      outcomes: Object.keys(def.outcomes),
    };
    s.open[id] = task;
    emit({ kind: 'TASK_CREATED', task });
    void runLadder(id);
  };

  const enterStage = (to: Stage, patch: Partial<ProjectFields>, reason?: string) => {
    const from = s.stage;
    Object.assign(s.project, patch);
    if (from !== to) s.stageSince = now().toISOString();
    s.stage = to;
    emit({ kind: 'STAGE_CHANGED', from, to, patch, ...(reason ? { reason } : {}) });
    if (!isTerminal(to)) openTask(to);
  };

  // §4: every open task follows the ladder from its due time; completing it stops the ladder.
  const runLadder = async (taskId: string) => {
    const task = s.open[taskId];
    if (!task) return;
    const points = ladderSchedule(Date.parse(task.createdAt), Date.parse(task.dueAt), policy);
    // s.ladder counts the steps already taken, so a continued run picks up where the last one stopped
    for (let i = s.ladder[taskId] ?? 0; i < points.length; i++) {
      const point = points[i];
      const wait = point.at - Date.now();
      if (wait > 0 && (await condition(() => !s.open[taskId], wait))) return;
      const taken = await exclusive(async () => {
        const t = s.open[taskId];
        if (!t) return false;
        s.ladder[taskId] = i + 1;
        t.escalationLevel = Math.max(t.escalationLevel, LADDER_LEVEL[point.step]);
        emit({
          kind: 'TASK_LADDER', taskId, taskType: t.type, step: point.step, level: t.escalationLevel,
          candidateGroup: t.candidateGroup, dueAt: t.dueAt,
        });
        syncSearchAttributes();
        await flush();
        return true;
      });
      if (!taken) return;
    }
  };

  // ── messages ─────────────────────────────────────────────────────────────────────────────────
  const checkCompletion = (c: CompleteTaskInput): Record<string, unknown> | 'REPEAT' => {
    const done = s.completed[c.taskId];
    const task = s.open[c.taskId];
    if (!done && !task) throw new DomainError('NOT_FOUND', `task ${c.taskId} is not a task of ${projectId}`);
    checkMember(c.actor, done ? done.candidateGroup : task.candidateGroup, c.taskId);
    if (done) {
      // §7: repeating the same completion returns the same result; another outcome is a conflict
      if (done.outcome === c.outcome) return 'REPEAT';
      throw new DomainError('CONFLICT', `task ${c.taskId} was already completed with outcome ${done.outcome}`);
    }
    if (task.claimedBy && task.claimedBy !== c.actor.username) {
      throw new DomainError('CONFLICT', `task ${c.taskId} is claimed by ${task.claimedBy}`);
    }
    return validateCompletion(taskType(task.type)!, c, { project: s.project, now: now() });
  };

  const complete = async (c: CompleteTaskInput): Promise<CompletionResult> => {
    let data: Record<string, unknown> | 'REPEAT';
    try {
      data = checkCompletion(c);
    } catch (e) {
      refuse(e);
    }
    if (data === 'REPEAT') return s.completed[c.taskId].result;
    const task = s.open[c.taskId];
    const def = taskType(task.type)!;
    delete s.open[c.taskId];
    delete s.ladder[c.taskId];
    emit({
      kind: 'TASK_COMPLETED', taskId: task.id, taskType: task.type, actor: c.actor.username,
      outcome: c.outcome, comment: c.comment?.trim() || null, data,
    });
    const next = def.outcomes[c.outcome].next({ project: s.project, now: now(), data, step: task.step });
    if ('step' in next) {
      openTask(task.stage, next.step);
    } else {
      if (next.deferral) s.executiveDeferrals += 1;
      enterStage(next.to, next.patch ?? {}, next.deferral ? `暂缓第${s.executiveDeferrals}次` : undefined);
    }
    syncSearchAttributes();
    await flush();
    const result: CompletionResult = { taskId: task.id, outcome: c.outcome, projectId, stage: s.stage, openTasks: openTasks() };
    s.completed[c.taskId] = { type: task.type, outcome: c.outcome, candidateGroup: task.candidateGroup, result };
    return result;
  };

  const snapshot = () => ({
    projectId, stage: s.stage, stageSince: s.stageSince, escalationLevel: escalationLevel(), openTasks: openTasks(), project: s.project,
  });
  setHandler(snapshotQuery, snapshot);
  // an Update may arrive in the very first activation, before the registration below has run
  let registered = !!input.carried;
  setHandler(syncUpdate, async () => {
    await condition(() => registered);
    return exclusive(async () => snapshot());
  });

  setHandler(completeTaskUpdate, (c) => exclusive(() => complete(c)), {
    validator: (c) => {
      try {
        checkCompletion(c);
      } catch (e) {
        refuse(e);
      }
    },
  });

  const checkClaim = (taskId: string, actor: Actor) => {
    const task = s.open[taskId];
    if (!task) {
      if (s.completed[taskId]) throw new DomainError('CONFLICT', `task ${taskId} is already completed`);
      throw new DomainError('NOT_FOUND', `task ${taskId} is not an open task of ${projectId}`);
    }
    checkMember(actor, task.candidateGroup, taskId);
    if (task.claimedBy && task.claimedBy !== actor.username) throw new DomainError('CONFLICT', `task ${taskId} is claimed by ${task.claimedBy}`);
    return task;
  };
  setHandler(claimTaskUpdate, (c) => exclusive(async () => {
    let task: TaskView;
    try {
      task = checkClaim(c.taskId, c.actor);
    } catch (e) {
      refuse(e);
    }
    if (task.claimedBy !== c.actor.username) {
      task.claimedBy = c.actor.username;
      task.status = 'CLAIMED';
      emit({ kind: 'TASK_CLAIMED', taskId: task.id, taskType: task.type, actor: c.actor.username });
      await flush();
    }
    return task;
  }), {
    validator: (c) => {
      try {
        checkClaim(c.taskId, c.actor);
      } catch (e) {
        refuse(e);
      }
    },
  });

  // ── life ─────────────────────────────────────────────────────────────────────────────────────
  if (input.carried) {
    syncSearchAttributes();
    for (const id of Object.keys(s.open)) void runLadder(id);
  } else {
    await exclusive(async () => {
      emit({ kind: 'PROJECT_REGISTERED', actor: s.project.createdBy, project: s.project, stage: s.stage, policy });
      openTask('LEAD');
      syncSearchAttributes();
      await flush();
    });
    registered = true;
  }

  await condition(() => isTerminal(s.stage) || workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  await turn;
  if (!isTerminal(s.stage)) {
    await continueAsNew<typeof projectWorkflow>({ project: s.project, policy, carried: s });
  }
  return s.stage;
}

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
