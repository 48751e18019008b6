// Activities of the county calendar (八): they act on many project workflows at once, through the
// Temporal client, and read the projection to find the projects concerned.
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Db, Prisma } from '../db/client';
import { monthlyAgenda, type MonthlyAgenda } from '../domain/agenda';
import type { Policy } from '../domain/policy';
import { POSITION_NAMES } from '../domain/organisation';
import { quarterQuota } from '../db/trips';
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
