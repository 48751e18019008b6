// 七 招商顾问、商协会、经促会 (§11): the people and associations the county relies on for leads. Anyone
// logged in reads the list (a lead of channel ADVISOR or CHAMBER names one of them); ADMIN, 县商务局
// and 县发展开放型经济领导小组办公室 keep it. Nobody is deleted: an appointment that ended is active: false.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../db/audit';
import type { Prisma } from '../../db/client';
import { checkPartnerWrite, PARTNER_KINDS, PartnerCreate, PartnerKind, PartnerUpdate } from '../../domain/registries';
import { text, TEXT_LENGTH } from '../../domain/text';
import type { AppDeps } from '../deps';
import { ApiError, domainCheck } from '../errors';
import { ErrorSchema, Id, listOf, Paging, QueryBool, strictQuery } from '../schemas';

export const PartnerSchema = z.object({
  id: z.string(), kind: PartnerKind, kindName: z.string().describe('招商顾问 / 商协会 / 经济促进会'),
  name: z.string(), field: z.string(), contact: z.string(), appointedBy: z.string(), appointedAt: z.string().describe('YYYY-MM-DD'),
  active: z.boolean(), createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(),
}).describe('招商顾问或商协会 (七)');

type PartnerRow = Prisma.PartnerGetPayload<object>;
const presentPartner = (p: PartnerRow): z.infer<typeof PartnerSchema> => ({
  id: p.id, kind: p.kind as z.infer<typeof PartnerKind>, kindName: PARTNER_KINDS[p.kind as keyof typeof PARTNER_KINDS] ?? p.kind,
  name: p.name, field: p.field, contact: p.contact, appointedBy: p.appointedBy, appointedAt: p.appointedAt, active: p.active,
  createdBy: p.createdBy, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
});
const recordOf = (p: PartnerRow) => {
  const { kindName: _k, createdAt: _c, updatedAt: _u, ...rest } = presentPartner(p);
  return rest;
};

export async function partnerRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: [app.authenticate] };
  const partnerOr404 = async (id: string) => {
    const p = await deps.db.partner.findUnique({ where: { id } });
    if (!p) throw new ApiError('NOT_FOUND', `招商顾问或商协会 ${id} 不存在`);
    return p;
  };

  app.get('/partners', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '招商顾问、商协会、经促会 (七)', security: [{ bearerAuth: [] }],
      description: 'Any logged-in person. Filters combine (AND); by kind, then name.',
      querystring: strictQuery(Paging.extend({
        kind: PartnerKind.optional(),
        active: QueryBool.optional().describe('在聘 only (true), or only those whose appointment ended (false)'),
        q: text(TEXT_LENGTH.name).optional().describe('text in the name or field'),
      })),
      response: { 200: listOf(PartnerSchema), 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => {
    const { page, pageSize, kind, active, q } = req.query;
    const where: Prisma.PartnerWhereInput = {
      ...(kind ? { kind } : {}), ...(active !== undefined ? { active } : {}),
      ...(q ? { OR: [{ name: { contains: q } }, { field: { contains: q } }] } : {}),
    };
    const [rows, total] = await Promise.all([
      deps.db.partner.findMany({ where, orderBy: [{ kind: 'asc' }, { name: 'asc' }, { id: 'asc' }], skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.partner.count({ where }),
    ]);
    return { items: rows.map(presentPartner), total, page, pageSize };
  });

  app.get('/partners/:id', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '招商顾问或商协会详情 (七)', security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      response: { 200: PartnerSchema, 401: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => presentPartner(await partnerOr404(req.params.id)));

  app.post('/partners', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '登记招商顾问或商协会 — ADMIN, 县商务局, OPEN_ECONOMY_OFFICE (七)', security: [{ bearerAuth: [] }],
      body: PartnerCreate,
      response: { 201: PartnerSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req, reply) => {
    domainCheck(() => checkPartnerWrite(req.caller));
    const b = req.body;
    const now = new Date();
    const partner = await deps.db.$transaction(async (tx) => {
      const created = await tx.partner.create({
        data: {
          id: `partner-${randomUUID()}`, kind: b.kind, name: b.name, field: b.field, contact: b.contact, appointedBy: b.appointedBy, appointedAt: b.appointedAt,
          active: b.active, createdBy: req.caller.username, createdAt: now, updatedAt: now,
        },
      });
      await audit(tx, { actor: req.caller.username, action: 'PARTNER_CREATED', target: `partner:${created.id}`, after: recordOf(created), at: now });
      return created;
    });
    return reply.code(201).send(presentPartner(partner));
  });

  app.patch('/partners/:id', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '修改招商顾问或商协会 — the fields given change; active: false when the appointment ends (七)', security: [{ bearerAuth: [] }],
      description: 'ADMIN, 县商务局, OPEN_ECONOMY_OFFICE. A partner no longer active cannot be named by a new lead; the leads it brought keep it.',
      params: z.object({ id: Id }),
      body: PartnerUpdate,
      response: { 200: PartnerSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => {
    domainCheck(() => checkPartnerWrite(req.caller));
    const before = await partnerOr404(req.params.id);
    const now = new Date();
    return presentPartner(await deps.db.$transaction(async (tx) => {
      const after = await tx.partner.update({
        where: { id: before.id }, data: { ...Object.fromEntries(Object.entries(req.body).filter(([, v]) => v !== undefined)), updatedAt: now },
      });
      await audit(tx, { actor: req.caller.username, action: 'PARTNER_UPDATED', target: `partner:${before.id}`, before: recordOf(before), after: recordOf(after), at: now });
      return after;
    }));
  });
}
