// Registering a lead (§2, §7 POST /projects): allocate the project number, start the project workflow
// with its Chinese summary and search attributes, and wait until its first task is in the database.
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { currentPolicy } from '../db/policy';
import { holidaysForRuns } from '../domain/holiday-table';
import { shanghaiYear } from '../domain/shanghai-time';
import { TERMINAL_STAGES, type Stage } from '../domain/pipeline';
import type { Policy } from '../domain/policy';
import type { HolidayTable } from '../domain/working-days';
import { formatProjectNo, workflowIdOf, type ProjectFields, type ProjectRegistration } from '../domain/project';
import type { Db, Prisma } from '../db/client';
import { PROJECT_WORKFLOW, syncUpdate, type ProjectSnapshot, type ProjectWorkflowInput } from '../workflows/messages/project';
import { projectSearchAttributes, projectSummary, registrationSummary } from '../workflows/search-attributes';
import { ApiError } from './errors';

export interface RegisterDeps {
  db: Db; temporal: Client; taskQueue: string; policy: Policy; continueAsNewAfterEvents?: number;
  /** §4 工作日: the holiday table new projects pin (the installed chinese-days' unless given) */
  holidays?: HolidayTable;
}

/** NX-YYYY-NNNN: the next number of the year (Asia/Shanghai), allocated in one transaction. */
export async function allocateProjectNo(db: Prisma.TransactionClient, now = new Date()): Promise<string> {
  const year = shanghaiYear(now);
  const row = await db.projectCounter.upsert({ where: { year }, create: { year, last: 1 }, update: { last: { increment: 1 } } });
  return formatProjectNo(year, row.last);
}

/**
 * Registers a lead: allocates its number, starts its workflow and waits until its first task is in the
 * database. With an Idempotency-Key, the number is allocated once for the key (in the same
 * transaction), so a retried request — after a timeout, or a crash between allocating and starting —
 * answers the same project, starting its workflow if the first request never did. With
 * `refuseDuplicate`, a new lead whose name and investor match an active project is refused (§7's
 * duplicate warning; the API refuses unless the caller confirms).
 */
export async function registerProject(
  deps: RegisterDeps, input: ProjectRegistration, createdBy: string, opts: { idempotencyKey?: string; refuseDuplicate?: boolean } = {},
): Promise<ProjectSnapshot & { workflowId: string }> {
  // the key is the caller's: two people's keys never meet
  const id = opts.idempotencyKey ? `${createdBy}:${opts.idempotencyKey}` : null;
  let known = id ? await deps.db.registrationKey.findUnique({ where: { id } }) : null;
  if (!known && opts.refuseDuplicate) await refuseDuplicate(deps.db, input);
  if (!id) return startProject(deps, { ...input, projectNo: await allocateProjectNo(deps.db), createdBy });
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

/** §7: the same lead registered twice is the commonest mistake — an active project of the same name and investor is a conflict. */
async function refuseDuplicate(db: Db, input: ProjectRegistration): Promise<void> {
  const same = await db.project.findFirst({
    where: { name: input.name, investor: input.investor, stage: { notIn: [...TERMINAL_STAGES] } }, select: { id: true },
  });
  if (same) {
    throw new ApiError('CONFLICT', `在办项目 ${same.id} 的项目名称和投资方与此线索相同；如确需另行登记，请在请求中加上 confirmDuplicate: true`, [
      { field: 'body.name', message: `项目名称和投资方与在办项目 ${same.id} 相同` },
    ]);
  }
}

/** Starts the project's workflow (or finds it started) and waits until its first task is in the database. */
async function startProject(deps: RegisterDeps, project: ProjectFields): Promise<ProjectSnapshot & { workflowId: string }> {
  const workflowId = workflowIdOf(project.projectNo);
  const args: ProjectWorkflowInput = {
    // §9: a new project starts under the current policy version and records it
    ...(await currentPolicy(deps.db, deps.policy).then((c) => ({ policy: c.policy, policyVersion: c.version }))),
    project, holidays: deps.holidays ?? holidaysForRuns(Date.now()),
    ...(deps.continueAsNewAfterEvents ? { continueAsNewAfterEvents: deps.continueAsNewAfterEvents } : {}),
  };
  // one call that starts the workflow (or finds it running: a retry) and asks it for its snapshot once its
  // first task is written — issue 15: a round trip and a workflow task fewer than a start and then an Update
  const start = new WithStartWorkflowOperation(PROJECT_WORKFLOW, {
    workflowId,
    taskQueue: deps.taskQueue,
    args: [args],
    typedSearchAttributes: projectSearchAttributes(project, 'LEAD', 0),
    staticSummary: registrationSummary(project),
    memo: { summary: projectSummary(project) }, // the memo survives continue-as-new and follows amendments; the static summary is the registration's
    staticDetails: `南政发〔2022〕6号 招商引资项目 ${project.projectNo}：${project.name}，投资方 ${project.investor}`,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  try {
    const snapshot = await deps.temporal.workflow.executeUpdateWithStart(syncUpdate, { startWorkflowOperation: start });
    return { ...snapshot, workflowId };
  } catch (e) {
    // a retry after the project's workflow has ended: its number may not start another, and it answers from the database
    if (!(e instanceof WorkflowExecutionAlreadyStartedError) && !(e instanceof WorkflowNotFoundError)) throw e;
    const row = await deps.db.project.findUnique({ where: { id: project.projectNo } });
    if (!row) throw e;
    return {
      projectId: row.id, workflowId, stage: row.stage as Stage, stageSince: row.stageSince.toISOString(), escalationLevel: row.escalationLevel,
      openTasks: [], project, policyVersion: row.policyVersion,
    };
  }
}
