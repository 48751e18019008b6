// Continue-as-new on the real dev server (the time-skipping test server loses its time-skipping lock
// when a run continues as new during a skip, so this runs in real time with a policy of seconds):
// the whole state goes into the next run — open tasks and their ladders, answers to completions of
// the earlier run, search attributes, the summary memo — and the timeline stays one unbroken sequence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerProject } from '../api/register-project';
import { TASK_TYPE_NAMES } from '../domain/pipeline';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { NAMED_UNITS } from '../domain/units';
import { completeTaskUpdate } from '../workflows/messages/tasks';
import { snapshotQuery } from '../workflows/messages/project';
import { SA } from '../workflows/search-attributes';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';
import { actorNamed, DEMO_USER_FOR_GROUP, forward } from '../harness/pipeline';
import { LEAD } from '../harness/workflow-env';

const SECOND_IN_DAYS = 1 / 86400;
/** Every task due 6 s after it opens, reminded 3 s before; the higher levels far away. */
const FAST: Policy = {
  ...DEFAULT_POLICY,
  version: 'test: seconds',
  dayCounting: { ...DEFAULT_POLICY.dayCounting, dueDays: 'CALENDAR', ladder: 'CALENDAR' }, // seconds are calendar time
  dueDays: Object.fromEntries(TASK_TYPE_NAMES.map((k) => [k, 6 * SECOND_IN_DAYS])) as Policy['dueDays'],
  ladder: { reminderBeforeDays: 3 * SECOND_IN_DAYS, level2AfterDays: 100, level3AfterDays: 200, level4AfterDays: 300 },
};

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('can');
});
afterAll(async () => a?.teardown());

describe('continue-as-new', () => {
  it('carries the whole state into the next run', async () => {
    const p = await registerProject(
      { db: a.store.db, temporal: a.temporal.client, taskQueue: a.taskQueue, policy: FAST, continueAsNewAfterEvents: 40 },
      { ...LEAD, name: '续跑测试项目' }, 'info1',
    );
    const handle = a.temporal.client.workflow.getHandle(p.workflowId);
    const first = (await handle.describe()).runId;
    const step = async () => {
      const snap = await handle.query(snapshotQuery);
      const task = snap.openTasks[0];
      const actor = await actorNamed(a.store.db, DEMO_USER_FOR_GROUP[task.candidateGroup]);
      return { task, result: await handle.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, actor, ...forward(task.type) }] }) };
    };
    const lead = await step();
    while ((await handle.query(snapshotQuery)).stage !== 'NEGOTIATION') await step();

    await eventually(async () => expect((await handle.describe()).runId).not.toBe(first));
    const desc = await handle.describe();
    expect(desc.status.name).toBe('RUNNING');
    expect(desc.typedSearchAttributes.get(SA.ProjectStage)).toBe('NEGOTIATION');
    expect(desc.memo?.summary).toContain('续跑测试项目');
    // a completion of the first run is answered the same way by the new one
    const again = await handle.executeUpdate(completeTaskUpdate, {
      args: [{ taskId: lead.task.id, actor: await actorNamed(a.store.db, 'info1'), ...forward('lead.verify') }],
    });
    expect(again).toEqual(lead.result);
    // the open task's ladder goes on in the new run: reminded, then overdue, each once
    const task = (await handle.query(snapshotQuery)).openTasks[0];
    expect(task.type).toBe('negotiation.conduct');
    await eventually(async () => {
      expect((await a.store.db.notification.findMany({ where: { taskId: task.id }, orderBy: { id: 'asc' } })).map((n) => n.kind)).toEqual(['REMINDER', 'OVERDUE']);
    }, 30_000);
    // (the projection runs inside the workflow task, before the task's search attributes reach visibility)
    await eventually(async () => expect((await handle.describe()).typedSearchAttributes.get(SA.EscalationLevel)).toBe(1));

    while ((await handle.query(snapshotQuery)).stage !== 'IN_PRODUCTION') await step();
    expect(await handle.result()).toBe('IN_PRODUCTION');
    const seqs = (await a.store.db.timelineEvent.findMany({ where: { projectId: p.projectId }, orderBy: { seq: 'asc' } })).map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // one unbroken timeline across runs
    const stored = await a.store.db.project.findUniqueOrThrow({ where: { id: p.projectId } });
    expect(stored).toMatchObject({ stage: 'IN_PRODUCTION', landingSiteId: NAMED_UNITS.economicZone });
  });
});
