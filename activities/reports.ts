// 八, 十一: the county's reports stored — the calendar's activities write a period's monthly agenda,
// quarterly 通报 and annual assessment once as a Report (a repeated run answers from the first); what
// they hold is computed by db/reports.ts, which the API also reads to show a running period live.
import type { Db, Prisma } from '../db/client';
import { computeAnnualAssessment, computeMonthlyAgenda, computeQuarterlyBulletin } from '../db/reports';
import { FLAG_NAMES, type MonthlyAgenda } from '../domain/agenda';
import type { AccountabilityCase, AnnualAssessment, Recognition, Standing } from '../domain/assessment';
import type { EscalatedProject, QuarterlyBulletin } from '../domain/bulletin';
import type { MeetingItem } from '../domain/meetings';
import type { Policy } from '../domain/policy';
/** A report (agenda, 通报, assessment) is written once: a repeated run answers from the first. */
async function storeReportOnce<T, S>(
  db: Db, r: { id: string; kind: string; period: string; at: string }, summarise: (content: T) => S,
  build: () => Promise<{ content: T; alsoWrite?: Prisma.PrismaPromise<unknown>[] }>,
): Promise<S> {
  const existing = await db.report.findUnique({ where: { id: r.id } });
  if (existing) return summarise(existing.content as unknown as T);
  const { content, alsoWrite = [] } = await build();
  await db.$transaction([
    ...alsoWrite,
    db.report.create({ data: { id: r.id, kind: r.kind, period: r.period, content: content as unknown as Prisma.InputJsonValue, createdAt: new Date(r.at) } }),
  ]);
  return summarise(content);
}
/** 八 月研判: stores the month's agenda (a Report) once; a repeated run keeps the first. */
export async function storeMonthlyAgenda(db: Db, run: { month: string; at: string }, policy: Policy): Promise<{ items: number; flagged: number; meeting: MeetingItem[] }> {
  return storeReportOnce(db, { id: `MONTHLY:${run.month}`, kind: 'MONTHLY', period: run.month, at: run.at },
    (a: MonthlyAgenda) => ({
      items: a.items.length, flagged: a.flagged,
      // the agenda of the 分管副县长's meeting.monthlyReview
      meeting: a.items.map((i) => ({ projectId: i.projectId, name: i.name, stageName: i.stageName, reasons: i.flags.map((f) => FLAG_NAMES[f]) })),
    }),
    async () => ({ content: await computeMonthlyAgenda(db, run, policy) }));
}
/** 八 季调度（通报）: the quarter's bulletin, stored once as a report. */
export async function storeQuarterlyBulletin(
  db: Db, run: { quarter: string; at: string; escalated?: EscalatedProject[] }, policy: Policy,
): Promise<{ signed: number; dispatch: number; quotaShortfalls: number; meeting: MeetingItem[] }> {
  return storeReportOnce(db, { id: `QUARTERLY:${run.quarter}`, kind: 'QUARTERLY', period: run.quarter, at: run.at },
    (b: QuarterlyBulletin) => ({
      signed: b.signed.length, dispatch: b.dispatch.length, quotaShortfalls: b.quotaShortfalls,
      // the agenda of the 县长's meeting.quarterlyDispatch
      meeting: b.dispatch.map((d) => ({ projectId: d.projectId, name: d.name, stageName: d.stageName, reasons: d.reasons })),
    }),
    async () => ({ content: await computeQuarterlyBulletin(db, run, policy) }));
}

/** 十一 年总结: the year's assessment, stored once, with the ranking kept by unit for next January's ladder. */
export async function storeAnnualAssessment(
  db: Db, run: { year: number; at: string; previous?: { year: number; standings: Standing[] } | null }, policy: Policy,
): Promise<{ units: number; accountability: AccountabilityCase[]; standings: Standing[]; recognition: Recognition | null }> {
  return storeReportOnce(db, { id: `ANNUAL:${run.year}`, kind: 'ANNUAL', period: String(run.year), at: run.at },
    (a: AnnualAssessment) => ({
      units: a.rankings.length,
      // the calendar carries this year's standings into next January (across continue-as-new)
      standings: a.rankings.map((r) => ({ unitId: r.unitId, category: r.category, rank: r.rank, fromBottom: r.fromBottom, of: r.of, score: r.score })),
      // 十一: what the calendar opens a task for, step by step
      accountability: a.accountability.map((x) => {
        const r = a.rankings.find((u) => u.unitId === x.unitId)!;
        return { unitId: x.unitId, unitName: x.unitName, category: r.category, rank: r.rank, of: r.of, score: r.score, steps: x.steps };
      }),
      // 十 奖励: what 县委组织部 reviews (null: an assessment stored before commendations existed)
      recognition: a.recognition ?? null,
    }),
    async () => {
      const content = await computeAnnualAssessment(db, run, policy);
      return {
        content,
        // the ranking is kept by unit as well: next January's ladder reads it back
        alsoWrite: content.rankings.map((r) => db.unitRanking.create({
          data: { year: run.year, unitId: r.unitId, category: r.category, score: r.score, rank: r.rank, detail: { figures: r.figures, of: r.of, fromBottom: r.fromBottom, tied: r.tied } as unknown as Prisma.InputJsonValue },
        })),
      };
    });
}

