// 五, 十二 人员信息库 (§11): one person's investment-promotion record — who they are and their 备案 (十二),
// their trips (三), the leads they brought, the projects in their unit's charge, the tasks they did and
// those they let run late — for a year (default: this one, Asia/Shanghai) and in all. Read by the person,
// the leaders of their unit, 县委组织部, 县发展开放型经济领导小组办公室 and ADMIN (domain/registries.ts).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { COUNTY_ROLE_NAMES, POSITION_NAMES, type CountyRole, type Position } from '../../domain/organisation';
import { STAGE_NAMES, STAGES, type Stage } from '../../domain/pipeline';
import { mayReadRecord } from '../../domain/registries';
import { shanghaiInstant, shanghaiYear } from '../../domain/shanghai-time';
import { unitNameOf } from '../../domain/units';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import { withReadAccess } from '../read-access';
import { ErrorSchema, Id, strictQuery } from '../schemas';

const Count = z.object({ total: z.number().int().describe('in all'), inYear: z.number().int().describe('in the year asked') });
const TaskLine = z.object({
  id: z.string(), projectId: z.string().nullable(), type: z.string(), title: z.string(), dueAt: z.string(),
  completedAt: z.string().nullable(), escalationLevel: z.number().int(),
});

const RecordSchema = z.object({
  year: z.number().int(),
  person: z.object({
    id: z.string(), username: z.string(), displayName: z.string(), active: z.boolean(),
    unitId: z.string().nullable(), unitName: z.string().nullable(), position: z.string().nullable(), positionName: z.string().nullable(),
    roles: z.array(z.object({ code: z.string(), name: z.string() })),
    filed: z.boolean().describe('十二 备案制: on record as professional investment-promotion staff'),
    filedAt: z.string().nullable(), filedBy: z.string().nullable(),
  }),
  trips: Count.extend({
    items: z.array(z.object({ id: z.string(), startDate: z.string(), endDate: z.string(), destination: z.string(), purpose: z.string(), leadsFound: z.number().int() }))
      .describe('the trips of the year, oldest first'),
  }).describe('三: outbound trips (withdrawn ones do not count)'),
  leads: Count.extend({
    plannedInvestmentWan: z.number().describe('计划投资 of the leads of the year (万元)'),
    items: z.array(z.object({
      id: z.string(), name: z.string(), investor: z.string(), stage: z.enum(STAGES), stageName: z.string(), plannedInvestmentWan: z.number(), createdAt: z.string(),
    })).describe('every lead they registered that the caller may read, newest first'),
    notShown: z.number().int().describe('leads the caller may not read: counted, not listed'),
  }).describe('leads they brought: projects they registered'),
  unitProjects: z.object({
    unitId: z.string(), unitName: z.string(), total: z.number().int(),
    byStage: z.array(z.object({ stage: z.string(), stageName: z.string(), count: z.number().int() })),
  }).nullable().describe('projects in their unit\'s charge (责任单位), by stage; null for a person of no unit'),
  tasks: z.object({
    done: Count.describe('tasks they completed'),
    doneLate: Count.describe('of those, completed after they were due'),
    overdue: z.object({ count: z.number().int(), items: z.array(TaskLine) }).describe('tasks they have claimed that are past due now'),
  }),
}).describe('人员信息库 (五, 十二)');

export async function personRecordRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/people/:id/record', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['registries'], summary: '人员信息库 — one person\'s investment-promotion record: 备案, trips, leads, tasks (五, 十二)', security: [{ bearerAuth: [] }],
      description: 'Read by the person, the 主要负责人 and 分管负责人 of their unit, 县委组织部 (ORG_DEPT), 县发展开放型经济领导小组办公室 (OPEN_ECONOMY_OFFICE) and ADMIN.',
      params: z.object({ id: Id }),
      querystring: strictQuery(z.object({
        year: z.coerce.number().int().min(2000).max(2100).optional().describe('the year (Asia/Shanghai); defaults to this one'),
      })),
      response: { 200: RecordSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => {
    const person = await deps.db.person.findUnique({ where: { id: req.params.id }, include: { roles: true } });
    if (!person) throw new ApiError('NOT_FOUND', `人员 ${req.params.id} 不存在`);
    if (!mayReadRecord(req.caller, person)) {
      throw new ApiError('FORBIDDEN', '人员信息库只能由本人、所在单位的主要负责人和分管负责人、县委组织部、县发展开放型经济领导小组办公室及系统管理员查阅');
    }
    const now = new Date();
    const year = req.query.year ?? shanghaiYear(now);
    const from = shanghaiInstant(year, 1, 1);
    const to = shanghaiInstant(year + 1, 1, 1);
    const inYear = (d: Date | null) => !!d && d >= from && d < to;
    const username = person.username;

    const [trips, leads, readable, byStage, done, overdue] = await Promise.all([
      deps.db.trip.findMany({ where: { personId: person.id, withdrawnAt: null }, orderBy: [{ startDate: 'asc' }, { id: 'asc' }] }),
      deps.db.project.findMany({ where: { createdBy: username }, select: { id: true, createdAt: true, plannedInvestmentWan: true } }),
      deps.db.project.findMany({
        where: withReadAccess(req.caller, { createdBy: username }), orderBy: { createdAt: 'desc' },
        select: { id: true, name: true, investor: true, stage: true, plannedInvestmentWan: true, createdAt: true },
      }),
      person.unitId ? deps.db.project.groupBy({ by: ['stage'], where: { responsibleUnitId: person.unitId }, _count: { _all: true } }) : null,
      deps.db.task.findMany({ where: { completedBy: username, status: 'COMPLETED' }, select: { dueAt: true, completedAt: true } }),
      deps.db.task.findMany({ where: { status: 'CLAIMED', claimedBy: username, dueAt: { lt: now } }, orderBy: { dueAt: 'asc' } }),
    ]);
    const yearTrips = trips.filter((t) => t.startDate.startsWith(`${year}-`));
    const yearLeads = leads.filter((l) => inYear(l.createdAt));
    const late = done.filter((t) => t.completedAt && t.completedAt > t.dueAt);
    const stageOrder = (s: string) => ((STAGES as readonly string[]).indexOf(s) + STAGES.length + 1) % (STAGES.length + 1);

    return {
      year,
      person: {
        id: person.id, username, displayName: person.displayName, active: person.active,
        unitId: person.unitId, unitName: unitNameOf(person.unitId), position: person.position,
        positionName: person.position ? POSITION_NAMES[person.position as Position] ?? person.position : null,
        roles: person.roles.map((r) => ({ code: r.role, name: COUNTY_ROLE_NAMES[r.role as CountyRole] ?? r.role })).sort((a, b) => a.code.localeCompare(b.code)),
        filed: person.filedAt !== null, filedAt: person.filedAt?.toISOString() ?? null, filedBy: person.filedBy,
      },
      trips: {
        total: trips.length, inYear: yearTrips.length,
        items: yearTrips.map((t) => ({ id: t.id, startDate: t.startDate, endDate: t.endDate, destination: t.destination, purpose: t.purpose, leadsFound: t.leadsFound })),
      },
      leads: {
        total: leads.length, inYear: yearLeads.length,
        plannedInvestmentWan: yearLeads.reduce((sum, l) => sum + l.plannedInvestmentWan, 0),
        items: readable.map((p) => ({ ...p, stage: p.stage as Stage, stageName: STAGE_NAMES[p.stage as Stage] ?? p.stage, createdAt: p.createdAt.toISOString() })),
        notShown: leads.length - readable.length,
      },
      unitProjects: person.unitId && byStage ? {
        unitId: person.unitId, unitName: unitNameOf(person.unitId),
        total: byStage.reduce((sum, r) => sum + r._count._all, 0),
        byStage: byStage.map((r) => ({ stage: r.stage, stageName: STAGE_NAMES[r.stage as Stage] ?? r.stage, count: r._count._all }))
          .sort((a, b) => stageOrder(a.stage) - stageOrder(b.stage)),
      } : null,
      tasks: {
        done: { total: done.length, inYear: done.filter((t) => inYear(t.completedAt)).length },
        doneLate: { total: late.length, inYear: late.filter((t) => inYear(t.completedAt)).length },
        overdue: {
          count: overdue.length,
          items: overdue.map((t) => ({
            id: t.id, projectId: t.projectId, type: t.type, title: t.title, dueAt: t.dueAt.toISOString(), completedAt: null, escalationLevel: t.escalationLevel,
          })),
        },
      },
    };
  });
}
