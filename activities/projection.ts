// The projection activity: writes what a workflow decided into the database (Project, Task,
// TimelineEvent, Notification). A project workflow's events concern its project; the county
// calendar's (八 meetings, 十一 accountability) concern no project. Idempotent: events carry a
// per-workflow sequence number; the project row (or, for the calendar, its ProjectionCursor) records
// the last one applied, so a retried activity writes nothing twice.
import { ApplicationFailure } from '@temporalio/common';
import { Prisma, type Db } from '../db/client';
import { get, JsonParam, jsonParam, placeholders, run, runSql, type Param, type Sql } from '../db/sql';
import { malformedValue } from '../domain/text';
import type { ProjectionFailure } from '../workflows/activity-types';
import type { ProjectionEvent } from '../domain/events';
import { LADDER_STEP_NAMES } from '../domain/ladder';
import { STAGE_NAMES, type TaskTypeName } from '../domain/pipeline';
import { projectIdOf } from '../domain/project';
import { recipientsForSql, writeNoticeSql } from './recipients';

/** Where a workflow's events go: its project (a project workflow) or none (the county calendar). */
export interface Stream { workflowId: string; projectId: string | null; dedupe: string }

/** The failure of a batch refused for good: non-retryable, PROJECTION_REJECTED. */
const rejected = (why: string) => ApplicationFailure.nonRetryable(why, 'PROJECTION_REJECTED');

/**
 * Applies a batch of a workflow's events, each once. `chain` names the workflow's first run for a
 * workflow that is not a project's, so a county calendar started anew counts from 0 again.
 * Written as one transaction in hand-written SQL (db/sql.ts): on SQLite synchronously on the service's
 * connection, on PostgreSQL through Prisma's raw queries — issue 15: Prisma 6.19 compiled each of the
 * batch's ~9 statements anew (8.8 ms a completion against 0.5 ms for prepared statements).
 */
export async function applyProjectionEvents(db: Db, workflowId: string, events: ProjectionEvent[], chain?: string): Promise<{ applied: number }> {
  // what no retry can write fails for good, so that the workflow is not held by it (workflows/plumbing.ts)
  const [outcome] = await applyProjectionGroups(db, [{ workflowId, events, ...(chain !== undefined ? { chain } : {}) }]);
  if ('refused' in outcome) throw rejected(outcome.refused);
  return outcome;
}

/** One workflow's batch of events, for applyProjectionGroups and a projection writer. */
export interface ProjectionGroup { workflowId: string; events: ProjectionEvent[]; chain?: string }

/** What became of a group: how many of its events were new, or why it is refused for good. */
export type GroupOutcome = { applied: number } | { refused: string };

/**
 * Issue 15: the batches of many workflows in one transaction, each written as applyProjectionEvents
 * writes one (and idempotent the same way) — a commit of its own per batch was, with the sync it waits
 * for, a sixth to a quarter of the service thread's time under load. A group refused for good is one
 * whose events hold what no database stores, or one the database refuses for bad data: when it refuses
 * the whole, each group is written alone, so one workflow's bad events take no other's down. The
 * outcomes are in the order of the groups; a failure of the database (not of the data) fails them all.
 */
export async function applyProjectionGroups(db: Db, groups: ProjectionGroup[]): Promise<GroupOutcome[]> {
  const outcomes: GroupOutcome[] = groups.map((g) => {
    const bad = malformedValue(g.events);
    return bad ? { refused: `the events of ${g.workflowId} hold what no database stores: ${bad}` } : { applied: 0 };
  });
  const todo = groups.map((g, i) => i).filter((i) => !('refused' in outcomes[i]) && groups[i].events.length > 0);
  const refusedBy = (g: ProjectionGroup, e: unknown) => ({ refused: `the database refused the events of ${g.workflowId}: ${(e as Error).message}` });
  if (todo.length === 0) return outcomes;
  try {
    const applied = await runSql(db, function* () {
      const n: number[] = [];
      for (const i of todo) n.push((yield* write(groups[i].workflowId, groups[i].events, groups[i].chain)).applied);
      return n;
    });
    todo.forEach((i, k) => { outcomes[i] = { applied: applied[k] }; });
    return outcomes;
  } catch (e) {
    if (!dataError(e)) throw e;
    if (todo.length === 1) {
      outcomes[todo[0]] = refusedBy(groups[todo[0]], e);
      return outcomes;
    }
  }
  // the whole was refused for bad data: one transaction per group finds whose
  for (const i of todo) {
    const g = groups[i];
    try {
      outcomes[i] = await runSql(db, () => write(g.workflowId, g.events, g.chain));
    } catch (e) {
      if (!dataError(e)) throw e;
      outcomes[i] = refusedBy(g, e);
    }
  }
  return outcomes;
}

/**
 * A projection writer: each batch given to it is written with the others given meanwhile, in one
 * transaction (group commit), and its promise settles with its own outcome — a refused batch rejects
 * with the non-retryable PROJECTION_REJECTED failure applyProjectionEvents gives. `waitMs` 0 gathers
 * the batches that arrive while the event loop is busy (the last commit, the activities started
 * beside it) and commits them right after: a batch alone waits for nothing. The monthly fan-out,
 * which no one waits on, gathers for longer.
 */
export function createProjectionWriter(db: Db, opts: { waitMs?: number; most?: number } = {}) {
  const { waitMs = 0, most = 100 } = opts;
  type Waiting = { group: ProjectionGroup; settle: (o: GroupOutcome | { failed: unknown }) => void };
  let queue: Waiting[] = [];
  let scheduled: { cancel: () => void } | undefined;
  const commit = async () => {
    scheduled?.cancel();
    scheduled = undefined;
    const batch = queue;
    queue = [];
    try {
      const outcomes = await applyProjectionGroups(db, batch.map((w) => w.group));
      batch.forEach((w, i) => w.settle(outcomes[i]));
    } catch (e) {
      for (const w of batch) w.settle({ failed: e });
    }
  };
  const schedule = () => {
    if (waitMs > 0) {
      const t = setTimeout(commit, waitMs);
      return { cancel: () => clearTimeout(t) };
    }
    const t = setImmediate(commit);
    return { cancel: () => clearImmediate(t) };
  };
  return (group: ProjectionGroup): Promise<{ applied: number }> => new Promise((resolve, reject) => {
    queue.push({
      group,
      settle: (o) => {
        if ('failed' in o) reject(o.failed);
        else if ('refused' in o) reject(rejected(o.refused));
        else resolve(o);
      },
    });
    if (queue.length >= most) void commit();
    else scheduled ??= schedule();
  });
}

/** Events that name what the tables do not hold (a field no column has, a value no column takes). */
class DataRefused extends Error {}

/** Errors that say the data are wrong (too long, out of range, invalid), as opposed to the database being unreachable. */
const PRISMA_DATA_ERRORS = new Set(['P2000', 'P2005', 'P2006', 'P2007', 'P2011', 'P2012', 'P2019', 'P2020', 'P2023', 'P2033']);
const SQLITE_DATA_ERRORS = new Set(['SQLITE_MISMATCH', 'SQLITE_TOOBIG', 'SQLITE_RANGE', 'SQLITE_CONSTRAINT_NOTNULL', 'SQLITE_CONSTRAINT_CHECK', 'SQLITE_CONSTRAINT_DATATYPE']);
/** PostgreSQL's SQLSTATEs for bad data: class 22 (data exception), not-null and check violations. */
const pgDataError = (code: unknown) => typeof code === 'string' && (/^22/.test(code) || code === '23502' || code === '23514');
function dataError(e: unknown): boolean {
  if (e instanceof DataRefused || e instanceof Prisma.PrismaClientValidationError) return true;
  if (e instanceof Prisma.PrismaClientKnownRequestError) {
    // a raw query's failure (P2010) carries the driver's error as meta.driverAdapterError.cause
    const meta = e.meta as { code?: unknown; driverAdapterError?: { cause?: { code?: unknown; originalCode?: unknown } } } | undefined;
    const driverCode = meta?.driverAdapterError?.cause?.originalCode ?? meta?.driverAdapterError?.cause?.code ?? meta?.code;
    return PRISMA_DATA_ERRORS.has(e.code) || pgDataError(driverCode) || SQLITE_DATA_ERRORS.has(String(driverCode));
  }
  const code = (e as { code?: unknown } | null)?.code;
  return SQLITE_DATA_ERRORS.has(String(code)) || (e instanceof TypeError && /can only bind/.test(e.message)) || e instanceof RangeError;
}

/** Records a batch that was rejected, without its data. */
export async function recordProjectionFailure(db: Db, f: ProjectionFailure): Promise<void> {
  await db.projectionFailure.create({ data: f });
}

function* write(workflowId: string, events: ProjectionEvent[], chain?: string): Sql<{ applied: number }> {
  const projectId = projectIdOf(workflowId);
  const cursor = projectId ? null : `${workflowId}@${chain ?? ''}`;
  const stream: Stream = { workflowId, projectId, dedupe: cursor ?? workflowId };
  const lastSeqNow = function* () {
    const row = projectId
      ? yield* get<{ lastSeq: number }>('SELECT "lastSeq" FROM "Project" WHERE "id" = ?', projectId)
      : yield* get<{ lastSeq: number }>('SELECT "lastSeq" FROM "ProjectionCursor" WHERE "stream" = ?', cursor);
    return Number(row?.lastSeq ?? 0);
  };
  let lastSeq = yield* lastSeqNow();
  // written already (a retry, or the second of two writers): nothing to write, nothing to wait for
  if (events.every((e) => e.seq <= lastSeq)) return { applied: 0 };
  if (projectId) {
    // two writers of the same events (issue 15: the API and the projection activity) take turns: the
    // project's row is locked (PostgreSQL: a row lock; SQLite: the write lock), then read again
    yield* run('UPDATE "Project" SET "lastSeq" = "lastSeq" WHERE "id" = ?', projectId);
    lastSeq = yield* lastSeqNow();
  }
  const todo = events.filter((e) => e.seq > lastSeq).sort((a, b) => a.seq - b.seq);
  for (const e of todo) yield* applyOne(stream, e);
  const last = todo.at(-1);
  if (last && projectId) {
    const open = yield* get<{ level: number | bigint | null }>(
      `SELECT MAX("escalationLevel") AS "level" FROM "Task" WHERE "projectId" = ? AND "status" IN ('OPEN', 'CLAIMED')`, projectId);
    yield* updateOne('Project', projectId, { lastSeq: last.seq, escalationLevel: Number(open?.level ?? 0), updatedAt: new Date(last.at) });
  } else if (last) {
    yield* run('INSERT INTO "ProjectionCursor" ("stream", "lastSeq") VALUES (?, ?) ON CONFLICT ("stream") DO UPDATE SET "lastSeq" = excluded."lastSeq"', cursor, last.seq);
  }
  return { applied: todo.length };
}

/** The columns of the tables the projection writes (Prisma's own list of each model's fields). */
const COLUMNS = {
  Project: new Set<string>(Object.keys(Prisma.ProjectScalarFieldEnum)),
  Task: new Set<string>(Object.keys(Prisma.TaskScalarFieldEnum)),
  TimelineEvent: new Set<string>(Object.keys(Prisma.TimelineEventScalarFieldEnum)),
};
type Table = keyof typeof COLUMNS;
type Row = Record<string, Param | undefined>;

/** A row's columns and values, undefined left out; a field the table does not have is refused. */
function columns(table: Table, row: Row): [string[], Param[]] {
  const names: string[] = [];
  const values: Param[] = [];
  for (const [k, v] of Object.entries(row)) {
    if (v === undefined) continue;
    if (!COLUMNS[table].has(k)) throw new DataRefused(`${table} has no field ${k}`);
    const scalar = v === null || v instanceof Date || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof JsonParam;
    if (!scalar) throw new DataRefused(`${table}.${k} is not a value a column takes`);
    names.push(`"${k}"`);
    values.push(v);
  }
  return [names, values];
}

function* insert(table: Table, row: Row): Sql<void> {
  const [names, values] = columns(table, row);
  yield* run(`INSERT INTO "${table}" (${names.join(', ')}) VALUES (${placeholders(values.length)})`, ...values);
}

/** Updates the row with this id; a row that is not there is an error (retried: its creation may be on its way). */
function* updateOne(table: 'Project' | 'Task', id: string, set: Row): Sql<void> {
  const [names, values] = columns(table, set);
  if (!names.length) return;
  const changed = yield* run(`UPDATE "${table}" SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE "id" = ?`, ...values, id);
  if (changed === 0) throw new Error(`no ${table} ${id} to update`);
}

function* timeline({ workflowId, projectId }: Stream, e: ProjectionEvent, row: { actor?: string | null; taskId?: string; taskType?: string; outcome?: string; comment?: string | null; data?: unknown }): Sql<void> {
  yield* insert('TimelineEvent', {
    workflowId, projectId, seq: e.seq, at: new Date(e.at), kind: e.kind, actor: row.actor ?? null, taskId: row.taskId ?? null,
    taskType: row.taskType ?? null, outcome: row.outcome ?? null, comment: row.comment ?? null,
    data: row.data === undefined ? null : jsonParam(row.data),
  });
}

/** The project of a project workflow's event (a calendar event about a project is not one of these). */
function requireProjectId(stream: Stream): string {
  if (!stream.projectId) throw new Error(`${stream.workflowId} is not a project workflow`);
  return stream.projectId;
}

/** The new values of a change set ({ field: { old, new } }). */
const newValues = (changes: Record<string, { old: unknown; new: unknown }>): Row =>
  Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, v.new as Param]));

function* applyOne(stream: Stream, e: ProjectionEvent): Sql<void> {
  const at = new Date(e.at);
  const { workflowId, projectId } = stream;
  switch (e.kind) {
    case 'PROJECT_REGISTERED': {
      const { projectNo, createdBy, ...fields } = e.project;
      yield* insert('Project', {
        ...(fields as Row), id: projectNo, workflowId, stage: e.stage, stageSince: at, policy: jsonParam(e.policy), policyVersion: e.policyVersion ?? 0,
        createdBy, createdAt: at, updatedAt: at,
      });
      yield* timeline(stream, e, { actor: e.actor, data: { stage: e.stage } });
      return;
    }
    case 'STAGE_CHANGED': {
      const { projectNo: _n, createdBy: _c, ...patch } = e.patch;
      yield* updateOne('Project', requireProjectId(stream), { ...(patch as Row), stage: e.to, ...(e.from !== e.to ? { stageSince: at } : {}) });
      yield* timeline(stream, e, {
        actor: e.actor ?? null,
        comment: e.reason ?? null,
        data: { from: e.from, to: e.to, fromName: STAGE_NAMES[e.from], toName: STAGE_NAMES[e.to], ...(Object.keys(patch).length ? { patch } : {}) },
      });
      return;
    }
    case 'TASK_CREATED': {
      const t = e.task;
      yield* insert('Task', {
        id: t.id, workflowId, projectId, type: t.type, title: t.title, stage: t.stage, step: t.step, candidateGroup: t.candidateGroup,
        context: t.context ? jsonParam(t.context) : null,
        status: t.status, dueAt: new Date(t.dueAt), createdAt: new Date(t.createdAt),
      });
      yield* timeline(stream, e, { taskId: t.id, taskType: t.type, data: { title: t.title, candidateGroup: t.candidateGroup, dueAt: t.dueAt } });
      return;
    }
    case 'POLICY_APPLIED': // §9: the project goes on under another policy version
      yield* updateOne('Project', requireProjectId(stream), { policy: jsonParam(e.policy), policyVersion: e.to });
      yield* timeline(stream, e, { actor: e.actor, data: { from: e.from, to: e.to } });
      return;
    case 'PROJECT_REROUTED': { // §9 routing corrections: the project's units, and the open tasks that follow them
      yield* updateOne('Project', requireProjectId(stream), newValues(e.changes));
      for (const m of e.moved) {
        yield* updateOne('Task', m.taskId, { candidateGroup: m.to, status: 'OPEN', claimedBy: null, claimedAt: null });
      }
      yield* timeline(stream, e, { actor: e.actor, comment: e.reason, data: { changes: e.changes, moved: e.moved } });
      return;
    }
    case 'PROJECT_AMENDED':
      yield* updateOne('Project', requireProjectId(stream), newValues(e.changes));
      yield* timeline(stream, e, { actor: e.actor, comment: e.reason, data: { changes: e.changes } });
      return;
    case 'FACTOR_ISSUE_RAISED':
      yield* timeline(stream, e, { actor: e.actor, taskId: e.taskId, taskType: 'factor.issue' satisfies TaskTypeName, data: e.issue });
      return;
    case 'SPECIAL_DISPATCH_OPENED': // 八 专题调度: who or what asked, and why
      yield* timeline(stream, e, { actor: e.actor ?? null, taskId: e.taskId, taskType: 'meeting.specialDispatch' satisfies TaskTypeName, comment: e.reason, data: { trigger: e.trigger } });
      return;
    case 'TASK_ASSIGNED':
      yield* updateOne('Task', e.taskId, e.assignee ? { status: 'CLAIMED', claimedBy: e.assignee, claimedAt: at } : { status: 'OPEN', claimedBy: null, claimedAt: null });
      yield* timeline(stream, e, { actor: e.actor, taskId: e.taskId, taskType: e.taskType, data: { assignee: e.assignee } });
      return;
    case 'TASK_CLAIMED':
      yield* updateOne('Task', e.taskId, { status: 'CLAIMED', claimedBy: e.actor, claimedAt: at });
      yield* timeline(stream, e, { actor: e.actor, taskId: e.taskId, taskType: e.taskType });
      return;
    case 'TASK_COMPLETED':
      yield* updateOne('Task', e.taskId, {
        status: 'COMPLETED', outcome: e.outcome, comment: e.comment, data: e.data === undefined ? undefined : jsonParam(e.data), completedBy: e.actor, completedAt: at,
      });
      yield* timeline(stream, e, { actor: e.actor, taskId: e.taskId, taskType: e.taskType, outcome: e.outcome, comment: e.comment, data: e.data });
      return;
    case 'TASK_CANCELLED':
      yield* updateOne('Task', e.taskId, { status: 'CANCELLED', comment: e.reason });
      yield* timeline(stream, e, { taskId: e.taskId, taskType: e.taskType, comment: e.reason });
      return;
    case 'TASK_LADDER': {
      yield* updateOne('Task', e.taskId, { escalationLevel: e.level, overdue: e.level >= 1 });
      const task = (yield* get<{ title: string; projectName: string | null }>(
        'SELECT t."title" AS "title", p."name" AS "projectName" FROM "Task" t LEFT JOIN "Project" p ON p."id" = t."projectId" WHERE t."id" = ?', e.taskId))!;
      const about = task.projectName !== null ? `项目「${task.projectName}」的任务` : '县级任务';
      const recipients = yield* recipientsForSql(e.step, e.candidateGroup);
      yield* timeline(stream, e, {
        taskId: e.taskId, taskType: e.taskType,
        data: { step: e.step, stepName: LADDER_STEP_NAMES[e.step], level: e.level, dueAt: e.dueAt, recipients: recipients.map((r) => r.username) },
      });
      yield* writeNoticeSql({
        dedupeKey: `${stream.dedupe}#${e.seq}`, projectId, taskId: e.taskId,
        kind: e.step === 'REMINDER' ? 'REMINDER' : e.step === 'OVERDUE' ? 'OVERDUE' : 'ESCALATION',
        level: e.level,
        title: `【${LADDER_STEP_NAMES[e.step]}】${task.projectName !== null ? `${task.projectName}：` : ''}${task.title}`,
        body: `${about}「${task.title}」(${e.taskId}) 应于 ${e.dueAt.slice(0, 10)} 前完成，现${LADDER_STEP_NAMES[e.step]}。`,
        createdAt: at,
      }, recipients);
      return;
    }
  }
}
