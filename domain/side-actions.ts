// §3 "Also at any non-terminal stage": factor issues (十四, 帮代办), amendments of project fields, and
// termination — who may do them, and what they carry.
import { z } from 'zod';
import { DomainError } from './errors';
import { lazySchema } from './lazy-schema';
import { group, type Actor } from './organisation';
import { FACTOR_ISSUE_FROM, isTerminal, stageIndex, stageNamed, type Stage } from './pipeline';
import { ProjectRegistration, unitIdOf, type ProjectFields } from './project';
import { atLeastOne, text, TEXT_LENGTH } from './text';

/** Fields an amendment may change. The landing site and responsible unit are set at 线索核实 and move open tasks, so they are not amended here. */
export const AMENDABLE_FIELDS = [
  'name', 'investor', 'investorOrigin', 'industryChain', 'channel', 'plannedInvestmentWan', 'foreignInvestmentUsd',
  'landMu', 'expectedJobs', 'expectedAnnualTaxWan', 'isMajor', 'isCaseByCase',
] as const;
export type AmendableField = (typeof AMENDABLE_FIELDS)[number];

export const AmendmentFields = lazySchema(() => atLeastOne(ProjectRegistration.pick(Object.fromEntries(AMENDABLE_FIELDS.map((f) => [f, true])) as { [K in AmendableField]: true })
  // no defaults here: a field left out of an amendment stays as it is
  .extend({ isMajor: z.boolean().describe('特别重大产业项目'), isCaseByCase: z.boolean().describe('一事一议') })
  .partial()
  .strict(), '至少给出一个要变更的字段'));

export const Amendment = lazySchema(() => z.strictObject({
  fields: AmendmentFields,
  reason: text(TEXT_LENGTH.note, 2),
}));
export type Amendment = z.infer<typeof Amendment>;

export const Termination = lazySchema(() => z.strictObject({ reason: text(TEXT_LENGTH.note, 2) }));

/** §9 routing corrections: another responsible unit or landing site, with the reason (POST /projects/:id/reroute). */
export const Reroute = lazySchema(() => z.strictObject({
  responsibleUnitId: unitIdOf().optional().describe('责任单位'),
  landingSiteId: unitIdOf('LANDING_SITE').optional().describe('项目落户地'),
  reason: text(TEXT_LENGTH.note, 2).describe('why: e.g. 县农业农村局暂无招商人员，改由县经济开发区负责'),
}));

const activeOnly = (stage: Stage, what: string) => {
  if (isTerminal(stage)) throw new DomainError('CONFLICT', `项目已结束（${stageNamed(stage)}），不能再${what}`);
};

/** 九: the two flags of an amendment that the meetings decide, by their Chinese names. */
const FLAG_NAMES: Record<string, string> = { isMajor: '特别重大产业项目', isCaseByCase: '一事一议' };

/** 十四: the responsible or landing-site unit, from the contract stage on. */
export function checkFactorIssue(actor: Actor, p: ProjectFields, stage: Stage): void {
  activeOnly(stage, '提出要素保障问题');
  const allowed = [p.responsibleUnitId, p.landingSiteId].filter((u): u is string => !!u).map(group.unit);
  if (!allowed.some((g) => actor.groups.includes(g))) {
    throw new DomainError('FORBIDDEN', '只有项目的责任单位或落户地可以提出要素保障问题');
  }
  if (stageIndex(stage) < stageIndex(FACTOR_ISSUE_FROM)) {
    throw new DomainError('CONFLICT', `要素保障问题自${stageNamed(FACTOR_ISSUE_FROM)}阶段起方可提出；项目目前处于${stageNamed(stage)}阶段`);
  }
}

const isCountyHead = (actor: Actor) => actor.groups.includes(group.role('COUNTY_HEAD'));
const mayAmendFields = (actor: Actor, p: ProjectFields) =>
  actor.admin || (!!p.responsibleUnitId && actor.groups.includes(group.unit(p.responsibleUnitId)));

/** The responsible unit or ADMIN may amend (the 县长 only the flags, below); every change is audited with old and new values. */
export function checkAmendment(actor: Actor, p: ProjectFields, stage: Stage): void {
  activeOnly(stage, '变更项目信息');
  if (!mayAmendFields(actor, p) && !isCountyHead(actor)) {
    throw new DomainError('FORBIDDEN', '只有项目的责任单位或系统管理员（ADMIN）可以变更项目信息');
  }
}

/** 九: the flags that send a project to the 县长办公会/常务会 and add the 县长's contract signature. */
const MEETING_FLAGS = ['isMajor', 'isCaseByCase'] as const;

/**
 * 九: what an amendment may change, field by field. A unit may raise isMajor / isCaseByCase, never
 * lower them (that would skip the 县长办公会/常务会 and the 县长's signature); only the 县长 lowers one,
 * and only until the executive stage has decided; from the contract on the flags are as the meetings
 * decided them. The other fields are the responsible unit's or ADMIN's to change.
 */
export function checkAmendmentChanges(actor: Actor, p: ProjectFields, stage: Stage, changes: Record<string, { old: unknown; new: unknown }>): void {
  for (const field of Object.keys(changes)) {
    const flag = (MEETING_FLAGS as readonly string[]).includes(field);
    if (!flag) {
      if (!mayAmendFields(actor, p)) throw new DomainError('FORBIDDEN', `只有项目的责任单位或系统管理员（ADMIN）可以变更 ${field}`);
      continue;
    }
    if (stageIndex(stage) >= stageIndex('CONTRACT')) {
      throw new DomainError('CONFLICT', `「${FLAG_NAMES[field]}」（${field}）已由会议审定（九）：自合同审签阶段起不再变更`);
    }
    const lowering = changes[field].old === true && changes[field].new === false;
    if (lowering && !isCountyHead(actor)) throw new DomainError('FORBIDDEN', `只有县长可以取消「${FLAG_NAMES[field]}」（${field}）（九：它决定项目是否提交县长办公会/常务会审议）`);
    if (!lowering && !mayAmendFields(actor, p) && !isCountyHead(actor)) throw new DomainError('FORBIDDEN', `只有项目的责任单位或系统管理员（ADMIN）可以变更 ${field}`);
  }
}

/** §3: ADMIN, or the 县长's decision in a 季调度 meeting (八, §5) — not the 县长 outside the meeting. */
export function checkTermination(actor: Actor, stage: Stage, byMeeting: boolean): void {
  activeOnly(stage, '终止');
  if (actor.admin) return;
  if (byMeeting && actor.groups.includes(group.role('COUNTY_HEAD'))) return;
  throw new DomainError('FORBIDDEN', '只有系统管理员（ADMIN），或县长经季调度会议决定，可以终止项目');
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
