// §6: the custom search attributes administrators filter by in the Temporal Web UI.
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { ProjectFields } from '../domain/project';
import type { Stage } from '../domain/pipeline';
import { unitById } from '../domain/units';

export const SA = {
  ProjectStage: defineSearchAttributeKey('ProjectStage', SearchAttributeType.KEYWORD),
  LandingSite: defineSearchAttributeKey('LandingSite', SearchAttributeType.KEYWORD),
  ResponsibleUnit: defineSearchAttributeKey('ResponsibleUnit', SearchAttributeType.KEYWORD),
  IndustryChain: defineSearchAttributeKey('IndustryChain', SearchAttributeType.KEYWORD),
  IsMajor: defineSearchAttributeKey('IsMajor', SearchAttributeType.BOOL),
  IsCaseByCase: defineSearchAttributeKey('IsCaseByCase', SearchAttributeType.BOOL),
  EscalationLevel: defineSearchAttributeKey('EscalationLevel', SearchAttributeType.INT),
  PlannedInvestmentWan: defineSearchAttributeKey('PlannedInvestmentWan', SearchAttributeType.DOUBLE),
} as const;

/** For the CLI's --search-attribute NAME=TYPE and the operator service. */
export const SEARCH_ATTRIBUTE_CLI_TYPES: Record<keyof typeof SA, 'Keyword' | 'Bool' | 'Int' | 'Double'> = {
  ProjectStage: 'Keyword', LandingSite: 'Keyword', ResponsibleUnit: 'Keyword', IndustryChain: 'Keyword',
  IsMajor: 'Bool', IsCaseByCase: 'Bool', EscalationLevel: 'Int', PlannedInvestmentWan: 'Double',
};

/** The search attributes of a project at a moment; unit names stay Chinese so the UI reads as the county writes. */
export function projectSearchAttributes(p: ProjectFields, stage: Stage, escalationLevel: number): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: SA.ProjectStage, value: stage },
    { key: SA.IndustryChain, value: p.industryChain },
    { key: SA.IsMajor, value: p.isMajor },
    { key: SA.IsCaseByCase, value: p.isCaseByCase },
    { key: SA.EscalationLevel, value: escalationLevel },
    { key: SA.PlannedInvestmentWan, value: p.plannedInvestmentWan },
  ];
  const landing = p.landingSiteId ? unitById(p.landingSiteId)?.name : undefined;
  const responsible = p.responsibleUnitId ? unitById(p.responsibleUnitId)?.name : undefined;
  if (landing) pairs.push({ key: SA.LandingSite, value: landing });
  if (responsible) pairs.push({ key: SA.ResponsibleUnit, value: responsible });
  return pairs;
}

/** The Chinese one-line summary of a project as it stands: its figures and flags (the memo, updated by every amendment). */
export function projectSummary(p: ProjectFields): string {
  const flags = [p.isMajor ? '特别重大' : '', p.isCaseByCase ? '一事一议' : ''].filter(Boolean).join('·');
  const land = p.landMu ? `，用地${p.landMu}亩` : '';
  return `${p.projectNo} ${p.name}（${p.investor}，计划投资${p.plannedInvestmentWan}万元${land}${flags ? `，${flags}` : ''}）`;
}

/** The summary the Temporal UI shows from the start: the project as registered, and it says so (the memo follows amendments). */
export const registrationSummary = (p: ProjectFields): string => `登记时：${projectSummary(p)}`;
