// §9 people (clauses 十, 十二 备案制): ADMIN creates, edits and deactivates people — never deletes them,
// their history stays — with their unit and position, task-force memberships (the 组长 flag), county
// roles and the contact fields notices reach them by (§8); resets a password to a one-time password.
// ORG_DEPT (县委组织部) records the 备案 of professional investment-promotion staff (STAFF): it may put
// a STAFF person on record (create one, or file one already there) and edit their name, unit and contacts.
// A deactivated person cannot log in, their tokens stop working, their claimed tasks go back to the group,
// and the notices meant for them go to the next one up (activities/recipients.ts reads only active people).
// Every change is an audit entry (db/audit.ts) written in the same transaction.
import { randomInt } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../db/audit';
import type { Db, Prisma } from '../../db/client';
import { COUNTY_ROLE_NAMES, COUNTY_ROLES, POSITION_NAMES, POSITIONS, TASK_FORCE_DEFS, TASK_FORCES, type CountyRole, type Position, type TaskForceCode } from '../../domain/organisation';
import { unitIdOf } from '../../domain/project';
import { text, TEXT_LENGTH } from '../../domain/text';
import { unitById } from '../../domain/units';
import { assignTaskUpdate } from '../../workflows/messages/tasks';
import { hashPassword } from '../auth/password';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { actorOf } from '../plugins/auth';
import { ErrorSchema, listOf, Paging } from '../schemas';

const USERNAME = z.string().regex(/^[A-Za-z0-9_.-]{2,64}$/, '应为 2–64 个字母、数字、_、. 或 -');
const MOBILE = z.string().regex(/^1\d{10}$/, '应为 11 位手机号码（以 1 开头）');
const EMAIL = z.email({ error: '应为电子邮件地址' }).max(254);
const CHANNEL_ID = z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, '应为 1–64 个字母、数字、_、.、@ 或 -');
const TaskForceMembershipIn = z.strictObject({
  id: z.enum(TASK_FORCES, { error: `应为以下之一：${TASK_FORCES.map((t) => `${t}（${TASK_FORCE_DEFS[t].name}）`).join('、')}` }),
  lead: z.boolean().default(false).describe('组长: receives the task force\'s overdue and escalation notices (§4)'),
});

/** The fields of a person as ADMIN sets them (§9). */
const PersonFields = z.strictObject({
  displayName: text(TEXT_LENGTH.name).describe('姓名'),
  unitId: unitIdOf().nullable().describe('单位 (附件 unit id); null for a person of no unit (e.g. an administrator)'),
  position: z.enum(POSITIONS, { error: `应为以下之一：${POSITIONS.map((p) => `${p}（${POSITION_NAMES[p]}）`).join('、')}` }).nullable().describe(`职务: ${POSITIONS.map((p) => `${p} ${POSITION_NAMES[p]}`).join(', ')}`),
  taskForces: z.array(TaskForceMembershipIn).max(TASK_FORCES.length).describe('专班 memberships (九), each with the 组长 flag'),
  roles: z.array(z.enum(COUNTY_ROLES, { error: `应为以下之一：${COUNTY_ROLES.map((r) => `${r}（${COUNTY_ROLE_NAMES[r]}）`).join('、')}` })).max(COUNTY_ROLES.length).describe('county roles (§1)'),
  mobile: MOBILE.nullable(), email: EMAIL.nullable(), wecomUserId: CHANNEL_ID.nullable(), dingtalkUserId: CHANNEL_ID.nullable(),
});
const CreatePerson = PersonFields.partial().extend({ username: USERNAME, displayName: PersonFields.shape.displayName });
const UpdatePerson = PersonFields.partial().extend({
  active: z.boolean().optional().describe('false deactivates: login refused, tokens revoked, claimed tasks returned to their group; true reactivates'),
});

const PersonSchema = z.object({
  id: z.string(), username: z.string(), displayName: z.string(),
  unitId: z.string().nullable(), unitName: z.string().nullable(), position: z.string().nullable(), positionName: z.string().nullable(),
  taskForces: z.array(z.object({ id: z.string(), name: z.string(), lead: z.boolean() })),
  roles: z.array(z.object({ code: z.string(), name: z.string() })),
  mobile: z.string().nullable(), email: z.string().nullable(), wecomUserId: z.string().nullable(), dingtalkUserId: z.string().nullable(),
  active: z.boolean(), mustChangePassword: z.boolean(),
  filedAt: z.string().nullable().describe('十二 备案: when the person was put on record as professional staff'), filedBy: z.string().nullable(),
  createdAt: z.string(),
});
type PersonOut = z.infer<typeof PersonSchema>;

const include = { roles: true, memberships: true } as const;
type PersonRow = Prisma.PersonGetPayload<{ include: typeof include }>;

function present(p: PersonRow): PersonOut {
  return {
    id: p.id, username: p.username, displayName: p.displayName,
    unitId: p.unitId, unitName: p.unitId ? unitById(p.unitId)?.name ?? null : null,
    position: p.position, positionName: p.position ? POSITION_NAMES[p.position as Position] ?? null : null,
    taskForces: p.memberships.map((m) => ({ id: m.taskForceCode, name: TASK_FORCE_DEFS[m.taskForceCode as TaskForceCode]?.name ?? m.taskForceCode, lead: m.isLeader }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    roles: p.roles.map((r) => ({ code: r.role, name: COUNTY_ROLE_NAMES[r.role as CountyRole] ?? r.role })).sort((a, b) => a.code.localeCompare(b.code)),
    mobile: p.mobile, email: p.email, wecomUserId: p.wecomUserId, dingtalkUserId: p.dingtalkUserId,
    active: p.active, mustChangePassword: p.mustChangePassword,
    filedAt: p.filedAt?.toISOString() ?? null, filedBy: p.filedBy, createdAt: p.createdAt.toISOString(),
  };
}

/** What the audit records of a person: everything presented, never a password. */
const recordOf = (p: PersonOut) => {
  const { createdAt: _c, unitName: _u, positionName: _p, ...rest } = p;
  return { ...rest, taskForces: p.taskForces.map((t) => ({ id: t.id, lead: t.lead })), roles: p.roles.map((r) => r.code) };
};

/** A one-time password: 12 characters a person can read out and type (no 0/O, 1/l/I). */
function oneTimePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** 十二: what ORG_DEPT may touch — a STAFF person's name, unit and contacts, and their 备案. */
const ORG_DEPT_FIELDS = new Set(['username', 'displayName', 'unitId', 'position', 'mobile', 'email', 'wecomUserId', 'dingtalkUserId']);

export async function peopleRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: [app.authenticate] };

  /** ADMIN, or ORG_DEPT acting on professional staff (十二 备案制). */
  const who = (req: FastifyRequest): 'ADMIN' | 'ORG_DEPT' => {
    if (req.caller.roles.includes('ADMIN')) return 'ADMIN';
    if (req.caller.roles.includes('ORG_DEPT')) return 'ORG_DEPT';
    throw new ApiError('FORBIDDEN', '只有系统管理员（ADMIN）可以管理人员（县委组织部 ORG_DEPT 可办理专职招商人员的备案）');
  };
  const orgDeptMay = (fields: Record<string, unknown>, position: string | null | undefined) => {
    const beyond = Object.keys(fields).filter((k) => fields[k] !== undefined && !ORG_DEPT_FIELDS.has(k));
    if (beyond.length) throw new ApiError('FORBIDDEN', `县委组织部（ORG_DEPT）只办理专职招商人员（STAFF）的备案：${beyond.join('、')} 只能由系统管理员（ADMIN）设置`);
    if (position !== 'STAFF') throw new ApiError('FORBIDDEN', '县委组织部（ORG_DEPT）只办理专职招商人员的备案：职务须为专职招商人员（STAFF）（十二 备案制）');
  };
  const personOr404 = async (db: Db | Prisma.TransactionClient, id: string) => {
    const p = await db.person.findUnique({ where: { id }, include });
    if (!p) throw new ApiError('NOT_FOUND', `人员 ${id} 不存在`);
    return p;
  };
  const checkPosition = (unitId: string | null | undefined, position: string | null | undefined) => {
    if (position && !unitId) throw new ApiError('VALIDATION', 'body.position：职务须属于某个单位，请同时给出单位（unitId）', [{ field: 'body.position', message: '须同时给出单位（unitId）' }]);
  };
  /** Memberships and roles as given replace the person's. */
  const setMemberships = async (tx: Prisma.TransactionClient, personId: string, taskForces?: { id: string; lead: boolean }[], roles?: string[]) => {
    if (taskForces) {
      const ids = taskForces.map((t) => t.id);
      if (new Set(ids).size !== ids.length) throw new ApiError('VALIDATION', 'body.taskForces：每个专班只能出现一次', [{ field: 'body.taskForces', message: '每个专班只能出现一次' }]);
      await tx.taskForceMembership.deleteMany({ where: { personId } });
      if (taskForces.length) await tx.taskForceMembership.createMany({ data: taskForces.map((t) => ({ personId, taskForceCode: t.id, isLeader: t.lead })) });
    }
    if (roles) {
      await tx.personRole.deleteMany({ where: { personId } });
      const unique = [...new Set(roles)];
      if (unique.length) await tx.personRole.createMany({ data: unique.map((role) => ({ personId, role })) });
    }
  };

  app.get('/admin/people', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '人员 — the county\'s people, by username (ADMIN; ORG_DEPT sees professional staff)', security: [{ bearerAuth: [] }],
      querystring: Paging.extend({
        unitId: unitIdOf().optional(), active: z.enum(['true', 'false']).optional(), role: z.enum(COUNTY_ROLES).optional(),
        taskForce: z.enum(TASK_FORCES).optional(), position: z.enum(POSITIONS).optional(),
        q: text(TEXT_LENGTH.name).optional().describe('part of the username or the name'),
      }),
      response: { 200: listOf(PersonSchema), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req) => {
    const as = who(req);
    const { page, pageSize, unitId, active, role, taskForce, position, q } = req.query;
    const where: Prisma.PersonWhereInput = {
      ...(unitId ? { unitId } : {}), ...(active ? { active: active === 'true' } : {}),
      ...(role ? { roles: { some: { role } } } : {}), ...(taskForce ? { memberships: { some: { taskForceCode: taskForce } } } : {}),
      ...(as === 'ORG_DEPT' ? { position: 'STAFF' } : position ? { position } : {}),
      ...(q ? { OR: [{ username: { contains: q } }, { displayName: { contains: q } }] } : {}),
    };
    const [rows, total] = await Promise.all([
      deps.db.person.findMany({ where, include, orderBy: { username: 'asc' }, skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.person.count({ where }),
    ]);
    return { items: rows.map(present), total, page, pageSize };
  });

  app.get('/admin/people/:id', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '人员详情 (ADMIN; ORG_DEPT for professional staff)', security: [{ bearerAuth: [] }],
      params: z.object({ id: z.string().max(80) }),
      response: { 200: PersonSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => {
    const as = who(req);
    const p = await personOr404(deps.db, req.params.id);
    if (as === 'ORG_DEPT' && p.position !== 'STAFF') throw new ApiError('NOT_FOUND', `人员 ${req.params.id} 不存在`);
    return present(p);
  });

  app.post('/admin/people', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '新增人员 — answers the person and a one-time password to be changed at the first login (ADMIN; ORG_DEPT records professional staff)',
      security: [{ bearerAuth: [] }],
      body: CreatePerson,
      response: { 201: z.object({ person: PersonSchema, oneTimePassword: z.string() }), 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req, reply) => {
    const as = who(req);
    const b = req.body;
    if (as === 'ORG_DEPT') orgDeptMay(b, b.position);
    checkPosition(b.unitId, b.position);
    if (await deps.db.person.findUnique({ where: { username: b.username }, select: { id: true } })) {
      throw new ApiError('CONFLICT', `用户名 ${b.username} 已被使用`, [{ field: 'body.username', message: '已被使用' }]);
    }
    const password = oneTimePassword();
    const passwordHash = await hashPassword(password);
    const id = `p-${b.username}`;
    const filed = b.position === 'STAFF' ? { filedAt: new Date(), filedBy: req.caller.username } : {};
    const person = await deps.db.$transaction(async (tx) => {
      await tx.person.create({
        data: {
          id, username: b.username, displayName: b.displayName, unitId: b.unitId ?? null, position: b.position ?? null, passwordHash, mustChangePassword: true,
          mobile: b.mobile ?? null, email: b.email ?? null, wecomUserId: b.wecomUserId ?? null, dingtalkUserId: b.dingtalkUserId ?? null, ...filed,
        },
      });
      await setMemberships(tx, id, b.taskForces, b.roles);
      const created = present(await personOr404(tx, id));
      await audit(tx, { actor: req.caller.username, action: 'PERSON_CREATED', target: `person:${id}`, after: recordOf(created) });
      return created;
    }).catch((e: unknown) => {
      if ((e as { code?: string }).code === 'P2002') throw new ApiError('CONFLICT', `用户名 ${b.username} 已被使用`, [{ field: 'body.username', message: '已被使用' }]);
      throw e;
    });
    reply.code(201);
    return { person, oneTimePassword: password };
  });

  app.patch('/admin/people/:id', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '修改人员 — the fields given change; active: false deactivates (ADMIN; ORG_DEPT for professional staff)', security: [{ bearerAuth: [] }],
      description: 'taskForces and roles, when given, replace the person\'s. Deactivating revokes the person\'s tokens and gives their claimed tasks back to the group; the person and their history stay.',
      params: z.object({ id: z.string().max(80) }),
      body: UpdatePerson.refine((b) => Object.values(b).some((v) => v !== undefined), '至少给出一个要修改的字段'),
      response: { 200: PersonSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => {
    const as = who(req);
    const b = req.body;
    const before = present(await personOr404(deps.db, req.params.id));
    if (as === 'ORG_DEPT') {
      orgDeptMay(b, before.position);
      if (b.position !== undefined && b.position !== 'STAFF') throw new ApiError('FORBIDDEN', '县委组织部（ORG_DEPT）只办理专职招商人员的备案：职务须为专职招商人员（STAFF）（十二 备案制）');
    }
    if (b.active === false && req.params.id === req.caller.personId) {
      throw new ApiError('CONFLICT', '系统管理员不能停用自己的账号（可由另一位系统管理员停用）', [{ field: 'body.active', message: '不能停用本人' }]);
    }
    // nor take away their own ADMIN role: the last administrator would lock the county out
    if (b.roles && !b.roles.includes('ADMIN') && req.params.id === req.caller.personId && req.caller.roles.includes('ADMIN')) {
      throw new ApiError('CONFLICT', '系统管理员不能取消本人的系统管理员角色（可由另一位系统管理员调整）', [{ field: 'body.roles', message: '不能取消本人的系统管理员角色' }]);
    }
    checkPosition(b.unitId !== undefined ? b.unitId : before.unitId, b.position !== undefined ? b.position : before.position);
    const deactivating = b.active === false && before.active;
    const after = await deps.db.$transaction(async (tx) => {
      await tx.person.update({
        where: { id: req.params.id },
        data: {
          ...(b.displayName !== undefined ? { displayName: b.displayName } : {}),
          ...(b.unitId !== undefined ? { unitId: b.unitId } : {}), ...(b.position !== undefined ? { position: b.position } : {}),
          ...(b.mobile !== undefined ? { mobile: b.mobile } : {}), ...(b.email !== undefined ? { email: b.email } : {}),
          ...(b.wecomUserId !== undefined ? { wecomUserId: b.wecomUserId } : {}), ...(b.dingtalkUserId !== undefined ? { dingtalkUserId: b.dingtalkUserId } : {}),
          ...(b.active !== undefined ? { active: b.active } : {}),
          // deactivating revokes every token at once (a reactivated person logs in anew)
          ...(deactivating ? { tokenVersion: { increment: 1 } } : {}),
          ...(b.position === 'STAFF' && !before.filedAt ? { filedAt: new Date(), filedBy: req.caller.username } : {}),
        },
      });
      await setMemberships(tx, req.params.id, b.taskForces, b.roles);
      const changed = present(await personOr404(tx, req.params.id));
      const action = deactivating ? 'PERSON_DEACTIVATED' : b.active === true && !before.active ? 'PERSON_REACTIVATED' : 'PERSON_UPDATED';
      await audit(tx, { actor: req.caller.username, action, target: `person:${req.params.id}`, before: recordOf(before), after: recordOf(changed) });
      return changed;
    });
    if (deactivating) await releaseClaims(deps, req, before.username);
    return after;
  });

  app.post('/admin/people/:id/reset-password', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '重置密码 — a one-time password the person must change at the next login; their tokens stop working (ADMIN)', security: [{ bearerAuth: [] }],
      params: z.object({ id: z.string().max(80) }),
      response: { 200: z.object({ person: PersonSchema, oneTimePassword: z.string() }), 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => {
    if (who(req) !== 'ADMIN') throw new ApiError('FORBIDDEN', '只有系统管理员（ADMIN）可以重置密码');
    await personOr404(deps.db, req.params.id);
    const password = oneTimePassword();
    const passwordHash = await hashPassword(password);
    const person = await deps.db.$transaction(async (tx) => {
      await tx.person.update({ where: { id: req.params.id }, data: { passwordHash, mustChangePassword: true, tokenVersion: { increment: 1 } } });
      await audit(tx, { actor: req.caller.username, action: 'PASSWORD_RESET', target: `person:${req.params.id}`, note: '已发放一次性密码，下次登录时须修改' });
      return present(await personOr404(tx, req.params.id));
    });
    return { person, oneTimePassword: password };
  });

  app.post('/admin/people/:id/file', {
    ...auth,
    schema: {
      tags: ['admin'], summary: '备案 — puts a professional investment-promotion staff member (STAFF) on record (十二; ORG_DEPT or ADMIN)', security: [{ bearerAuth: [] }],
      params: z.object({ id: z.string().max(80) }),
      response: { 200: PersonSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req) => {
    who(req);
    const before = present(await personOr404(deps.db, req.params.id));
    if (before.position !== 'STAFF') throw new ApiError('CONFLICT', `${before.username} 不是专职招商人员（职务：${before.positionName ?? '无'}）：只有专职招商人员（STAFF）办理备案`);
    if (before.filedAt) return before;
    return deps.db.$transaction(async (tx) => {
      await tx.person.update({ where: { id: req.params.id }, data: { filedAt: new Date(), filedBy: req.caller.username } });
      const after = present(await personOr404(tx, req.params.id));
      await audit(tx, { actor: req.caller.username, action: 'PERSON_FILED', target: `person:${req.params.id}`, before: recordOf(before), after: recordOf(after) });
      return after;
    });
  });
}

/** §9: a deactivated person's claimed tasks go back to their group, each by its workflow's own Update (as the deactivating ADMIN). */
async function releaseClaims(deps: AppDeps, req: FastifyRequest, username: string): Promise<void> {
  const claimed = await deps.db.task.findMany({ where: { status: 'CLAIMED', claimedBy: username }, select: { id: true, workflowId: true } });
  for (const t of claimed) {
    try {
      await deps.temporal.workflow.getHandle(t.workflowId).executeUpdate(assignTaskUpdate, { args: [{ taskId: t.id, actor: actorOf(req.caller), assignee: null }] });
      await audit(deps.db, { actor: req.caller.username, action: 'TASK_RELEASED', target: `task:${t.id}`, before: { claimedBy: username }, after: { claimedBy: null }, note: `${username} 已停用，其认领的任务退回办理组` });
    } catch (e) {
      // the task closed meanwhile (completed, or its project ended): nothing to give back
      req.log.warn({ err: e, taskId: t.id }, 'a claimed task of a deactivated person could not be released');
    }
  }
}
