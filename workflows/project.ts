// The project workflow (clauses 九, 十四): one long-lived workflow per investment project. People act
// on it only through Updates (complete / claim a task, raise a factor issue, amend, terminate); timers
// drive the escalation ladder of every open task (§4). Deterministic: no I/O here; the database
// projection is written only by the projection activity.
import {
  condition, continueAsNew, patched, setCurrentDetails, setHandler, upsertMemo, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { DomainError, parseOrRefuse } from '../domain/errors';
import type { Actor } from '../domain/organisation';
import type { TaskView } from '../domain/events';
import { FactorIssue, isTerminal, STAGE_NAMES, stageNamed, taskForStage, unreachable, type ActiveStage, type Stage } from '../domain/pipeline';
import type { ProjectFields } from '../domain/project';
import {
  Amendment, amendmentChanges, checkAmendment, checkAmendmentChanges, checkFactorIssue, checkTermination, Reroute, Termination,
} from '../domain/side-actions';
import { NAMED_UNITS } from '../domain/units';
import {
  checkSpecialDispatchRequest, factorRootOf, SPECIAL_DISPATCH_TRIGGERS, SpecialDispatchRequest, specialDispatchDue, type SpecialDispatchTrigger,
} from '../domain/special-dispatch';
import { groupNameOf } from '../domain/organisation';
import { LEVEL_NAMES } from '../domain/ladder';
import {
  amendProjectUpdate, applyPolicyUpdate, CALENDAR_TASK_TYPES, openCalendarTaskUpdate, raiseFactorIssueUpdate, requestSpecialDispatchUpdate, rerouteProjectUpdate,
  snapshotQuery, syncUpdate, terminateProjectUpdate, type ApplyPolicyInput, type RequestSpecialDispatchInput, type OpenCalendarTaskInput, type RerouteProjectInput, type ProjectSnapshot, type TerminateProjectInput, type ProjectState, type ProjectWorkflowInput,
} from './messages/project';
import { projectSearchAttributes, projectSummary } from './search-attributes';
import { continueAsNewWhenIdle, createJournal, createTurns, guardedUpdate, historyFull } from './plumbing';
import { createTaskBook } from './task-book';

export async function projectWorkflow(input: ProjectWorkflowInput): Promise<Stage> {
  // §9: the policy the project is under — the one it started with, or a newer version ADMIN applied
  // (continue-as-new passes the current one on as the next run's input.policy)
  let policy = input.policy;
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
    ...(input.holidays ? { holidays: input.holidays } : {}), // §4 工作日: the table this run counts with
    ...(input.policyVersion !== undefined ? { policyVersion: input.policyVersion } : {}),
  };
  const projectId = s.project.projectNo;

  // ── helpers ──────────────────────────────────────────────────────────────────────────────────
  const now = () => new Date();
  const journal = createJournal(s, () => ({ workflowId: workflowInfo().workflowId }));
  const { emit, flush } = journal;
  const turns = createTurns();
  const { exclusive } = turns;

  // §6: search attributes and the UI's current details follow every change
  let lastAttributes = '';
  const publish = () => {
    const pairs = projectSearchAttributes(s.project, s.stage, book.escalationLevel());
    const key = JSON.stringify(pairs.map((p) => [p.key.name, p.value]));
    if (key !== lastAttributes) {
      if (lastAttributes !== '' || input.carried) upsertSearchAttributes(pairs);
      lastAttributes = key; // the first set was given by the client at start
    }
    setCurrentDetails(book.details(`**${projectSummary(s.project)}** — ${STAGE_NAMES[s.stage]}（${s.stage}）`));
  };

  const enterStage = (to: Stage, patch: Partial<ProjectFields>, extra: { reason?: string; actor?: string } = {}, nextContext?: Record<string, unknown>) => {
    const from = s.stage;
    Object.assign(s.project, patch);
    if (from !== to) s.stageSince = now().toISOString();
    s.stage = to;
    emit({ kind: 'STAGE_CHANGED', from, to, patch, ...extra });
    if (isTerminal(to)) {
      book.cancelAll(`项目${STAGE_NAMES[to]}`); // the project has ended: whatever is still open (side tasks) is cancelled
    } else {
      book.openTask(taskForStage(to).type, nextContext ? { context: nextContext } : {});
    }
  };

  const snapshot = (): ProjectSnapshot => ({
    projectId, stage: s.stage, stageSince: s.stageSince, escalationLevel: book.escalationLevel(), openTasks: book.open(), project: s.project,
    policyVersion: s.policyVersion ?? 0,
  });

  // ── the project's tasks (§3, §4, §7): a completed task's outcome moves the pipeline ──────────────
  const book = createTaskBook(s, {
    projectId, idPrefix: `${projectId}-T`, policy: () => policy, journal, turns, publish,
    scope: () => ({ project: s.project, stage: isTerminal(s.stage) ? null : s.stage as ActiveStage }),
    onCompleted: (task, def, c, data) => {
      const next = def.outcomes[c.outcome].next({ project: s.project, now: now(), data, step: task.step, context: task.context });
      switch (next.kind) {
        case 'step': // the next signer of the contract (十)
          book.openTask(task.type, { step: next.step });
          return;
        case 'open': // a side task that leads to another (十四: a factor issue escalated to the 分管副县长; 八: a special dispatch's instruction)
          book.openTask(next.type, { context: { ...(next.context ?? task.context), fromTask: task.id, comment: c.comment?.trim() ?? null } });
          return;
        case 'stage':
          if (next.deferral) s.executiveDeferrals += 1; // 九: deferrals of the executive meeting are counted
          enterStage(next.to, next.patch ?? {}, next.deferral ? { reason: `暂缓审议（第${s.executiveDeferrals}次）` } : {}, next.nextContext);
          return;
        case 'close': // a side task closes with its outcome; the pipeline goes on
          return;
        default:
          unreachable(next);
      }
    },
    result: (task, outcome) => ({ taskId: task.id, outcome, projectId, stage: s.stage, openTasks: book.open() }),
    // 八 专题调度: after every ladder step, the policy's condition of a major problem (runs recorded before
    // special dispatches existed take no such step: `patched`)
    afterLadder: () => {
      const due = specialDispatchDue(policy, book.open(), dispatched);
      if (due && patched('special-dispatch')) {
        const f = due.factorTask;
        const issue = f.context ?? {};
        const reason = `${SPECIAL_DISPATCH_TRIGGERS[due.trigger]}：要素保障问题「${String(issue.description ?? f.title)}」（${f.id}，${LEVEL_NAMES[f.escalationLevel] ?? '逾期'}）`;
        dispatched[factorRootOf(f)] = openSpecialDispatch(due.trigger, reason, { factorTask: f }).id;
      }
    },
  });

  // ── 八 专题调度 ───────────────────────────────────────────────────────────────────────────────
  const dispatched = (s.specialDispatch ??= {});
  /** Opens a special dispatch for the 县委专职副书记; its agenda is the problem and where the project stands. */
  const openSpecialDispatch = (trigger: SpecialDispatchTrigger, reason: string, extra: { actor?: Actor; factorTask?: TaskView }) => {
    const f = extra.factorTask;
    const task = book.openTask('meeting.specialDispatch', {
      context: {
        trigger, triggerName: SPECIAL_DISPATCH_TRIGGERS[trigger], reason,
        ...(extra.actor ? { requestedBy: extra.actor.username, requestedByName: extra.actor.displayName } : {}),
        ...(f ? { factorIssue: { taskId: f.id, title: f.title, category: f.context?.category ?? null, description: f.context?.description ?? null, raisedBy: f.context?.raisedBy ?? null } } : {}),
        projectName: s.project.name, stage: s.stage, stageName: STAGE_NAMES[s.stage], stageSince: s.stageSince, escalationLevel: book.escalationLevel(),
        openTasks: book.open().map((t) => ({ id: t.id, title: t.title, group: groupNameOf(t.candidateGroup), dueAt: t.dueAt, escalationLevel: t.escalationLevel })),
      },
    });
    emit({ kind: 'SPECIAL_DISPATCH_OPENED', taskId: task.id, trigger, reason, ...(extra.actor ? { actor: extra.actor.username } : {}) });
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
      throw new DomainError('VALIDATION', '变更没有改动任何内容：给出的各项与项目现有的相同', [{ field: 'amendment.fields', message: '各项均与现有的相同' }]);
    }
    checkAmendmentChanges(i.actor, s.project, s.stage, changes);
    return { a, changes };
  };
  const checkTerminate = (i: TerminateProjectInput) => {
    checkTermination(i.actor, s.stage, i.meeting !== undefined);
    return parseOrRefuse(Termination, { reason: i.reason }, 'body').reason;
  };

  // ── handlers ─────────────────────────────────────────────────────────────────────────────────
  let registered = !!input.carried; // an Update may arrive in the very first activation
  setHandler(snapshotQuery, snapshot);
  setHandler(syncUpdate, async () => {
    await condition(() => registered);
    return exclusive(async () => snapshot());
  });

  book.registerHandlers();

  guardedUpdate(turns, raiseFactorIssueUpdate, checkFactor, async (issue, i) => {
    const task = book.openTask('factor.issue', { context: { ...issue, raisedBy: i.actor.username } });
    emit({ kind: 'FACTOR_ISSUE_RAISED', actor: i.actor.username, taskId: task.id, issue });
    publish();
    await flush();
    return task;
  });

  // 八 专题调度 on request: the 县长 or a 分管副县长, with a reason; one open at a time
  const checkSpecialDispatch = (i: RequestSpecialDispatchInput) => {
    checkSpecialDispatchRequest(i.actor);
    if (isTerminal(s.stage)) throw new DomainError('CONFLICT', `项目已结束（${stageNamed(s.stage)}），不能再提请专题调度`);
    const reason = parseOrRefuse(SpecialDispatchRequest, { reason: i.reason }, 'body').reason;
    const pending = book.open().find((t) => t.type === 'meeting.specialDispatch');
    if (pending) throw new DomainError('CONFLICT', `项目已有专题调度任务 ${pending.id} 在办，${pending.dueAt.slice(0, 10)} 到期`);
    return reason;
  };
  guardedUpdate(turns, requestSpecialDispatchUpdate, checkSpecialDispatch, async (reason, i) => {
    const task = openSpecialDispatch('REQUEST', reason, { actor: i.actor });
    publish();
    await flush();
    return task;
  });

  // 八: the county calendar opens a task in the project — a monthly progress report, or a meeting's
  // instruction (project.coordination) — once per key
  const calendarTasks = (s.calendarTasks ??= s.periodic ?? {});
  delete s.periodic;
  const checkCalendarTask = (i: OpenCalendarTaskInput) => {
    if (!(CALENDAR_TASK_TYPES as readonly string[]).includes(i.type)) throw new DomainError('VALIDATION', `${i.type} 不是县级调度日历开办的任务`, [{ field: 'type', message: '不是县级调度日历的任务类型' }]);
    if (!calendarTasks[`${i.type}:${i.key}`] && isTerminal(s.stage)) throw new DomainError('CONFLICT', `项目已结束（${stageNamed(s.stage)}）`);
  };
  guardedUpdate(turns, openCalendarTaskUpdate, checkCalendarTask, async (_, i) => {
    // §4 工作日: the 月研判 brings the worker's current holiday table every month; later tasks count with it
    book.adoptHolidays(i.holidays);
    const key = `${i.type}:${i.key}`;
    const created = !calendarTasks[key];
    if (created) {
      calendarTasks[key] = book.openTask(i.type, { dueAt: i.dueAt, context: i.context }).id;
      publish();
    }
    const taskId = calendarTasks[key];
    // issue 15: the monthly fan-out writes the task itself, from the events answered here (its Update
    // carries projectedByCaller, so histories recorded before replay the path they took)
    if (i.projectedByCaller) return { taskId, created, unwritten: journal.unwritten() };
    if (created) await flush();
    return { taskId, created };
  });

  guardedUpdate(turns, amendProjectUpdate, checkAmend, async ({ a, changes }, i) => {
    Object.assign(s.project, a.fields);
    // §6: the memo shows the project as it now stands (runs recorded before this change did not update it)
    if (patched('memo-follows-amendments')) upsertMemo({ summary: projectSummary(s.project) });
    emit({ kind: 'PROJECT_AMENDED', actor: i.actor.username, reason: a.reason, changes });
    publish();
    await flush();
    return snapshot();
  });

  // §9: ADMIN moves a running project to another policy version; tasks opened from now on follow it
  const checkApplyPolicy = (i: ApplyPolicyInput) => {
    if (!i.actor.admin) throw new DomainError('FORBIDDEN', '只有系统管理员（ADMIN）可以为项目适用政策版本');
    if (isTerminal(s.stage)) throw new DomainError('CONFLICT', `项目已结束（${stageNamed(s.stage)}）`);
    return i;
  };
  guardedUpdate(turns, applyPolicyUpdate, checkApplyPolicy, async (i) => {
    const from = s.policyVersion ?? 0;
    if (from !== i.version) {
      policy = i.policy;
      s.policyVersion = i.version;
      emit({ kind: 'POLICY_APPLIED', actor: i.actor.username, from, to: i.version, policy: i.policy });
      await flush();
    }
    return snapshot();
  });

  // §9 routing corrections: the responsible unit or the landing site changes; each open task whose group
  // follows from it moves to the new group (a claim on it is released: the claimer is not of the new
  // group) and its ladder goes on, from the same due time, to the new group's people
  const checkReroute = (i: RerouteProjectInput) => {
    if (!i.actor.admin && !i.actor.groups.includes(`UNIT:${NAMED_UNITS.commerce}`)) {
      throw new DomainError('FORBIDDEN', '只有系统管理员（ADMIN）或县商务局（综合协调单位）可以调整项目的责任单位或落户地');
    }
    if (isTerminal(s.stage)) throw new DomainError('CONFLICT', `项目已结束（${stageNamed(s.stage)}）`);
    const r = parseOrRefuse(Reroute, { responsibleUnitId: i.responsibleUnitId, landingSiteId: i.landingSiteId, reason: i.reason }, 'body');
    const changes: Record<string, { old: unknown; new: unknown }> = {};
    for (const field of ['responsibleUnitId', 'landingSiteId'] as const) {
      if (r[field] !== undefined && r[field] !== s.project[field]) changes[field] = { old: s.project[field] ?? null, new: r[field] };
    }
    if (Object.keys(changes).length === 0) {
      throw new DomainError('VALIDATION', '调整没有改动任何内容：责任单位和落户地与现有的相同', [{ field: 'body', message: '请给出与现有不同的责任单位（responsibleUnitId）或落户地（landingSiteId）' }]);
    }
    return { r, changes };
  };
  guardedUpdate(turns, rerouteProjectUpdate, checkReroute, async ({ r, changes }, i) => {
    Object.assign(s.project, Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.new])));
    const moved = book.regroup();
    emit({ kind: 'PROJECT_REROUTED', actor: i.actor.username, reason: r.reason, changes, moved });
    if (patched('memo-follows-amendments')) upsertMemo({ summary: projectSummary(s.project) });
    publish();
    await flush();
    return { snapshot: snapshot(), moved };
  });

  guardedUpdate(turns, terminateProjectUpdate, checkTerminate, async (reason, i) => {
    enterStage('TERMINATED', {}, { reason, actor: i.actor.username });
    publish();
    await flush();
    return snapshot();
  });

  // ── life ─────────────────────────────────────────────────────────────────────────────────────
  if (input.carried) {
    publish();
    book.resumeLadders();
  } else {
    await exclusive(async () => {
      emit({ kind: 'PROJECT_REGISTERED', actor: s.project.createdBy, project: s.project, stage: s.stage, policy, ...(s.policyVersion !== undefined ? { policyVersion: s.policyVersion } : {}) });
      book.openTask(taskForStage('LEAD').type);
      publish();
      await flush();
    });
    registered = true;
  }

  // bounded history: continue as new with the whole state when Temporal suggests it (or past the limit)
  while (!isTerminal(s.stage)) {
    await condition(() => isTerminal(s.stage) || historyFull(input.continueAsNewAfterEvents));
    await continueAsNewWhenIdle(
      turns,
      async () => {
        // events a caller was to write (openCalendarTask with projectedByCaller) are written before the
        // run ends, whether or not it did (runs recorded before such events never hold any here)
        if (journal.unwritten().length > 0 && patched('flush-before-continue-as-new')) await flush();
        return continueAsNew<typeof projectWorkflow>({ project: s.project, policy, carried: s, continueAsNewAfterEvents: input.continueAsNewAfterEvents });
      },
      () => !isTerminal(s.stage),
    );
  }
  await turns.idle();
  return s.stage;
}
