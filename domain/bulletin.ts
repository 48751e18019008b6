// 八 季调度（通报）: the quarter's bulletin — projects signed and in production, overdue tasks and
// escalations per unit and per task force, the trip-quota table (三), and the dispatch list for the 县长 (level-4
// escalations, projects the 月研判 escalated, projects stalled over policy.stalledDays.quarterly days).
import { COUNTY_ROLE_NAMES, parseGroup, TASK_FORCE_DEFS } from './organisation';
import { STAGE_NAMES, type Stage } from './pipeline';
import { DAY_MS, type Policy } from './policy';
import type { QuotaRow } from './trips';
import { unitById } from './units';

export interface SignedProject { projectId: string; name: string; responsibleUnit: string | null; signedDate: string; contractNo: string; signedAmountWan: number }
export interface ProducingProject { projectId: string; name: string; landingSite: string | null; at: string }
export interface LadderStepRow { taskId: string; candidateGroup: string; level: number }
export interface UnitRow { unit: string; overdueTasks: number; escalations: number; level4: number }
export interface DispatchProject { projectId: string; name: string; stage: string; stageName: string; daysInStage: number; escalationLevel: number; reasons: string[] }
export interface ActiveProject { id: string; name: string; stage: string; stageSince: Date; escalationLevel: number }

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
}

/** The name a bulletin gives the party answerable for a task: its unit, the task force (九: its tasks count for no unit), or the county role. */
function answerable(candidateGroup: string): string {
  const g = parseGroup(candidateGroup);
  if (g.kind === 'UNIT') return unitById(g.unitId)?.name ?? g.unitId;
  if (g.kind === 'TASK_FORCE') return TASK_FORCE_DEFS[g.code].name;
  return COUNTY_ROLE_NAMES[g.role];
}

/** A project the 月研判 put before the 县长 (decision `escalate`), for the next dispatch list. */
export interface EscalatedProject { projectId: string; month: string; instruction: string }

export function quarterlyBulletin(input: {
  quarter: string; at: Date; policy: Policy; signed: SignedProject[]; inProduction: ProducingProject[];
  ladder: LadderStepRow[]; quota: QuotaRow[]; active: ActiveProject[]; escalated?: EscalatedProject[];
}): QuarterlyBulletin {
  const escalated = new Map((input.escalated ?? []).map((e) => [e.projectId, e]));
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
      ...(daysInStage > input.policy.stalledDays.quarterly ? [`停滞${daysInStage}天`] : []),
    ];
    return reasons.length ? [{ projectId: p.id, name: p.name, stage: p.stage, stageName: STAGE_NAMES[p.stage as Stage] ?? p.stage, daysInStage, escalationLevel: p.escalationLevel, reasons }] : [];
  });
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
  };
}
