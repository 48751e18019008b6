// §7 the task inbox: list the caller's open tasks (each with what is needed to act on it: its project,
// the Chinese names, its form), what they have done (已办), a task's detail with its history; claim,
// complete (a Temporal Update with a validator).
import { createHash, randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkMember, COMMENT, completionFingerprint } from '../../domain/completion';
import { DomainError } from '../../domain/errors';
import { EXAMPLE_DATE, STAGES, stageNamed, TASK_TYPE_NAMES, TASK_TYPES, type TaskTypeName } from '../../domain/pipeline';
import { assignTaskUpdate, claimTaskUpdate, completeTaskUpdate } from '../../workflows/messages/tasks';
import type { AppDeps } from '../deps';
import { applyProjectionEvents } from '../../activities/projection';
import type { ProjectionEvent } from '../../domain/events';
import { audit } from '../../db/audit';
import { get, readSql } from '../../db/sql';
import { ApiError } from '../errors';
import { actorOf, loadCaller, type Caller } from '../plugins/auth';
import { ErrorSchema, Id, listOf, OutcomeData, Paging, QueryBool, strictQuery, TaskDetailSchema, TaskItemSchema, TaskSchema } from '../schemas';
import { presentTasks, presentTimeline, toProject, toTask } from '../present';
import { projectReadScope } from '../../domain/read-access';
import { withReadAccess } from '../read-access';
import { formFields } from '../../domain/forms';
import { unstaffedGroups, unstaffedWarnings, WarningsSchema } from '../staffing';


/** A task's status as a refusal names it: 已办结（COMPLETED）. */
const STATUS_NAMES: Record<string, string> = { OPEN: '待办', CLAIMED: '已认领', COMPLETED: '已办结', CANCELLED: '已取消' };
const statusNamed = (status: string) => `${STATUS_NAMES[status] ?? status}（${status}）`;

/** The outcome table of every task type with its data fields, for the OpenAPI description (read from domain/pipeline.ts). */
const docProject = { projectNo: 'NX-0000-0000', createdBy: '', name: '', investor: '', investorOrigin: 'LOCAL', industryChain: 'OTHER', channel: 'OTHER', plannedInvestmentWan: 1, sourceUnitId: 'R00', isMajor: false, isCaseByCase: true } as const;
const dataFields = (schema: z.ZodType) => formFields(schema).map((f) => (f.required ? `${f.name}*` : f.name));
const outcomeDoc = TASK_TYPES.map((d) =>
  `- \`${d.type}\` ${d.title} (${d.clause}): ${Object.entries(d.outcomes).map(([o, def]) => {
    const fields = dataFields(def.data({ project: docProject, now: new Date(), context: null }));
    const example = def.example?.({ isCaseByCase: true, today: EXAMPLE_DATE });
    return `\`${o}\`${def.commentRequired ? ' (comment required)' : ''}${fields.length ? ` data {${fields.join(', ')}}` : ''}${example ? `, e.g. \`${JSON.stringify(example)}\`` : ''}`;
  }).join(', ')}`,
).join('\n') + '\n\n`*` required; specialTerms only for 一事一议; dates YYYY-MM-DD, not in the future (Asia/Shanghai); unknown data fields are refused.';

/** What the task commands need of a task's row. */
interface TaskRef { id: string; workflowId: string; projectId: string | null; type: string; status: string; candidateGroup: string; claimedBy: string | null }

export async function taskRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: [app.authenticate] };

  /** The task (404 if none); with `member`, only when the caller is in its candidate group (403). */
  const taskOr404 = async (id: string, opts: { member?: Caller; open?: boolean }) => {
    // in SQL (db/sql.ts), as the caller is read: on every claim and completion (issue 15)
    const task = await readSql(deps.db, () => get<TaskRef>(
      'SELECT "id", "workflowId", "projectId", "type", "status", "candidateGroup", "claimedBy" FROM "Task" WHERE "id" = ?', id));
    if (!task) throw new ApiError('NOT_FOUND', `任务 ${id} 不存在`);
    if (opts.member) checkCandidate(task, opts.member);
    if (opts.open && (task.status === 'COMPLETED' || task.status === 'CANCELLED')) throw new ApiError('CONFLICT', `任务 ${id} ${statusNamed(task.status)}`);
    return task;
  };
  const checkCandidate = (task: { id: string; candidateGroup: string }, caller: Caller) => {
    const id = task.id;
    if (caller.roles.includes('ADMIN') && !caller.groups.includes(task.candidateGroup)) {
      throw new ApiError('FORBIDDEN', '系统管理员（ADMIN）可以指派任务，但不能认领或办理任务');
    }
    try {
      checkMember(actorOf(caller), task.candidateGroup, id);
    } catch (e) {
      if (e instanceof DomainError) throw new ApiError(e.code, e.message);
      throw e;
    }
  };
  /** 十四: a contract number names one contract — another project's signed contract with the same number is a conflict */
  const checkContractNo = async (task: { id: string; type: string; projectId: string | null }, body: { outcome: string; data?: Record<string, unknown> }) => {
    const contractNo = typeof body.data?.contractNo === 'string' ? body.data.contractNo.trim() : null;
    if (task.type !== ('signing.ceremony' satisfies TaskTypeName) || body.outcome !== 'signed' || !contractNo) return;
    const signed = await deps.db.task.findMany({
      where: { type: task.type, status: 'COMPLETED', outcome: 'signed', NOT: { id: task.id } }, select: { projectId: true, data: true },
    });
    const other = signed.find((t) => (t.data as { contractNo?: string } | null)?.contractNo === contractNo);
    if (other) {
      throw new ApiError('CONFLICT', `合同编号 ${contractNo} 已是项目 ${other.projectId} 的合同编号`, [
        { field: 'data.contractNo', message: `已是项目 ${other.projectId} 的合同编号` },
      ]);
    }
  };
  /** the workflow that owns the task: its project's, or the county calendar's */
  const handleOf = (task: { workflowId: string }) => deps.temporal.workflow.getHandle(task.workflowId);
  /**
   * Issue 15: writes the events a completion answered (projectedByCaller). The workflow's projection
   * activity writes the same ones right after, whichever comes first: when this write fails (the
   * database out of reach, a batch it refuses), the completion stands and the activity's write is the
   * one that counts (retried, or put on record as refused), so it is only logged here.
   */
  const writeEvents = async (workflowId: string, events: ProjectionEvent[], log: FastifyBaseLogger) => {
    try {
      await applyProjectionEvents(deps.db, workflowId, events);
    } catch (e) {
      log.warn({ err: e, workflowId, seq: events.map((ev) => ev.seq) }, 'the API did not write a completion\'s events; the workflow\'s projection activity writes them');
    }
  };

  /** an inbox item: a task as a person reads it, and whether its candidate group has no active person (无人可办, ADMIN's inbox only) */
  const InboxTaskSchema = TaskItemSchema.extend({
    unstaffed: z.boolean().describe('无人可办: the task\'s candidate group has no active person (ADMIN\'s inbox); false in every other inbox'),
  });
  const OPEN_STATUSES = ['OPEN', 'CLAIMED'];

  app.get('/tasks', {
    ...auth,
    schema: {
      tags: ['tasks'], summary: '我的待办 — open tasks of the caller\'s candidate groups', security: [{ bearerAuth: [] }],
      description: 'Each item carries what is needed to act on it without another call: the project\'s number, name and investor, '
        + 'the stage and the candidate group with their Chinese names, the due time, the escalation level, who claimed it '
        + '(`claimedByMe`), and its `form` — each allowed outcome with its Chinese label, whether a comment is required, and '
        + 'the `data` fields it takes (label, type, required, choices), read from the task-type definition that validates the '
        + 'completion. Filters combine (AND); a parameter the inbox does not take answers 400 naming it.\n\n'
        + '无人可办 (§9): a task is 无人可办 when its candidate group (a task force, a county role, a unit or a unit\'s '
        + 'leaders) has no active person — nobody can claim or complete it until an administrator reroutes the project or adds '
        + 'people. The inbox of `ADMIN` lists these tasks besides its own, each with `unstaffed: true` (every other item has '
        + '`unstaffed: false`); `?unstaffed=true` lists only them, `?unstaffed=false` only the others. The `unstaffed` filter is '
        + 'for `ADMIN` only (403 for anyone else).',
      querystring: strictQuery(Paging.extend({
        projectId: Id.optional(),
        type: z.enum(TASK_TYPE_NAMES).optional(),
        stage: z.enum(STAGES).optional(),
        overdue: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true')),
        mine: QueryBool.optional().describe('true: only the tasks the caller claimed; false: only those the caller did not claim'),
        minLevel: z.coerce.number().int().min(0).max(4).optional().describe('escalation level at least this (1 已逾期, 2–4 督办)'),
        unstaffed: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true'))
          .describe('ADMIN only: true lists only the tasks 无人可办 (candidate group without an active person), false only the others'),
      })),
      response: { 200: listOf(InboxTaskSchema), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req) => {
    const { page, pageSize, projectId, type, stage, overdue, mine, minLevel, unstaffed } = req.query;
    const admin = req.caller.roles.includes('ADMIN');
    if (unstaffed !== undefined && !admin) {
      throw new ApiError('FORBIDDEN', 'query.unstaffed：只有系统管理员（ADMIN）可以查看无人可办的任务（候选组没有在岗人员）',
        [{ field: 'querystring.unstaffed', message: '仅限系统管理员（ADMIN）' }]);
    }
    // §9 无人可办: for ADMIN, the candidate groups of open tasks that have no active person
    let noOne = new Set<string>();
    if (admin) {
      const groups = await deps.db.task.groupBy({ by: ['candidateGroup'], where: { status: { in: OPEN_STATUSES } } });
      noOne = await unstaffedGroups(deps.db, groups.map((g) => g.candidateGroup));
    }
    const own = req.caller.groups.filter((g) => !noOne.has(g));
    const groups = unstaffed === true ? [...noOne] : unstaffed === false ? own : [...own, ...noOne];
    const where = {
      candidateGroup: { in: groups },
      status: { in: OPEN_STATUSES },
      ...(projectId ? { projectId } : {}),
      ...(type ? { type } : {}),
      ...(stage ? { stage } : {}),
      ...(overdue !== undefined ? { overdue } : {}),
      ...(minLevel !== undefined ? { escalationLevel: { gte: minLevel } } : {}),
      ...(mine === true ? { claimedBy: req.caller.username } : mine === false ? { OR: [{ claimedBy: null }, { claimedBy: { not: req.caller.username } }] } : {}),
    };
    const [rows, total] = await Promise.all([
      deps.db.task.findMany({ where, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.task.count({ where }),
    ]);
    const items = await presentTasks(deps.db, req.caller, rows);
    return { items: items.map((t) => ({ ...t, unstaffed: noOne.has(t.candidateGroup) })), total, page, pageSize };
  });

  app.get('/tasks/done', {
    ...auth,
    schema: {
      tags: ['tasks'], summary: '已办 — the tasks the caller completed, with outcome and time, newest first', security: [{ bearerAuth: [] }],
      querystring: strictQuery(Paging.extend({
        projectId: Id.optional(),
        type: z.enum(TASK_TYPE_NAMES).optional(),
      })),
      response: { 200: listOf(TaskItemSchema), 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => {
    const { page, pageSize, projectId, type } = req.query;
    const where = { completedBy: req.caller.username, status: 'COMPLETED', ...(projectId ? { projectId } : {}), ...(type ? { type } : {}) };
    const [rows, total] = await Promise.all([
      deps.db.task.findMany({ where, orderBy: [{ completedAt: 'desc' }, { id: 'desc' }], skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.task.count({ where }),
    ]);
    return { items: await presentTasks(deps.db, req.caller, rows), total, page, pageSize };
  });

  app.get('/tasks/:id', {
    ...auth,
    schema: {
      tags: ['tasks'], security: [{ bearerAuth: [] }],
      summary: '任务详情 — the task (the inbox\'s fields, its form while open), its project\'s summary and the task\'s history',
      description: 'Visible to the members of its candidate group, whoever claimed or completed it, and whoever may read its project '
        + '(a task of the county calendar: ADMIN besides); to anyone else 404, as a task that does not exist.',
      params: z.object({ id: Id }),
      response: { 200: TaskDetailSchema, 401: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => {
    const task = await deps.db.task.findUnique({ where: { id: req.params.id } });
    const caller = req.caller;
    const tied = !!task && (caller.groups.includes(task.candidateGroup) || task.claimedBy === caller.username || task.completedBy === caller.username);
    const project = task?.projectId
      ? await deps.db.project.findFirst({ where: tied ? { id: task.projectId } : withReadAccess(caller, { id: task.projectId }) })
      : null;
    // a county task has no project: besides those tied to it, ADMIN (who reassigns tasks) reads it
    const visible = !!task && (tied || (task.projectId ? !!project : caller.roles.includes('ADMIN') && projectReadScope(caller).all));
    if (!task || !visible) throw new ApiError('NOT_FOUND', `任务 ${req.params.id} 不存在`);
    const [[item], history] = await Promise.all([
      presentTasks(deps.db, caller, [task]),
      deps.db.timelineEvent.findMany({ where: { workflowId: task.workflowId, taskId: task.id }, orderBy: { id: 'asc' } }).then((rows) => presentTimeline(deps.db, rows)),
    ]);
    return { ...item, project: project ? toProject(project) : null, history };
  });

  app.post('/tasks/:id/claim', {
    ...auth,
    schema: {
      tags: ['tasks'], summary: '认领任务', security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      response: { 200: TaskSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req) => {
    const task = await taskOr404(req.params.id, { member: req.caller, open: true });
    const view = await handleOf(task).executeUpdate(claimTaskUpdate, { args: [{ taskId: task.id, actor: actorOf(req.caller) }] });
    return toTask(view);
  });

  // §1: ADMIN reassigns; the claimer (or ADMIN) releases a claim (Camunda's assign / unassign)
  app.post('/tasks/:id/assign', {
    ...auth,
    schema: {
      tags: ['tasks'], summary: '指派任务 — ADMIN assigns the task to a member of its candidate group', security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      body: z.object({ username: z.string().min(1) }),
      response: { 200: TaskSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req) => {
    const task = await taskOr404(req.params.id, { open: true });
    const person = await deps.db.person.findUnique({ where: { username: req.body.username }, select: { id: true } });
    const assignee = person && (await loadCaller(deps.db, person.id));
    if (!assignee) throw new ApiError('VALIDATION', `body.username：没有在岗人员 ${req.body.username}`, [{ field: 'body.username', message: '没有这个在岗人员' }]);
    const view = await handleOf(task).executeUpdate(assignTaskUpdate, {
      args: [{ taskId: task.id, actor: actorOf(req.caller), assignee: actorOf(assignee) }],
    });
    // §9 audit: a reassignment is an administrative change
    await audit(deps.db, { actor: req.caller.username, action: 'TASK_REASSIGNED', target: `task:${task.id}`, before: { claimedBy: task.claimedBy ?? null }, after: { claimedBy: view.claimedBy } });
    return toTask(view);
  });
  app.post('/tasks/:id/unclaim', {
    ...auth,
    schema: {
      tags: ['tasks'], summary: '释放任务 — the claimer or ADMIN gives the task back to its group', security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      response: { 200: TaskSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req) => {
    const task = await taskOr404(req.params.id, { open: true });
    const view = await handleOf(task).executeUpdate(assignTaskUpdate, {
      args: [{ taskId: task.id, actor: actorOf(req.caller), assignee: null }],
    });
    // §9 audit: ADMIN releasing another's claim is an administrative change (one's own release is not)
    if (task.claimedBy && task.claimedBy !== req.caller.username) {
      await audit(deps.db, { actor: req.caller.username, action: 'TASK_RELEASED', target: `task:${task.id}`, before: { claimedBy: task.claimedBy }, after: { claimedBy: null } });
    }
    return toTask(view);
  });

  app.post('/tasks/:id/complete', {
    ...auth,
    schema: {
      tags: ['tasks'], security: [{ bearerAuth: [] }],
      summary: '完成任务 — {outcome, comment?, data?}; the same completion again answers the same, another outcome, data or comment is 409',
      description: `Outcomes by task type (domain/pipeline.ts):\n${outcomeDoc}`,
      params: z.object({ id: Id }),
      body: z.object({
        outcome: z.string().min(1),
        comment: COMMENT.optional(),
        data: OutcomeData.optional(),
      }),
      response: {
        200: z.object({
          taskId: z.string(), outcome: z.string(), projectId: z.string().nullable(), stage: z.enum(STAGES).nullable(), openTasks: z.array(TaskSchema),
          warnings: WarningsSchema,
        }),
        400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema,
      },
    },
  }, async (req) => {
    const task = await taskOr404(req.params.id, { member: req.caller });
    await checkContractNo(task, req.body);
    const handle = handleOf(task);
    const completion = { taskId: task.id, outcome: req.body.outcome, comment: req.body.comment, data: req.body.data };
    try {
      // issue 15: a project's completion is answered as soon as the workflow has decided it; its events
      // are written here, before the answer, so that what the caller reads next already shows it
      const projectedByCaller = task.projectId !== null;
      const { unwritten, ...result } = await handle.executeUpdate(completeTaskUpdate, {
        args: [{ ...completion, actor: actorOf(req.caller), ...(projectedByCaller ? { projectedByCaller, publishAfterWrite: true } : {}) }],
        // each attempt its own Update: the workflow answers a completion sent again the same way (its task
        // book keeps the answers, across continue-as-new). An id derived from the completion alone made
        // every retry attach to the first attempt's Update, and when that one was lost with a killed worker
        // or Temporal Server, the retries were refused for minutes (found by the chaos test).
        updateId: `complete-${task.id}-${createHash('sha256').update(completionFingerprint(completion)).digest('hex').slice(0, 16)}-${randomUUID().slice(0, 8)}`,
      });
      if (unwritten?.length) await writeEvents(task.workflowId, unwritten, req.log);
      // §9 无人可办: the completion stands; an open task of a group without an active person is a warning
      return { ...result, openTasks: result.openTasks.map(toTask), warnings: await unstaffedWarnings(deps.db, result.openTasks) };
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
      // the workflow has ended (the last task of a project's life, or terminated): the database
      // still answers a repeated completion the same way, and refuses anything else
      const [current, project] = await Promise.all([
        deps.db.task.findUniqueOrThrow({ where: { id: task.id } }),
        task.projectId ? deps.db.project.findUnique({ where: { id: task.projectId }, select: { stage: true } }) : null,
      ]);
      const stage = (project?.stage ?? null) as (typeof STAGES)[number] | null;
      const same = current.status === 'COMPLETED' && current.outcome === req.body.outcome
        && completionFingerprint({ ...completion, data: (current.data ?? {}) as Record<string, unknown>, comment: current.comment ?? undefined }) === completionFingerprint(completion);
      if (same) {
        return { taskId: task.id, outcome: req.body.outcome, projectId: task.projectId, stage, openTasks: [], warnings: [] };
      }
      throw new ApiError('CONFLICT', current.status === 'COMPLETED'
        ? current.outcome === req.body.outcome
          ? `任务 ${task.id} 已办结（办理结果 ${current.outcome}），当时的数据或办理意见与本次提交的不同`
          : `任务 ${task.id} 已办结，办理结果为 ${current.outcome}，不能再以 ${req.body.outcome} 办理`
        : `任务 ${task.id} ${statusNamed(current.status)}${stage ? `，项目已结束（${stageNamed(stage)}）` : ''}`);
    }
  });
}
