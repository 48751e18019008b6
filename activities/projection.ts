// The projection activity: writes what a workflow decided into the database (Project, Task,
// TimelineEvent, Notification). A project workflow's events concern its project; the county
// calendar's (八 meetings, 十一 accountability) concern no project. Idempotent: events carry a
// per-workflow sequence number; the project row (or, for the calendar, its ProjectionCursor) records
// the last one applied, so a retried activity writes nothing twice.
import { ApplicationFailure } from '@temporalio/common';
import { Prisma, type Db } from '../db/client';
import { malformedValue } from '../domain/text';
import type { ProjectionFailure } from '../workflows/activity-types';
import type { ProjectionEvent } from '../domain/events';
import { LADDER_STEP_NAMES } from '../domain/ladder';
import { STAGE_NAMES, type TaskTypeName } from '../domain/pipeline';
import { projectIdOf } from '../domain/project';
import { recipientsFor, writeNotice } from './recipients';

type Tx = Prisma.TransactionClient;
const json = (v: unknown) => v as Prisma.InputJsonValue;

/** Where a workflow's events go: its project (a project workflow) or none (the county calendar). */
export interface Stream { workflowId: string; projectId: string | null; dedupe: string }

/**
 * Applies a batch of a workflow's events, each once. `chain` names the workflow's first run for a
 * workflow that is not a project's, so a county calendar started anew counts from 0 again.
 */
export async function applyProjectionEvents(db: Db, workflowId: string, events: ProjectionEvent[], chain?: string): Promise<{ applied: number }> {
  if (events.length === 0) return { applied: 0 };
  // what no retry can write fails for good, so that the workflow is not held by it (workflows/plumbing.ts)
  const bad = malformedValue(events);
  if (bad) throw ApplicationFailure.nonRetryable(`the events of ${workflowId} hold what no database stores: ${bad}`, 'PROJECTION_REJECTED');
  try {
    return await write(db, workflowId, events, chain);
  } catch (e) {
    if (dataError(e)) throw ApplicationFailure.nonRetryable(`the database refused the events of ${workflowId}: ${(e as Error).message}`, 'PROJECTION_REJECTED');
    throw e;
  }
}

/** Prisma's errors that say the data is wrong (too long, out of range, invalid), as opposed to the database being unreachable. */
const DATA_ERRORS = new Set(['P2000', 'P2005', 'P2006', 'P2007', 'P2011', 'P2012', 'P2019', 'P2020', 'P2023', 'P2033']);
const dataError = (e: unknown) => e instanceof Prisma.PrismaClientValidationError
  || (e instanceof Prisma.PrismaClientKnownRequestError && DATA_ERRORS.has(e.code));

/** Records a batch that was rejected, without its data. */
export async function recordProjectionFailure(db: Db, f: ProjectionFailure): Promise<void> {
  await db.projectionFailure.create({ data: f });
}

async function write(db: Db, workflowId: string, events: ProjectionEvent[], chain?: string): Promise<{ applied: number }> {
  const projectId = projectIdOf(workflowId);
  const cursor = projectId ? null : `${workflowId}@${chain ?? ''}`;
  const stream: Stream = { workflowId, projectId, dedupe: cursor ?? workflowId };
  return db.$transaction(async (tx) => {
    const lastSeq = projectId
      ? (await tx.project.findUnique({ where: { id: projectId }, select: { lastSeq: true } }))?.lastSeq ?? 0
      : (await tx.projectionCursor.findUnique({ where: { stream: cursor! } }))?.lastSeq ?? 0;
    const todo = events.filter((e) => e.seq > lastSeq).sort((a, b) => a.seq - b.seq);
    for (const e of todo) await applyOne(tx, stream, e);
    const last = todo.at(-1);
    if (last && projectId) {
      const open = await tx.task.aggregate({ where: { projectId, status: { in: ['OPEN', 'CLAIMED'] } }, _max: { escalationLevel: true } });
      await tx.project.update({
        where: { id: projectId },
        data: { lastSeq: last.seq, escalationLevel: open._max.escalationLevel ?? 0, updatedAt: new Date(last.at) },
      });
    } else if (last) {
      await tx.projectionCursor.upsert({ where: { stream: cursor! }, create: { stream: cursor!, lastSeq: last.seq }, update: { lastSeq: last.seq } });
    }
    return { applied: todo.length };
  });
}

async function timeline(tx: Tx, { workflowId, projectId }: Stream, e: ProjectionEvent, row: { actor?: string | null; taskId?: string; taskType?: string; outcome?: string; comment?: string | null; data?: unknown }) {
  await tx.timelineEvent.create({
    data: {
      workflowId, projectId, seq: e.seq, at: new Date(e.at), kind: e.kind, actor: row.actor ?? null, taskId: row.taskId ?? null,
      taskType: row.taskType ?? null, outcome: row.outcome ?? null, comment: row.comment ?? null,
      ...(row.data !== undefined ? { data: json(row.data) } : {}),
    },
  });
}

/** The project of a project workflow's event (a calendar event about a project is not one of these). */
function requireProjectId(stream: Stream): string {
  if (!stream.projectId) throw new Error(`${stream.workflowId} is not a project workflow`);
  return stream.projectId;
}

async function applyOne(tx: Tx, stream: Stream, e: ProjectionEvent): Promise<void> {
  const at = new Date(e.at);
  const { workflowId, projectId } = stream;
  switch (e.kind) {
    case 'PROJECT_REGISTERED': {
      const { projectNo, createdBy, ...fields } = e.project;
      await tx.project.create({
        data: {
          id: projectNo, workflowId, ...fields, stage: e.stage, stageSince: at, policy: json(e.policy), policyVersion: e.policyVersion ?? 0,
          createdBy, createdAt: at, updatedAt: at,
        },
      });
      await timeline(tx, stream, e, { actor: e.actor, data: { stage: e.stage } });
      return;
    }
    case 'STAGE_CHANGED': {
      const { projectNo: _n, createdBy: _c, ...patch } = e.patch;
      await tx.project.update({
        where: { id: requireProjectId(stream) },
        data: { ...patch, stage: e.to, ...(e.from !== e.to ? { stageSince: at } : {}) },
      });
      await timeline(tx, stream, e, {
        actor: e.actor ?? null,
        comment: e.reason ?? null,
        data: { from: e.from, to: e.to, fromName: STAGE_NAMES[e.from], toName: STAGE_NAMES[e.to], ...(Object.keys(patch).length ? { patch } : {}) },
      });
      return;
    }
    case 'TASK_CREATED': {
      const t = e.task;
      await tx.task.create({
        data: {
          id: t.id, workflowId, projectId, type: t.type, title: t.title, stage: t.stage, step: t.step, candidateGroup: t.candidateGroup,
          ...(t.context ? { context: json(t.context) } : {}),
          status: t.status, dueAt: new Date(t.dueAt), createdAt: new Date(t.createdAt),
        },
      });
      await timeline(tx, stream, e, { taskId: t.id, taskType: t.type, data: { title: t.title, candidateGroup: t.candidateGroup, dueAt: t.dueAt } });
      return;
    }
    case 'POLICY_APPLIED': // §9: the project goes on under another policy version
      await tx.project.update({ where: { id: requireProjectId(stream) }, data: { policy: json(e.policy), policyVersion: e.to } });
      await timeline(tx, stream, e, { actor: e.actor, data: { from: e.from, to: e.to } });
      return;
    case 'PROJECT_REROUTED': { // §9 routing corrections: the project's units, and the open tasks that follow them
      const fields = Object.fromEntries(Object.entries(e.changes).map(([k, v]) => [k, v.new]));
      await tx.project.update({ where: { id: requireProjectId(stream) }, data: fields });
      for (const m of e.moved) {
        await tx.task.update({ where: { id: m.taskId }, data: { candidateGroup: m.to, status: 'OPEN', claimedBy: null, claimedAt: null } });
      }
      await timeline(tx, stream, e, { actor: e.actor, comment: e.reason, data: { changes: e.changes, moved: e.moved } });
      return;
    }
    case 'PROJECT_AMENDED': {
      const fields = Object.fromEntries(Object.entries(e.changes).map(([k, v]) => [k, v.new]));
      await tx.project.update({ where: { id: requireProjectId(stream) }, data: fields });
      await timeline(tx, stream, e, { actor: e.actor, comment: e.reason, data: { changes: e.changes } });
      return;
    }
    case 'FACTOR_ISSUE_RAISED':
      await timeline(tx, stream, e, { actor: e.actor, taskId: e.taskId, taskType: 'factor.issue' satisfies TaskTypeName, data: e.issue });
      return;
    case 'TASK_ASSIGNED':
      await tx.task.update({
        where: { id: e.taskId },
        data: e.assignee ? { status: 'CLAIMED', claimedBy: e.assignee, claimedAt: at } : { status: 'OPEN', claimedBy: null, claimedAt: null },
      });
      await timeline(tx, stream, e, { actor: e.actor, taskId: e.taskId, taskType: e.taskType, data: { assignee: e.assignee } });
      return;
    case 'TASK_CLAIMED':
      await tx.task.update({ where: { id: e.taskId }, data: { status: 'CLAIMED', claimedBy: e.actor, claimedAt: at } });
      await timeline(tx, stream, e, { actor: e.actor, taskId: e.taskId, taskType: e.taskType });
      return;
    case 'TASK_COMPLETED':
      await tx.task.update({
        where: { id: e.taskId },
        data: { status: 'COMPLETED', outcome: e.outcome, comment: e.comment, data: json(e.data), completedBy: e.actor, completedAt: at },
      });
      await timeline(tx, stream, e, { actor: e.actor, taskId: e.taskId, taskType: e.taskType, outcome: e.outcome, comment: e.comment, data: e.data });
      return;
    case 'TASK_CANCELLED':
      await tx.task.update({ where: { id: e.taskId }, data: { status: 'CANCELLED', comment: e.reason } });
      await timeline(tx, stream, e, { taskId: e.taskId, taskType: e.taskType, comment: e.reason });
      return;
    case 'TASK_LADDER': {
      const task = await tx.task.update({
        where: { id: e.taskId },
        data: { escalationLevel: e.level, overdue: e.level >= 1 },
        select: { title: true, project: { select: { name: true } } },
      });
      const about = task.project ? `项目「${task.project.name}」的任务` : '县级任务';
      const recipients = await recipientsFor(tx, e.step, e.candidateGroup);
      await timeline(tx, stream, e, {
        taskId: e.taskId, taskType: e.taskType,
        data: { step: e.step, stepName: LADDER_STEP_NAMES[e.step], level: e.level, dueAt: e.dueAt, recipients: recipients.map((r) => r.username) },
      });
      await writeNotice(tx, {
        dedupeKey: `${stream.dedupe}#${e.seq}`, projectId, taskId: e.taskId,
        kind: e.step === 'REMINDER' ? 'REMINDER' : e.step === 'OVERDUE' ? 'OVERDUE' : 'ESCALATION',
        level: e.level,
        title: `【${LADDER_STEP_NAMES[e.step]}】${task.project ? `${task.project.name}：` : ''}${task.title}`,
        body: `${about}「${task.title}」(${e.taskId}) 应于 ${e.dueAt.slice(0, 10)} 前完成，现${LADDER_STEP_NAMES[e.step]}。`,
        createdAt: at,
      }, recipients);
      return;
    }
  }
}
