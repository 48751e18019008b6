// The JSON shapes of §7 as zod schemas (…Schema): the serializer and the OpenAPI document both read
// them; ./present.ts turns rows and workflow views into them.
import { z } from 'zod';
import { CHANNELS, INDUSTRY_CHAINS, INVESTOR_ORIGINS } from '../domain/project';
import { STAGES } from '../domain/pipeline';
import { FIELD_TYPES } from '../domain/forms';
import { UNIT_CATEGORIES } from '../domain/units';

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
}).describe('Error');

/** An id in an address or a filter: a project number, a task id (NX-2026-0001-T001, CAL-2027-03-MR), a unit or person id. */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, '不是有效的编号');

/** How deep a JSON value nests (counted without recursion, so no value can exhaust the stack). */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, d + 1);
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return deepest;
}
/** The outcome data of a completion: an object, nested a few levels at most (a meeting's decisions are the deepest, 3). */
export const OutcomeData = z.record(z.string(), z.unknown()).refine((d) => jsonDepth(d) <= 6, '嵌套层级过深（最多 6 层）');

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

/**
 * A query string that takes only the parameters of `schema`: any other answers 400 naming it (the
 * field `querystring.<name>`), so that a misspelt filter is not silently ignored. The OpenAPI
 * document says so (additionalProperties: false). Fastify's coercion of the known ones is unchanged.
 */
export function strictQuery<S extends z.ZodObject>(schema: S): S {
  const known = Object.keys(schema.shape);
  return schema.loose().superRefine((query, ctx) => {
    for (const name of Object.keys(query)) {
      if (!known.includes(name)) ctx.addIssue({ code: 'custom', path: [name], message: `不是此地址可用的查询参数（可用的参数：${known.join('、')}）` });
    }
  }).meta({ additionalProperties: false }) as unknown as S;
}

/** A yes/no query parameter: `true` or `false`. */
export const QueryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const Paging = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const UnitSchema = z.object({ id: z.string(), name: z.string(), category: z.string(), subcategory: z.string().nullable() });

export const TaskSchema = z.object({
  id: z.string(),
  /** null for a task of the county calendar (八 meetings, 十一 accountability) */
  projectId: z.string().nullable(),
  projectNo: z.string().nullable(),
  type: z.string(),
  title: z.string(),
  stage: z.string().nullable(),
  /** what the task is about: a meeting's agenda, a factor issue, a meeting's instruction, the period of a report */
  context: z.record(z.string(), z.unknown()).nullable(),
  candidateGroup: z.string(),
  status: z.enum(['OPEN', 'CLAIMED', 'COMPLETED', 'CANCELLED']),
  claimedBy: z.string().nullable(),
  dueAt: z.string(),
  escalationLevel: z.number().int(),
  outcomes: z.array(z.string()),
});
export type TaskJson = z.infer<typeof TaskSchema>;

// ── a task's form (domain/forms.ts): read from the task-type definition and its outcome data schemas ──

const FormFieldBase = z.object({
  name: z.string().describe('the key in the completion\'s `data`'),
  label: z.string().describe('中文名称'),
  type: z.enum(FIELD_TYPES),
  required: z.boolean(),
  hint: z.string().optional().describe('what the value must be beyond its type'),
  choices: z.array(z.object({ value: z.string(), label: z.string() })).optional().describe('type choice: the values allowed, each with its Chinese name'),
  minLength: z.number().int().optional(),
  maxLength: z.number().int().optional(),
  minimum: z.number().optional(),
  exclusiveMinimum: z.number().optional(),
  maximum: z.number().optional(),
  unitCategory: z.enum([...UNIT_CATEGORIES, 'ANY']).optional()
    .describe('the value is a unit\'s id (GET /units): a picker offers the units of this category of the 附件 (ANY: all 69)'),
  notAfterToday: z.boolean().optional().describe('type date: a date of fact, not after today (Asia/Shanghai) — a later one is refused'),
  notBefore: z.string().optional().describe('type date: not before this day (YYYY-MM-DD), e.g. the previous milestone of 四即'),
});
export const FormFieldSchema = FormFieldBase.extend({ fields: z.array(FormFieldBase).optional().describe('type list: the fields of each entry') });
export const TaskFormSchema = z.object({
  outcomes: z.array(z.object({
    code: z.string().describe('the `outcome` of the completion'),
    label: z.string(),
    commentRequired: z.boolean(),
    fields: z.array(FormFieldSchema).describe('the `data` this outcome takes; no other field is accepted'),
  })),
}).describe('how to complete the task: POST /tasks/:id/complete {outcome, comment?, data?}');

/**
 * A task as a person reads it (the inbox, 已办, a task's detail, a project's open tasks): the task, its
 * project's name and investor, the Chinese names of its stage, candidate group and escalation, who
 * claimed or completed it, and — while it is open — its form.
 */
export const TaskItemSchema = TaskSchema.extend({
  projectName: z.string().nullable().describe('null for a task of the county calendar'),
  investor: z.string().nullable(),
  stageName: z.string().nullable().describe('阶段中文名'),
  candidateGroupName: z.string().describe('候选组中文名, e.g. 项目信息收集专班, 县农业农村局'),
  claimedByName: z.string().nullable(),
  claimedByMe: z.boolean().describe('claimed by the caller'),
  createdAt: z.string(),
  overdue: z.boolean(),
  escalationName: z.string().nullable().describe('已逾期, 二级督办 … (null at level 0)'),
  outcome: z.string().nullable().describe('once completed'),
  outcomeLabel: z.string().nullable(),
  comment: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable().describe('the completion\'s data'),
  completedBy: z.string().nullable(),
  completedByName: z.string().nullable(),
  completedAt: z.string().nullable(),
  form: TaskFormSchema.nullable().describe('while the task is open (OPEN, CLAIMED); null once completed or cancelled'),
});
export type TaskItemJson = z.infer<typeof TaskItemSchema>;

export const TimelineEntrySchema = z.object({
  at: z.string(),
  kind: z.string(),
  kindName: z.string().describe('what happened, in Chinese'),
  actor: z.string().nullable(),
  actorName: z.string().nullable().describe('who, by name'),
  taskId: z.string().nullable(),
  taskType: z.string().nullable(),
  taskTitle: z.string().nullable(),
  outcome: z.string().nullable(),
  outcomeLabel: z.string().nullable().describe('the outcome\'s Chinese label'),
  comment: z.string().nullable(),
  data: z.unknown().nullable(),
  summary: z.string().describe('one line in Chinese: who did what (when is `at`)'),
});

export const ProjectSchema = z.object({
  id: z.string(),
  projectNo: z.string(),
  workflowId: z.string(),
  name: z.string(),
  stage: z.enum(STAGES),
  stageSince: z.string(),
  escalationLevel: z.number().int(),
  investor: z.string(),
  investorOrigin: z.enum(Object.keys(INVESTOR_ORIGINS) as [string, ...string[]]),
  industryChain: z.enum(Object.keys(INDUSTRY_CHAINS) as [string, ...string[]]),
  channel: z.enum(Object.keys(CHANNELS) as [string, ...string[]]),
  plannedInvestmentWan: z.number(),
  foreignInvestmentUsd: z.number().nullable(),
  landMu: z.number().nullable(),
  expectedJobs: z.number().nullable(),
  expectedAnnualTaxWan: z.number().nullable(),
  sourceUnitId: z.string(),
  landingSiteId: z.string().nullable(),
  responsibleUnitId: z.string().nullable(),
  isMajor: z.boolean(),
  isCaseByCase: z.boolean(),
  createdAt: z.string(),
  // the Chinese names of the codes above
  stageName: z.string(),
  investorOriginName: z.string(),
  industryChainName: z.string(),
  channelName: z.string(),
  sourceUnitName: z.string(),
  landingSiteName: z.string().nullable(),
  responsibleUnitName: z.string().nullable(),
  /** §9: the policy version the project runs under (0: the built-in 南政发〔2022〕6号) */
  policyVersion: z.number().int(),
  // §11: where the lead came from
  pitchId: z.string().nullable().describe('五 策划包装库: the pitch it was registered from (GET /pitches/:id)'),
  pitchTitle: z.string().nullable().describe('the pitch\'s title'),
  partnerId: z.string().nullable().describe('七: the 招商顾问 / 商协会 who brought it (GET /partners/:id)'),
  partnerName: z.string().nullable().describe('the partner\'s name'),
});

/** An open task of a project: the inbox's fields, and whether its candidate group has no active person (无人可办). */
export const OpenTaskSchema = TaskItemSchema.extend({ unstaffed: z.boolean().describe('无人可办: the candidate group has no active person') });

export const ProjectDetailSchema = ProjectSchema.extend({
  openTasks: z.array(OpenTaskSchema),
  timeline: z.array(TimelineEntrySchema).describe('oldest first'),
});

/** What a task's detail shows of its project. */
export const ProjectSummarySchema = ProjectSchema.pick({
  id: true, projectNo: true, name: true, investor: true, investorOrigin: true, investorOriginName: true, industryChain: true, industryChainName: true,
  stage: true, stageName: true, stageSince: true, escalationLevel: true, plannedInvestmentWan: true, sourceUnitId: true, sourceUnitName: true,
  landingSiteId: true, landingSiteName: true, responsibleUnitId: true, responsibleUnitName: true, isMajor: true, isCaseByCase: true, policyVersion: true,
});

export const TaskDetailSchema = TaskItemSchema.extend({
  project: ProjectSummarySchema.nullable().describe('null for a task of the county calendar'),
  history: z.array(TimelineEntrySchema).describe('what happened to the task, oldest first'),
});
