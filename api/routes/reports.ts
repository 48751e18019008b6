// §7 reports (八, 十一): the monthly agenda of 月研判, the quarterly 通报 and the annual assessment of
// 年总结 — as JSON, or as CSV for a spreadsheet. The county calendar stores each when its period ends.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FLAG_NAMES, type MonthlyAgenda } from '../../domain/agenda';
import type { QuarterlyBulletin } from '../../domain/bulletin';
import { placeOf, type AnnualAssessment } from '../../domain/assessment';
import { POSITION_NAMES } from '../../domain/organisation';
import { UNIT_CATEGORY_NAMES } from '../../domain/units';
import type { AppDeps } from '../deps';
import { csvLines, sendCsv, toCsv, wantsCsv } from '../csv';
import { ApiError } from '../errors';
import { ErrorSchema } from '../schemas';
import { readableIds } from '../read-access';

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
      tags: ['reports'], summary: '月研判议程 (八) — the projects the caller may read; JSON, or CSV with ?format=csv or Accept: text/csv', security: [{ bearerAuth: [] }],
      params: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM') }),
      querystring: z.object({ format: z.enum(['json', 'csv']).optional() }),
      response: {
        200: z.object({ month: z.string(), generatedAt: z.string(), flagged: z.number().int(), items: z.array(AgendaItem) }),
        400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema,
      },
    },
  }, async (req, reply) => {
    const report = await deps.db.report.findUnique({ where: { id: `MONTHLY:${req.params.month}` } });
    if (!report) throw new ApiError('NOT_FOUND', `no monthly agenda for ${req.params.month}: the county calendar writes it on the 1st at 09:00`);
    const stored = report.content as unknown as MonthlyAgenda;
    // §7: the agenda lists the projects the reader may read (the 召集人 reads them all)
    const readable = await readableIds(deps.db, req.caller, stored.items.map((i) => i.projectId));
    const items = stored.items.filter((i) => readable.has(i.projectId));
    const agenda = { ...stored, items, flagged: items.filter((i) => i.flags.length > 0).length };
    if (wantsCsv(req.query.format, req.headers.accept)) {
      const csv = toCsv(
        ['项目编号', '项目名称', '阶段', '本阶段天数', '督办级别', '责任单位', '落户地', '计划投资（万元）', '标记'],
        agenda.items.map((i) => [i.projectId, i.name, i.stageName, i.daysInStage, i.escalationName, i.responsibleUnit, i.landingSite, i.plannedInvestmentWan, i.flags.map((f) => FLAG_NAMES[f]).join('、')]),
      );
      return sendCsv(reply, `monthly-${agenda.month}.csv`, csv);
    }
    return agenda;
  });

  app.get('/reports/quarterly/:quarter', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['reports'], summary: '季度通报 (八, 三) — published to all; its 调度清单 names the projects the caller may read; JSON, or CSV with ?format=csv or Accept: text/csv', security: [{ bearerAuth: [] }],
      params: z.object({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/, 'must be YYYY-Qn') }),
      querystring: z.object({ format: z.enum(['json', 'csv']).optional() }),
      response: { 200: z.record(z.string(), z.unknown()), 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req, reply) => {
    const report = await deps.db.report.findUnique({ where: { id: `QUARTERLY:${req.params.quarter}` } });
    if (!report) throw new ApiError('NOT_FOUND', `no 通报 for ${req.params.quarter}: the county calendar publishes it on the first day of the next quarter`);
    const published = report.content as unknown as QuarterlyBulletin;
    // 八: the 通报 is published to every unit (signings, production, units, quotas); its dispatch
    // list, the agenda of the 县长's 调度, names the projects the reader may read (§7)
    const readable = await readableIds(deps.db, req.caller, published.dispatch.map((d) => d.projectId));
    const b: QuarterlyBulletin = { ...published, dispatch: published.dispatch.filter((d) => readable.has(d.projectId)) };
    if (!wantsCsv(req.query.format, req.headers.accept)) return b as unknown as Record<string, unknown>;
    // one sheet, a section per table, as a county office lays out a 通报
    const sections: string[] = [
      csvLines([`${b.quarter} 招商引资工作通报`], []),
      csvLines(['签约项目', '项目名称', '责任单位', '签约日期', '合同编号', '签约金额（万元）'], b.signed.map((p) => [p.projectId, p.name, p.responsibleUnit, p.signedDate, p.contractNo, p.signedAmountWan])),
      csvLines(['投产项目', '项目名称', '落户地', '投产时间'], b.inProduction.map((p) => [p.projectId, p.name, p.landingSite, p.at.slice(0, 10)])),
      csvLines(['单位', '逾期任务', '督办次数', '四级督办'], b.units.map((u) => [u.unit, u.overdueTasks, u.escalations, u.level4])),
      csvLines(['外出招商', '单位', '职务', '要求次数', '完成次数', '差额'], b.quota.map((q) => [q.displayName, q.unitName, POSITION_NAMES[q.position], q.required, q.made, q.shortfall])),
      csvLines(['调度清单', '项目名称', '阶段', '本阶段天数', '督办级别', '列入原因'], b.dispatch.map((d) => [d.projectId, d.name, d.stageName, d.daysInStage, d.escalationLevel, d.reasons.join('、')])),
    ];
    return sendCsv(reply, `quarterly-${b.quarter}.csv`, `\uFEFF${sections.join('\r\n')}`);
  });

  app.get('/reports/annual/:year', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['reports'], summary: '年度考核 (十一, 二) — ranking within category (tie-breaks of the policy, 并列 marked; units with nothing to assess not ranked), the task forces, accountability, growth; JSON or CSV', security: [{ bearerAuth: [] }],
      params: z.object({ year: z.string().regex(/^\d{4}$/, 'must be YYYY') }),
      querystring: z.object({ format: z.enum(['json', 'csv']).optional() }),
      response: { 200: z.record(z.string(), z.unknown()), 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req, reply) => {
    const report = await deps.db.report.findUnique({ where: { id: `ANNUAL:${req.params.year}` } });
    if (!report) throw new ApiError('NOT_FOUND', `no assessment for ${req.params.year}: the county calendar makes it in January of the year after`);
    const a = report.content as unknown as AnnualAssessment;
    if (!wantsCsv(req.query.format, req.headers.accept)) return a as unknown as Record<string, unknown>;
    const steps = new Map(a.accountability.map((x) => [x.unitId, x.actions.join('；')]));
    const csv = toCsv(
      ['年度', '类别', '排名', '单位', '得分', '线索', '签约', '签约金额（万元）', '投产', '外出招商差额', '逾期任务', '督办', '问责'],
      [
        ...a.rankings.map((r) => [a.year, UNIT_CATEGORY_NAMES[r.category], placeOf(r), r.unitName, r.score, r.figures.leads, r.figures.signed, r.figures.signedInvestmentWan, r.figures.inProduction, r.figures.quotaShortfalls, r.figures.overdueTasks, r.figures.escalations, steps.get(r.unitId) ?? '']),
        // 十一: a unit with nothing to assess in the year is not ranked
        ...(a.unranked ?? []).map((u) => [a.year, UNIT_CATEGORY_NAMES[u.category], '不排名（无考核内容）', u.unitName, '', '', '', '', '', '', '', '', '']),
        // 九: the task forces' overdue tasks and escalations, which count for no unit
        ...(a.taskForces ?? []).map((t) => [a.year, '专班', '', t.name, '', '', '', '', '', '', t.overdueTasks, t.escalations, '']),
      ],
    );
    return sendCsv(reply, `annual-${a.year}.csv`, csv);
  });
}
