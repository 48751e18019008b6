// The JSON shapes of §7 as zod schemas (…Schema): the serializer and the OpenAPI document both read
// them; ./present.ts turns rows and workflow views into them.
import { z } from 'zod';
import { CHANNELS, INDUSTRY_CHAINS, INVESTOR_ORIGINS } from '../domain/project';
import { STAGES } from '../domain/pipeline';

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
}).describe('Error');

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

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

export const TimelineEntrySchema = z.object({
  at: z.string(),
  kind: z.string(),
  actor: z.string().nullable(),
  taskType: z.string().nullable(),
  outcome: z.string().nullable(),
  comment: z.string().nullable(),
  data: z.unknown().nullable(),
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
});

export const ProjectDetailSchema = ProjectSchema.extend({ openTasks: z.array(TaskSchema), timeline: z.array(TimelineEntrySchema) });
