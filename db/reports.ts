// 八, 十一: the county's reports computed from the projection — the monthly agenda of 月研判, the
// quarterly 通报 with the dispatch list of 季调度, the annual assessment with its ranking and
// accountability. Nothing here writes: the calendar's activities store a period's report once
// (activities/reports.ts), and the API and the 驾驶舱 compute a period still running live, provisional,
// with the same code.
import type { Db } from './client';
import { monthlyAgenda, type MonthlyAgenda } from '../domain/agenda';
import {
  accountability, ACCOUNTABILITY_NAMES, rankUnits, recognitionOf, type AnnualAssessment, type PartnerCredit, type PersonYear, type Standing, type UnitFigures,
} from '../domain/assessment';
import {
  chainBreakdown, chainNameOf, datesOf, FOUR_READY, fourReadyLeadTimes, pitchBreakdown, quarterlyBulletin,
  type EscalatedProject, type FourReadyProject, type LadderStepRow, type MilestoneKey, type QuarterlyBulletin, type SpecialDispatchRow,
} from '../domain/bulletin';
import { parsePeriod, quarterPeriod, shanghaiDate, yearPeriod } from '../domain/shanghai-time';
import { GROWTH_BASE_YEAR, growthAgainstTargets, signedByOrigin } from '../domain/indicators';
import type { Decision, MeetingContext } from '../domain/meetings';
import { parseGroup, TASK_FORCE_DEFS, TASK_FORCES } from '../domain/organisation';
import { taskType, TERMINAL_STAGES, type TaskTypeName } from '../domain/pipeline';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { UNITS, unitNameOf, type UnitCategory } from '../domain/units';
import { PARTNER_KINDS } from '../domain/registries';
import { quarterQuota } from './trips';


/** 八: the signings of a period — a signing counts in the period of its signedDate, with its project. */
export async function periodSignings(db: Db, within: { gte: Date; lt: Date }) {
  // a date is never after its recording, so the signings recorded since the period began hold them all
  const signings = await db.timelineEvent.findMany({
    where: { kind: 'TASK_COMPLETED', taskType: 'signing.ceremony' satisfies TaskTypeName, outcome: 'signed', at: { gte: within.gte } }, include: { project: true }, orderBy: { at: 'asc' },
  });
  // signings are events of project workflows: each has its project
  return signings.flatMap((e) => {
    const data = e.data as { signedDate: string; contractNo: string; signedAmountWan: number };
    const inPeriod = data.signedDate >= shanghaiDate(within.gte) && data.signedDate < shanghaiDate(within.lt);
    return e.project && inPeriod ? [{ projectId: e.project.id, project: e.project, ...data }] : [];
  }).sort((a, b) => a.signedDate.localeCompare(b.signedDate));
}

/** 十四: the signed projects with a signing or a milestone recorded since the period began, with every date of their 四即 (the caller keeps those of the period). */
async function fourReadyProjects(db: Db, within: { gte: Date; lt: Date }): Promise<FourReadyProject[]> {
  const types: TaskTypeName[] = ['signing.ceremony', ...FOUR_READY.map((m) => m.taskType)];
  const moved = await db.timelineEvent.findMany({
    where: { kind: 'TASK_COMPLETED', taskType: { in: types }, at: { gte: within.gte }, projectId: { not: null } }, select: { projectId: true }, distinct: ['projectId'],
  });
  const ids = moved.map((m) => m.projectId!);
  if (ids.length === 0) return [];
  const events = await db.timelineEvent.findMany({
    where: { kind: 'TASK_COMPLETED', taskType: { in: types }, projectId: { in: ids } },
    select: { projectId: true, taskType: true, outcome: true, data: true, project: { select: { name: true, industryChain: true, landingSiteId: true } } },
    orderBy: [{ at: 'asc' }, { seq: 'asc' }],
  });
  const keyOf = new Map<string, MilestoneKey>(FOUR_READY.map((m) => [m.taskType, m.key]));
  const byProject = new Map<string, FourReadyProject & { signed: boolean }>();
  for (const e of events) {
    if (!e.project || !e.projectId) continue;
    const p = byProject.get(e.projectId) ?? {
      projectId: e.projectId, name: e.project.name, industryChain: e.project.industryChain, landingSite: unitNameOf(e.project.landingSiteId),
      signedDate: '', milestones: {}, signed: false,
    };
    const data = (e.data ?? {}) as { signedDate?: string; date?: string };
    // a later record of the same step (a signing repeated after a return) replaces the earlier one
    if (e.taskType === 'signing.ceremony' && e.outcome === 'signed' && data.signedDate) Object.assign(p, { signedDate: data.signedDate, signed: true });
    const key = e.taskType ? keyOf.get(e.taskType) : undefined;
    if (key && e.outcome === 'done' && data.date) p.milestones[key] = data.date;
    byProject.set(e.projectId, p);
  }
  return [...byProject.values()].filter((p) => p.signed).map(({ signed: _s, ...p }) => p);
}

/** What a quarter's 通报 and a year's assessment count, read from the projection's timeline. */
async function periodEvents(db: Db, within: { gte: Date; lt: Date }) {
  const [signings, stageChanges, ladder, leads, fourReady] = await Promise.all([
    periodSignings(db, within),
    db.timelineEvent.findMany({ where: { kind: 'STAGE_CHANGED', at: within }, include: { project: true }, orderBy: { at: 'asc' } }),
    db.timelineEvent.findMany({ where: { kind: 'TASK_LADDER', at: within }, select: { taskId: true, data: true } }),
    // 六: the leads registered in the period, by chain
    db.project.findMany({ where: { createdAt: within }, select: { industryChain: true } }),
    fourReadyProjects(db, within),
  ]);
  const groups = new Map((await db.task.findMany({
    where: { id: { in: ladder.map((l) => l.taskId).filter((id): id is string => !!id) } }, select: { id: true, candidateGroup: true },
  })).map((t) => [t.id, t.candidateGroup]));
  return {
    signings, leads, fourReady,
    // stage changes are events of project workflows: each has its project
    productions: stageChanges.filter((e) => (e.data as { to?: string }).to === 'IN_PRODUCTION')
      .flatMap((e) => (e.project ? [{ projectId: e.project.id, project: e.project, at: e.at }] : [])),
    ladder: ladder.flatMap((l): LadderStepRow[] => {
      const group = l.taskId ? groups.get(l.taskId) : undefined;
      return group ? [{ taskId: l.taskId!, candidateGroup: group, level: (l.data as { level: number }).level }] : [];
    }),
  };
}

/** 八 月研判: the month's agenda as of `run.at` — every active project, stalled and escalated ones flagged. Writes nothing. */
export async function computeMonthlyAgenda(db: Db, run: { month: string; at: string }, policy: Policy): Promise<MonthlyAgenda> {
  const projects = await db.project.findMany({
    where: { stage: { notIn: [...TERMINAL_STAGES] } },
    select: { id: true, name: true, stage: true, stageSince: true, escalationLevel: true, responsibleUnitId: true, landingSiteId: true, plannedInvestmentWan: true, industryChain: true },
  });
  return monthlyAgenda(run.month, projects, new Date(run.at), policy);
}


/** 八 季调度（通报）: the quarter's bulletin as of `run.at`, with the projects the 月研判 escalated. Writes nothing. */
export async function computeQuarterlyBulletin(db: Db, run: { quarter: string; at: string; escalated?: EscalatedProject[] }, policy: Policy): Promise<QuarterlyBulletin> {
  const period = parsePeriod(run.quarter)!;
  const within = { gte: period.start, lt: period.end };
  const [events, active, quota, special, pitches, leadsFromPitches] = await Promise.all([
    periodEvents(db, within),
    db.project.findMany({ where: { stage: { notIn: [...TERMINAL_STAGES] } }, select: { id: true, name: true, stage: true, stageSince: true, escalationLevel: true, industryChain: true } }),
    quarterQuota(db, run.quarter, policy),
    specialDispatchesIn(db, within),
    // 五 策划包装库: the pitches as they stand, and the leads registered from one in the quarter
    db.pitch.findMany({ select: { industryChain: true, status: true } }),
    db.project.findMany({ where: { createdAt: within, pitchId: { not: null } }, select: { industryChain: true } }),
  ]);
  const chain = (p: { industryChain: string }) => ({ industryChain: p.industryChain, chainName: chainNameOf(p.industryChain) });
  return quarterlyBulletin({
    quarter: run.quarter, at: new Date(run.at), policy, quota, active, ladder: events.ladder, escalated: run.escalated, specialDispatches: special, pitches: pitchBreakdown(pitches, leadsFromPitches),
    signed: events.signings.map((e) => ({
      projectId: e.projectId, name: e.project.name, responsibleUnit: unitNameOf(e.project.responsibleUnitId),
      signedDate: e.signedDate, contractNo: e.contractNo, signedAmountWan: e.signedAmountWan, ...chain(e.project),
    })),
    inProduction: events.productions.map((e) => ({ projectId: e.projectId, name: e.project.name, landingSite: unitNameOf(e.project.landingSiteId), at: e.at.toISOString(), ...chain(e.project) })),
    leads: events.leads, fourReady: events.fourReady,
  });
}

/** 八 专题调度: the special dispatches opened or decided within the period, with their decisions. */
export async function specialDispatchesIn(db: Db, within: { gte: Date; lt: Date }): Promise<SpecialDispatchRow[]> {
  const type = 'meeting.specialDispatch' satisfies TaskTypeName;
  const rows = await db.task.findMany({
    where: { type, OR: [{ createdAt: within }, { completedAt: within }] },
    select: { id: true, projectId: true, context: true, createdAt: true, outcome: true, data: true, completedAt: true, status: true, project: { select: { name: true } } },
    orderBy: { createdAt: 'asc' },
  });
  const outcomes = taskType(type)!.outcomes;
  return rows.map((t) => {
    const c = (t.context ?? {}) as { trigger?: string; triggerName?: string; reason?: string };
    const d = (t.data ?? {}) as { unitId?: string; instruction?: string; conclusion?: string };
    const decided = t.status === 'COMPLETED' && t.outcome ? t.outcome : null;
    return {
      taskId: t.id, projectId: t.projectId ?? '', name: t.project?.name ?? '', trigger: c.trigger ?? '', triggerName: c.triggerName ?? '', reason: c.reason ?? '',
      openedAt: t.createdAt.toISOString(), decision: decided, decisionName: decided ? outcomes[decided]?.label ?? decided : null,
      note: decided ? d.instruction ?? d.conclusion ?? null : null, unitName: decided && d.unitId ? unitNameOf(d.unitId) : null,
      decidedAt: decided && t.completedAt ? t.completedAt.toISOString() : null,
    };
  });
}

/**
 * 八: the projects the 月研判 put before the 县长 that wait for the running quarter's dispatch list — what
 * the county calendar keeps in its state until it publishes the 通报 — read from the meetings held
 * (meeting.monthlyReview completed with `escalate` decisions) since the last 通报 was published.
 */
export async function pendingEscalations(db: Db, quarter: string): Promise<EscalatedProject[]> {
  const [year, q] = [Number(quarter.slice(0, 4)), Number(quarter.slice(6, 7))];
  const before = q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
  const published = await db.report.findUnique({ where: { id: `QUARTERLY:${before}` }, select: { createdAt: true } });
  const since = published?.createdAt ?? quarterPeriod(year, q).start;
  const meetings = await db.task.findMany({
    where: { type: 'meeting.monthlyReview' satisfies TaskTypeName, status: 'COMPLETED', completedAt: { gt: since } },
    select: { context: true, data: true }, orderBy: { completedAt: 'asc' },
  });
  const escalated = new Map<string, EscalatedProject>();
  for (const m of meetings) {
    const month = (m.context as unknown as MeetingContext | null)?.period ?? '';
    for (const d of ((m.data as { decisions?: Decision[] } | null)?.decisions ?? [])) {
      if (d.decision === 'escalate') escalated.set(d.projectId, { projectId: d.projectId, month, instruction: d.instruction ?? '' });
    }
  }
  return [...escalated.values()];
}


/**
 * 七 招商顾问 and 商协会: what each partner brought in the year — the leads registered naming it, the
 * signings of projects it brought (in the year, whenever the lead came) and their amounts. Partners
 * with nothing in the year are left out.
 */
async function partnerCredits(db: Db, within: { gte: Date; lt: Date }, signings: { project: { partnerId: string | null; plannedInvestmentWan: number }; signedAmountWan: number }[]): Promise<PartnerCredit[]> {
  const [partners, leads] = await Promise.all([
    db.partner.findMany({ select: { id: true, kind: true, name: true }, orderBy: { name: 'asc' } }),
    db.project.groupBy({ by: ['partnerId'], where: { createdAt: within, partnerId: { not: null } }, _count: true, _sum: { plannedInvestmentWan: true } }),
  ]);
  const leadsOf = new Map(leads.map((l) => [l.partnerId, l]));
  return partners.flatMap((p): PartnerCredit[] => {
    const l = leadsOf.get(p.id);
    const signed = signings.filter((e) => e.project.partnerId === p.id);
    if (!l && !signed.length) return [];
    return [{
      partnerId: p.id, name: p.name, kind: p.kind, kindName: (PARTNER_KINDS as Record<string, string>)[p.kind] ?? p.kind,
      leads: l?._count ?? 0, plannedInvestmentWan: l?._sum.plannedInvestmentWan ?? 0,
      signed: signed.length, signedInvestmentWan: signed.reduce((sum, e) => sum + e.signedAmountWan, 0),
    }];
  }).sort((a, b) => b.signedInvestmentWan - a.signedInvestmentWan || b.leads - a.leads || a.name.localeCompare(b.name));
}

/**
 * 十 奖励: each person whose leads (projects they registered) were signed in the year — the signings,
 * the year's leads, and their overdue tasks: completed in the year after the due time, or held
 * (claimed) past it now. Active people only.
 */
async function peopleOfTheYear(
  db: Db, within: { gte: Date; lt: Date }, signings: { project: { createdBy: string }; signedAmountWan: number }[], leads: { username: string; leads: number }[],
): Promise<PersonYear[]> {
  const signed = new Map<string, { signed: number; signedInvestmentWan: number }>();
  for (const e of signings) {
    const x = signed.get(e.project.createdBy) ?? { signed: 0, signedInvestmentWan: 0 };
    x.signed += 1;
    x.signedInvestmentWan += e.signedAmountWan;
    signed.set(e.project.createdBy, x);
  }
  const usernames = [...signed.keys()];
  if (usernames.length === 0) return [];
  const [people, done, held] = await Promise.all([
    db.person.findMany({ where: { username: { in: usernames }, active: true }, select: { id: true, username: true, displayName: true, unitId: true } }),
    db.task.findMany({ where: { completedBy: { in: usernames }, completedAt: within }, select: { completedBy: true, completedAt: true, dueAt: true } }),
    db.task.groupBy({ by: ['claimedBy'], where: { claimedBy: { in: usernames }, status: 'CLAIMED', overdue: true }, _count: true }),
  ]);
  const overdue = new Map<string, number>();
  for (const t of done) if (t.completedBy && t.completedAt && t.completedAt > t.dueAt) overdue.set(t.completedBy, (overdue.get(t.completedBy) ?? 0) + 1);
  for (const h of held) if (h.claimedBy) overdue.set(h.claimedBy, (overdue.get(h.claimedBy) ?? 0) + h._count);
  const leadsOf = new Map(leads.map((l) => [l.username, l.leads]));
  return people.map((p) => ({
    personId: p.id, username: p.username, displayName: p.displayName, unitId: p.unitId, unitName: p.unitId ? unitNameOf(p.unitId) : null,
    leads: leadsOf.get(p.username) ?? 0, ...signed.get(p.username)!, overdueTasks: overdue.get(p.username) ?? 0,
  }));
}

/** 十一 年总结: the year's figures of every RESPONSIBLE and LANDING_SITE unit, scored and ranked, with the accountability ladder, as of `run.at`. Writes nothing. */
export async function computeAnnualAssessment(
  db: Db, run: { year: number; at: string; previous?: { year: number; standings: Standing[] } | null }, policy: Policy,
): Promise<AnnualAssessment> {
  const year = yearPeriod(run.year);
  const within = { gte: year.start, lt: year.end };
  const [leads, tasks, events, quotas, lastYear, indicators, active, leadsByPerson] = await Promise.all([
    db.project.groupBy({ by: ['sourceUnitId'], where: { createdAt: within }, _count: true }),
    db.task.groupBy({ by: ['candidateGroup'], where: { createdAt: within }, _count: true }),
    periodEvents(db, within),
    // 三: the quarters begun by then — all four in January of the year after; the standings so far (live, provisional) owe no trips of quarters to come
    Promise.all([1, 2, 3, 4].filter((q) => quarterPeriod(run.year, q).start.getTime() <= Date.parse(run.at)).map((q) => quarterQuota(db, `${run.year}-Q${q}`, policy))),
    db.unitRanking.findMany({ where: { year: run.year - 1 } }),
    db.indicator.findMany({ where: { year: { in: [run.year, run.year - 1, GROWTH_BASE_YEAR] } } }),
    db.project.findMany({ where: { stage: { notIn: [...TERMINAL_STAGES] } }, select: { industryChain: true } }),
    db.project.groupBy({ by: ['createdBy'], where: { createdAt: within }, _count: true }),
  ]);
  const units = UNITS.filter((u) => u.category === 'RESPONSIBLE' || u.category === 'LANDING_SITE');
  const figures = new Map(units.map((u): [string, UnitFigures] => [u.id, {
    leads: 0, signed: 0, signedInvestmentWan: 0, inProduction: 0, quotaShortfalls: 0, overdueTasks: 0, escalations: 0, tasks: 0, tripsRequired: 0,
  }]));
  const add = (unitId: string | null, f: (x: UnitFigures) => void) => {
    const x = unitId ? figures.get(unitId) : undefined;
    if (x) f(x);
  };
  // 十一: a task counts for the unit it was offered to; a task force's tasks count for the task force, not its lead unit
  const unitOfGroup = (key: string) => {
    const g = parseGroup(key);
    return g.kind === 'UNIT' ? g.unitId : null;
  };
  const taskForces = new Map(TASK_FORCES.map((code) => [code, { code, name: TASK_FORCE_DEFS[code].name, overdueTasks: 0, escalations: 0 }]));
  const unitsOf = (p: { responsibleUnitId: string | null; landingSiteId: string | null }) => new Set([p.responsibleUnitId, p.landingSiteId]);
  for (const l of leads) add(l.sourceUnitId, (x) => (x.leads += l._count));
  for (const t of tasks) add(unitOfGroup(t.candidateGroup), (x) => (x.tasks += t._count));
  for (const e of events.signings) for (const u of unitsOf(e.project)) add(u, (x) => { x.signed += 1; x.signedInvestmentWan += e.signedAmountWan; });
  for (const e of events.productions) for (const u of unitsOf(e.project)) add(u, (x) => (x.inProduction += 1));
  for (const l of events.ladder) {
    if (l.level < 1) continue;
    const count = (x: { overdueTasks: number; escalations: number }) => (l.level === 1 ? (x.overdueTasks += 1) : (x.escalations += 1));
    const g = parseGroup(l.candidateGroup);
    if (g.kind === 'TASK_FORCE') count(taskForces.get(g.code)!);
    else add(unitOfGroup(l.candidateGroup), count);
  }
  for (const row of quotas.flat()) add(row.unitId, (x) => { x.quotaShortfalls += row.shortfall; x.tripsRequired += row.required; });
  // a calendar started before the policy had tie-breaks ranks with the default ones
  const ranking = { ...policy, rankingTieBreaks: policy.rankingTieBreaks ?? DEFAULT_POLICY.rankingTieBreaks };
  const rankings = rankUnits(units.map((u) => ({ unitId: u.id, unitName: u.name, category: u.category, figures: figures.get(u.id)! })), ranking);
  const ranked = new Set(rankings.map((r) => r.unitId));
  const unranked = units.filter((u) => !ranked.has(u.id)).map((u) => ({ unitId: u.id, unitName: u.name, category: u.category }));
  // last year's standings: as the calendar carried them, else as stored (a calendar started anew)
  const previous: Standing[] | null = run.previous?.year === run.year - 1
    ? run.previous.standings
    : lastYear.length ? lastYear.map((r) => ({ unitId: r.unitId, category: r.category as UnitCategory, rank: r.rank, score: r.score, ...(r.detail as unknown as { of: number; fromBottom?: number }) })) : null;
  const byYear = new Map(indicators.map((i) => [i.year, i]));
  // 二: what the year's signed projects bring, beside the figures ADMIN enters
  const signed = signedByOrigin(events.signings.map((e) => ({ investorOrigin: e.project.investorOrigin, signedAmountWan: e.signedAmountWan, foreignInvestmentUsd: e.project.foreignInvestmentUsd })));
  const leadTimes = fourReadyLeadTimes(events.fourReady, datesOf(String(run.year)));
  // 十 奖励: the people whose leads were signed in the year, with their overdue tasks
  const people = await peopleOfTheYear(db, within, events.signings, leadsByPerson.map((l) => ({ username: l.createdBy, leads: l._count })));
  const held = accountability(rankings, previous);
  const partners = await partnerCredits(db, within, events.signings);
  return {
    year: run.year, generatedAt: run.at, rankings, unranked, taskForces: [...taskForces.values()],
    recognition: recognitionOf(rankings, people, policy, new Set(held.map((a) => a.unitId))),
    partners,
    accountability: held.map((a) => ({ ...a, actions: a.steps.map((st) => ACCOUNTABILITY_NAMES[st]) })),
    growth: growthAgainstTargets(byYear.get(run.year) ?? {}, byYear.get(run.year - 1) ?? null, policy, { year: run.year, base: byYear.get(GROWTH_BASE_YEAR) ?? null, signed }),
    signedByOrigin: signed,
    // 六: the year's figures by 产业链
    chains: chainBreakdown({
      leads: events.leads, active,
      signed: events.signings.map((e) => ({ industryChain: e.project.industryChain, signedAmountWan: e.signedAmountWan })),
      inProduction: events.productions.map((e) => ({ industryChain: e.project.industryChain })),
    }),
    // 十四: the 四即 lead times of the year
    leadTimes: leadTimes.rows, leadTimeSummary: leadTimes.summary,
  };
}

