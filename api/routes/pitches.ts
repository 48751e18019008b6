// 五 策划包装库 (§11): packaged projects offered to investors, each with its candidate sites of the 招商地图
// and a responsible unit. Anyone logged in reads it; ADMIN, 县商务局 and the pitch's responsible unit
// write it. Its status moves along domain/registries.ts PITCH_TRANSITIONS (409 otherwise, naming both
// states); a lead registered from a draft or published pitch puts it into talks (api/registration-links.ts).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../../db/audit';
import type { Db, Prisma } from '../../db/client';
import { STAGE_NAMES, STAGES, type Stage } from '../../domain/pipeline';
import { INDUSTRY_CHAINS, IndustryChain, unitIdOf } from '../../domain/project';
import { checkPitchTransition, checkPitchWrite, PITCH_STATUSES, PitchCreate, PitchStatus, PitchUpdate } from '../../domain/registries';
import { text, TEXT_LENGTH } from '../../domain/text';
import { unitNameOf } from '../../domain/units';
import type { AppDeps } from '../deps';
import { ApiError, domainCheck } from '../errors';
import { withReadAccess } from '../read-access';
import { ErrorSchema, Id, listOf, Paging, strictQuery } from '../schemas';
import { presentSite, SiteSchema } from './sites';

export const PitchSchema = z.object({
  id: z.string(), title: z.string(),
  industryChain: IndustryChain, industryChainName: z.string(),
  siteIds: z.array(z.string()).describe('候选地块 (GET /sites/:id)'),
  landMu: z.number(), investmentWan: z.number(), expectedOutputWan: z.number(), highlights: z.string(),
  responsibleUnitId: z.string(), responsibleUnitName: z.string(),
  status: PitchStatus, statusName: z.string().describe('草稿 / 已发布 / 在谈 / 已落地 / 已撤回'),
  createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(),
}).describe('策划包装项目 (五)');

type PitchRow = Prisma.PitchGetPayload<object>;
const presentPitch = (p: PitchRow): z.infer<typeof PitchSchema> => ({
  id: p.id, title: p.title,
  industryChain: p.industryChain as z.infer<typeof IndustryChain>, industryChainName: INDUSTRY_CHAINS[p.industryChain as keyof typeof INDUSTRY_CHAINS] ?? p.industryChain,
  siteIds: (p.siteIds as string[] | null) ?? [], landMu: p.landMu, investmentWan: p.investmentWan, expectedOutputWan: p.expectedOutputWan, highlights: p.highlights,
  responsibleUnitId: p.responsibleUnitId, responsibleUnitName: unitNameOf(p.responsibleUnitId),
  status: p.status as z.infer<typeof PitchStatus>, statusName: PITCH_STATUSES[p.status as keyof typeof PITCH_STATUSES] ?? p.status,
  createdBy: p.createdBy, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
});
const recordOf = (p: PitchRow) => {
  const { industryChainName: _i, responsibleUnitName: _r, statusName: _s, createdAt: _c, updatedAt: _u, ...rest } = presentPitch(p);
  return rest;
};

/** 五: the candidate sites must be on the 招商地图, each once (400 naming the entry). */
async function checkSites(db: Db, siteIds: readonly string[]): Promise<void> {
  const found = new Set((await db.site.findMany({ where: { id: { in: [...siteIds] } }, select: { id: true } })).map((s) => s.id));
  const details = siteIds.flatMap((id, i) => {
    if (!found.has(id)) return [{ field: `body.siteIds.${i}`, message: `地块 ${id} 不在招商地图上（GET /api/v1/sites）` }];
    if (siteIds.indexOf(id) !== i) return [{ field: `body.siteIds.${i}`, message: `地块 ${id} 重复` }];
    return [];
  });
  if (details.length) throw new ApiError('VALIDATION', details.map((d) => `${d.field}：${d.message}`).join('；'), details);
}

export async function pitchRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const auth = { onRequest: [app.authenticate] };
  const pitchOr404 = async (id: string) => {
    const p = await deps.db.pitch.findUnique({ where: { id } });
    if (!p) throw new ApiError('NOT_FOUND', `策划项目 ${id} 不存在`);
    return p;
  };

  app.get('/pitches', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '策划包装库 — packaged projects offered to investors (五)', security: [{ bearerAuth: [] }],
      description: 'Any logged-in person. Filters combine (AND); newest first.',
      querystring: strictQuery(Paging.extend({
        status: PitchStatus.optional(),
        industryChain: IndustryChain.optional(),
        responsibleUnitId: unitIdOf().optional(),
        q: text(TEXT_LENGTH.name).optional().describe('text in the title or the highlights'),
      })),
      response: { 200: listOf(PitchSchema), 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => {
    const { page, pageSize, status, industryChain, responsibleUnitId, q } = req.query;
    const where: Prisma.PitchWhereInput = {
      ...(status ? { status } : {}), ...(industryChain ? { industryChain } : {}), ...(responsibleUnitId ? { responsibleUnitId } : {}),
      ...(q ? { OR: [{ title: { contains: q } }, { highlights: { contains: q } }] } : {}),
    };
    const [rows, total] = await Promise.all([
      deps.db.pitch.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: (page - 1) * pageSize, take: pageSize }),
      deps.db.pitch.count({ where }),
    ]);
    return { items: rows.map(presentPitch), total, page, pageSize };
  });

  app.get('/pitches/:id', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '策划项目详情 — with its candidate sites and the projects registered from it that the caller may read (五)',
      security: [{ bearerAuth: [] }],
      params: z.object({ id: Id }),
      response: {
        200: PitchSchema.extend({
          sites: z.array(SiteSchema).describe('the candidate sites, in the order of siteIds'),
          projects: z.array(z.object({ id: z.string(), name: z.string(), investor: z.string(), stage: z.enum(STAGES), stageName: z.string() }))
            .describe('leads registered from the pitch (those the caller may read), oldest first'),
        }),
        401: ErrorSchema, 404: ErrorSchema,
      },
    },
  }, async (req) => {
    const p = await pitchOr404(req.params.id);
    const siteIds = (p.siteIds as string[] | null) ?? [];
    const [sites, projects] = await Promise.all([
      deps.db.site.findMany({ where: { id: { in: siteIds } } }),
      deps.db.project.findMany({
        where: withReadAccess(req.caller, { pitchId: p.id }), select: { id: true, name: true, investor: true, stage: true }, orderBy: { createdAt: 'asc' },
      }),
    ]);
    const byId = new Map(sites.map((s) => [s.id, s]));
    return {
      ...presentPitch(p),
      sites: siteIds.flatMap((id) => (byId.has(id) ? [presentSite(byId.get(id)!)] : [])),
      projects: projects.map((r) => ({ ...r, stage: r.stage as Stage, stageName: STAGE_NAMES[r.stage as Stage] ?? r.stage })),
    };
  });

  app.post('/pitches', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '登记策划项目 — ADMIN, 县商务局, or the responsible unit itself (五 策划包装库)', security: [{ bearerAuth: [] }],
      body: PitchCreate,
      response: { 201: PitchSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req, reply) => {
    const b = req.body;
    domainCheck(() => checkPitchWrite(req.caller, [b.responsibleUnitId]));
    await checkSites(deps.db, b.siteIds);
    const now = new Date();
    const pitch = await deps.db.$transaction(async (tx) => {
      const created = await tx.pitch.create({
        data: {
          id: `pitch-${randomUUID()}`, title: b.title, industryChain: b.industryChain, siteIds: b.siteIds, landMu: b.landMu, investmentWan: b.investmentWan,
          expectedOutputWan: b.expectedOutputWan, highlights: b.highlights, responsibleUnitId: b.responsibleUnitId, status: b.status,
          createdBy: req.caller.username, createdAt: now, updatedAt: now,
        },
      });
      await audit(tx, { actor: req.caller.username, action: 'PITCH_CREATED', target: `pitch:${created.id}`, after: recordOf(created), at: now });
      return created;
    });
    return reply.code(201).send(presentPitch(pitch));
  });

  app.patch('/pitches/:id', {
    ...auth,
    schema: {
      tags: ['registries'], summary: '修改策划项目 — the fields given change; status moves only along its transitions (五 策划包装库)', security: [{ bearerAuth: [] }],
      description: 'ADMIN and 县商务局; the responsible unit for its own pitches, which it may not hand to another unit. '
        + 'Status: DRAFT → PUBLISHED / IN_TALKS / WITHDRAWN; PUBLISHED → DRAFT / IN_TALKS / WITHDRAWN; IN_TALKS → PUBLISHED / LANDED / WITHDRAWN; '
        + 'LANDED and WITHDRAWN are final (ADMIN may correct them). Any other move answers 409 naming both states.',
      params: z.object({ id: Id }),
      body: PitchUpdate,
      response: { 200: PitchSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
    },
  }, async (req) => {
    const before = await pitchOr404(req.params.id);
    const b = req.body;
    domainCheck(() => checkPitchWrite(req.caller, [before.responsibleUnitId, b.responsibleUnitId ?? before.responsibleUnitId]));
    if (b.status) {
      const to = b.status;
      domainCheck(() => checkPitchTransition(before.status as z.infer<typeof PitchStatus>, to, req.caller.roles.includes('ADMIN')));
    }
    if (b.siteIds) await checkSites(deps.db, b.siteIds);
    const now = new Date();
    return presentPitch(await deps.db.$transaction(async (tx) => {
      // the status it was read in: a move made meanwhile (a lead registered from it) is not overwritten
      const changed = await tx.pitch.updateMany({
        where: { id: before.id, status: before.status },
        data: { ...Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined)), updatedAt: now },
      });
      if (changed.count === 0) throw new ApiError('CONFLICT', '策划项目的状态刚被他人更改：请刷新后重试');
      const after = (await tx.pitch.findUnique({ where: { id: before.id } }))!;
      await audit(tx, { actor: req.caller.username, action: 'PITCH_UPDATED', target: `pitch:${before.id}`, before: recordOf(before), after: recordOf(after), at: now });
      return after;
    }));
  });
}
