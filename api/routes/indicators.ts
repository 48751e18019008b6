// §7 POST /indicators/:year (二): the year's figures, entered by ADMIN; the answer shows the growth
// against last year and the targets of clause 二. GET answers the same for any year.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { growthAgainstTargets, IndicatorInput } from '../../domain/indicators';
import type { AppDeps } from '../deps';
import { requireRole } from '../plugins/auth';
import { ErrorSchema } from '../schemas';

const Year = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
const GrowthShape = z.object({
  key: z.string(), name: z.string(), value: z.number().nullable(), previous: z.number().nullable(),
  growthPercent: z.number().nullable(), targetPercent: z.number(), met: z.boolean().nullable(),
});
const Answer = z.object({ year: z.number().int(), updatedBy: z.string().nullable(), updatedAt: z.string().nullable(), growth: z.array(GrowthShape) });

export async function indicatorRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { policy } = deps;

  const answer = async (year: number) => {
    const [current, previous] = await Promise.all([
      deps.db.indicator.findUnique({ where: { year } }),
      deps.db.indicator.findUnique({ where: { year: year - 1 } }),
    ]);
    return {
      year, updatedBy: current?.updatedBy ?? null, updatedAt: current?.updatedAt.toISOString() ?? null,
      growth: growthAgainstTargets(current ?? {}, previous, policy),
    };
  };

  app.post('/indicators/:year', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['reports'], summary: '年度指标 (二) — ADMIN enters the year\'s figures', security: [{ bearerAuth: [] }],
      params: Year, body: IndicatorInput,
      response: { 200: Answer, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req) => {
    requireRole(req, 'ADMIN');
    const { year } = req.params;
    await deps.db.indicator.upsert({
      where: { year },
      create: { year, ...req.body, updatedBy: req.caller.username, updatedAt: new Date() },
      update: { ...req.body, updatedBy: req.caller.username, updatedAt: new Date() },
    });
    return answer(year);
  });

  app.get('/indicators/:year', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['reports'], summary: '年度指标与增长 (二)', security: [{ bearerAuth: [] }],
      params: Year,
      response: { 200: Answer, 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => answer(req.params.year));
}
