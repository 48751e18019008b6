// §3 The pipeline (clauses 九, 十四): stages and the one definition of every task type — its
// candidate group, outcomes, outcome data schema and where each outcome leads. The workflow, the API's
// validation, the OpenAPI document and the tests all read this file; adding a gate is one edit here
// (plus its due days in policy.ts).
import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import { shanghaiDate } from './shanghai-time';
import { group, type GroupKey } from './organisation';
import { unitIdOf, type ProjectFields } from './project';
import { DECISION_NAMES, decisionsSchema, DISPATCH_DECISIONS, MONTHLY_DECISIONS } from './meetings';
import { FIGURE, isoDate, text, TEXT_LENGTH } from './text';
import { NAMED_UNITS, UNITS, type UnitCategory } from './units';

export const ACTIVE_STAGES = [
  'LEAD', 'CONTACT', 'PLAN', 'PRELIM_REVIEW', 'NEGOTIATION', 'MATERIALS', 'PRE_REVIEW', 'REVIEW_MEETING',
  'EXECUTIVE', 'CONTRACT', 'SIGNING', 'LAND_SUPPLY', 'LAND_CERTIFICATE', 'CONSTRUCTION', 'PRODUCTION',
] as const;
export const TERMINAL_STAGES = ['IN_PRODUCTION', 'DISCARDED', 'WITHDRAWN', 'REJECTED', 'FAILED', 'TERMINATED'] as const;
export const STAGES = [...ACTIVE_STAGES, ...TERMINAL_STAGES] as const;
export type ActiveStage = (typeof ACTIVE_STAGES)[number];
export type TerminalStage = (typeof TERMINAL_STAGES)[number];
export type Stage = (typeof STAGES)[number];

export const STAGE_NAMES: Record<Stage, string> = {
  LEAD: '线索核实', CONTACT: '前期对接', PLAN: '投资计划书', PRELIM_REVIEW: '研判专班初审', NEGOTIATION: '洽谈',
  MATERIALS: '评审材料', PRE_REVIEW: '预审', REVIEW_MEETING: '项目评审会', EXECUTIVE: '县长办公会/常务会',
  CONTRACT: '合同审签', SIGNING: '签约', LAND_SUPPLY: '签约即供地', LAND_CERTIFICATE: '交地即交证',
  CONSTRUCTION: '拿证即开工', PRODUCTION: '竣工即投产', IN_PRODUCTION: '已投产', DISCARDED: '已放弃',
  WITHDRAWN: '已撤回', REJECTED: '未通过', FAILED: '未成功', TERMINATED: '已终止',
};

export const isTerminal = (s: Stage): s is TerminalStage => (TERMINAL_STAGES as readonly string[]).includes(s);

/** A stage as a message names it: its Chinese name and its code, e.g. 洽谈（NEGOTIATION）, 已终止（TERMINATED）. */
export const stageNamed = (s: string) => `${STAGE_NAMES[s as Stage] ?? s}（${s}）`;

/** What a validator knows besides the completion itself. */
export interface OutcomeContext {
  /** the project the task belongs to; null for a task of the county calendar (meetings, accountability) */
  project: ProjectFields | null;
  /** the workflow's current time: dates in outcome data may not lie after this day (Asia/Shanghai) */
  now: Date;
  /** what the task is about (a meeting's agenda, a factor issue), else null */
  context?: Record<string, unknown> | null;
}

/** Whom a task is for, given where it lives. */
export interface TaskScope {
  project: ProjectFields | null;
  /** the signer index of contract.signoff, else 0 */
  step: number;
  context: Record<string, unknown> | null;
}

/** The project of a project task (a county task has none). */
export function requireProject(s: { project: ProjectFields | null }): ProjectFields {
  if (!s.project) throw new Error('a project task needs its project');
  return s.project;
}

/**
 * A unit a task is offered to, which the task's project or context must name: its absence is bad data
 * (a task for nobody), never a reason to offer the task to some other unit.
 */
function requireUnit(unitId: unknown, what: string): string {
  if (typeof unitId !== 'string' || unitId === '') throw new Error(`${what} is missing: the task would be offered to no unit`);
  return unitId;
}

/**
 * Where an outcome leads: another stage; the next step of a multi-step stage (contract sign-off);
 * or, for a side task beside the pipeline, another side task or nothing (`close`). `K` is the union
 * of task-type names (TaskTypeName below), so a transition cannot open a task type that does not exist.
 */
export type Transition<K extends string = TaskTypeName> =
  | { kind: 'stage'; to: Stage; patch?: Partial<ProjectFields>; deferral?: boolean; nextContext?: Record<string, unknown> }
  | { kind: 'step'; step: number }
  | { kind: 'open'; type: K; context?: Record<string, unknown> }
  | { kind: 'close' };

export interface OutcomeDef<K extends string = TaskTypeName> {
  label: string;
  /** §3: return, reject, discard, defer, failed and withdrawn require a comment */
  commentRequired: boolean;
  /** the `data` object this outcome takes; a strict object, so unknown fields are refused */
  data: (ctx: OutcomeContext) => z.ZodType<Record<string, unknown>>;
  next: (ctx: OutcomeContext & { data: Record<string, unknown>; step: number }) => Transition<K>;
  /** a valid `data` for this outcome on the day `today` (the API's documentation shows it; the harness completes tasks with it) */
  example?: (ctx: { isCaseByCase: boolean; today: string }) => Record<string, unknown>;
}

/** A task type as the table below declares it; its name is its key there. */
export interface TaskTypeSpec<K extends string = TaskTypeName> {
  title: string;
  clause: string;
  /** the pipeline stage this task gates; absent for side tasks, which run beside the pipeline */
  stage?: ActiveStage;
  /** who may claim and complete it */
  candidateGroup: (scope: TaskScope) => GroupKey;
  outcomes: Record<string, OutcomeDef<K>>;
  /** a pipeline task's outcome that moves the project on to the next step or stage (the happy path of §3) */
  forward?: string;
}

/** A task type with its name. */
export interface TaskTypeDef extends TaskTypeSpec {
  type: TaskTypeName;
}

/** The table of task types, keyed by name: the names are inferred from its keys, and every transition that opens a task must name one of them. */
const defineTaskTypes = <const K extends string>(table: { [P in K]: TaskTypeSpec<NoInfer<K>> }) => table;

/** Compile-time exhaustiveness: a switch over a union ends here when every member was handled. */
export function unreachable(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}

// ── outcome data schemas (§3 table "Outcome data") ──────────────────────────────────────────────

// Each field carries what a task's form shows (domain/forms.ts reads it from the schema, so the form
// and the validation are one definition): `title` its Chinese label, `description` a hint, and for a
// choice `choiceLabels` the Chinese name of each value. Metadata only: it changes no validation.

/**
 * What a form shows of a field of an outcome's data: its label, a hint, the names of its choices; for
 * a unit's id the category of units its picker offers (`ANY`: all 69); for a date of fact that it may
 * not lie after today (what `pastDate` refuses) and the earliest day it may take.
 */
export interface FieldMeta {
  title: string; description?: string; choiceLabels?: Readonly<Record<string, string>>;
  unitCategory?: UnitCategory | 'ANY'; notAfterToday?: boolean; notBefore?: string;
}
const field = <T extends z.ZodType>(schema: T, title: string, more: Omit<FieldMeta, 'title'> = {}): T => schema.meta({ title, ...more });

/** 九: the two meetings that deliberate a major or 一事一议 project (executive.deliberate / approve, `meetingKind`). */
export const MEETING_KINDS = { MAYOR_OFFICE: '县长办公会', STANDING_COMMITTEE: '县人民政府常务会' } as const;
export type MeetingKind = keyof typeof MEETING_KINDS;

/** The names of the units of the 附件 (of one category), as a choice's labels. */
const unitLabels = (category?: UnitCategory): Record<string, string> =>
  Object.fromEntries(UNITS.filter((u) => !category || u.category === category).map((u) => [u.id, u.name]));
const LANDING_SITE_LABELS = unitLabels('LANDING_SITE');
const UNIT_LABELS = unitLabels();

const none = () => z.strictObject({});
const pastDate = (ctx: OutcomeContext) =>
  isoDate().refine((d) => d <= shanghaiDate(ctx.now), '不得晚于今天');
const note = lazySchema(() => text(TEXT_LENGTH.note));
const code = lazySchema(() => text(TEXT_LENGTH.code));
const NOT_FUTURE = '格式 YYYY-MM-DD，不得晚于今天';
/** the form's metadata of a `pastDate` field */
const DATE_OF_FACT = { description: NOT_FUTURE, notAfterToday: true } as const;

const outcome = <const K extends string = never>(
  label: string, next: OutcomeDef<K>['next'], opts: { comment?: boolean; data?: OutcomeDef<never>['data']; example?: OutcomeDef<never>['example'] } = {},
): OutcomeDef<K> => ({
  label,
  commentRequired: opts.comment ?? false,
  data: opts.data ?? none,
  next,
  ...(opts.example ? { example: opts.example } : {}),
});
/** the day the API's documentation shows in its examples */
export const EXAMPLE_DATE = '2026-01-15';
const to = (stage: Stage): OutcomeDef<never>['next'] => () => ({ kind: 'stage', to: stage });
const close: OutcomeDef<never>['next'] = () => ({ kind: 'close' });
const needsExecutive = (p: ProjectFields) => p.isMajor || p.isCaseByCase;

/** 十: the contract sign-off chain, in order; COUNTY_HEAD only for major or 一事一议 projects. */
export function contractSigners(p: ProjectFields): GroupKey[] {
  const chain = [group.unit(NAMED_UNITS.commerce), group.unit(NAMED_UNITS.justice), group.role('VICE_HEAD')];
  if (needsExecutive(p)) chain.push(group.role('COUNTY_HEAD'));
  return chain;
}

// both are set at 线索核实 (lead.verify / accept), before any task is offered to them
const responsibleUnit = (s: TaskScope) => group.unit(requireUnit(requireProject(s).responsibleUnitId, `responsibleUnitId of ${requireProject(s).projectNo}`));
const landingSite = (s: TaskScope) => group.unit(requireUnit(requireProject(s).landingSiteId, `landingSiteId of ${requireProject(s).projectNo}`));
/**
 * 十四 四即: the milestones follow one another in time — signing ≤ land supply ≤ certificate ≤
 * construction ≤ production. Each milestone task carries the date of the one before (`notBefore` in
 * its context), and its date may not be earlier.
 */
const notBeforeOf = (ctx: OutcomeContext) => (typeof ctx.context?.notBefore === 'string' ? ctx.context.notBefore : null);
const milestoneDate = (ctx: OutcomeContext) => {
  const notBefore = notBeforeOf(ctx);
  return pastDate(ctx).refine((d) => notBefore === null || d >= notBefore, `不得早于 ${notBefore}（上一节点的日期）`);
};
const milestone = (title: string, stage: ActiveStage, candidateGroup: TaskTypeSpec<never>['candidateGroup'], next: Stage, dateLabel: string): TaskTypeSpec<never> => ({
  title, clause: '十四', stage, candidateGroup, forward: 'done',
  outcomes: {
    done: outcome('完成', ({ data }) => ({ kind: 'stage', to: next, nextContext: { notBefore: data.date } }), {
      data: (ctx) => {
        const notBefore = notBeforeOf(ctx);
        return z.strictObject({
          date: field(milestoneDate(ctx), dateLabel, notBefore
            ? { ...DATE_OF_FACT, description: `${NOT_FUTURE}，不得早于 ${notBefore}（上一节点的日期）`, notBefore }
            : { ...DATE_OF_FACT, description: `${NOT_FUTURE}，不得早于上一节点的日期` }),
        });
      },
      example: ({ today }) => ({ date: today }),
    }),
  },
});

const TASK_TABLE = defineTaskTypes({
  'lead.verify': {
    title: '线索核实', clause: '九', stage: 'LEAD', forward: 'accept',
    candidateGroup: () => group.taskForce('INFO'),
    outcomes: {
      accept: outcome('核实通过', ({ data }) => ({
        kind: 'stage', to: 'CONTACT',
        patch: { landingSiteId: data.landingSiteId as string, responsibleUnitId: data.responsibleUnitId as string },
      }), {
        data: () => z.strictObject({
          landingSiteId: field(unitIdOf('LANDING_SITE'), '项目落户地', { description: '县经济开发区、县省级农业科技园区或乡镇', choiceLabels: LANDING_SITE_LABELS, unitCategory: 'LANDING_SITE' }),
          responsibleUnitId: field(unitIdOf(), '责任招商单位', { choiceLabels: UNIT_LABELS, unitCategory: 'ANY' }),
        }),
        example: () => ({ landingSiteId: NAMED_UNITS.economicZone, responsibleUnitId: NAMED_UNITS.commerce }),
      }),
      discard: outcome('放弃', to('DISCARDED'), { comment: true }),
    },
  },
  'contact.inspect': {
    title: '前期对接、初步考察', clause: '九', stage: 'CONTACT', forward: 'done',
    candidateGroup: responsibleUnit,
    outcomes: { done: outcome('完成', to('PLAN')), withdrawn: outcome('投资方撤回', to('WITHDRAWN'), { comment: true }) },
  },
  'plan.submit': {
    title: '提交投资计划书', clause: '九', stage: 'PLAN', forward: 'submit',
    candidateGroup: responsibleUnit,
    outcomes: {
      submit: outcome('提交', ({ data }) => ({
        kind: 'stage', to: 'PRELIM_REVIEW',
        patch: {
          plannedInvestmentWan: data.plannedInvestmentWan as number, landMu: data.landMu as number,
          expectedJobs: data.expectedJobs as number, expectedAnnualTaxWan: data.expectedAnnualTaxWan as number,
          ...(data.foreignInvestmentUsd !== undefined ? { foreignInvestmentUsd: data.foreignInvestmentUsd as number } : {}),
        },
      }), {
        data: () => z.strictObject({
          plannedInvestmentWan: field(FIGURE.wan(), '计划投资（万元）'), landMu: field(FIGURE.mu(), '用地面积（亩）'),
          expectedJobs: field(FIGURE.jobs(), '预计就业人数'), expectedAnnualTaxWan: field(FIGURE.wan(), '预计年税收（万元）'),
          foreignInvestmentUsd: field(FIGURE.usd(), '利用外资（美元）').optional(), planSummary: field(text(TEXT_LENGTH.long, 0), '计划书摘要').optional(),
        }),
        example: () => ({ plannedInvestmentWan: 60000, landMu: 150, expectedJobs: 800, expectedAnnualTaxWan: 3000, planSummary: '年产十万吨小龙虾深加工' }),
      }),
    },
  },
  'prelim.review': {
    title: '研判专班初审', clause: '九', stage: 'PRELIM_REVIEW', forward: 'pass',
    candidateGroup: () => group.taskForce('ASSESS'),
    outcomes: {
      pass: outcome('无准入障碍，移交县商务局', to('NEGOTIATION')),
      return: outcome('退回修改计划书', to('PLAN'), { comment: true }),
      reject: outcome('不予准入', to('REJECTED'), { comment: true }),
    },
  },
  'negotiation.conduct': {
    title: '县商务局组织谈判', clause: '九', stage: 'NEGOTIATION', forward: 'agreed',
    candidateGroup: () => group.taskForce('NEGOTIATE'),
    outcomes: {
      agreed: outcome('达成一致', to('MATERIALS'), { data: () => z.strictObject({ terms: field(note, '主要合作条款') }), example: () => ({ terms: '土地出让、税收返还按县政策执行' }) }),
      failed: outcome('谈判失败', to('FAILED'), { comment: true }),
      withdrawn: outcome('投资方撤回', to('WITHDRAWN'), { comment: true }),
    },
  },
  'materials.prepare': {
    title: '落户地组织评审材料', clause: '九', stage: 'MATERIALS', forward: 'submit',
    candidateGroup: landingSite,
    outcomes: { submit: outcome('报送预审', to('PRE_REVIEW')) },
  },
  'prereview.check': {
    title: '预审', clause: '九', stage: 'PRE_REVIEW', forward: 'pass',
    candidateGroup: () => group.role('OPEN_ECONOMY_OFFICE'),
    outcomes: { pass: outcome('预审通过', to('REVIEW_MEETING')), return: outcome('退回补充材料', to('MATERIALS'), { comment: true }) },
  },
  'review.meeting': {
    title: '项目评审会', clause: '九', stage: 'REVIEW_MEETING', forward: 'approve',
    candidateGroup: () => group.role('VICE_HEAD'),
    outcomes: {
      approve: outcome('评审通过', (ctx) => ({ kind: 'stage', to: needsExecutive(requireProject(ctx)) ? 'EXECUTIVE' : 'CONTRACT' })),
      escalate: outcome('提请县长办公会/常务会', ({ data }) => ({
        kind: 'stage', to: 'EXECUTIVE',
        patch: { ...(data.isMajor ? { isMajor: true } : {}), ...(data.isCaseByCase ? { isCaseByCase: true } : {}) },
      }), {
        data: () => z.strictObject({
          isMajor: field(z.boolean(), '特别重大产业项目', { description: '与「一事一议」至少选一项' }).optional(),
          isCaseByCase: field(z.boolean(), '一事一议', { description: '与「特别重大产业项目」至少选一项' }).optional(),
        })
          .refine((d) => d.isMajor === true || d.isCaseByCase === true, { message: '「特别重大产业项目」（isMajor）与「一事一议」（isCaseByCase）至少选一项（设为 true）', path: ['isMajor'] }),
      }),
      defer: outcome('暂缓，补充材料', to('MATERIALS'), { comment: true }),
      reject: outcome('评审未通过', to('REJECTED'), { comment: true }),
    },
  },
  'executive.deliberate': {
    title: '县长办公会 / 县人民政府常务会', clause: '九', stage: 'EXECUTIVE', forward: 'approve',
    candidateGroup: () => group.role('GOV_OFFICE'),
    outcomes: {
      approve: outcome('审议通过', to('CONTRACT'), {
        data: (ctx) => z.strictObject({
          meetingKind: field(z.enum(Object.keys(MEETING_KINDS) as [MeetingKind, ...MeetingKind[]]), '会议类型', { choiceLabels: MEETING_KINDS }),
          meetingDate: field(pastDate(ctx), '会议日期', DATE_OF_FACT),
          decisionNo: field(code, '会议纪要/决定文号'),
          // 一事一议: special terms required
          specialTerms: requireProject(ctx).isCaseByCase ? field(note, '一事一议特殊条款') : field(note, '一事一议特殊条款', { description: '一事一议项目必填' }).optional(),
        }),
        example: ({ isCaseByCase, today }) => ({
          meetingKind: 'STANDING_COMMITTEE', meetingDate: today, decisionNo: '南政常〔2026〕3号',
          ...(isCaseByCase ? { specialTerms: '一事一议：前三年地方留成税收全额奖补' } : {}),
        }),
      }),
      defer: outcome('暂缓审议', () => ({ kind: 'stage', to: 'EXECUTIVE', deferral: true }), { comment: true }),
      reject: outcome('审议未通过', to('REJECTED'), { comment: true }),
    },
  },
  'contract.signoff': {
    title: '合同审签', clause: '九', stage: 'CONTRACT', forward: 'approve',
    candidateGroup: ({ project, step }) => {
      const signers = contractSigners(requireProject({ project }));
      if (!signers[step]) throw new Error(`contract.signoff of ${requireProject({ project }).projectNo} has no signer at step ${step} (the chain has ${signers.length})`);
      return signers[step];
    },
    outcomes: {
      approve: outcome('审签同意', ({ project, step }) =>
        step + 1 < contractSigners(requireProject({ project })).length ? { kind: 'step', step: step + 1 } : { kind: 'stage', to: 'SIGNING' }),
      return: outcome('退回县商务局修改', () => ({ kind: 'step', step: 0 }), { comment: true }),
    },
  },
  'signing.ceremony': {
    title: '签约仪式', clause: '九', stage: 'SIGNING', forward: 'signed',
    candidateGroup: () => group.unit(NAMED_UNITS.commerce),
    outcomes: {
      signed: outcome('已签约', ({ data }) => ({ kind: 'stage', to: 'LAND_SUPPLY', nextContext: { notBefore: data.signedDate } }), {
        data: (ctx) => z.strictObject({
          signedDate: field(pastDate(ctx), '签约日期', DATE_OF_FACT), contractNo: field(code, '合同编号'),
          signedAmountWan: field(FIGURE.wan(), '签约金额（万元）'),
        }),
        example: ({ today }) => ({ signedDate: today, contractNo: 'NXHT-2026-001', signedAmountWan: 60000 }),
      }),
      cancelled: outcome('取消签约', to('FAILED'), { comment: true }),
    },
  },
  'milestone.landSupply': milestone('签约即供地', 'LAND_SUPPLY', () => group.taskForce('FACTOR'), 'LAND_CERTIFICATE', '供地日期'),
  'milestone.landCertificate': milestone('交地即交证', 'LAND_CERTIFICATE', () => group.taskForce('FACTOR'), 'CONSTRUCTION', '交证日期'),
  'milestone.constructionStart': milestone('拿证即开工', 'CONSTRUCTION', landingSite, 'PRODUCTION', '开工日期'),
  'milestone.productionStart': milestone('竣工即投产', 'PRODUCTION', landingSite, 'IN_PRODUCTION', '投产日期'),

  // ── side tasks: beside the pipeline, which goes on meanwhile ────────────────────────────────────
  'factor.issue': {
    title: '要素保障问题（帮代办）', clause: '十四',
    candidateGroup: () => group.taskForce('FACTOR'),
    outcomes: {
      resolved: outcome('已解决', close),
      escalated: outcome('提请分管副县长协调', () => ({ kind: 'open', type: 'factor.escalation' }), { comment: true }),
    },
  },
  // 八 月研判: on the 1st at 09:00 every active project reports its progress, due the 5th (domain/cycles.ts)
  'monthly.progress': {
    title: '月度项目进展报告', clause: '八',
    // before 线索核实 names a responsible unit, the unit that brought the lead reports on it
    candidateGroup: (s) => group.unit(requireProject(s).responsibleUnitId ?? requireProject(s).sourceUnitId),
    outcomes: {
      reported: outcome('已报告', close, {
        data: () => z.strictObject({ progress: field(text(TEXT_LENGTH.long, 2), '本月进展'), issues: field(text(TEXT_LENGTH.long, 0), '存在问题').optional() }),
      }),
    },
  },
  'factor.escalation': {
    title: '要素保障问题协调', clause: '十四',
    candidateGroup: () => group.role('VICE_HEAD'),
    outcomes: { resolved: outcome('已协调解决', close, { comment: true }) },
  },
  // 八: a meeting's `coordinate` decision, a task for the named unit in that project's workflow
  'project.coordination': {
    title: '调度会议交办事项', clause: '八',
    candidateGroup: ({ context }) => group.unit(requireUnit(context?.unitId, 'the unitId of the meeting\'s instruction (context.unitId)')),
    outcomes: { done: outcome('已落实', close, { data: () => z.strictObject({ result: field(note, '落实情况') }) }) },
  },

  // 八 专题调度: the 县委专职副书记 (第一召集人) takes up a major problem of one project — opened by the
  // policy's condition or at the 县长's / a 分管副县长's request (domain/special-dispatch.ts); the agenda
  // (the problem, the project's stage and open tasks) is in the context. Decisions as the 月研判's.
  'meeting.specialDispatch': {
    title: '专题调度（县委专职副书记）', clause: '八',
    candidateGroup: () => group.role('DEPUTY_SECRETARY'),
    outcomes: {
      coordinate: outcome(DECISION_NAMES.coordinate, ({ data }) => ({
        kind: 'open', type: 'project.coordination',
        context: {
          unitId: data.unitId, unitName: UNITS.find((u) => u.id === data.unitId)?.name ?? data.unitId, instruction: data.instruction,
          meetingTitle: '专题调度', decidedBy: '县委专职副书记',
        },
      }), {
        data: () => z.strictObject({
          unitId: field(unitIdOf(), '协调单位', { description: '承办指示的单位', choiceLabels: UNIT_LABELS, unitCategory: 'ANY' }),
          instruction: field(note, '指示'),
        }),
        example: () => ({ unitId: NAMED_UNITS.commerce, instruction: '请县商务局会同自然资源局十日内落实项目用地指标' }),
      }),
      escalate: outcome(DECISION_NAMES.escalate, close, {
        data: () => z.strictObject({ instruction: field(note, '提请事由', { description: '列入县长下一次季调度的事由' }) }),
        example: () => ({ instruction: '涉及跨部门用地调整，提请县长季调度研究' }),
      }),
      close: outcome('问题已解决，结束调度', close, {
        data: () => z.strictObject({ conclusion: field(note, '调度结论') }),
        example: () => ({ conclusion: '用地指标已落实，问题解决' }),
      }),
    },
  },

  // ── tasks of the county calendar (workflow `county-calendar`): meetings and accountability ───────
  // 八 月研判: the 分管副县长's monthly review of every active project (agenda in the context)
  'meeting.monthlyReview': {
    title: '月研判（分管副县长）', clause: '八',
    candidateGroup: () => group.role('VICE_HEAD'),
    outcomes: { held: outcome('已研判', close, { data: (ctx) => decisionsSchema(MONTHLY_DECISIONS, ctx.context) }) },
  },
  // 八 季调度: the 县长's quarterly dispatch of the projects that need him
  'meeting.quarterlyDispatch': {
    title: '季调度（县长）', clause: '八',
    candidateGroup: () => group.role('COUNTY_HEAD'),
    outcomes: { held: outcome('已调度', close, { data: (ctx) => decisionsSchema(DISPATCH_DECISIONS, ctx.context) }) },
  },
  // 十一: bottom two of the year — the 县长 talks with the unit's PRINCIPAL (约谈), who speaks at the annual meeting
  'accountability.interview': {
    title: '约谈（年度考核排名后两位）', clause: '十一',
    candidateGroup: () => group.role('COUNTY_HEAD'),
    outcomes: {
      held: outcome('已约谈', close, {
        data: (ctx) => z.strictObject({ date: field(pastDate(ctx), '约谈日期', DATE_OF_FACT), note: field(note, '约谈情况').optional() }),
      }),
    },
  },
  // 十一: bottom two two years running — the unit adjusts the division of work of the leader in charge
  'accountability.reassign': {
    title: '调整分管负责人分工', clause: '十一',
    candidateGroup: ({ context }) => group.unitLeaders(requireUnit(context?.unitId, 'the unit held to account (context.unitId)')),
    outcomes: { done: outcome('已调整分工', close, { data: () => z.strictObject({ arrangement: field(note, '分工调整情况') }) }) },
  },
  // 十 奖励: the annual assessment's commendations (the best units of each category, the people with the
  // best records; list in the context) go to 县委组织部 for 评先评优 and, for people, 优先提拔重用
  'recognition.review': {
    title: '评先评优审核（年度考核）', clause: '十',
    candidateGroup: () => group.role('ORG_DEPT'),
    outcomes: {
      reviewed: outcome('已审核', close, {
        data: () => z.strictObject({ opinion: field(note, '审核意见', { description: '评先评优、优先提拔重用的意见' }) }),
        example: () => ({ opinion: '同意表彰名单，推荐优先提拔重用' }),
      }),
    },
  },
  // 十一: last two years running — 县纪委监委 holds the unit to account (诫勉谈话 of the DEPUTY)
  'accountability.discipline': {
    title: '问责（连续两年末位）', clause: '十一',
    candidateGroup: () => group.role('DISCIPLINE'),
    outcomes: { done: outcome('已问责', close, { data: () => z.strictObject({ measure: field(note, '问责措施') }) }) },
  },
});

/** Every task type's name (§3, 八, 十一, 十四): the keys of the table. A misspelt name does not compile. */
export type TaskTypeName = keyof typeof TASK_TABLE;
export const TASK_TYPE_NAMES = Object.keys(TASK_TABLE) as [TaskTypeName, ...TaskTypeName[]];
/** The task types in the order of the table (the pipeline's, then side tasks, then the county's). */
export const TASK_TYPES: readonly TaskTypeDef[] = TASK_TYPE_NAMES.map((type) => ({ type, ...TASK_TABLE[type] }));

const byType = new Map<string, TaskTypeDef>(TASK_TYPES.map((d) => [d.type, d]));
const byStage = new Map(TASK_TYPES.filter((d) => d.stage).map((d) => [d.stage, d]));

/** 十四: from the contract stage on, the responsible or landing-site unit may raise a factor issue. */
export const FACTOR_ISSUE_FROM: ActiveStage = 'CONTRACT';
export const FACTOR_CATEGORIES = { LAND: '用地', POWER: '用电', WATER: '用水', PERMIT: '审批', FINANCE: '融资', OTHER: '其他' } as const;
export const FactorIssue = lazySchema(() => z.strictObject({
  category: z.enum(Object.keys(FACTOR_CATEGORIES) as [keyof typeof FACTOR_CATEGORIES, ...(keyof typeof FACTOR_CATEGORIES)[]]),
  description: text(TEXT_LENGTH.note, 2),
}));
export type FactorIssue = z.infer<typeof FactorIssue>;

export const stageIndex = (s: Stage) => (ACTIVE_STAGES as readonly string[]).indexOf(s);

/** The definition of a task type named by a string from outside (a database row, a request), if there is one. */
export function taskType(type: string): TaskTypeDef | undefined {
  return byType.get(type);
}

/** The definition of a task type (a name a running workflow carries from an older table is an error that says so). */
export function taskTypeDef(type: TaskTypeName): TaskTypeDef {
  const def = byType.get(type);
  if (!def) throw new Error(`unknown task type ${type}: it is not in the task table (domain/pipeline.ts)`);
  return def;
}

/** The task a project waits on in an active stage. */
export function taskForStage(stage: ActiveStage): TaskTypeDef {
  const d = byStage.get(stage);
  if (!d) throw new Error(`no task type for stage ${stage}`);
  return d;
}
