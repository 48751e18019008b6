// §3 "Also at any non-terminal stage": factor issues (十四, 帮代办), amendments of project fields, and
// termination — who may do them, and what they carry.
import { z } from 'zod';
import { DomainError } from './errors';
import { group, type Actor } from './organisation';
import { FACTOR_ISSUE_FROM, isTerminal, stageIndex, type Stage } from './pipeline';
import { ProjectRegistration, type ProjectFields } from './project';
import { text, TEXT_LENGTH } from './text';

/** Fields an amendment may change. The landing site and responsible unit are set at 线索核实 and move open tasks, so they are not amended here. */
export const AMENDABLE_FIELDS = [
  'name', 'investor', 'investorOrigin', 'industryChain', 'channel', 'plannedInvestmentWan', 'foreignInvestmentUsd',
  'landMu', 'expectedJobs', 'expectedAnnualTaxWan', 'isMajor', 'isCaseByCase',
] as const;
export type AmendableField = (typeof AMENDABLE_FIELDS)[number];

export const AmendmentFields = ProjectRegistration.pick(Object.fromEntries(AMENDABLE_FIELDS.map((f) => [f, true])) as { [K in AmendableField]: true })
  // no defaults here: a field left out of an amendment stays as it is
  .extend({ isMajor: z.boolean().describe('特别重大产业项目'), isCaseByCase: z.boolean().describe('一事一议') })
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, { message: 'name at least one field to change' });

export const Amendment = z.strictObject({
  fields: AmendmentFields,
  reason: text(TEXT_LENGTH.note, 2),
});
export type Amendment = z.infer<typeof Amendment>;

export const Termination = z.strictObject({ reason: text(TEXT_LENGTH.note, 2) });

const activeOnly = (stage: Stage, what: string) => {
  if (isTerminal(stage)) throw new DomainError('CONFLICT', `the project is ${stage}: no ${what} any more`);
};

/** 十四: the responsible or landing-site unit, from the contract stage on. */
export function checkFactorIssue(actor: Actor, p: ProjectFields, stage: Stage): void {
  activeOnly(stage, 'factor issue');
  const allowed = [p.responsibleUnitId, p.landingSiteId].filter((u): u is string => !!u).map(group.unit);
  if (!allowed.some((g) => actor.groups.includes(g))) {
    throw new DomainError('FORBIDDEN', `only the responsible unit or the landing site may raise a factor issue`);
  }
  if (stageIndex(stage) < stageIndex(FACTOR_ISSUE_FROM)) {
    throw new DomainError('CONFLICT', `factor issues are raised from stage ${FACTOR_ISSUE_FROM} on; the project is at ${stage}`);
  }
}

/** The responsible unit or ADMIN may amend; every change is audited with old and new values. */
export function checkAmendment(actor: Actor, p: ProjectFields, stage: Stage): void {
  activeOnly(stage, 'amendment');
  const responsible = p.responsibleUnitId ? group.unit(p.responsibleUnitId) : null;
  if (!actor.admin && !(responsible && actor.groups.includes(responsible))) {
    throw new DomainError('FORBIDDEN', 'only the responsible unit or ADMIN may amend a project');
  }
}

/** §3: ADMIN, or the 县长's decision in a 季调度 meeting (八, §5) — not the 县长 outside the meeting. */
export function checkTermination(actor: Actor, stage: Stage, byMeeting: boolean): void {
  activeOnly(stage, 'termination');
  if (actor.admin) return;
  if (byMeeting && actor.groups.includes(group.role('COUNTY_HEAD'))) return;
  throw new DomainError('FORBIDDEN', 'only ADMIN, or the 县长 by a decision of the quarterly dispatch (季调度), may terminate a project');
}

/** The changes an amendment makes: only fields whose value differs. */
export function amendmentChanges(p: ProjectFields, fields: Partial<ProjectFields>): Record<string, { old: unknown; new: unknown }> {
  const changes: Record<string, { old: unknown; new: unknown }> = {};
  for (const [k, v] of Object.entries(fields)) {
    const old = (p as unknown as Record<string, unknown>)[k];
    if (v !== undefined && v !== old) changes[k] = { old: old ?? null, new: v };
  }
  return changes;
}
