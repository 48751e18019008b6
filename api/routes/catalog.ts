// The names the workbench (§10) and any other client show: stages in pipeline order, task types,
// 产业链, channels, origins, factor categories, positions, county roles, task forces and unit categories
// — read from the domain's one definition of each, never repeated in the web.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACTIVE_STAGES, FACTOR_CATEGORIES, MEETING_KINDS, STAGE_NAMES, TASK_TYPES, TERMINAL_STAGES } from '../../domain/pipeline';
import { CHANNELS, INDUSTRY_CHAINS, INVESTOR_ORIGINS } from '../../domain/project';
import { COUNTY_ROLE_NAMES, POSITION_NAMES, TASK_FORCE_DEFS } from '../../domain/organisation';
import { UNIT_CATEGORY_NAMES } from '../../domain/units';
import type { AppDeps } from '../deps';
import { ErrorSchema } from '../schemas';

const Named = z.array(z.object({ code: z.string(), name: z.string() }));
const named = (o: Readonly<Record<string, string>>) => Object.entries(o).map(([code, name]) => ({ code, name }));

export async function catalogRoutes(root: FastifyInstance, _deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const catalog = {
    // 九, 十四: the 15 stages of the pipeline in order, then the ends a project may reach
    stages: [
      ...ACTIVE_STAGES.map((code, i) => ({ code, name: STAGE_NAMES[code], order: i + 1, terminal: false })),
      ...TERMINAL_STAGES.map((code) => ({ code, name: STAGE_NAMES[code], order: null, terminal: true })),
    ],
    taskTypes: TASK_TYPES.map((t) => ({ code: t.type, name: t.title, stage: t.stage ?? null, clause: t.clause })),
    industryChains: named(INDUSTRY_CHAINS), // 六
    channels: named(CHANNELS), // 五, 七
    investorOrigins: named(INVESTOR_ORIGINS),
    factorCategories: named(FACTOR_CATEGORIES),
    meetingKinds: named(MEETING_KINDS),
    positions: named(POSITION_NAMES),
    countyRoles: named(COUNTY_ROLE_NAMES), // 八
    taskForces: Object.entries(TASK_FORCE_DEFS).map(([code, d]) => ({ code, name: d.name, leadUnitId: d.leadUnitId })), // 九
    unitCategories: named(UNIT_CATEGORY_NAMES),
  };
  app.get('/catalog', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['organisation'], summary: '名录 — the names of stages, task types, 产业链, channels, roles and task forces', security: [{ bearerAuth: [] }],
      response: {
        200: z.object({
          stages: z.array(z.object({ code: z.string(), name: z.string(), order: z.number().int().nullable(), terminal: z.boolean() })),
          taskTypes: z.array(z.object({ code: z.string(), name: z.string(), stage: z.string().nullable(), clause: z.string() })),
          industryChains: Named, channels: Named, investorOrigins: Named, factorCategories: Named, meetingKinds: Named,
          positions: Named, countyRoles: Named,
          taskForces: z.array(z.object({ code: z.string(), name: z.string(), leadUnitId: z.string() })),
          unitCategories: Named,
        }),
        401: ErrorSchema,
      },
    },
  }, async () => catalog);
}
