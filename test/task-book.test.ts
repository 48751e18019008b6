// The task book and its §4 ladder, fast: the real workflow code on the time-skipping server, with the
// activities mocked (the timer-examples pattern of temporalio/samples-typescript) — no database, no
// migrations, so a change to workflows/task-book.ts or workflows/plumbing.ts is checked in seconds.
// The projection is what the mocked activity receives: the journal's batches of events.
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectionEvent } from '../domain/events';
import type { Actor } from '../domain/organisation';
import { DAY_MS, DEFAULT_POLICY } from '../domain/policy';
import { workflowIdOf, type ProjectFields } from '../domain/project';
import { NAMED_UNITS } from '../domain/units';
import { timeSkippingEnv, workflowBundle } from '../harness/temporal';
import type { Activities, ProjectionFailure } from '../workflows/activity-types';
import { PROJECT_WORKFLOW, snapshotQuery, syncUpdate, type ProjectWorkflowInput } from '../workflows/messages/project';
import { assignTaskUpdate, claimTaskUpdate, completeTaskUpdate, type CompleteTaskInput } from '../workflows/messages/tasks';
import { createWorker } from '../worker/create';
import { eventually } from './helpers/eventually';
import { refusal } from './helpers/refusal';

const info1: Actor = { username: 'info1', displayName: '专班成员甲', groups: ['TF:INFO'] };
const info2: Actor = { username: 'info2', displayName: '专班成员乙', groups: ['TF:INFO'] };
const outsider: Actor = { username: 'kfq1', displayName: '开发区人员', groups: [`UNIT:${NAMED_UNITS.economicZone}`] };
const admin: Actor = { username: 'admin', displayName: '系统管理员', groups: [], admin: true };
const accept = { outcome: 'accept', data: { landingSiteId: NAMED_UNITS.nanzhou, responsibleUnitId: NAMED_UNITS.economicZone } };

/** What the mocked projection activity was given, per workflow, in the order it was given. */
const written = new Map<string, ProjectionEvent[]>();
/** The batches the mocked projection refused for good, as the workflow recorded them. */
const failures: ProjectionFailure[] = [];
/** A workflow whose next batch the mocked projection refuses for good (bad data). */
let rejectNextOf: string | null = null;
/** A projection a test holds back: the activity waits until the test lets it go. */
let held: { entered: () => void; release: Promise<void> } | null = null;
const notCalled = async (): Promise<never> => {
  throw new Error('not an activity of the project workflow');
};
const activities: Activities = {
  async applyProjection(workflowId, events) {
    if (rejectNextOf === workflowId) {
      rejectNextOf = null;
      throw ApplicationFailure.nonRetryable('the events hold what no database stores', 'PROJECTION_REJECTED');
    }
    if (held) {
      const h = held;
      held = null;
      h.entered();
      await h.release;
    }
    written.set(workflowId, [...(written.get(workflowId) ?? []), ...events]);
    return { applied: events.length };
  },
  async recordProjectionFailure(f) {
    failures.push(f);
  },
  storeMonthlyAgenda: notCalled, storeQuarterlyBulletin: notCalled, storeAnnualAssessment: notCalled,
  openMonthlyProgress: notCalled, actOnMeetingDecisions: notCalled, remindTripQuota: notCalled, relayDeliveries: notCalled,
};

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = 'task-book-tq';

beforeAll(async () => {
  const [e, bundle] = await Promise.all([timeSkippingEnv(), workflowBundle()]);
  env = e;
  worker = await createWorker({ connection: env.nativeConnection, namespace: env.namespace ?? 'default', taskQueue, workflowBundle: bundle, activities });
  running = worker.run();
});
afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await env?.teardown();
});

let projects = 0;
/** Starts a project workflow and waits until its first task is open. */
async function start(opts: { rejectFirstBatch?: boolean } = {}) {
  const project: ProjectFields = {
    projectNo: `NX-2026-${String(++projects).padStart(4, '0')}`, createdBy: 'info1', name: '快测项目', investor: '某食品有限公司',
    investorOrigin: 'LOCAL', industryChain: 'FOOD', channel: 'OTHER', plannedInvestmentWan: 1000, sourceUnitId: NAMED_UNITS.commerce,
    isMajor: false, isCaseByCase: false,
  };
  const args: ProjectWorkflowInput = { project, policy: DEFAULT_POLICY };
  if (opts.rejectFirstBatch) rejectNextOf = workflowIdOf(project.projectNo);
  const handle = await env.client.workflow.start(PROJECT_WORKFLOW, { workflowId: workflowIdOf(project.projectNo), taskQueue, args: [args] });
  const snap = await handle.executeUpdate(syncUpdate);
  return { handle, workflowId: handle.workflowId, task: snap.openTasks[0] };
}
const eventsOf = (workflowId: string) => written.get(workflowId) ?? [];
const ladderOf = (workflowId: string, taskId: string) => eventsOf(workflowId)
  .flatMap((e) => (e.kind === 'TASK_LADDER' && e.taskId === taskId ? [`${e.step}:${e.level}`] : []));
/** Moves the server's clock to `ms` past an instant. */
const skipTo = async (at: number, ms = 60_000) => env.sleep(at + ms - (await env.currentTimeMs()));

describe('the §4 ladder of an open task', () => {
  it('steps at D−2, D, D+7, D+15 and D+30, once each, raising the task\'s and the project\'s level; completing stops it', async () => {
    const { handle, workflowId, task } = await start();
    const due = Date.parse(task.dueAt);
    expect(due - Date.parse(task.createdAt)).toBe(DEFAULT_POLICY.dueDays['lead.verify'] * DAY_MS);

    await skipTo(due - 2 * DAY_MS, -60_000); // a minute before D − 2
    expect(ladderOf(workflowId, task.id)).toEqual([]);
    await skipTo(due - 2 * DAY_MS);
    await eventually(async () => expect(ladderOf(workflowId, task.id)).toEqual(['REMINDER:0']));
    await skipTo(due);
    await eventually(async () => expect(ladderOf(workflowId, task.id)).toEqual(['REMINDER:0', 'OVERDUE:1']));
    expect((await handle.query(snapshotQuery)).escalationLevel).toBe(1);

    await skipTo(due + 30 * DAY_MS);
    await eventually(async () => expect(ladderOf(workflowId, task.id)).toEqual(['REMINDER:0', 'OVERDUE:1', 'LEVEL_2:2', 'LEVEL_3:3', 'LEVEL_4:4']));
    const snap = await handle.query(snapshotQuery);
    expect(snap.escalationLevel).toBe(4);
    expect(snap.openTasks[0]).toMatchObject({ id: task.id, escalationLevel: 4 });

    // completed: nothing more for it, however long; the next task has a ladder of its own
    const done = await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actor: info1, ...accept }] });
    expect(done).toMatchObject({ stage: 'CONTACT', openTasks: [{ type: 'contact.inspect', escalationLevel: 0 }] });
    await skipTo(Date.parse(done.openTasks[0].dueAt));
    await eventually(async () => expect(ladderOf(workflowId, done.openTasks[0].id)).toEqual(['REMINDER:0', 'OVERDUE:1']));
    expect(ladderOf(workflowId, task.id)).toHaveLength(5);
    expect((await handle.query(snapshotQuery)).escalationLevel).toBe(1);
  });
});

describe('claiming, assigning and completing a task (§1, §7)', () => {
  it('lets only the candidate group act, honours a claim, lets ADMIN reassign but not complete, and answers a repeated completion the same way', async () => {
    const { handle, workflowId, task } = await start();
    const complete = (c: Omit<CompleteTaskInput, 'taskId'>) => handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, ...c }] });
    const claim = (actor: Actor) => handle.executeUpdate(claimTaskUpdate, { args: [{ taskId: task.id, actor }] });
    const assign = (actor: Actor, assignee: Actor | null) => handle.executeUpdate(assignTaskUpdate, { args: [{ taskId: task.id, actor, assignee }] });

    expect((await refusal(claim(outsider))).type).toBe('FORBIDDEN');
    expect(await claim(info1)).toMatchObject({ status: 'CLAIMED', claimedBy: 'info1' });
    expect(await claim(info1)).toMatchObject({ status: 'CLAIMED', claimedBy: 'info1' }); // again: nothing new
    expect((await refusal(claim(info2))).type).toBe('CONFLICT');
    expect((await refusal(complete({ actor: info2, ...accept }))).type).toBe('CONFLICT');
    expect((await refusal(complete({ actor: admin, ...accept }))).type).toBe('FORBIDDEN');
    expect((await refusal(assign(info1, info2))).type).toBe('FORBIDDEN'); // only ADMIN assigns
    expect((await refusal(assign(admin, outsider))).message).toContain('的候选组「项目信息收集专班」（TF:INFO）中');
    expect(await assign(admin, info2)).toMatchObject({ status: 'CLAIMED', claimedBy: 'info2' });
    expect((await refusal(assign(info1, null))).type).toBe('FORBIDDEN'); // no longer the claimer
    expect(await assign(info2, null)).toMatchObject({ status: 'OPEN', claimedBy: null });

    // refused before anything is written: the validator names the field
    const before = eventsOf(workflowId).length;
    const bad = await refusal(complete({ actor: info1, outcome: 'accept', data: { landingSiteId: 'R01', responsibleUnitId: 'R01' } }));
    expect(bad.type).toBe('VALIDATION');
    expect((bad.details?.[0] as { field: string }[]).map((d) => d.field)).toEqual(['data.landingSiteId']);
    expect((await refusal(complete({ actor: info1, outcome: 'discard' }))).message).toContain('须填写办理意见');
    expect(eventsOf(workflowId)).toHaveLength(before);

    const first = await complete({ actor: info1, ...accept });
    expect(await complete({ actor: info1, ...accept })).toEqual(first);
    expect(await complete({ actor: info2, ...accept })).toEqual(first); // anyone of the group may see the answer again
    expect((await refusal(complete({ actor: info1, outcome: 'discard', comment: '改变主意' }))).type).toBe('CONFLICT');

    // the journal: every event once, numbered from 1 without a gap, in the order the workflow decided
    await eventually(async () => expect(eventsOf(workflowId).map((e) => e.kind)).toEqual([
      'PROJECT_REGISTERED', 'TASK_CREATED', 'TASK_CLAIMED', 'TASK_ASSIGNED', 'TASK_ASSIGNED', 'TASK_COMPLETED', 'STAGE_CHANGED', 'TASK_CREATED',
    ]));
    expect(eventsOf(workflowId).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

describe('a completion that arrives while another is being recorded (§7)', () => {
  it('is answered as the first when it is the same, refused as a conflict when it is not — never "not found"', async () => {
    const { handle, task } = await start();
    const complete = (c: Omit<CompleteTaskInput, 'taskId'>) => handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, ...c }] });
    // the first completion's projection is held, so its handler is under way when the others arrive
    let entered!: () => void;
    const inActivity = new Promise<void>((r) => (entered = r));
    let release!: () => void;
    held = { entered, release: new Promise<void>((r) => (release = r)) };
    const first = complete({ actor: info1, ...accept });
    await inActivity;
    const same = complete({ actor: info2, ...accept });
    const otherOutcome = refusal(complete({ actor: info2, outcome: 'discard', comment: '放弃' }));
    const otherData = refusal(complete({ actor: info1, outcome: 'accept', data: { ...accept.data, responsibleUnitId: NAMED_UNITS.commerce } }));
    const otherComment = refusal(complete({ actor: info1, ...accept, comment: '补充说明' }));
    expect((await otherOutcome).type).toBe('CONFLICT');
    expect((await otherData).message).toContain('当时的数据或办理意见与本次提交的不同');
    expect((await otherComment).type).toBe('CONFLICT');
    release();
    const result = await first;
    expect(await same).toEqual(result);
    // the same data in another key order is the same completion
    expect(await complete({ actor: info1, outcome: 'accept', data: { responsibleUnitId: accept.data.responsibleUnitId, landingSiteId: accept.data.landingSiteId } })).toEqual(result);
  });

  it('refuses a comment or data that is not well-formed text before anything is written', async () => {
    const { handle, workflowId, task } = await start();
    const before = eventsOf(workflowId).length;
    const bad = await refusal(handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actor: info1, outcome: 'discard', comment: '放弃\udfff' }] }));
    expect(bad.type).toBe('VALIDATION');
    expect((bad.details?.[0] as { field: string }[]).map((d) => d.field)).toEqual(['comment']);
    expect(eventsOf(workflowId)).toHaveLength(before);
  });
});

describe('a batch the projection cannot write (bad data)', () => {
  it('is recorded without its data and does not hold the workflow: the project goes on, and later batches are written', async () => {
    const { handle, workflowId, task } = await start({ rejectFirstBatch: true });
    expect(task.type).toBe('lead.verify');
    expect(failures).toEqual([{ workflowId, projectId: workflowId.replace('project-', ''), firstSeq: 1, lastSeq: 2, kinds: 'PROJECT_REGISTERED,TASK_CREATED', error: 'the events hold what no database stores' }]);
    const done = await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actor: info1, ...accept }] });
    expect(done.stage).toBe('CONTACT');
    expect(eventsOf(workflowId).map((e) => e.seq)).toEqual([3, 4, 5]);
  });
});
