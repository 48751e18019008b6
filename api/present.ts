// Presenting database rows and workflow views as the JSON of §7, in the shapes ./schemas.ts declares
// (toTask → TaskSchema, toProject → ProjectSchema, toTimeline → TimelineEntrySchema).
import type { TaskView } from '../domain/events';
import { taskType } from '../domain/pipeline';
import type { TaskJson } from './schemas';

type TaskRow = {
  id: string; projectId: string | null; type: string; title: string; stage: string | null; candidateGroup: string; status: string;
  claimedBy: string | null; dueAt: Date | string; escalationLevel: number; context: unknown;
};

const iso = (d: Date | string) => (typeof d === 'string' ? d : d.toISOString());

export function toTask(t: TaskRow | TaskView): TaskJson {
  return {
    id: t.id, projectId: t.projectId, projectNo: t.projectId, type: t.type, title: t.title, stage: t.stage,
    context: (t.context ?? null) as Record<string, unknown> | null,
    candidateGroup: t.candidateGroup, status: t.status as TaskJson['status'], claimedBy: t.claimedBy,
    dueAt: iso(t.dueAt), escalationLevel: t.escalationLevel,
    outcomes: Object.keys(taskType(t.type)?.outcomes ?? {}),
  };
}

type ProjectRow = {
  id: string; workflowId: string; name: string; stage: string; stageSince: Date; escalationLevel: number; investor: string;
  investorOrigin: string; industryChain: string; channel: string; plannedInvestmentWan: number; foreignInvestmentUsd: number | null;
  landMu: number | null; expectedJobs: number | null; expectedAnnualTaxWan: number | null; sourceUnitId: string;
  landingSiteId: string | null; responsibleUnitId: string | null; isMajor: boolean; isCaseByCase: boolean; createdAt: Date;
};

export function toProject(p: ProjectRow) {
  return {
    id: p.id, projectNo: p.id, workflowId: p.workflowId, name: p.name, stage: p.stage as never, stageSince: p.stageSince.toISOString(),
    escalationLevel: p.escalationLevel, investor: p.investor, investorOrigin: p.investorOrigin, industryChain: p.industryChain,
    channel: p.channel, plannedInvestmentWan: p.plannedInvestmentWan, foreignInvestmentUsd: p.foreignInvestmentUsd, landMu: p.landMu,
    expectedJobs: p.expectedJobs, expectedAnnualTaxWan: p.expectedAnnualTaxWan, sourceUnitId: p.sourceUnitId,
    landingSiteId: p.landingSiteId, responsibleUnitId: p.responsibleUnitId, isMajor: p.isMajor, isCaseByCase: p.isCaseByCase,
    createdAt: p.createdAt.toISOString(),
  };
}

type TimelineRow = { at: Date; kind: string; actor: string | null; taskType: string | null; outcome: string | null; comment: string | null; data: unknown };
export function toTimeline(e: TimelineRow) {
  return { at: e.at.toISOString(), kind: e.kind, actor: e.actor, taskType: e.taskType, outcome: e.outcome, comment: e.comment, data: e.data ?? null };
}
