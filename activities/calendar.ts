// Activities of the county calendar (八): they act on many project workflows at once, through the
// Temporal client, and read the projection to find the projects concerned.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Db, Prisma } from '../db/client';
import { monthlyAgenda, type MonthlyAgenda } from '../domain/agenda';
import type { Policy } from '../domain/policy';
import { POSITION_NAMES } from '../domain/organisation';
import { quarterQuota } from '../db/trips';
import { quarterlyBulletin, type QuarterlyBulletin } from '../domain/bulletin';
import { parsePeriod } from '../domain/calendar';
import { unitById } from '../domain/units';
import { TERMINAL_STAGES } from '../domain/pipeline';
import { openPeriodicTaskUpdate } from '../workflows/definitions';

export interface MonthlyProgressResult { month: string; opened: string[]; alreadyOpen: string[]; ended: string[] }

/** 八 月研判: a monthly.progress task in every active project, due the 5th; safe to repeat. */
export async function openMonthlyProgress(db: Db, client: Client, run: { month: string; progressDueAt: string }): Promise<MonthlyProgressResult> {
  const projects = await db.project.findMany({
    where: { stage: { notIn: [...TERMINAL_STAGES] } },
    select: { id: true, workflowId: true },
    orderBy: { id: 'asc' },
  });
  const result: MonthlyProgressResult = { month: run.month, opened: [], alreadyOpen: [], ended: [] };
  for (const [i, p] of projects.entries()) {
    Context.current().heartbeat(i);
    try {
      const r = await client.workflow.getHandle(p.workflowId).executeUpdate(openPeriodicTaskUpdate, {
        args: [{ type: 'monthly.progress', period: run.month, dueAt: run.progressDueAt }],
      });
      (r.created ? result.opened : result.alreadyOpen).push(p.id);
    } catch (e) {
      // the project ended between the query and the Update: nothing to report any more
      if (e instanceof WorkflowNotFoundError || (e instanceof WorkflowUpdateFailedError && (e.cause as { type?: string })?.type === 'CONFLICT')) {
        result.ended.push(p.id);
      } else {
        throw e;
      }
    }
  }
  return result;
}

/** 八 月研判: stores the month's agenda (a Report) once; a repeated run keeps the first. */
export async function storeMonthlyAgenda(db: Db, run: { month: string; at: string }, policy: Policy): Promise<{ items: number; flagged: number }> {
  const id = `MONTHLY:${run.month}`;
  const existing = await db.report.findUnique({ where: { id } });
  if (existing) {
    const c = existing.content as unknown as MonthlyAgenda;
    return { items: c.items.length, flagged: c.flagged };
  }
  const projects = await db.project.findMany({
    where: { stage: { notIn: [...TERMINAL_STAGES] } },
    select: { id: true, name: true, stage: true, stageSince: true, escalationLevel: true, responsibleUnitId: true, landingSiteId: true, plannedInvestmentWan: true },
  });
  const agenda = monthlyAgenda(run.month, projects, new Date(run.at), policy);
  await db.report.create({ data: { id, kind: 'MONTHLY', period: run.month, content: agenda as unknown as Prisma.InputJsonValue, createdAt: new Date(run.at) } });
  return { items: agenda.items.length, flagged: agenda.flagged };
}

/** 三: reminds each LANDING_SITE PRINCIPAL / DEPUTY short of the quarter's trip quota, once per quarter. */
export async function remindTripQuota(db: Db, run: { quarter: string; at: string }, policy: Policy): Promise<{ reminded: number }> {
  let reminded = 0;
  for (const row of await quarterQuota(db, run.quarter, policy)) {
    if (row.shortfall === 0) continue;
    const dedupeKey = `QUOTA:${run.quarter}:${row.personId}`;
    if (await db.notification.findUnique({ where: { dedupeKey } })) continue;
    await db.notification.create({
      data: {
        dedupeKey, kind: 'QUOTA_REMINDER', level: 0, createdAt: new Date(run.at),
        recipients: [{ personId: row.personId, username: row.username, displayName: row.displayName, reason: '本人' }],
        title: `【外出招商提醒】${run.quarter} ${row.unitName} ${row.displayName}`,
        body: `${row.unitName}${POSITION_NAMES[row.position]}${row.displayName}：本季度已外出招商 ${row.made} 次，按要求不少于 ${row.required} 次，尚差 ${row.shortfall} 次；季度末未完成的将列入通报。`,
      },
    });
    reminded++;
  }
  return { reminded };
}

/** 八 季调度（通报）: the quarter's bulletin, stored once as a report. */
export async function storeQuarterlyBulletin(db: Db, run: { quarter: string; at: string }, policy: Policy): Promise<{ signed: number; dispatch: number; quotaShortfalls: number }> {
  const id = `QUARTERLY:${run.quarter}`;
  const existing = await db.report.findUnique({ where: { id } });
  const summary = (b: QuarterlyBulletin) => ({ signed: b.signed.length, dispatch: b.dispatch.length, quotaShortfalls: b.quotaShortfalls });
  if (existing) return summary(existing.content as unknown as QuarterlyBulletin);
  const period = parsePeriod(run.quarter)!;
  const within = { gte: period.start, lt: period.end };
  const [signings, stageChanges, ladder, active, quota] = await Promise.all([
    db.timelineEvent.findMany({ where: { kind: 'TASK_COMPLETED', taskType: 'signing.ceremony', outcome: 'signed', at: within }, include: { project: true }, orderBy: { at: 'asc' } }),
    db.timelineEvent.findMany({ where: { kind: 'STAGE_CHANGED', at: within }, include: { project: true }, orderBy: { at: 'asc' } }),
    db.timelineEvent.findMany({ where: { kind: 'TASK_LADDER', at: within }, select: { taskId: true, data: true } }),
    db.project.findMany({ where: { stage: { notIn: [...TERMINAL_STAGES] } }, select: { id: true, name: true, stage: true, stageSince: true, escalationLevel: true } }),
    quarterQuota(db, run.quarter, policy),
  ]);
  const tasks = new Map((await db.task.findMany({ where: { id: { in: ladder.map((l) => l.taskId!).filter(Boolean) } }, select: { id: true, candidateGroup: true } })).map((t) => [t.id, t.candidateGroup]));
  const unitName = (id: string | null) => (id ? unitById(id)?.name ?? id : null);
  const bulletin = quarterlyBulletin({
    quarter: run.quarter, at: new Date(run.at), policy, quota,
    signed: signings.map((e) => {
      const d = e.data as { signedDate: string; contractNo: string; signedAmountWan: number };
      return { projectId: e.projectId, name: e.project.name, responsibleUnit: unitName(e.project.responsibleUnitId), signedDate: d.signedDate, contractNo: d.contractNo, signedAmountWan: d.signedAmountWan };
    }),
    inProduction: stageChanges.filter((e) => (e.data as { to?: string }).to === 'IN_PRODUCTION')
      .map((e) => ({ projectId: e.projectId, name: e.project.name, landingSite: unitName(e.project.landingSiteId), at: e.at.toISOString() })),
    ladder: ladder.flatMap((l) => {
      const group = l.taskId ? tasks.get(l.taskId) : undefined;
      return group ? [{ taskId: l.taskId!, candidateGroup: group, level: (l.data as { level: number }).level }] : [];
    }),
    active,
  });
  await db.report.create({ data: { id, kind: 'QUARTERLY', period: run.quarter, content: bulletin as unknown as Prisma.InputJsonValue, createdAt: new Date(run.at) } });
  return summary(bulletin);
}
