// §7 reports (八, 十一): the monthly agenda of 月研判, the quarterly 通报 and the annual assessment of
// 年总结 — as JSON, as CSV, or as an .xlsx workbook laid out for printing. The county calendar stores
// each when its period ends (the agenda on the 1st at 09:00); those are answered as published
// (`provisional: false`). For the month, quarter and year still running, while nothing is stored, the
// report so far is computed live with the calendar's own code and answered `provisional: true` —
// nothing is written. Any other period without a stored report is 404.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { computeAnnualAssessment, computeMonthlyAgenda, computeQuarterlyBulletin, pendingEscalations } from '../../db/reports';
import { currentPolicy } from '../../db/policy';
import { FLAG_NAMES, type MonthlyAgenda } from '../../domain/agenda';
import { placeOf, type AnnualAssessment, type PartnerCredit, type Recognition } from '../../domain/assessment';
import { FOUR_READY, type ChainRow, type LeadTimeRow, type LeadTimeSummary, type PitchRow, type QuarterlyBulletin, type SpecialDispatchRow } from '../../domain/bulletin';
import { POSITION_NAMES } from '../../domain/organisation';
import type { Policy } from '../../domain/policy';
import { isRunning, periodTitle, reportNote } from '../../domain/reports-live';
import { parsePeriod, shanghaiDate } from '../../domain/shanghai-time';
import { UNIT_CATEGORY_NAMES } from '../../domain/units';
import type { AppDeps } from '../deps';
import { csvLines, sendCsv, toCsv, wantsCsv } from '../csv';
import { ApiError } from '../errors';
import { ErrorSchema } from '../schemas';
import { readableIds } from '../read-access';
import { plain, sendXlsx, wantsXlsx, workbookOf, type Column, type SheetSpec, type XCell } from '../xlsx';

const AgendaItem = z.object({
  projectId: z.string(), name: z.string(), stage: z.string(), stageName: z.string(), daysInStage: z.number().int(),
  escalationLevel: z.number().int(), escalationName: z.string(), responsibleUnit: z.string().nullable(), landingSite: z.string().nullable(),
  plannedInvestmentWan: z.number(), flags: z.array(z.enum(['STALLED', 'ESCALATED'])),
  industryChain: z.string().optional().describe('产业链 (六)'), chainName: z.string().optional(),
});
const Format = z.object({ format: z.enum(['json', 'csv', 'xlsx']).optional().describe('json (default), csv, or xlsx (a workbook laid out for printing)') });
const PROVISIONAL = 'x-report-provisional';

// ── the tables every format shares ─────────────────────────────────────────────────────────────

const CHAIN_COLUMNS: Column[] = [
  { header: '产业链', width: 14 }, { header: '新增线索（个）', width: 12, kind: 'int' }, { header: '签约项目（个）', width: 12, kind: 'int' },
  { header: '签约金额（万元）', width: 16, kind: 'wan' }, { header: '投产项目（个）', width: 12, kind: 'int' }, { header: '在谈在建项目（个）', width: 14, kind: 'int' },
];
const chainRows = (rows: ChainRow[]): XCell[][] => rows.map((c) => [c.chainName, c.leads, c.signed, c.signedAmountWan, c.inProduction, c.active]);
const chainTotal = (rows: ChainRow[]): XCell[] => {
  const sum = (f: (c: ChainRow) => number) => Math.round(rows.reduce((s, c) => s + f(c), 0) * 100) / 100;
  return ['合计', sum((c) => c.leads), sum((c) => c.signed), sum((c) => c.signedAmountWan), sum((c) => c.inProduction), sum((c) => c.active)];
};

const LEAD_TIME_COLUMNS: Column[] = [
  { header: '项目编号', width: 16 }, { header: '项目名称', width: 26 }, { header: '产业链', width: 10 }, { header: '落户地', width: 14 },
  { header: '签约日期', width: 12, kind: 'date' },
  ...FOUR_READY.flatMap((m): Column[] => [{ header: `${m.short}日期`, width: 12, kind: 'date' }, { header: `签约至${m.short}（天）`, width: 11, kind: 'days' }]),
];
const leadTimeRows = (rows: LeadTimeRow[]): XCell[][] => rows.map((r) => [
  r.projectId, r.name, r.chainName, r.landingSite, r.signedDate, ...FOUR_READY.flatMap((m) => [r.dates[m.key], r.days[m.key]]),
]);
/** 十四: of the milestones reached in the period — how many, the average and the longest days from signing — under their columns. */
const leadTimeFooter = (summary: LeadTimeSummary[]): XCell[][] => {
  const line = (label: string, f: (s: LeadTimeSummary) => number | null): XCell[] => [label, null, null, null, null, ...summary.flatMap((s) => [null, f(s)])];
  return summary.length ? [line('本期达成（个）', (s) => s.projects), line('平均用时（天）', (s) => s.averageDays), line('最长用时（天）', (s) => s.maxDays)] : [];
};

const csvOf = (columns: Column[], rows: XCell[][], footer: XCell[][] = []) => csvLines(columns.map((c) => c.header), [...rows, ...footer].map((r) => r.map(plain)));

// ── the workbooks ──────────────────────────────────────────────────────────────────────────────

function agendaSheets(a: MonthlyAgenda): SheetSpec[] {
  return [{
    name: '月研判议程', title: `${periodTitle(a.month)} 南县招商引资项目月研判议程`, note: reportNote(a.generatedAt, !!a.provisional),
    columns: [
      { header: '项目编号', width: 14 }, { header: '项目名称', width: 28 }, { header: '产业链', width: 10 }, { header: '阶段', width: 14 },
      { header: '本阶段天数', width: 10, kind: 'days' }, { header: '督办级别', width: 10 }, { header: '责任单位', width: 22 }, { header: '落户地', width: 14 },
      { header: '计划投资（万元）', width: 16, kind: 'wan' }, { header: '标记', width: 10 },
    ],
    rows: a.items.map((i) => [i.projectId, i.name, i.chainName, i.stageName, i.daysInStage, i.escalationName, i.responsibleUnit, i.landingSite, i.plannedInvestmentWan, i.flags.map((f) => FLAG_NAMES[f]).join('、')]),
    empty: '本月无在途项目',
  }];
}

function bulletinSheets(b: QuarterlyBulletin): SheetSpec[] {
  const head = `${periodTitle(b.quarter)} 南县招商引资工作通报`;
  const note = reportNote(b.generatedAt, !!b.provisional);
  const sheet = (name: string, columns: Column[], rows: XCell[][], more: Partial<SheetSpec> = {}): SheetSpec => ({ name, title: `${head} — ${name}`, note, columns, rows, ...more });
  const units = b.units.reduce((s, u) => ({ overdue: s.overdue + u.overdueTasks, escalations: s.escalations + u.escalations, level4: s.level4 + u.level4 }), { overdue: 0, escalations: 0, level4: 0 });
  return [
    sheet('概况', [{ header: '项目', width: 30 }, { header: '数值', width: 20, kind: 'int' }], [
      ['签约项目（个）', b.signed.length], ['签约金额（万元）', { v: b.signedAmountWan, kind: 'wan' }], ['投产项目（个）', b.inProduction.length],
      ['逾期任务（件）', units.overdue], ['督办（次）', units.escalations], ['其中四级督办（次）', units.level4],
      ['外出招商未完成（人）', b.quotaShortfalls], ['调度清单（个）', b.dispatch.length], ['专题调度（次）', (b.specialDispatches ?? []).length],
    ]),
    sheet('签约项目', [
      { header: '项目编号', width: 14 }, { header: '项目名称', width: 30 }, { header: '产业链', width: 10 }, { header: '责任单位', width: 24 },
      { header: '签约日期', width: 12, kind: 'date' }, { header: '合同编号', width: 18 }, { header: '签约金额（万元）', width: 16, kind: 'wan' },
    ], b.signed.map((p) => [p.projectId, p.name, p.chainName, p.responsibleUnit, p.signedDate, p.contractNo, p.signedAmountWan]),
    { footer: b.signed.length ? [['合计', `${b.signed.length} 个`, null, null, null, null, b.signedAmountWan]] : [] }),
    sheet('投产项目', [
      { header: '项目编号', width: 14 }, { header: '项目名称', width: 30 }, { header: '产业链', width: 10 }, { header: '落户地', width: 16 }, { header: '投产记录日期', width: 14, kind: 'date' },
    ], b.inProduction.map((p) => [p.projectId, p.name, p.chainName, p.landingSite, p.at.slice(0, 10)])),
    sheet('逾期任务', [
      { header: '单位（专班、县级角色）', width: 30 }, { header: '逾期任务（件）', width: 14, kind: 'int' }, { header: '督办（次）', width: 12, kind: 'int' }, { header: '四级督办（次）', width: 14, kind: 'int' },
    ], b.units.map((u) => [u.unit, u.overdueTasks, u.escalations, u.level4]),
    { footer: b.units.length ? [['合计', units.overdue, units.escalations, units.level4]] : [], empty: '本季度无逾期任务' }),
    sheet('外出招商', [
      { header: '姓名', width: 22 }, { header: '单位', width: 20 }, { header: '职务', width: 14 }, { header: '要求次数', width: 10, kind: 'int' },
      { header: '完成次数', width: 10, kind: 'int' }, { header: '差额', width: 8, kind: 'int' },
    ], b.quota.map((q) => [q.displayName, q.unitName, POSITION_NAMES[q.position], q.required, q.made, q.shortfall])),
    sheet('调度清单', [
      { header: '项目编号', width: 14 }, { header: '项目名称', width: 28 }, { header: '阶段', width: 14 }, { header: '本阶段天数', width: 10, kind: 'days' },
      { header: '督办级别', width: 10, kind: 'int' }, { header: '列入原因', width: 36 },
    ], b.dispatch.map((d) => [d.projectId, d.name, d.stageName, d.daysInStage, d.escalationLevel, d.reasons.join('、')])),
    sheet('产业链', CHAIN_COLUMNS, chainRows(b.chains ?? []), { footer: b.chains?.length ? [chainTotal(b.chains)] : [] }),
    sheet('四即用时', LEAD_TIME_COLUMNS, leadTimeRows(b.leadTimes ?? []), { footer: leadTimeFooter(b.leadTimeSummary ?? []) }),
    sheet('专题调度', SPECIAL_DISPATCH_COLUMNS, specialDispatchRows(b.specialDispatches ?? []), { empty: '本季度无专题调度' }),
    sheet('策划包装库', PITCH_COLUMNS, pitchRows(b.pitches ?? []), { empty: '策划包装库暂无项目', footer: b.pitches?.length ? [pitchTotal(b.pitches)] : [] }),
  ];
}

// 五 策划包装库: the county's prepared projects by 产业链 and status
const PITCH_COLUMNS: Column[] = [
  { header: '产业链', width: 12 }, ...(['草稿', '已发布', '在谈', '已落地', '已撤回', '合计', '本期据此登记线索'].map((header) => ({ header, width: header.length > 4 ? 16 : 9, kind: 'int' as const }))),
];
const pitchRows = (rows: PitchRow[]): XCell[][] => rows.map((r) => [r.chainName, r.DRAFT, r.PUBLISHED, r.IN_TALKS, r.LANDED, r.WITHDRAWN, r.total, r.leadsInPeriod]);
const pitchTotal = (rows: PitchRow[]): XCell[] => ['合计', ...(['DRAFT', 'PUBLISHED', 'IN_TALKS', 'LANDED', 'WITHDRAWN', 'total', 'leadsInPeriod'] as const).map((k) => rows.reduce((sum, r) => sum + r[k], 0))];
// 七 招商顾问 and 商协会: what each brought in the year
const PARTNER_COLUMNS: Column[] = [
  { header: '名称', width: 28 }, { header: '类别', width: 12 }, { header: '引荐线索（个）', width: 14, kind: 'int' }, { header: '线索计划投资（万元）', width: 18, kind: 'wan' },
  { header: '签约项目（个）', width: 14, kind: 'int' }, { header: '签约金额（万元）', width: 16, kind: 'wan' },
];
const partnerRows = (rows: PartnerCredit[]): XCell[][] => rows.map((p) => [p.name, p.kindName, p.leads, p.plannedInvestmentWan, p.signed, p.signedInvestmentWan]);

// 八 专题调度: what the 县委专职副书记 took up in the quarter, and decided
const SPECIAL_DISPATCH_COLUMNS: Column[] = [
  { header: '项目编号', width: 14 }, { header: '项目名称', width: 26 }, { header: '提请方式', width: 30 }, { header: '事由', width: 44 },
  { header: '提请日期', width: 12, kind: 'date' }, { header: '决定', width: 14 }, { header: '协调单位', width: 20 }, { header: '指示/结论', width: 40 }, { header: '决定日期', width: 12, kind: 'date' },
];
const specialDispatchRows = (rows: SpecialDispatchRow[]): XCell[][] => rows.map((d) => [
  d.projectId, d.name, d.triggerName, d.reason, shanghaiDate(new Date(d.openedAt)), d.decisionName ?? '在办', d.unitName ?? '', d.note ?? '', d.decidedAt ? shanghaiDate(new Date(d.decidedAt)) : '',
]);

const YES_NO = (x: boolean | null | undefined) => (x === null || x === undefined ? '' : x ? '是' : '否');

function assessmentSheets(a: AnnualAssessment): SheetSpec[] {
  const head = `${periodTitle(String(a.year))} 南县招商引资工作考核`;
  const note = reportNote(a.generatedAt, !!a.provisional);
  const sheet = (name: string, columns: Column[], rows: XCell[][], more: Partial<SheetSpec> = {}): SheetSpec => ({ name, title: `${head} — ${name}`, note, columns, rows, ...more });
  const steps = new Map(a.accountability.map((x) => [x.unitId, x.actions.join('；')]));
  return [
    sheet('考核排名', [
      { header: '类别', width: 14 }, { header: '排名', width: 12 }, { header: '单位', width: 26 }, { header: '得分', width: 9, kind: 'score' },
      { header: '线索', width: 7, kind: 'int' }, { header: '签约', width: 7, kind: 'int' }, { header: '签约金额（万元）', width: 15, kind: 'wan' },
      { header: '投产', width: 7, kind: 'int' }, { header: '外出招商差额', width: 10, kind: 'int' }, { header: '逾期任务', width: 9, kind: 'int' },
      { header: '督办', width: 7, kind: 'int' }, { header: '问责', width: 36 },
    ], [
      ...a.rankings.map((r) => [UNIT_CATEGORY_NAMES[r.category], placeOf(r), r.unitName, r.score, r.figures.leads, r.figures.signed, r.figures.signedInvestmentWan, r.figures.inProduction, r.figures.quotaShortfalls, r.figures.overdueTasks, r.figures.escalations, steps.get(r.unitId) ?? '']),
      ...(a.unranked ?? []).map((u) => [UNIT_CATEGORY_NAMES[u.category], '不排名', u.unitName, null, null, null, null, null, null, null, null, '无考核内容']),
    ]),
    sheet('专班', [{ header: '专班', width: 24 }, { header: '逾期任务（件）', width: 14, kind: 'int' }, { header: '督办（次）', width: 12, kind: 'int' }],
      (a.taskForces ?? []).map((t) => [t.name, t.overdueTasks, t.escalations])),
    sheet('问责', [{ header: '单位', width: 26 }, { header: '类别', width: 14 }, { header: '排名', width: 12 }, { header: '问责事项', width: 60 }],
      a.accountability.map((x) => {
        const r = a.rankings.find((u) => u.unitId === x.unitId);
        return [x.unitName, r ? UNIT_CATEGORY_NAMES[r.category] : '', r ? placeOf(r) : '', x.actions.join('；')];
      }), { empty: '本年度无问责' }),
    sheet('增长指标', [
      { header: '指标', width: 26 }, { header: '本年', width: 16, kind: 'wan' }, { header: '上年', width: 16, kind: 'wan' }, { header: '增长（%）', width: 10, kind: 'percent' },
      { header: '目标（%）', width: 10, kind: 'percent' }, { header: '达标', width: 6 }, { header: '基年', width: 7, kind: 'year' }, { header: '基年数值', width: 16, kind: 'wan' },
      { header: '年均增长（%）', width: 12, kind: 'percent' }, { header: '年均达标', width: 8 }, { header: '当年项目签约', width: 16, kind: 'wan' }, { header: '签约口径', width: 34 },
    ], a.growth.map((g) => {
      // 实际利用外资 is in 美元, the others in 万元
      const money = (v: number | null | undefined): XCell => ({ v: v ?? null, kind: g.key === 'actualForeignUsd' ? 'usd' : 'wan' });
      return [g.name, money(g.value), money(g.previous), g.growthPercent, g.targetPercent, YES_NO(g.met), g.baseYear ?? null, money(g.baseValue), g.averageGrowthPercent ?? null, YES_NO(g.averageMet), money(g.signedFromProjects), g.signedFromProjectsName ?? ''];
    })),
    sheet('产业链', CHAIN_COLUMNS, chainRows(a.chains ?? []), { footer: a.chains?.length ? [chainTotal(a.chains)] : [] }),
    sheet('四即用时', LEAD_TIME_COLUMNS, leadTimeRows(a.leadTimes ?? []), { footer: leadTimeFooter(a.leadTimeSummary ?? []) }),
    sheet('招商顾问与商协会', PARTNER_COLUMNS, partnerRows(a.partners ?? []), { empty: '本年度无招商顾问、商协会引荐的项目' }),
    sheet('表彰', RECOGNITION_COLUMNS, recognitionRows(a.recognition), { empty: '本年度无表彰名单', ...(a.recognition ? { note: `${note}　规则：${a.recognition.rule}` } : {}) }),
  ];
}

// 十 奖励: the units and people commended, in one table (县委组织部 reviews it: recognition.review)
const RECOGNITION_COLUMNS: Column[] = [
  { header: '表彰对象', width: 10 }, { header: '名称/姓名', width: 26 }, { header: '类别/单位', width: 24 }, { header: '排名', width: 12 },
  { header: '得分', width: 9, kind: 'score' }, { header: '线索', width: 7, kind: 'int' }, { header: '签约', width: 7, kind: 'int' }, { header: '签约金额（万元）', width: 15, kind: 'wan' },
];
const recognitionRows = (r: Recognition | undefined): XCell[][] => [
  ...(r?.units ?? []).map((u) => ['单位', u.unitName, UNIT_CATEGORY_NAMES[u.category], placeOf(u), u.score, null, null, null]),
  ...(r?.people ?? []).map((p) => ['个人', p.displayName, p.unitName ?? '', '', null, p.leads, p.signed, p.signedInvestmentWan]),
];

// ── the routes ─────────────────────────────────────────────────────────────────────────────────

export async function reportRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();

  /** The report as stored (published), else, for the period still running, computed live now (provisional); null otherwise. */
  async function reportOf<T extends { provisional?: boolean }>(
    id: string, periodKey: string, compute: (at: string, policy: Policy) => Promise<T>,
  ): Promise<T | null> {
    const stored = await deps.db.report.findUnique({ where: { id } });
    if (stored) return { ...(stored.content as unknown as T), provisional: false };
    const now = new Date();
    const period = parsePeriod(periodKey); // (a period no calendar knows — year 0000 — has no report: found by npm run fuzz)
    if (!period || !isRunning(period, now)) return null;
    // §9: with the policy the county calendar will take at its next run — the current version
    const { policy } = await currentPolicy(deps.db, deps.policy);
    return { ...(await compute(now.toISOString(), policy)), provisional: true };
  }
  const marked = (reply: FastifyReply, provisional: boolean | undefined) => reply.header(PROVISIONAL, String(!!provisional));

  app.get('/reports/monthly/:month', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['reports'], summary: '月研判议程 (八) — the projects the caller may read; the running month computed live (provisional) until stored; JSON, CSV (?format=csv or Accept: text/csv) or a workbook (?format=xlsx)', security: [{ bearerAuth: [] }],
      params: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '应为月份 YYYY-MM，如 2026-11') }),
      querystring: Format,
      response: {
        200: z.object({ month: z.string(), generatedAt: z.string(), provisional: z.boolean(), flagged: z.number().int(), items: z.array(AgendaItem) }),
        400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema,
      },
    },
  }, async (req, reply) => {
    const { month } = req.params;
    const report = await reportOf<MonthlyAgenda>(`MONTHLY:${month}`, month, (at, policy) => computeMonthlyAgenda(deps.db, { month, at }, policy));
    if (!report) throw new ApiError('NOT_FOUND', `${month} 没有月研判议程：县级调度日历在每月1日9时生成（只有本月的议程实时计算）`);
    // §7: the agenda lists the projects the reader may read (the 召集人 reads them all)
    const readable = await readableIds(deps.db, req.caller, report.items.map((i) => i.projectId));
    const items = report.items.filter((i) => readable.has(i.projectId));
    const agenda = { ...report, items, flagged: items.filter((i) => i.flags.length > 0).length, provisional: !!report.provisional };
    marked(reply, agenda.provisional);
    if (wantsXlsx(req.query.format, req.headers.accept)) {
      return sendXlsx(reply, { ascii: `monthly-${month}.xlsx`, chinese: `${periodTitle(month)}月研判议程.xlsx` }, await workbookOf(agendaSheets(agenda), { title: `${periodTitle(month)} 月研判议程`, created: new Date(agenda.generatedAt) }));
    }
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
      tags: ['reports'], summary: '季度通报 (八, 三, 六, 十四) — published to all; its 调度清单 names the projects the caller may read; figures by 产业链 and the 四即 lead times; the running quarter computed live (provisional) until published; JSON, CSV or a workbook (?format=xlsx, a sheet per section)', security: [{ bearerAuth: [] }],
      params: z.object({ quarter: z.string().regex(/^\d{4}-Q[1-4]$/, '应为季度 YYYY-Qn，如 2026-Q4') }),
      querystring: Format,
      response: { 200: z.record(z.string(), z.unknown()), 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req, reply) => {
    const { quarter } = req.params;
    const report = await reportOf<QuarterlyBulletin>(`QUARTERLY:${quarter}`, quarter, async (at, policy) => (
      // 八: with the projects the 月研判 put before the 县长 since the last 通报, as the calendar will
      computeQuarterlyBulletin(deps.db, { quarter, at, escalated: await pendingEscalations(deps.db, quarter) }, policy)
    ));
    if (!report) throw new ApiError('NOT_FOUND', `${quarter} 没有通报：县级调度日历在下一季度首日发布（只有本季度的通报实时计算）`);
    // 八: the 通报 is published to every unit (signings, production, units, quotas); its dispatch
    // list, the agenda of the 县长's 调度, names the projects the reader may read (§7)
    const readable = await readableIds(deps.db, req.caller, report.dispatch.map((d) => d.projectId));
    const b: QuarterlyBulletin = { ...report, dispatch: report.dispatch.filter((d) => readable.has(d.projectId)) };
    marked(reply, b.provisional);
    if (wantsXlsx(req.query.format, req.headers.accept)) {
      return sendXlsx(reply, { ascii: `quarterly-${quarter}.xlsx`, chinese: `${periodTitle(quarter)}招商引资工作通报.xlsx` }, await workbookOf(bulletinSheets(b), { title: `${periodTitle(quarter)} 南县招商引资工作通报`, created: new Date(b.generatedAt) }));
    }
    if (!wantsCsv(req.query.format, req.headers.accept)) return b as unknown as Record<string, unknown>;
    // one sheet, a section per table, as a county office lays out a 通报
    const sections: string[] = [
      csvLines([`${b.quarter} 招商引资工作通报${b.provisional ? `（${reportNote(b.generatedAt, true)}）` : ''}`], []),
      csvLines(['签约项目', '项目名称', '责任单位', '签约日期', '合同编号', '签约金额（万元）'], b.signed.map((p) => [p.projectId, p.name, p.responsibleUnit, p.signedDate, p.contractNo, p.signedAmountWan])),
      csvLines(['投产项目', '项目名称', '落户地', '投产时间'], b.inProduction.map((p) => [p.projectId, p.name, p.landingSite, p.at.slice(0, 10)])),
      csvLines(['单位', '逾期任务', '督办次数', '四级督办'], b.units.map((u) => [u.unit, u.overdueTasks, u.escalations, u.level4])),
      csvLines(['外出招商', '单位', '职务', '要求次数', '完成次数', '差额'], b.quota.map((q) => [q.displayName, q.unitName, POSITION_NAMES[q.position], q.required, q.made, q.shortfall])),
      csvLines(['调度清单', '项目名称', '阶段', '本阶段天数', '督办级别', '列入原因'], b.dispatch.map((d) => [d.projectId, d.name, d.stageName, d.daysInStage, d.escalationLevel, d.reasons.join('、')])),
      ...(b.chains ? [csvOf(CHAIN_COLUMNS, chainRows(b.chains), [chainTotal(b.chains)])] : []),
      ...(b.leadTimes ? [csvOf(LEAD_TIME_COLUMNS, leadTimeRows(b.leadTimes), leadTimeFooter(b.leadTimeSummary ?? []))] : []),
      ...(b.pitches ? [csvOf(PITCH_COLUMNS, pitchRows(b.pitches), b.pitches.length ? [pitchTotal(b.pitches)] : [])] : []),
      ...(b.specialDispatches ? [csvLines(['专题调度', ...SPECIAL_DISPATCH_COLUMNS.slice(1).map((c) => c.header)], specialDispatchRows(b.specialDispatches).map((r) => r.map(plain)))] : []),
    ];
    return sendCsv(reply, `quarterly-${b.quarter}.csv`, `\uFEFF${sections.join('\r\n')}`);
  });

  app.get('/reports/annual/:year', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['reports'], summary: '年度考核 (十一, 二, 六, 十四) — ranking within category (tie-breaks of the policy, 并列 marked; units with nothing to assess not ranked), the task forces, accountability, growth (with 年均 and the year\'s signed amounts), figures by 产业链, the 四即 lead times; the running year\'s standings so far computed live (provisional) until assessed; JSON, CSV or a workbook (?format=xlsx)', security: [{ bearerAuth: [] }],
      params: z.object({ year: z.string().regex(/^\d{4}$/, '应为年份 YYYY，如 2026') }),
      querystring: Format,
      response: { 200: z.record(z.string(), z.unknown()), 400: ErrorSchema, 401: ErrorSchema, 404: ErrorSchema },
    },
  }, async (req, reply) => {
    const year = Number(req.params.year);
    const a = await reportOf<AnnualAssessment>(`ANNUAL:${year}`, req.params.year, (at, policy) => computeAnnualAssessment(deps.db, { year, at }, policy));
    if (!a) throw new ApiError('NOT_FOUND', `${year} 年没有年度考核：县级调度日历在次年1月生成（只有本年度的排名实时计算）`);
    marked(reply, a.provisional);
    if (wantsXlsx(req.query.format, req.headers.accept)) {
      return sendXlsx(reply, { ascii: `annual-${year}.xlsx`, chinese: `${year}年度招商引资工作考核.xlsx` }, await workbookOf(assessmentSheets(a), { title: `${year}年度 南县招商引资工作考核`, created: new Date(a.generatedAt) }));
    }
    if (!wantsCsv(req.query.format, req.headers.accept)) return a as unknown as Record<string, unknown>;
    const steps = new Map(a.accountability.map((x) => [x.unitId, x.actions.join('；')]));
    const ranking = toCsv(
      ['年度', '类别', '排名', '单位', '得分', '线索', '签约', '签约金额（万元）', '投产', '外出招商差额', '逾期任务', '督办', '问责'],
      [
        ...a.rankings.map((r) => [a.year, UNIT_CATEGORY_NAMES[r.category], placeOf(r), r.unitName, r.score, r.figures.leads, r.figures.signed, r.figures.signedInvestmentWan, r.figures.inProduction, r.figures.quotaShortfalls, r.figures.overdueTasks, r.figures.escalations, steps.get(r.unitId) ?? '']),
        // 十一: a unit with nothing to assess in the year is not ranked
        ...(a.unranked ?? []).map((u) => [a.year, UNIT_CATEGORY_NAMES[u.category], '不排名（无考核内容）', u.unitName, '', '', '', '', '', '', '', '', '']),
        // 九: the task forces' overdue tasks and escalations, which count for no unit
        ...(a.taskForces ?? []).map((t) => [a.year, '专班', '', t.name, '', '', '', '', '', '', t.overdueTasks, t.escalations, '']),
      ],
    );
    // the ranking first, then (each after an empty line) the growth of 二, the 产业链 and the 四即
    const more: string[] = [
      csvLines(['增长指标', '本年', '上年', '增长（%）', '目标（%）', '达标', '基年', '基年数值', '年均增长（%）', '年均达标', '当年项目签约', '签约口径'],
        a.growth.map((g) => [g.name, g.value, g.previous, g.growthPercent, g.targetPercent, YES_NO(g.met), g.baseYear ?? null, g.baseValue ?? null, g.averageGrowthPercent ?? null, YES_NO(g.averageMet), g.signedFromProjects ?? null, g.signedFromProjectsName ?? ''])),
      ...(a.chains ? [csvOf(CHAIN_COLUMNS, chainRows(a.chains), [chainTotal(a.chains)])] : []),
      ...(a.leadTimes ? [csvOf(LEAD_TIME_COLUMNS, leadTimeRows(a.leadTimes), leadTimeFooter(a.leadTimeSummary ?? []))] : []),
      ...(a.partners ? [csvOf(PARTNER_COLUMNS, partnerRows(a.partners))] : []),
      ...(a.recognition ? [csvOf(RECOGNITION_COLUMNS, recognitionRows(a.recognition))] : []),
    ];
    return sendCsv(reply, `annual-${a.year}.csv`, [ranking, ...more].join('\r\n'));
  });
}
