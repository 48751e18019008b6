// 八 月研判: the monthly agenda — every active project, flagged when stalled (same stage over
// policy.stalledDays.monthly days) or escalated to level ≥ 2 (§4).
import { chainNameOf } from './bulletin';
import { LEVEL_NAMES } from './ladder';
import { STAGE_NAMES, type Stage } from './pipeline';
import { DAY_MS, type Policy } from './policy';
import { unitById } from './units';

export interface AgendaProject {
  id: string; name: string; stage: string; stageSince: Date; escalationLevel: number;
  responsibleUnitId: string | null; landingSiteId: string | null; plannedInvestmentWan: number; industryChain?: string;
}

export type AgendaFlag = 'STALLED' | 'ESCALATED';
export const FLAG_NAMES: Record<AgendaFlag, string> = { STALLED: '停滞', ESCALATED: '督办' };

export interface AgendaItem {
  projectId: string; name: string; stage: string; stageName: string; daysInStage: number; escalationLevel: number;
  escalationName: string; responsibleUnit: string | null; landingSite: string | null; plannedInvestmentWan: number; flags: AgendaFlag[];
  /** 六 (absent from agendas stored before it was added) */
  industryChain?: string; chainName?: string;
}

export interface MonthlyAgenda {
  month: string; generatedAt: string; items: AgendaItem[]; flagged: number;
  /** the month is still running and nothing is stored: computed live on request (never stored so) */
  provisional?: boolean;
}

export function monthlyAgenda(month: string, projects: AgendaProject[], now: Date, policy: Policy): MonthlyAgenda {
  const items = projects.map((p): AgendaItem => {
    const daysInStage = Math.floor((now.getTime() - p.stageSince.getTime()) / DAY_MS);
    const flags: AgendaFlag[] = [];
    if (daysInStage > policy.stalledDays.monthly) flags.push('STALLED');
    if (p.escalationLevel >= 2) flags.push('ESCALATED'); // §4: level 2 puts the project on the next 月研判
    return {
      projectId: p.id, name: p.name, stage: p.stage, stageName: STAGE_NAMES[p.stage as Stage] ?? p.stage, daysInStage,
      escalationLevel: p.escalationLevel, escalationName: LEVEL_NAMES[p.escalationLevel] ?? '',
      responsibleUnit: p.responsibleUnitId ? unitById(p.responsibleUnitId)?.name ?? null : null,
      landingSite: p.landingSiteId ? unitById(p.landingSiteId)?.name ?? null : null,
      plannedInvestmentWan: p.plannedInvestmentWan, flags,
      ...(p.industryChain ? { industryChain: p.industryChain, chainName: chainNameOf(p.industryChain) } : {}),
    };
  });
  // flagged first, then the longest in their stage
  items.sort((a, b) => b.flags.length - a.flags.length || b.daysInStage - a.daysInStage || a.projectId.localeCompare(b.projectId));
  return { month, generatedAt: now.toISOString(), items, flagged: items.filter((i) => i.flags.length > 0).length };
}
