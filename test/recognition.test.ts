// 十 奖励, fast: the county calendar's January run on the time-skipping server with its activities
// mocked (the timer-examples pattern; the reports' own computation is tested against the database in
// test/reports.test.ts). The year's commendations — the best units of each category, the people with the
// best records — go to 县委组织部 as one recognition.review task, once; nothing to commend opens none.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recognitionOf, type PersonYear, type Recognition, type UnitScore } from '../domain/assessment';
import { nextMonthlyRun } from '../domain/cycles';
import type { ProjectionEvent } from '../domain/events';
import type { Actor } from '../domain/organisation';
import { DEFAULT_POLICY } from '../domain/policy';
import { timeSkippingEnv, workflowBundle } from '../harness/temporal';
import type { Activities } from '../workflows/activity-types';
import { COUNTY_CALENDAR_ID, COUNTY_CALENDAR_WORKFLOW, countyTaskId, type CalendarInput } from '../workflows/messages/county-calendar';
import { completeTaskUpdate } from '../workflows/messages/tasks';
import { createWorker } from '../worker/create';
import { eventually } from './helpers/eventually';
import { refusal } from './helpers/refusal';

const orgdept: Actor = { username: 'orgdept', displayName: '县委组织部', groups: ['ROLE:ORG_DEPT'] };
const countyhead: Actor = { username: 'countyhead', displayName: '县长', groups: ['ROLE:COUNTY_HEAD'] };

const unit = (unitId: string, category: 'RESPONSIBLE' | 'LANDING_SITE', rank: number, score: number): UnitScore => ({
  unitId, unitName: unitId, category, rank, of: 3, fromBottom: 4 - rank, tied: false, score,
  figures: { leads: 0, signed: 0, signedInvestmentWan: 0, inProduction: 0, quotaShortfalls: 0, overdueTasks: 0, escalations: 0, tasks: 0, tripsRequired: 0 },
});
const person = (username: string, signedInvestmentWan: number, overdueTasks = 0, signed = 1): PersonYear => ({
  personId: `p-${username}`, username, displayName: username, unitId: null, unitName: null, leads: 2, signed, signedInvestmentWan, overdueTasks,
});

describe('十 奖励 — who is commended (policy.recognition)', () => {
  it('the best units of each category with a positive score; the most signed investment among people with no overdue task', () => {
    const rankings = [unit('R01', 'RESPONSIBLE', 1, 30), unit('R02', 'RESPONSIBLE', 2, 12), unit('R03', 'RESPONSIBLE', 3, 5), unit('L01', 'LANDING_SITE', 1, -3)];
    const people = [person('a', 50_000), person('b', 90_000, 1), person('c', 50_000, 0, 2), person('d', 0), person('e', 10_000)];
    const r = recognitionOf(rankings, people, DEFAULT_POLICY);
    expect(r.units.map((u) => u.unitId)).toEqual(['R01', 'R02']); // L01 is first of its category, but below zero: not commended
    expect(r.people.map((p) => p.username)).toEqual(['c', 'a', 'e']); // b has an overdue task; d signed nothing; c and a tie on amount: more signings first
    expect(r.rule).toContain('前 2 位');
    const one = recognitionOf(rankings, people, { ...DEFAULT_POLICY, recognition: { unitsPerCategory: 1, people: 1 } });
    expect([one.units.map((u) => u.unitId), one.people.map((p) => p.username)]).toEqual([['R01'], ['c']]);
  });
});

/** What the mocked projection was given. */
const written: ProjectionEvent[] = [];
let recognition: Recognition | null = null;
const activities: Activities = {
  async applyProjection(_workflowId, events) {
    written.push(...events);
    return { applied: events.length };
  },
  async recordProjectionFailure() {},
  async openMonthlyProgress(run) { return { month: run.month, opened: [], alreadyOpen: [], ended: [] }; },
  async storeMonthlyAgenda() { return { items: 0, flagged: 0, meeting: [] }; },
  async storeQuarterlyBulletin() { return { signed: 0, dispatch: 0, quotaShortfalls: 0, meeting: [] }; },
  async storeAnnualAssessment() { return { units: 4, accountability: [], standings: [], recognition }; },
  async remindTripQuota() { return { reminded: 0 }; },
  async actOnMeetingDecisions() { return []; },
  async relayDeliveries() { throw new Error('not an activity of the county calendar'); },
};

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
const taskQueue = 'recognition-tq';
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

/** Moves the server's clock past the calendar's next run in January, and returns the year it assesses. */
async function pastNextJanuary(): Promise<number> {
  let run = nextMonthlyRun(await env.currentTimeMs());
  while (!run.month.endsWith('-01')) run = nextMonthlyRun(run.at.getTime());
  await env.sleep(run.at.getTime() + 3_600_000 - (await env.currentTimeMs()));
  return Number(run.month.slice(0, 4)) - 1;
}
const createdTasks = () => written.flatMap((e) => (e.kind === 'TASK_CREATED' ? [e.task] : []));

describe('十 奖励 in the county calendar', () => {
  it('opens one recognition.review for 县委组织部 with the list in January; nothing to commend opens none', async () => {
    const input: CalendarInput = { policy: DEFAULT_POLICY };
    const handle = await env.client.workflow.start(COUNTY_CALENDAR_WORKFLOW, { workflowId: COUNTY_CALENDAR_ID, taskQueue, args: [input] });

    recognition = { rule: '无', units: [], people: [] };
    const nothing = await pastNextJanuary();
    await eventually(async () => expect(written.some((e) => e.kind === 'TASK_CREATED')).toBe(false));
    expect(createdTasks().filter((t) => t.type === 'recognition.review')).toEqual([]);

    recognition = recognitionOf([unit('R01', 'RESPONSIBLE', 1, 30)], [person('commerce1', 60_000)], DEFAULT_POLICY);
    const year = await pastNextJanuary();
    expect(year).toBe(nothing + 1);
    const task = await eventually(async () => {
      const t = createdTasks().find((x) => x.type === 'recognition.review');
      expect(t).toBeDefined();
      return t!;
    });
    expect(task).toMatchObject({
      id: countyTaskId.recognition(year), candidateGroup: 'ROLE:ORG_DEPT', title: '评先评优审核（年度考核）',
      context: { year, units: [{ unitId: 'R01', rank: 1 }], people: [{ username: 'commerce1', signedInvestmentWan: 60_000 }] },
    });

    // only 县委组织部 reviews it, with its opinion
    const calendar = env.client.workflow.getHandle(COUNTY_CALENDAR_ID);
    expect((await refusal(calendar.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, outcome: 'reviewed', data: { opinion: '同意' }, actor: countyhead }] }))).type).toBe('FORBIDDEN');
    const missing = await refusal(calendar.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, outcome: 'reviewed', data: {}, actor: orgdept }] }));
    expect(missing.details?.[0]).toEqual([{ field: 'data.opinion', message: expect.any(String) }]);
    await calendar.executeUpdate(completeTaskUpdate, { args: [{ taskId: task.id, outcome: 'reviewed', data: { opinion: '同意表彰，推荐优先提拔重用' }, actor: orgdept }] });
    expect(written.find((e) => e.kind === 'TASK_COMPLETED' && e.taskId === task.id)).toMatchObject({ actor: 'orgdept', data: { opinion: '同意表彰，推荐优先提拔重用' } });
    await handle.terminate('test done');
  });
});
