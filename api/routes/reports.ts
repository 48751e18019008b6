// §7 reports (八): the monthly agenda of 月研判 — as JSON, or as CSV for a spreadsheet. (The quarterly
// 通报 and the annual assessment are produced by later work of the county calendar.)
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FLAG_NAMES, type MonthlyAgenda } from '../../domain/agenda';
import type { AppDeps } from '../app';
import { toCsv, wantsCsv } from '../csv';
import { ApiError } from '../errors';
import { ErrorBody } from '../schemas';

const AgendaItem = z.object({
  projectId: z.string(), name: z.string(), stage: z.string(), stageName: z.string(), daysInStage: z.number().int(),
  escalationLevel: z.number().int(), escalationName: z.string(), responsibleUnit: z.string().nullable(), landingSite: z.string().nullable(),
  plannedInvestmentWan: z.number(), flags: z.array(z.enum(['STALLED', 'ESCALATED'])),
});

export async function reportRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/reports/monthly/:month', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['reports'], summary: '月研判议程 (八) — JSON, or CSV with ?format=csv or Accept: text/csv', security: [{ bearerAuth: [] }],
      params: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM') }),
      querystring: z.object({ format: z.enum(['json', 'csv']).optional() }),
      response: {
        200: z.object({ month: z.string(), generatedAt: z.string(), flagged: z.number().int(), items: z.array(AgendaItem) }),
        400: ErrorBody, 401: ErrorBody, 404: ErrorBody,
      },
    },
  }, async (req, reply) => {
    const report = await deps.db.report.findUnique({ where: { id: `MONTHLY:${req.params.month}` } });
    if (!report) throw new ApiError('NOT_FOUND', `no monthly agenda for ${req.params.month}: the county calendar writes it on the 1st at 09:00`);
    const agenda = report.content as unknown as MonthlyAgenda;
    if (wantsCsv(req.query.format, req.headers.accept)) {
      const csv = toCsv(
        ['项目编号', '项目名称', '阶段', '本阶段天数', '督办级别', '责任单位', '落户地', '计划投资（万元）', '标记'],
        agenda.items.map((i) => [i.projectId, i.name, i.stageName, i.daysInStage, i.escalationName, i.responsibleUnit, i.landingSite, i.plannedInvestmentWan, i.flags.map((f) => FLAG_NAMES[f]).join('、')]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="monthly-${agenda.month}.csv"`)
        .serializer((x: unknown) => x as string)
        .send(csv as never);
    }
    return agenda;
  });
}
