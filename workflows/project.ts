// The project workflow (clauses 九, 十四): one long-lived workflow per investment project. People act
// on it only through Updates (complete / claim a task, raise a factor issue, amend, terminate); timers
// drive the escalation ladder of every open task (§4). Deterministic: no I/O here; the database
// projection is written only by the projection activity.
import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, setCurrentDetails, setHandler,
  upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { checkMember, DomainError, parseOrRefuse, validateCompletion, type Actor } from '../domain/completion';
import { LADDER_LEVEL, type ProjectionEvent, type TaskView } from '../domain/events';
import { LEVEL_NAMES, ladderSchedule } from '../domain/ladder';
import {
  FactorIssue, isTerminal, STAGE_NAMES, taskForStage, taskType, type ActiveStage, type Stage,
} from '../domain/pipeline';
import { DAY_MS, dueDaysOf } from '../domain/policy';
import type { ProjectFields } from '../domain/project';
import { Amendment, amendmentChanges, checkAmendment, checkFactorIssue, checkTermination, Termination } from '../domain/side-actions';
import {
  amendProjectUpdate, assignTaskUpdate, claimTaskUpdate, completeTaskUpdate, openPeriodicTaskUpdate, PERIODIC_TASK_TYPES, raiseFactorIssueUpdate, snapshotQuery,
  syncUpdate, terminateProjectUpdate, type AssignTaskInput, type CompleteTaskInput, type OpenPeriodicTaskInput, type CompletionResult, type ProjectSnapshot, type ProjectState, type ProjectWorkflowInput,
} from './definitions';
import { projectSearchAttributes } from './search-attributes';

const { applyProjection } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Runs a check; a domain error becomes the failure an Update caller sees (type = DomainErrorCode). */
function guard<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (e instanceof DomainError) {
      throw ApplicationFailure.create({ type: e.code, message: e.message, details: [e.details], nonRetryable: true });
    }
    throw e;
  }
}

type NewEvent = ProjectionEvent extends infer E ? (E extends unknown ? Omit<E, 'seq' | 'at'> : never) : never;

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
  const emit = (e: NewEvent) => {
    pending.push({ ...e, seq: ++s.seq, at: now().toISOString() } as ProjectionEvent);
  };
  const flush = async () => {
    if (pending.length === 0) return;
    const batch = pending.splice(0, pending.length);
    await applyProjection(workflowInfo().workflowId, batch);
  };
  // one change at a time: Updates and ladder timers take turns
  let turn: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = turn.then(fn);
    turn = result.catch(() => undefined);
    return result;
  };

  const openTasks = () => Object.values(s.open);
  const escalationLevel = () => openTasks().reduce((m, t) => Math.max(m, t.escalationLevel), 0);

  // §6: search attributes and the UI's current details follow every change
  let lastAttributes = '';
  const publish = () => {
    const pairs = projectSearchAttributes(s.project, s.stage, escalationLevel());
    const key = JSON.stringify(pairs.map((p) => [p.key.name, p.value]));
    if (key !== lastAttributes) {
      if (lastAttributes !== '' || input.carried) upsertSearchAttributes(pairs);
      lastAttributes = key; // the first set was given by the client at start
    }
    const tasks = openTasks().map((t) => `- ${t.title}（${t.candidateGroup}，${t.dueAt.slice(0, 10)} 到期${t.escalationLevel ? `，${LEVEL_NAMES[t.escalationLevel]}` : ''}）`);
    setCurrentDetails(`**${s.project.name}** — ${STAGE_NAMES[s.stage]}（${s.stage}）\n\n${tasks.length ? `待办：\n${tasks.join('\n')}` : '无待办'}`);
  };

  const openTask = (type: string, opts: { step?: number; context?: Record<string, unknown>; dueAt?: string } = {}) => {
    const def = taskType(type)!;
    const created = now();
    const step = opts.step ?? 0;
    const id = `${projectId}-T${String(++s.taskCounter).padStart(3, '0')}`;
    const task: TaskView = {
      id, projectId, type, title: def.title, stage: (def.stage ?? s.stage) as ActiveStage, step,
      context: opts.context ?? null,
      candidateGroup: def.candidateGroup(s.project, step),
      status: 'OPEN', claimedBy: null,
      createdAt: created.toISOString(),
      dueAt: opts.dueAt ?? new Date(created.getTime() + dueDaysOf(policy, type) * DAY_MS).toISOString(),
      escalationLevel: 0,
      outcomes: Object.keys(def.outcomes),
    };
    s.open[id] = task;
    emit({ kind: 'TASK_CREATED', task });
    void runLadder(id);
    return task;
  };

  const closeTask = (id: string) => {
    delete s.open[id];
    delete s.ladder[id];
  };

  const enterStage = (to: Stage, patch: Partial<ProjectFields>, extra: { reason?: string; actor?: string } = {}) => {
    const from = s.stage;
    Object.assign(s.project, patch);
    if (from !== to) s.stageSince = now().toISOString();
    s.stage = to;
    emit({ kind: 'STAGE_CHANGED', from, to, patch, ...extra });
    if (isTerminal(to)) {
      // the project has ended: whatever is still open (side tasks) is cancelled
      for (const t of openTasks()) {
        closeTask(t.id);
        emit({ kind: 'TASK_CANCELLED', taskId: t.id, taskType: t.type, reason: `项目${STAGE_NAMES[to]}` });
      }
    } else {
      openTask(taskForStage(to).type);
    }
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
        emit({ kind: 'TASK_LADDER', taskId, taskType: t.type, step: point.step, level: t.escalationLevel, candidateGroup: t.candidateGroup, dueAt: t.dueAt });
        publish();
        await flush();
        return true;
      });
      if (!taken) return;
    }
  };

  const snapshot = (): ProjectSnapshot => ({
    projectId, stage: s.stage, stageSince: s.stageSince, escalationLevel: escalationLevel(), openTasks: openTasks(), project: s.project,
  });

  // ── completing and claiming tasks (§3, §7) ────────────────────────────────────────────────────
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
    const data = guard(() => checkCompletion(c)); // again: the state may have moved since the validator ran
    if (data === 'REPEAT') return s.completed[c.taskId].result;
    const task = s.open[c.taskId];
    const def = taskType(task.type)!;
    closeTask(task.id);
    emit({
      kind: 'TASK_COMPLETED', taskId: task.id, taskType: task.type, actor: c.actor.username,
      outcome: c.outcome, comment: c.comment?.trim() || null, data,
    });
    const next = def.outcomes[c.outcome].next({ project: s.project, now: now(), data, step: task.step });
    if ('step' in next) {
      openTask(task.type, { step: next.step }); // the next signer of the contract (十)
    } else if ('open' in next) {
      openTask(next.open, { context: { ...task.context, fromTask: task.id, comment: c.comment?.trim() ?? null } });
    } else if ('to' in next) {
      if (next.deferral) s.executiveDeferrals += 1; // 九: deferrals of the executive meeting are counted
      enterStage(next.to, next.patch ?? {}, next.deferral ? { reason: `暂缓审议（第${s.executiveDeferrals}次）` } : {});
    }
    publish();
    await flush();
    const result: CompletionResult = { taskId: task.id, outcome: c.outcome, projectId, stage: s.stage, openTasks: openTasks() };
    s.completed[c.taskId] = { type: task.type, outcome: c.outcome, candidateGroup: task.candidateGroup, result };
    return result;
  };

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

  // §1: ADMIN may reassign (never complete); whoever claimed a task may give it back
  const checkAssign = (i: AssignTaskInput) => {
    const task = s.open[i.taskId];
    if (!task) throw new DomainError(s.completed[i.taskId] ? 'CONFLICT' : 'NOT_FOUND', `task ${i.taskId} is not open`);
    if (i.assignee) {
      if (!i.actor.admin) throw new DomainError('FORBIDDEN', 'only ADMIN may assign a task to someone');
      if (!i.assignee.groups.includes(task.candidateGroup)) {
        throw new DomainError('VALIDATION', `${i.assignee.username} is not in the candidate group ${task.candidateGroup}`, [{ field: 'username', message: 'not in the candidate group' }]);
      }
    } else if (!i.actor.admin && task.claimedBy !== i.actor.username) {
      throw new DomainError('FORBIDDEN', `only ADMIN or the claimer may release task ${i.taskId}`);
    }
    return task;
  };

  // ── side actions (§3 "at any non-terminal stage") ─────────────────────────────────────────────
  const checkFactor = (i: { actor: Actor; issue: FactorIssue }) => {
    checkFactorIssue(i.actor, s.project, s.stage);
    return parseOrRefuse(FactorIssue, i.issue, 'issue');
  };
  const checkAmend = (i: { actor: Actor; amendment: Amendment }) => {
    checkAmendment(i.actor, s.project, s.stage);
    const a = parseOrRefuse(Amendment, i.amendment, 'amendment');
    const changes = amendmentChanges(s.project, a.fields);
    if (Object.keys(changes).length === 0) {
      throw new DomainError('VALIDATION', 'the amendment changes nothing', [{ field: 'amendment.fields', message: 'every value equals the current one' }]);
    }
    return { a, changes };
  };
  const checkTerminate = (i: { actor: Actor; reason: string }) => {
    checkTermination(i.actor, s.stage);
    return parseOrRefuse(Termination, { reason: i.reason }, 'body').reason;
  };

  // ── handlers ─────────────────────────────────────────────────────────────────────────────────
  let registered = !!input.carried; // an Update may arrive in the very first activation
  setHandler(snapshotQuery, snapshot);
  setHandler(syncUpdate, async () => {
    await condition(() => registered);
    return exclusive(async () => snapshot());
  });

  setHandler(completeTaskUpdate, (c) => exclusive(() => complete(c)), { validator: (c) => void guard(() => checkCompletion(c)) });

  setHandler(claimTaskUpdate, (c) => exclusive(async () => {
    const task = guard(() => checkClaim(c.taskId, c.actor));
    if (task.claimedBy !== c.actor.username) {
      task.claimedBy = c.actor.username;
      task.status = 'CLAIMED';
      emit({ kind: 'TASK_CLAIMED', taskId: task.id, taskType: task.type, actor: c.actor.username });
      await flush();
    }
    return task;
  }), { validator: (c) => void guard(() => checkClaim(c.taskId, c.actor)) });

  setHandler(assignTaskUpdate, (i) => exclusive(async () => {
    const task = guard(() => checkAssign(i));
    const assignee = i.assignee?.username ?? null;
    if (task.claimedBy !== assignee) {
      task.claimedBy = assignee;
      task.status = assignee ? 'CLAIMED' : 'OPEN';
      emit({ kind: 'TASK_ASSIGNED', taskId: task.id, taskType: task.type, actor: i.actor.username, assignee });
      await flush();
    }
    return task;
  }), { validator: (i) => void guard(() => checkAssign(i)) });

  setHandler(raiseFactorIssueUpdate, (i) => exclusive(async () => {
    const issue = guard(() => checkFactor(i));
    const task = openTask('factor.issue', { context: { ...issue, raisedBy: i.actor.username } });
    emit({ kind: 'FACTOR_ISSUE_RAISED', actor: i.actor.username, taskId: task.id, issue });
    publish();
    await flush();
    return task;
  }), { validator: (i) => void guard(() => checkFactor(i)) });

  // 八: the county calendar opens a periodic task (monthly progress report) — once per period
  const periodic = (s.periodic ??= {});
  const checkPeriodic = (i: OpenPeriodicTaskInput) => {
    if (!(PERIODIC_TASK_TYPES as readonly string[]).includes(i.type)) throw new DomainError('VALIDATION', `not a periodic task type: ${i.type}`, [{ field: 'type', message: 'not periodic' }]);
    if (!periodic[`${i.type}:${i.period}`] && isTerminal(s.stage)) throw new DomainError('CONFLICT', `the project is ${s.stage}`);
  };
  setHandler(openPeriodicTaskUpdate, (i) => exclusive(async () => {
    guard(() => checkPeriodic(i));
    const key = `${i.type}:${i.period}`;
    if (periodic[key]) return { taskId: periodic[key], created: false };
    const task = openTask(i.type, { dueAt: i.dueAt, context: { period: i.period } });
    periodic[key] = task.id;
    publish();
    await flush();
    return { taskId: task.id, created: true };
  }), { validator: (i) => void guard(() => checkPeriodic(i)) });

  setHandler(amendProjectUpdate, (i) => exclusive(async () => {
    const { a, changes } = guard(() => checkAmend(i));
    Object.assign(s.project, a.fields);
    emit({ kind: 'PROJECT_AMENDED', actor: i.actor.username, reason: a.reason, changes });
    publish();
    await flush();
    return snapshot();
  }), { validator: (i) => void guard(() => checkAmend(i)) });

  setHandler(terminateProjectUpdate, (i) => exclusive(async () => {
    const reason = guard(() => checkTerminate(i));
    enterStage('TERMINATED', {}, { reason, actor: i.actor.username });
    publish();
    await flush();
    return snapshot();
  }), { validator: (i) => void guard(() => checkTerminate(i)) });

  // ── life ─────────────────────────────────────────────────────────────────────────────────────
  if (input.carried) {
    publish();
    for (const id of Object.keys(s.open)) void runLadder(id);
  } else {
    await exclusive(async () => {
      emit({ kind: 'PROJECT_REGISTERED', actor: s.project.createdBy, project: s.project, stage: s.stage, policy });
      openTask(taskForStage('LEAD').type);
      publish();
      await flush();
    });
    registered = true;
  }

  // bounded history: continue as new with the whole state when Temporal suggests it (or past the limit)
  const historyFull = () => workflowInfo().continueAsNewSuggested
    || (input.continueAsNewAfterEvents !== undefined && workflowInfo().historyLength >= input.continueAsNewAfterEvents);
  for (;;) {
    await condition(() => isTerminal(s.stage) || historyFull());
    await condition(allHandlersFinished);
    if (isTerminal(s.stage)) break;
    // continue as new inside a turn, so no ladder step or Update is half-done when the run ends
    await exclusive(async () => {
      if (allHandlersFinished() && !isTerminal(s.stage)) {
        await continueAsNew<typeof projectWorkflow>({ project: s.project, policy, carried: s, continueAsNewAfterEvents: input.continueAsNewAfterEvents });
      }
    });
  }
  await turn;
  return s.stage;
}
