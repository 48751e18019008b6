// Registering a lead (§2, §7 POST /projects): allocate the project number, start the project workflow
// with its Chinese summary and search attributes, and wait until its first task is in the database.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { shanghaiYear } from '../domain/shanghai-time';
import type { Policy } from '../domain/policy';
import { formatProjectNo, workflowIdOf, type ProjectFields, type ProjectRegistration } from '../domain/project';
import type { Db, Prisma } from '../db/client';
import { PROJECT_WORKFLOW, syncUpdate, type ProjectSnapshot, type ProjectWorkflowInput } from '../workflows/messages/project';
import { projectSearchAttributes, projectSummary, registrationSummary } from '../workflows/search-attributes';

export interface RegisterDeps { db: Db; temporal: Client; taskQueue: string; policy: Policy; continueAsNewAfterEvents?: number }

/** NX-YYYY-NNNN: the next number of the year (Asia/Shanghai), allocated in one transaction. */
export async function allocateProjectNo(db: Pick<Db, 'projectCounter'> | Prisma.TransactionClient, now = new Date()): Promise<string> {
  const year = shanghaiYear(now);
  const row = await db.projectCounter.upsert({ where: { year }, create: { year, last: 1 }, update: { last: { increment: 1 } } });
  return formatProjectNo(year, row.last);
}

/** The registration a client's Idempotency-Key already names (per caller), if any. */
export async function registrationOfKey(db: Db, createdBy: string, idempotencyKey: string) {
  return db.registrationKey.findUnique({ where: { id: `${createdBy}:${idempotencyKey}` } });
}

/**
 * Registers a lead: allocates its number, starts its workflow and waits until its first task is in the
 * database. With an Idempotency-Key, the number is allocated once for the key (in the same
 * transaction), so a retried request — after a timeout, or a crash between allocating and starting —
 * answers the same project, starting its workflow if the first request never did.
 */
export async function registerProject(
  deps: RegisterDeps, input: ProjectRegistration, createdBy: string, opts: { idempotencyKey?: string } = {},
): Promise<ProjectSnapshot & { workflowId: string }> {
  if (!opts.idempotencyKey) return startProject(deps, { ...input, projectNo: await allocateProjectNo(deps.db), createdBy });
  const id = `${createdBy}:${opts.idempotencyKey}`;
  let known = await deps.db.registrationKey.findUnique({ where: { id } });
  if (!known) {
    try {
      known = await deps.db.$transaction(async (tx) => tx.registrationKey.create({
        data: { id, projectNo: await allocateProjectNo(tx), input: input as unknown as Prisma.InputJsonValue },
      }));
    } catch (e) {
      // the same key at the same moment: the other request allocated the number
      known = await deps.db.registrationKey.findUnique({ where: { id } });
      if (!known) throw e;
    }
  }
  return startProject(deps, { ...(known.input as unknown as ProjectRegistration), projectNo: known.projectNo, createdBy });
}

/** Starts the project's workflow (or finds it started) and waits until its first task is in the database. */
async function startProject(deps: RegisterDeps, project: ProjectFields): Promise<ProjectSnapshot & { workflowId: string }> {
  const workflowId = workflowIdOf(project.projectNo);
  const args: ProjectWorkflowInput = {
    project, policy: deps.policy,
    ...(deps.continueAsNewAfterEvents ? { continueAsNewAfterEvents: deps.continueAsNewAfterEvents } : {}),
  };
  try {
    await deps.temporal.workflow.start(PROJECT_WORKFLOW, {
      workflowId,
      taskQueue: deps.taskQueue,
      args: [args],
      typedSearchAttributes: projectSearchAttributes(project, 'LEAD', 0),
      staticSummary: registrationSummary(project),
      memo: { summary: projectSummary(project) }, // the memo survives continue-as-new and follows amendments; the static summary is the registration's
      staticDetails: `南政发〔2022〕6号 招商引资项目 ${project.projectNo}：${project.name}，投资方 ${project.investor}`,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e; // a retry: the first request started it
  }
  const snapshot = await deps.temporal.workflow.getHandle(workflowId).executeUpdate(syncUpdate);
  return { ...snapshot, workflowId };
}
