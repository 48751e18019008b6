// 八 季调度（通报）: the quarter's bulletin — projects signed and in production, overdue tasks and
// escalations per unit and per task force, the trip-quota table (三), and the dispatch list for the 县长 (level-4
// escalations, projects the 月研判 escalated, projects stalled over policy.stalledDays.quarterly days);
// its figures broken down by 产业链 (六) and the 四即 lead times of the projects that moved (十四).
import { COUNTY_ROLE_NAMES, parseGroup, TASK_FORCE_DEFS } from './organisation';
import { STAGE_NAMES, type Stage, type TaskTypeName } from './pipeline';
import { DAY_MS, type Policy } from './policy';
import { INDUSTRY_CHAINS } from './project';
import { parsePeriod, shanghaiDate } from './shanghai-time';
import type { QuotaRow } from './trips';
import { unitById } from './units';

// industryChain and chainName: 六 (absent from 通报 stored before they were added)
export interface SignedProject {
  projectId: string; name: string; responsibleUnit: string | null; signedDate: string; contractNo: string; signedAmountWan: number;
  industryChain?: string; chainName?: string;
}
export interface ProducingProject { projectId: string; name: string; landingSite: string | null; at: string; industryChain?: string; chainName?: string }
export interface LadderStepRow { taskId: string; candidateGroup: string; level: number }
export interface UnitRow { unit: string; overdueTasks: number; escalations: number; level4: number }
export interface DispatchProject { projectId: string; name: string; stage: string; stageName: string; daysInStage: number; escalationLevel: number; reasons: string[] }
export interface ActiveProject { id: string; name: string; stage: string; stageSince: Date; escalationLevel: number; industryChain?: string }

// ── 六 产业链: the period's figures by industry chain ─────────────────────────────────────────────

/** The Chinese name of an industry chain code (六); an unknown code is shown as it is. */
export const chainNameOf = (code: string): string => (INDUSTRY_CHAINS as Record<string, string>)[code] ?? code;

/** One industry chain's figures: leads registered and projects signed (with their amount) and in production in the period; projects active at the report's time. */
export interface ChainRow { chain: string; chainName: string; leads: number; signed: number; signedAmountWan: number; inProduction: number; active: number }

/** 六: the figures by 产业链, every chain of the policy in its order (四大产业, then 稻虾, 现代农业, 文旅, 养老, 其他), zeros included. */
export function chainBreakdown(input: {
  leads: { industryChain: string }[]; signed: { industryChain?: string; signedAmountWan: number }[];
  inProduction: { industryChain?: string }[]; active: { industryChain?: string }[];
}): ChainRow[] {
  const rows = new Map<string, ChainRow>(Object.keys(INDUSTRY_CHAINS).map((chain) => [chain, { chain, chainName: chainNameOf(chain), leads: 0, signed: 0, signedAmountWan: 0, inProduction: 0, active: 0 }]));
  const row = (chain: string | undefined) => {
    const code = chain ?? 'OTHER';
    if (!rows.has(code)) rows.set(code, { chain: code, chainName: chainNameOf(code), leads: 0, signed: 0, signedAmountWan: 0, inProduction: 0, active: 0 });
    return rows.get(code)!;
  };
  for (const p of input.leads) row(p.industryChain).leads++;
  for (const p of input.signed) {
    const r = row(p.industryChain);
    r.signed++;
    r.signedAmountWan = Math.round((r.signedAmountWan + p.signedAmountWan) * 100) / 100;
  }
  for (const p of input.inProduction) row(p.industryChain).inProduction++;
  for (const p of input.active) row(p.industryChain).active++;
  return [...rows.values()];
}

// ── 十四 四即: 签约即供地、交地即交证、拿证即开工、竣工即投产 ──────────────────────────────────────────

/** The four milestones after signing, in order, with the task that records each date (§3 stages 12–15). */
export const FOUR_READY = [
  { key: 'landSupply', taskType: 'milestone.landSupply', name: '签约即供地', short: '供地' },
  { key: 'landCertificate', taskType: 'milestone.landCertificate', name: '交地即交证', short: '交证' },
  { key: 'constructionStart', taskType: 'milestone.constructionStart', name: '拿证即开工', short: '开工' },
  { key: 'productionStart', taskType: 'milestone.productionStart', name: '竣工即投产', short: '投产' },
] as const satisfies readonly { key: string; taskType: TaskTypeName; name: string; short: string }[];
export type MilestoneKey = (typeof FOUR_READY)[number]['key'];

/** A signed project's dates as recorded: the signing (signing.ceremony) and each milestone reached (milestone.* done). */
export interface FourReadyProject {
  projectId: string; name: string; industryChain: string; landingSite: string | null;
  signedDate: string; milestones: Partial<Record<MilestoneKey, string>>;
}

/** 十四: a project's 四即 — each milestone's date and the days from signing to it (null: not reached yet). */
export interface LeadTimeRow {
  projectId: string; name: string; industryChain: string; chainName: string; landingSite: string | null; signedDate: string;
  dates: Record<MilestoneKey, string | null>;
  /** calendar days from the signing to the milestone */
  days: Record<MilestoneKey, number | null>;
}
/** 十四: of the milestones reached within the period, how many and how long after signing (days, average to one decimal, and the longest). */
export interface LeadTimeSummary { key: MilestoneKey; name: string; projects: number; averageDays: number | null; maxDays: number | null }

/** A period's dates [from, to) as ISO dates in Asia/Shanghai. */
export function datesOf(periodKey: string): { from: string; to: string } {
  const p = parsePeriod(periodKey);
  if (!p) throw new Error(`not a period: ${periodKey}`);
  return { from: shanghaiDate(p.start), to: shanghaiDate(p.end) };
}

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;

/**
 * 十四: the 四即 lead times of the projects signed, or reaching a milestone, within [from, to) (ISO
 * dates, Asia/Shanghai), signed earliest first; and for each milestone, those reached within the
 * period: how many, the average and the longest days from signing.
 */
export function fourReadyLeadTimes(projects: FourReadyProject[], within: { from: string; to: string }): { rows: LeadTimeRow[]; summary: LeadTimeSummary[] } {
  const inPeriod = (d: string | null | undefined): d is string => !!d && d >= within.from && d < within.to;
  const rows = projects
    .filter((p) => inPeriod(p.signedDate) || FOUR_READY.some((m) => inPeriod(p.milestones[m.key])))
    .map((p): LeadTimeRow => {
      const dates = Object.fromEntries(FOUR_READY.map((m) => [m.key, p.milestones[m.key] ?? null])) as Record<MilestoneKey, string | null>;
      const days = Object.fromEntries(FOUR_READY.map((m) => {
        const d = dates[m.key];
        return [m.key, d ? dayNumber(d) - dayNumber(p.signedDate) : null];
      })) as Record<MilestoneKey, number | null>;
      return { projectId: p.projectId, name: p.name, industryChain: p.industryChain, chainName: chainNameOf(p.industryChain), landingSite: p.landingSite, signedDate: p.signedDate, dates, days };
    })
    .sort((a, b) => a.signedDate.localeCompare(b.signedDate) || a.projectId.localeCompare(b.projectId));
  const summary = FOUR_READY.map((m): LeadTimeSummary => {
    const reached = rows.filter((r) => inPeriod(r.dates[m.key])).map((r) => r.days[m.key]!);
    return {
      key: m.key, name: m.name, projects: reached.length,
      averageDays: reached.length ? Math.round((reached.reduce((s, d) => s + d, 0) / reached.length) * 10) / 10 : null,
      maxDays: reached.length ? Math.max(...reached) : null,
    };
  });
  return { rows, summary };
}

export interface QuarterlyBulletin {
  quarter: string;
  generatedAt: string;
  signed: SignedProject[];
  signedAmountWan: number;
  inProduction: ProducingProject[];
  units: UnitRow[];
  quota: QuotaRow[];
  quotaShortfalls: number;
  dispatch: DispatchProject[];
  /** 六: the quarter's figures by 产业链 (absent from 通报 stored before it was added) */
  chains?: ChainRow[];
  /** 十四: the 四即 lead times of the projects signed or reaching a milestone in the quarter, and their summary */
  leadTimes?: LeadTimeRow[];
  leadTimeSummary?: LeadTimeSummary[];
  /** 八 专题调度: opened or decided in the quarter (absent from 通报 stored before it was added) */
  specialDispatches?: SpecialDispatchRow[];
  /** 五 策划包装库: the pitches by 产业链 and status (absent from 通报 stored before it was added) */
  pitches?: PitchRow[];
  /** the quarter is still running and nothing is stored: computed live on request (never stored so) */
  provisional?: boolean;
}

/** The name a bulletin gives the party answerable for a task: its unit, the task force (九: its tasks count for no unit), or the county role. */
function answerable(candidateGroup: string): string {
  const g = parseGroup(candidateGroup);
  if (g.kind === 'UNIT') return unitById(g.unitId)?.name ?? g.unitId;
  if (g.kind === 'TASK_FORCE') return TASK_FORCE_DEFS[g.code].name;
  return COUNTY_ROLE_NAMES[g.role];
}

/** 八 专题调度: one the quarter saw opened or decided, with its decision. */
export interface SpecialDispatchRow {
  taskId: string; projectId: string; name: string; trigger: string; triggerName: string; reason: string; openedAt: string;
  /** null while it is open */
  decision: string | null; decisionName: string | null;
  /** the instruction (coordinate, escalate) or the conclusion (close) */
  note: string | null; unitName: string | null; decidedAt: string | null;
}

/** 五 策划包装库: the county's prepared projects of one 产业链, by status, as the 通报 stands. */
export interface PitchRow { chain: string; chainName: string; DRAFT: number; PUBLISHED: number; IN_TALKS: number; LANDED: number; WITHDRAWN: number; total: number; leadsInPeriod: number }
const PITCH_STATUS_KEYS = ['DRAFT', 'PUBLISHED', 'IN_TALKS', 'LANDED', 'WITHDRAWN'] as const;

/** 五: the pitches counted by 产业链 and status, with the leads registered from them in the period; chains without any left out. */
export function pitchBreakdown(pitches: { industryChain: string; status: string }[], leadsFromPitches: { industryChain: string }[]): PitchRow[] {
  return (Object.keys(INDUSTRY_CHAINS) as (keyof typeof INDUSTRY_CHAINS)[]).flatMap((chain): PitchRow[] => {
    const mine = pitches.filter((p) => p.industryChain === chain);
    const leadsInPeriod = leadsFromPitches.filter((l) => l.industryChain === chain).length;
    if (!mine.length && !leadsInPeriod) return [];
    const row: PitchRow = { chain, chainName: INDUSTRY_CHAINS[chain], DRAFT: 0, PUBLISHED: 0, IN_TALKS: 0, LANDED: 0, WITHDRAWN: 0, total: mine.length, leadsInPeriod };
    for (const p of mine) if ((PITCH_STATUS_KEYS as readonly string[]).includes(p.status)) row[p.status as (typeof PITCH_STATUS_KEYS)[number]] += 1;
    return [row];
  });
}

/** A project the 月研判 put before the 县长 (decision `escalate`), for the next dispatch list. */
export interface EscalatedProject { projectId: string; month: string; instruction: string }

export function quarterlyBulletin(input: {
  quarter: string; at: Date; policy: Policy; signed: SignedProject[]; inProduction: ProducingProject[];
  ladder: LadderStepRow[]; quota: QuotaRow[]; active: ActiveProject[]; escalated?: EscalatedProject[];
  /** 六: the leads registered in the quarter (their chain) */
  leads?: { industryChain: string }[];
  /** 十四: the signed projects whose signing or milestones may fall in the quarter */
  fourReady?: FourReadyProject[];
  /** 八 专题调度: those opened or decided in the quarter */
  specialDispatches?: SpecialDispatchRow[];
  /** 五 策划包装库: by chain and status */
  pitches?: PitchRow[];
}): QuarterlyBulletin {
  const escalated = new Map((input.escalated ?? []).map((e) => [e.projectId, e]));
  // 八 专题调度: the 县委专职副书记 put these before the 县长 (decision escalate) in the quarter
  const bySpecial = new Map((input.specialDispatches ?? []).filter((d) => d.decision === 'escalate').map((d) => [d.projectId, d]));
  const units = new Map<string, { overdue: Set<string>; escalations: number; level4: number }>();
  for (const step of input.ladder) {
    if (step.level < 1) continue; // reminders are not 通报 material
    const name = answerable(step.candidateGroup);
    const row = units.get(name) ?? { overdue: new Set<string>(), escalations: 0, level4: 0 };
    if (step.level === 1) row.overdue.add(step.taskId);
    else row.escalations++;
    if (step.level === 4) row.level4++;
    units.set(name, row);
  }
  const dispatch = input.active.flatMap((p): DispatchProject[] => {
    const daysInStage = Math.floor((input.at.getTime() - p.stageSince.getTime()) / DAY_MS);
    const monthly = escalated.get(p.id);
    const reasons = [
      ...(p.escalationLevel >= 4 ? ['四级督办'] : []), // §4 level 4
      ...(monthly ? [`${Number(monthly.month.slice(5, 7))}月研判提请：${monthly.instruction}`] : []), // 八: escalated by the 月研判
      ...(bySpecial.has(p.id) ? [`专题调度提请：${bySpecial.get(p.id)!.note ?? ''}`] : []), // 八: escalated by the 专题调度
      ...(daysInStage > input.policy.stalledDays.quarterly ? [`停滞${daysInStage}天`] : []),
    ];
    return reasons.length ? [{ projectId: p.id, name: p.name, stage: p.stage, stageName: STAGE_NAMES[p.stage as Stage] ?? p.stage, daysInStage, escalationLevel: p.escalationLevel, reasons }] : [];
  });
  const leadTimes = fourReadyLeadTimes(input.fourReady ?? [], datesOf(input.quarter));
  return {
    quarter: input.quarter,
    generatedAt: input.at.toISOString(),
    signed: input.signed,
    signedAmountWan: input.signed.reduce((s, p) => s + p.signedAmountWan, 0),
    inProduction: input.inProduction,
    units: [...units.entries()]
      .map(([unit, r]) => ({ unit, overdueTasks: r.overdue.size, escalations: r.escalations, level4: r.level4 }))
      .sort((a, b) => b.level4 - a.level4 || b.escalations - a.escalations || b.overdueTasks - a.overdueTasks || a.unit.localeCompare(b.unit)),
    quota: input.quota,
    quotaShortfalls: input.quota.filter((q) => q.shortfall > 0).length,
    dispatch,
    chains: chainBreakdown({ leads: input.leads ?? [], signed: input.signed, inProduction: input.inProduction, active: input.active }),
    leadTimes: leadTimes.rows,
    leadTimeSummary: leadTimes.summary,
    specialDispatches: input.specialDispatches ?? [],
    pitches: input.pitches ?? [],
  };
}
