// Registering a lead (§2, §7 POST /projects): allocate the project number, start the project workflow
// with its Chinese summary and search attributes, and wait until its first task is in the database.
import type { Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { shanghaiYear } from '../domain/shanghai-time';
import type { Policy } from '../domain/policy';
import { formatProjectNo, workflowIdOf, type ProjectFields, type ProjectRegistration } from '../domain/project';
import type { Db } from '../db/client';
import { PROJECT_WORKFLOW, syncUpdate, type ProjectSnapshot, type ProjectWorkflowInput } from '../workflows/messages/project';
import { projectSearchAttributes, projectSummary, registrationSummary } from '../workflows/search-attributes';

export interface RegisterDeps { db: Db; temporal: Client; taskQueue: string; policy: Policy; continueAsNewAfterEvents?: number }

/** NX-YYYY-NNNN: the next number of the year (Asia/Shanghai), allocated in one transaction. */
export async function allocateProjectNo(db: Db, now = new Date()): Promise<string> {
  const year = shanghaiYear(now);
  const row = await db.projectCounter.upsert({ where: { year }, create: { year, last: 1 }, update: { last: { increment: 1 } } });
  return formatProjectNo(year, row.last);
}

export async function registerProject(deps: RegisterDeps, input: ProjectRegistration, createdBy: string): Promise<ProjectSnapshot & { workflowId: string }> {
  const projectNo = await allocateProjectNo(deps.db);
  const project: ProjectFields = { ...input, projectNo, createdBy };
  const workflowId = workflowIdOf(projectNo);
  const args: ProjectWorkflowInput = {
    project, policy: deps.policy,
    ...(deps.continueAsNewAfterEvents ? { continueAsNewAfterEvents: deps.continueAsNewAfterEvents } : {}),
  };
  const handle = await deps.temporal.workflow.start(PROJECT_WORKFLOW, {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [args],
    typedSearchAttributes: projectSearchAttributes(project, 'LEAD', 0),
    staticSummary: registrationSummary(project),
    memo: { summary: projectSummary(project) }, // the memo survives continue-as-new and follows amendments; the static summary is the registration's
    staticDetails: `南政发〔2022〕6号 招商引资项目 ${projectNo}：${project.name}，投资方 ${project.investor}`,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  });
  const snapshot = await handle.executeUpdate(syncUpdate);
  return { ...snapshot, workflowId };
}
