// Issue 15, goal 1: a project's task completed through the API is answered in the one workflow task that
// decides it (projectedByCaller): the API writes the events the Update answered before it answers, and
// the workflow's projection activity writes the same events right after — whichever comes second
// writes nothing; the Web UI's search attributes follow that write. Nothing is lost when the caller never writes them, and the completion stands when
// the API's write fails.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { applyProjectionEvents } from '../activities/projection';
import { NAMED_UNITS } from '../domain/units';
import { actorNamed, forward } from '../harness/pipeline';
import { completeTaskUpdate } from '../workflows/messages/tasks';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';

const { EventType } = temporal.api.enums.v1;
const ACCEPT = forward('lead.verify', { landingSiteId: NAMED_UNITS.nanzhou, responsibleUnitId: 'R09' });

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('completion-answer');
});
afterAll(async () => a?.teardown());

/** registers a lead; its project and its open lead.verify task */
const register = async (name: string) => {
  const { id: projectId, workflowId } = await a.registerLead(name);
  const task = await a.store.db.task.findFirstOrThrow({ where: { projectId, type: 'lead.verify' } });
  return { projectId: projectId as string, workflowId: workflowId as string, taskId: task.id };
};
const history = async (workflowId: string) => (await a.temporal.client.workflow.getHandle(workflowId).fetchHistory()).events!.map((e) => e.eventType);
const seqsOf = async (projectId: string) => (await a.store.db.timelineEvent.findMany({ where: { projectId }, orderBy: { seq: 'asc' }, select: { seq: true } })).map((e) => e.seq);

describe('a completion answered in one workflow task (issue 15)', () => {
  it('is in the database when the API answers, each event once, and the answer did not wait for the projection activity', async () => {
    const p = await register('一次应答·甲项目');
    const done = await a.call('POST', `/api/v1/tasks/${p.taskId}/complete`, { as: 'info1', body: ACCEPT });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ taskId: p.taskId, outcome: 'accept', stage: 'CONTACT' });
    expect(done.body).not.toHaveProperty('unwritten');
    // read at once, no waiting: the completion, the stage and the next task are written
    expect(await a.store.db.task.findUniqueOrThrow({ where: { id: p.taskId } })).toMatchObject({ status: 'COMPLETED', outcome: 'accept', completedBy: 'info1' });
    const project = await a.store.db.project.findUniqueOrThrow({ where: { id: p.projectId } });
    expect(project).toMatchObject({ stage: 'CONTACT', landingSiteId: NAMED_UNITS.nanzhou, responsibleUnitId: 'R09' });
    const next = await a.store.db.task.findMany({ where: { projectId: p.projectId, status: 'OPEN' } });
    expect(next.map((t) => [t.type, t.candidateGroup])).toEqual([['contact.inspect', 'UNIT:R09']]);
    expect((await seqsOf(p.projectId)).at(-1)).toBe(project.lastSeq);

    // the history: no activity completed between the Update's acceptance and its answer; the
    // projection activity ran after the answer, and wrote nothing again
    const types = await eventually(async () => {
      const t = await history(p.workflowId);
      const completed = t.lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
      expect(t.slice(completed)).toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
      // the Web UI's search attributes follow the write, in the workflow task after the answer
      expect(t.slice(completed)).toContain(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
      return t;
    });
    const accepted = types.lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
    const completed = types.lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
    expect(completed).toBeGreaterThan(accepted);
    expect(types.slice(accepted, completed)).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);
    expect(types.slice(accepted, completed)).not.toContain(EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
    await eventually(async () => {
      const ids: string[] = [];
      for await (const w of a.temporal.client.workflow.list({ query: `ProjectStage="CONTACT" AND WorkflowId="${p.workflowId}"` })) ids.push(w.workflowId);
      expect(ids).toEqual([p.workflowId]);
    });
    const seqs = await seqsOf(p.projectId);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));

    // the same completion again: the same answer, nothing written twice
    const again = await a.call('POST', `/api/v1/tasks/${p.taskId}/complete`, { as: 'info1', body: ACCEPT });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ taskId: p.taskId, outcome: 'accept', stage: 'CONTACT' });
    expect(await seqsOf(p.projectId)).toEqual(seqs);
  });

  it('loses nothing when the caller never writes what it was answered: the workflow\'s projection activity writes it', async () => {
    const p = await register('一次应答·乙项目');
    const actor = await actorNamed(a.store.db, 'info1');
    const answer = await a.temporal.client.workflow.getHandle(p.workflowId).executeUpdate(completeTaskUpdate, {
      args: [{ taskId: p.taskId, ...ACCEPT, actor, projectedByCaller: true, publishAfterWrite: true }],
    });
    expect(answer.stage).toBe('CONTACT');
    expect(answer.unwritten!.map((e) => e.kind)).toEqual(['TASK_COMPLETED', 'STAGE_CHANGED', 'TASK_CREATED']);
    // the caller stops here; the workflow writes the events itself
    await eventually(async () => {
      expect(await a.store.db.task.findUniqueOrThrow({ where: { id: p.taskId } })).toMatchObject({ status: 'COMPLETED' });
    });
    expect((await a.store.db.project.findUniqueOrThrow({ where: { id: p.projectId } })).lastSeq).toBe(answer.unwritten!.at(-1)!.seq);
    // a caller that writes late writes nothing
    expect(await applyProjectionEvents(a.store.db, p.workflowId, answer.unwritten!)).toEqual({ applied: 0 });
    const seqs = await seqsOf(p.projectId);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
  });

  it('answers 200 when the API cannot write (the database busy): the completion stands and the projection activity writes it later', async () => {
    const p = await register('一次应答·丙项目');
    // another process holds the database's write lock past the API's wait for it (better-sqlite3: 5 s)
    const other = new Database(a.store.url.replace(/^file:/, ''));
    other.exec('BEGIN IMMEDIATE');
    let held = true;
    try {
      const done = await a.call('POST', `/api/v1/tasks/${p.taskId}/complete`, { as: 'info1', body: ACCEPT });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({ taskId: p.taskId, stage: 'CONTACT' });
      expect(await a.store.db.task.findUniqueOrThrow({ where: { id: p.taskId } })).toMatchObject({ status: 'OPEN' });
      other.exec('ROLLBACK');
      held = false;
      await eventually(async () => {
        expect(await a.store.db.task.findUniqueOrThrow({ where: { id: p.taskId } })).toMatchObject({ status: 'COMPLETED', outcome: 'accept' });
      }, 60_000);
      const seqs = await seqsOf(p.projectId);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(await a.store.db.projectionFailure.count()).toBe(0);
    } finally {
      if (held) other.exec('ROLLBACK');
      other.close();
    }
  }, 120_000);
});
