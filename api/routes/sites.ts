// 五 招商地图 (§11): the county's industrial land and standard factory buildings on offer, by landing
// site. Anyone logged in reads it; ADMIN, 县商务局 and a landing site (its own sites) write it. Every
// write is an audit entry in the same transaction.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../db/audit';
import type { Prisma } from '../../db/client';
import { unitIdOf } from '../../domain/project';
import { checkSiteWrite, SITE_KINDS, SiteCreate, SiteKind, SiteUpdate } from '../../domain/registries';
import { text, TEXT_LENGTH } from '../../domain/text';
import { unitNameOf } from '../../domain/units';
import type { AppDeps } from '../deps';
import { ApiError, domainCheck } from '../errors';
import { ErrorSchema, Id, listOf, Paging, QueryBool, strictQuery } from '../schemas';

export const SiteSchema = z.object({
  id: z.string(), name: z.string(), kind: SiteKind, kindName: z.string().describe('工业用地 / 标准厂房'),
  areaMu: z.number().describe('面积 (亩)'), location: z.string(),
  landingSiteId: z.string(), landingSiteName: z.string(), available: z.boolean(), note: z.string().nullable(),
  createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(),
}).describe('招商地图地块 (五)');

type SiteRow = Prisma.SiteGetPayload<object>;
export const presentSite = (s: SiteRow): z.infer<typeof SiteSchema> => ({
  id: s.id, name: s.name, kind: s.kind as z.infer<typeof SiteKind>, kindName: SITE_KINDS[s.kind as keyof typeof SITE_KINDS] ?? s.kind,
  areaMu: s.areaMu, location: s.location, landingSiteId: s.landingSiteId, landingSiteName: unitNameOf(s.landingSiteId),
  available: s.available, note: s.note, createdBy: s.createdBy, createdAt: s.createdAt.toISOString(), updatedAt: s.updatedAt.toISOString(),
});
const recordOf = (s: SiteRow) => ({ ...presentSite(s), kindName: undefined, landingSiteName: undefined, createdAt: undefined, updatedAt: undefined });

export async function siteRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: [app.authenticate] };
  const siteOr404 = async (id: string) => {
    const s = await deps.db.site.findUnique({ where: { id } });
    if (!s) throw new ApiError('NOT_FOUND', `地块 ${id} 不存在`);
    return s;
  };

  app.get('/sites', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '招商地图 — industrial land and standard factories on offer (五)', security: [{ bearerAuth: [] }],
      description: 'Any logged-in person. Filters combine (AND); by landing site, then name.',
      querystring: strictQuery(Paging.extend({
        kind: SiteKind.optional(),
        landingSiteId: unitIdOf('LANDING_SITE').optional(),
        available: QueryBool.optional().describe('可供 only (true), or only those no longer on offer (false)'),
        minAreaMu: z.coerce.number().finite().min(0).max(100_000).optional().describe('at least this area (亩)'),
        q: text(TEXT_LENGTH.name).optional().describe('text in the name or location'),
      })),
      response: { 200: listOf(SiteSchema), 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => {
    const { page, pageSize, kind, landingSiteId, available, minAreaMu, q } = req.query;
    const where: Prisma.SiteWhereInput = {
      ...(kind ? { kind } : {}), ...(landingSiteId ? { landingSiteId } : {}), ...(available !== undefined ? { available } : {}),
      ...(minAreaMu !== undefined ? { areaMu: { gte: minAreaMu } } : {}),
      ...(q ? { OR: [{ name: { contains: q } }, { location: { contains: q } }] } : {}),
    };
    const [rows, total] = await Promise.all([
      deps.db.site.findMany({ where, orderBy: [{ landingSiteId: 'asc' }, { name: 'asc' }, { id: 'asc' }], skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.site.count({ where }),
    ]);
    return { items: rows.map(presentSite), total, page, pageSize };
  });

  app.get('/sites/:id', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '地块详情 (五 招商地图)', security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      response: { 200: SiteSchema, 401: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => presentSite(await siteOr404(req.params.id)));

  app.post('/sites', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '登记地块 — ADMIN, 县商务局, or the landing site itself (五 招商地图)', security: [{ bearerAuth: [] }],
      body: SiteCreate,
      response: { 201: SiteSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req, reply) => {
    const b = req.body;
    domainCheck(() => checkSiteWrite(req.caller, [b.landingSiteId]));
    const now = new Date();
    const site = await deps.db.$transaction(async (tx) => {
      const created = await tx.site.create({
        data: {
          id: `site-${randomUUID()}`, name: b.name, kind: b.kind, areaMu: b.areaMu, location: b.location, landingSiteId: b.landingSiteId,
          available: b.available, note: b.note ?? null, createdBy: req.caller.username, createdAt: now, updatedAt: now,
        },
      });
      await audit(tx, { actor: req.caller.username, action: 'SITE_CREATED', target: `site:${created.id}`, after: recordOf(created), at: now });
      return created;
    });
    return reply.code(201).send(presentSite(site));
  });

  app.patch('/sites/:id', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '修改地块 — the fields given change; available: false once it is let or sold (五 招商地图)', security: [{ bearerAuth: [] }],
      description: 'ADMIN and 县商务局; a landing site for its own sites, which it may not move to another landing site.',
      params: z.object({ id: Id }),
      body: SiteUpdate,
      response: { 200: SiteSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req) => {
    const before = await siteOr404(req.params.id);
    const b = req.body;
    domainCheck(() => checkSiteWrite(req.caller, [before.landingSiteId, b.landingSiteId ?? before.landingSiteId]));
    const now = new Date();
    return presentSite(await deps.db.$transaction(async (tx) => {
      const after = await tx.site.update({
        where: { id: before.id },
        data: { ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)), updatedAt: now },
      });
      await audit(tx, { actor: req.caller.username, action: 'SITE_UPDATED', target: `site:${before.id}`, before: recordOf(before), after: recordOf(after), at: now });
      return after;
    }));
  });
}
