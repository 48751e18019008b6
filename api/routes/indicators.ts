// §7 POST /indicators/:year (二): the year's figures, entered by ADMIN; the answer shows the growth
// against last year and the targets of clause 二, the average yearly growth (年均) since the policy's
// base year, and beside them what the year's signed projects bring (境内省外 and 外资, from the
// signings recorded). GET answers the same for any year.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { periodSignings } from '../../db/reports';
import { GROWTH_BASE_YEAR, growthAgainstTargets, IndicatorInput, signedByOrigin } from '../../domain/indicators';
import { yearPeriod } from '../../domain/shanghai-time';
import type { AppDeps } from '../deps';
import { requireRole } from '../plugins/auth';
import { ErrorSchema } from '../schemas';

const Year = z.object({ year: z.coerce.number().int().min(2000).max(2100) });
const GrowthShape = z.object({
  key: z.string(), name: z.string(), value: z.number().nullable(), previous: z.number().nullable(),
  growthPercent: z.number().nullable(), targetPercent: z.number(), met: z.boolean().nullable(),
  baseYear: z.number().int().nullable().describe('年均: the base year (the year before the policy\'s first, 2021)'),
  baseValue: z.number().nullable().describe('the base year\'s figure, as ADMIN entered it'),
  averageGrowthPercent: z.number().nullable().describe('年均增长: average yearly (compound) growth since the base year, one decimal'),
  averageMet: z.boolean().nullable(),
  signedFromProjects: z.number().nullable().describe('beside the figure: what the year\'s signed projects bring, in its unit (null for 外贸)'),
  signedFromProjectsName: z.string().nullable(),
});
const SignedShape = z.object({
  outOfProvince: z.object({ projects: z.number().int(), signedAmountWan: z.number() }).describe('境内省外: projects of investors from other provinces signed in the year'),
  foreign: z.object({ projects: z.number().int(), signedAmountWan: z.number(), foreignInvestmentUsd: z.number() }).describe('外资: projects of foreign investors (or with foreign investment) signed in the year'),
});
const Answer = z.object({
  year: z.number().int(), updatedBy: z.string().nullable(), updatedAt: z.string().nullable(), baseYear: z.number().int(),
  growth: z.array(GrowthShape), signed: SignedShape,
});

export async function indicatorRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { policy } = deps;

  const answer = async (year: number) => {
    const period = yearPeriod(year);
    const [current, previous, base, signings] = await Promise.all([
      deps.db.indicator.findUnique({ where: { year } }),
      deps.db.indicator.findUnique({ where: { year: year - 1 } }),
      deps.db.indicator.findUnique({ where: { year: GROWTH_BASE_YEAR } }),
      periodSignings(deps.db, { gte: period.start, lt: period.end }),
    ]);
    // 二: the year's signings (by signedDate), 境内省外 and 外资, beside the figures ADMIN enters
    const signed = signedByOrigin(signings.map((s) => ({ investorOrigin: s.project.investorOrigin, signedAmountWan: s.signedAmountWan, foreignInvestmentUsd: s.project.foreignInvestmentUsd })));
    const growth = growthAgainstTargets(current ?? {}, previous, policy, { year, base, signed }).map((g) => ({
      ...g, baseYear: g.baseYear ?? null, baseValue: g.baseValue ?? null, averageGrowthPercent: g.averageGrowthPercent ?? null,
      averageMet: g.averageMet ?? null, signedFromProjects: g.signedFromProjects ?? null, signedFromProjectsName: g.signedFromProjectsName ?? null,
    }));
    return { year, updatedBy: current?.updatedBy ?? null, updatedAt: current?.updatedAt.toISOString() ?? null, baseYear: GROWTH_BASE_YEAR, growth, signed };
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
      tags: ['reports'], summary: '年度指标与增长 (二) — growth on last year, 年均 since the base year, the year\'s signed amounts beside', security: [{ bearerAuth: [] }],
      params: Year,
      response: { 200: Answer, 400: ErrorSchema, 401: ErrorSchema },
    },
  }, async (req) => answer(req.params.year));
}
