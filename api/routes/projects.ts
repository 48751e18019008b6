// §7 projects: register a lead, list with filters and paging, detail with open tasks and timeline.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FactorIssue, isTerminal, stageNamed, STAGES, type Stage } from '../../domain/pipeline';
import {
  Amendment, AmendmentFields, checkAmendment, checkAmendmentChanges, checkFactorIssue, checkTermination, Reroute, Termination,
} from '../../domain/side-actions';
import { DomainError } from '../../domain/errors';
import { text, TEXT_LENGTH } from '../../domain/text';
import { amendProjectUpdate, raiseFactorIssueUpdate, requestSpecialDispatchUpdate, rerouteProjectUpdate, terminateProjectUpdate } from '../../workflows/messages/project';
import { checkSpecialDispatchRequest, SpecialDispatchRequest } from '../../domain/special-dispatch';
import { actorOf, type Caller } from '../plugins/auth';
import { mayRecordLeadFor } from '../../domain/read-access';
import { withReadAccess } from '../read-access';
import { IndustryChain, InvestorOrigin, ProjectRegistration, unitIdOf } from '../../domain/project';
import { isoDate } from '../../domain/text';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { registerProject } from '../register-project';
import { checkRegistrationLinks, pitchIntoTalks } from '../registration-links';
import { ErrorSchema, Id, listOf, Paging, ProjectDetailSchema, ProjectSchema, QueryBool, strictQuery, TaskSchema } from '../schemas';
import { presentTasks, presentTimeline, projectFieldsOf, registryNames, toProject, toTask } from '../present';
import { unstaffedGroups, unstaffedWarnings, WarningsSchema } from '../staffing';
import { SHANGHAI_OFFSET_MS } from '../../domain/shanghai-time';
import { audit } from '../../db/audit';

/** The instant a day of Asia/Shanghai begins (`plusDays` later): a registration date range covers whole days there. */
const shanghaiDayStart = (day: string, plusDays = 0) => new Date(Date.parse(`${day}T00:00:00Z`) - SHANGHAI_OFFSET_MS + plusDays * 86_400_000);

/** Whether a rule of domain/side-actions.ts lets the caller do it now (it refuses with a DomainError). */
const allows = (check: () => void): boolean => {
  try {
    check();
    return true;
  } catch (e) {
    if (e instanceof DomainError) return false;
    throw e;
  }
};

/**
 * The side actions (§3) the caller may take on the project as it stands, by the very rules the
 * workflow's validators apply (domain/side-actions.ts): the workbench shows only these.
 */
function sideActionsOf(caller: Caller, p: Parameters<typeof projectFieldsOf>[0], openTypes: readonly string[] = []) {
  const actor = actorOf(caller);
  const fields = projectFieldsOf(p);
  const stage = p.stage as Stage;
  const mayChange = (field: string, to: unknown) => allows(() => {
    checkAmendment(actor, fields, stage);
    checkAmendmentChanges(actor, fields, stage, { [field]: { old: (fields as unknown as Record<string, unknown>)[field] ?? null, new: to } });
  });
  return {
    factorIssue: allows(() => checkFactorIssue(actor, fields, stage)),
    amend: {
      // any field but the two flags (the name stands for them all: one rule covers them)
      fields: mayChange('name', `${fields.name}（变更）`),
      // 九: the flags to their other value — raised by the responsible unit or ADMIN, lowered only by the 县长, neither from the contract on
      isMajor: mayChange('isMajor', !fields.isMajor),
      isCaseByCase: mayChange('isCaseByCase', !fields.isCaseByCase),
    },
    // outside a 季调度 meeting: ADMIN only
    terminate: allows(() => checkTermination(actor, stage, false)),
    // 八 专题调度: the 县长 or a 分管副县长, while the project is active and none is open (the workflow refuses a second)
    specialDispatch: !isTerminal(stage) && !openTypes.includes('meeting.specialDispatch') && allows(() => checkSpecialDispatchRequest(actor)),
  };
}

const SideActionsSchema = z.object({
  factorIssue: z.boolean().describe('提出要素保障问题 (POST /projects/:id/factor-issues)'),
  amend: z.object({
    fields: z.boolean().describe('变更 the fields other than isMajor / isCaseByCase'),
    isMajor: z.boolean().describe('change 特别重大产业项目 to its other value'),
    isCaseByCase: z.boolean().describe('change 一事一议 to its other value'),
  }).describe('变更项目信息 (POST /projects/:id/amend)'),
  terminate: z.boolean().describe('终止项目 (POST /projects/:id/terminate)'),
  specialDispatch: z.boolean().describe('提请专题调度 (八, POST /projects/:id/special-dispatch)'),
}).describe('the side actions (§3) the caller may take now, by the rules the service enforces');

export async function projectRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: [app.authenticate] };

  app.post('/projects', {
    ...auth,
    schema: {
      tags: ['projects'], summary: '登记招商线索 — register a lead; starts its project workflow', security: [{ bearerAuth: [] }],
      description: 'Safe to retry: send an `Idempotency-Key` header, and the same key (of the same caller) answers the same project. '
        + 'A lead whose name and investor match an active project is refused with 409 naming it, unless `confirmDuplicate: true`. '
        + '`warnings` (§9 无人可办): an open task of the new project whose candidate group has no active person — the lead is registered all the same.',
      headers: z.object({
        'idempotency-key': z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, '应为 8 到 128 个字母、数字、_ 或 -').optional()
          .describe('a key the client makes for this registration (e.g. a UUID); a retry with the same key answers the same project'),
      }),
      body: ProjectRegistration.extend({
        sourceUnitId: ProjectRegistration.shape.sourceUnitId.optional().describe('线索来源单位; defaults to the caller\'s unit'),
        confirmDuplicate: z.boolean().optional().describe('register although an active project has the same name and investor'),
      }),
      response: {
        201: z.object({ id: z.string(), projectNo: z.string(), workflowId: z.string(), stage: z.enum(STAGES), warnings: WarningsSchema }),
        400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 409: ErrorSchema, 503: ErrorSchema,
      },
    },
  }, async (req, reply) => {
    const { confirmDuplicate, ...registration } = req.body;
    const sourceUnitId = registration.sourceUnitId ?? req.caller.unitId;
    if (!sourceUnitId) throw new ApiError('VALIDATION', 'body.sourceUnitId：必填（您不属于任何单位）', [{ field: 'body.sourceUnitId', message: '必填' }]);
    if (!mayRecordLeadFor(req.caller, sourceUnitId)) {
      throw new ApiError('FORBIDDEN', 'body.sourceUnitId：线索登记在本人所在单位名下；只有系统管理员（ADMIN）和县商务局可以为其他单位登记',
        [{ field: 'body.sourceUnitId', message: '必须是您本人所在的单位' }]);
    }
    // 五 策划包装库, 七 招商顾问和商协会: the pitch and partner it names exist and fit (400 naming the field)
    await checkRegistrationLinks(deps.db, registration);
    const r = await registerProject(
      { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, policy: deps.policy },
      { ...registration, sourceUnitId }, req.caller.username, { idempotencyKey: req.headers['idempotency-key'], refuseDuplicate: !confirmDuplicate },
    );
    // 五: registered from a pitch, the pitch is in talks now
    if (registration.pitchId) await pitchIntoTalks(deps.db, registration.pitchId, req.caller.username, r.projectId);
    // §9 无人可办: registered all the same; an open task of a group without an active person is a warning
    const warnings = await unstaffedWarnings(deps.db, r.openTasks);
    return reply.code(201).send({ id: r.projectId, projectNo: r.projectId, workflowId: r.workflowId, stage: r.stage, warnings });
  });

  app.get('/projects', {
    ...auth,
    schema: {
      tags: ['projects'], summary: '项目列表 — the projects the caller may read (README: who may read what)', security: [{ bearerAuth: [] }],
      description: 'Newest first. Filters combine (AND); a parameter the list does not take answers 400 naming it.',
      querystring: strictQuery(Paging.extend({
        stage: z.enum(STAGES).optional(),
        landingSiteId: unitIdOf('LANDING_SITE').optional(),
        responsibleUnitId: unitIdOf().optional(),
        industryChain: IndustryChain.optional(),
        investorOrigin: InvestorOrigin.optional(),
        isMajor: QueryBool.optional().describe('特别重大产业项目'),
        isCaseByCase: QueryBool.optional().describe('一事一议'),
        escalationLevel: z.coerce.number().int().min(0).max(4).optional().describe('exactly this escalation level (0 none, 1 已逾期, 2–4 督办)'),
        minLevel: z.coerce.number().int().min(0).max(4).optional().describe('at least this escalation level'),
        registeredFrom: isoDate().optional().describe('registered on or after this day (YYYY-MM-DD, Asia/Shanghai)'),
        registeredTo: isoDate().optional().describe('registered on or before this day (YYYY-MM-DD, Asia/Shanghai)'),
        q: text(TEXT_LENGTH.name).optional().describe('text in the name or investor'),
        pitchId: ProjectRegistration.shape.pitchId.describe('registered from this pitch (五 策划包装库)'),
        partnerId: ProjectRegistration.shape.partnerId.describe('brought by this 招商顾问 / 商协会 (七)'),
      })),
      response: { 200: listOf(ProjectSchema), 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => {
    const { page, pageSize, q, minLevel, escalationLevel, registeredFrom, registeredTo, ...filters } = req.query;
    const where = withReadAccess(req.caller, {
      AND: [
        Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)),
        escalationLevel !== undefined ? { escalationLevel } : {},
        minLevel !== undefined ? { escalationLevel: { gte: minLevel } } : {},
        registeredFrom || registeredTo
          ? { createdAt: { ...(registeredFrom ? { gte: shanghaiDayStart(registeredFrom) } : {}), ...(registeredTo ? { lt: shanghaiDayStart(registeredTo, 1) } : {}) } }
          : {},
        q ? { OR: [{ name: { contains: q } }, { investor: { contains: q } }] } : {},
      ],
    });
    const [rows, total] = await Promise.all([
      deps.db.project.findMany({ where, orderBy: { createdAt: 'desc' }, skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.project.count({ where }),
    ]);
    const names = await registryNames(deps.db, rows);
    return { items: rows.map((p) => toProject(p, names)), total, page, pageSize };
  });

  app.get('/projects/:id', {
    ...auth,
    schema: {
      tags: ['projects'], summary: '项目详情 — with its policy version, open tasks (the inbox\'s fields, with their forms) and the timeline in Chinese (who, what, when)',
      security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      response: {
        200: ProjectDetailSchema.extend({
          actions: SideActionsSchema,
          temporalUi: z.string().nullable().describe('§6 ADMIN only: the project\'s workflow in the Temporal Web UI (null for anyone else, or when the deployment names no Web UI)'),
        }),
        401: ErrorSchema, 404: ErrorSchema,
      },
    },
  }, async (req) => {
    const p = await deps.db.project.findFirst({
      where: withReadAccess(req.caller, { id: req.params.id }),
      include: {
        tasks: { where: { status: { in: ['OPEN', 'CLAIMED'] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
        timeline: { orderBy: { seq: 'asc' } },
      },
    });
    if (!p) throw new ApiError('NOT_FOUND', `项目 ${req.params.id} 不存在`);
    const [openTasks, timeline, noOne, names] = await Promise.all([
      presentTasks(deps.db, req.caller, p.tasks),
      presentTimeline(deps.db, p.timeline),
      unstaffedGroups(deps.db, p.tasks.map((t) => t.candidateGroup)),
      registryNames(deps.db, [p]),
    ]);
    // §6: administrators follow a project's workflow in the Temporal Web UI
    const temporalUi = req.caller.roles.includes('ADMIN') && deps.temporalUiUrl
      ? `${deps.temporalUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(deps.temporal.options.namespace)}/workflows/${encodeURIComponent(p.workflowId)}`
      : null;
    return {
      ...toProject(p, names), openTasks: openTasks.map((t) => ({ ...t, unstaffed: noOne.has(t.candidateGroup) })), timeline,
      actions: sideActionsOf(req.caller, p, p.tasks.map((t) => t.type)), temporalUi,
    };
  });

  // §3 side actions: each is an Update of the project workflow, refused by its validator before
  // anything is written (wrong stage → 409, not allowed → 403, bad fields → 400).
  const handleOf = async (caller: Caller, id: string) => {
    const p = await deps.db.project.findFirst({ where: withReadAccess(caller, { id }), select: { workflowId: true, stage: true } });
    if (!p) throw new ApiError('NOT_FOUND', `项目 ${id} 不存在`);
    // an ended project's workflow is closed: nothing more can happen to it
    if (isTerminal(p.stage as Stage)) throw new ApiError('CONFLICT', `项目 ${id} 已结束（${stageNamed(p.stage)}）`);
    return deps.temporal.workflow.getHandle(p.workflowId);
  };
  const sideErrors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
  const ProjectState = z.object({ id: z.string(), stage: z.enum(STAGES), escalationLevel: z.number().int(), openTasks: z.array(TaskSchema) });
  const stateOf = (snap: { projectId: string; stage: (typeof STAGES)[number]; escalationLevel: number; openTasks: Parameters<typeof toTask>[0][] }) =>
    ({ id: snap.projectId, stage: snap.stage, escalationLevel: snap.escalationLevel, openTasks: snap.openTasks.map(toTask) });

  app.post('/projects/:id/factor-issues', {
    ...auth,
    schema: {
      tags: ['projects'], summary: '要素保障问题 (十四, 帮代办) — opens a task for task force FACTOR; the pipeline goes on', security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }), body: FactorIssue,
      response: { 201: TaskSchema, ...sideErrors },
    },
  }, async (req, reply) => {
    const handle = await handleOf(req.caller, req.params.id);
    const task = await handle.executeUpdate(raiseFactorIssueUpdate, { args: [{ actor: actorOf(req.caller), issue: req.body }] });
    return reply.code(201).send(toTask(task));
  });

  app.post('/projects/:id/special-dispatch', {
    ...auth,
    schema: {
      tags: ['projects'], summary: '提请专题调度 (八) — the 县长 or a 分管副县长 asks the 县委专职副书记 to take up a major problem of the project; opens a meeting.specialDispatch task', security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }), body: SpecialDispatchRequest,
      response: { 201: TaskSchema, ...sideErrors },
    },
  }, async (req, reply) => {
    const handle = await handleOf(req.caller, req.params.id);
    const task = await handle.executeUpdate(requestSpecialDispatchUpdate, { args: [{ actor: actorOf(req.caller), reason: req.body.reason }] });
    return reply.code(201).send(toTask(task));
  });

  app.post('/projects/:id/amend', {
    ...auth,
    schema: {
      tags: ['projects'], summary: '变更项目信息 — by the responsible unit or ADMIN; old and new values go on the timeline. isMajor / isCaseByCase (九): raised by them, lowered only by the 县长, and neither from the contract stage on', security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      body: z.object({ fields: AmendmentFields, reason: Amendment.shape.reason }),
      response: { 200: ProjectState, ...sideErrors },
    },
  }, async (req) => {
    const handle = await handleOf(req.caller, req.params.id);
    return stateOf(await handle.executeUpdate(amendProjectUpdate, { args: [{ actor: actorOf(req.caller), amendment: req.body }] }));
  });

  app.post('/projects/:id/terminate', {
    ...auth,
    schema: {
      tags: ['projects'], summary: '终止项目 — ADMIN (or the 县长\'s quarterly dispatch); open tasks are cancelled', security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      body: Termination,
      response: { 200: ProjectState, ...sideErrors },
    },
  }, async (req) => {
    const handle = await handleOf(req.caller, req.params.id);
    return stateOf(await handle.executeUpdate(terminateProjectUpdate, { args: [{ actor: actorOf(req.caller), reason: req.body.reason }] }));
  });

  app.post('/projects/:id/reroute', {
    ...auth,
    schema: {
      tags: ['projects'], summary: '调整责任单位/落户地 — ADMIN or 县商务局 (综合协调单位) gives the project another responsible unit or landing site, with a reason; its open tasks move to the new group with their due times and ladder (§9)',
      security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      body: Reroute,
      response: {
        200: ProjectState.extend({
          moved: z.array(z.object({ taskId: z.string(), taskType: z.string(), from: z.string(), to: z.string() })).describe('the open tasks that went to another group'),
          warnings: WarningsSchema,
        }),
        ...sideErrors,
      },
    },
  }, async (req) => {
    const handle = await handleOf(req.caller, req.params.id);
    const before = await deps.db.project.findUniqueOrThrow({ where: { id: req.params.id }, select: { responsibleUnitId: true, landingSiteId: true } });
    const r = await handle.executeUpdate(rerouteProjectUpdate, { args: [{ actor: actorOf(req.caller), ...req.body }] });
    await audit(deps.db, {
      actor: req.caller.username, action: 'PROJECT_REROUTED', target: `project:${req.params.id}`, note: req.body.reason,
      before, after: { responsibleUnitId: r.snapshot.project.responsibleUnitId ?? null, landingSiteId: r.snapshot.project.landingSiteId ?? null, moved: r.moved },
    });
    return { ...stateOf(r.snapshot), moved: r.moved, warnings: await unstaffedWarnings(deps.db, r.snapshot.openTasks) };
  });
}
