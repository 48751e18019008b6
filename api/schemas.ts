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

/** An id in an address or a filter: a project number, a task id (NX-2026-0001-T001, CAL-2027-03-MR), a unit or person id. */
export const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'is not an id');

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
export const OutcomeData = z.record(z.string(), z.unknown()).refine((d) => jsonDepth(d) <= 6, 'is nested too deeply (6 levels at most)');

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
