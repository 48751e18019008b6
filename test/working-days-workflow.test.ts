// §4 工作日 in the workflows, on the time-skipping server with a real worker and a real SQLite
// projection: a project counts its due times and its ladder with the holiday table it pinned when it
// started, takes a newer table only from its own history (the 月研判's monthly Update), and its history
// replays whatever chinese-days is installed — the workflow code does not contain the package's table.
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHINESE_DAYS_TABLE } from '../domain/holiday-table';
import { DAY_MS, type Policy } from '../domain/policy';
import { shanghaiDate } from '../domain/shanghai-time';
import { dueAtOf, isWorkingDay, type HolidayTable } from '../domain/working-days';
import { workflowBundle } from '../harness/temporal';
import { registerProject } from '../api/register-project';
import { LEAD, startWorkflowEnv, type WorkflowEnv } from '../harness/workflow-env';
import { openCalendarTaskUpdate, snapshotQuery } from '../workflows/messages/project';
import { eventually } from './helpers/eventually';
import { ladderAt } from './helpers/ladder';

let w: WorkflowEnv;
beforeAll(async () => {
  w = await startWorkflowEnv('wdays');
});
afterAll(async () => w?.teardown());

const dateAfter = (ms: number, days: number) => shanghaiDate(ms + days * DAY_MS);
const yearsAround = (ms: number) => [0, 1, 2].map((n) => Number(shanghaiDate(ms).slice(0, 4)) - 1 + n);

/**
 * A table invented around today, so the test means the same whenever it runs: the next ten days are a
 * holiday (a 国庆-like week), and the first weekend day after them is a 调休 make-up day.
 */
function inventedTable(nowMs: number, source: string): HolidayTable {
  const holidays = Array.from({ length: 10 }, (_, i) => dateAfter(nowMs, i + 1));
  let makeUp = 11;
  while (![0, 6].includes(new Date(`${dateAfter(nowMs, makeUp)}T00:00:00Z`).getUTCDay())) makeUp++;
  return { source, years: yearsAround(nowMs), holidays, makeUpDays: [dateAfter(nowMs, makeUp)] };
}

describe('§4 working days in a project workflow', () => {
  it('counts with the table the run pinned, takes a newer one from the 月研判, and replays regardless of the installed table', async () => {
    const now = await w.env.currentTimeMs();
    const pinned = inventedTable(now, 'test: a holiday of ten days');
    const p = await w.register({ name: '工作日·固定节假日表' }, { holidays: pinned });
    const handle = w.env.client.workflow.getHandle(p.workflowId);
    const lead = (await handle.query(snapshotQuery)).openTasks[0];

    // 7 working days after ten days off, the make-up day counting as one: at 17:30 of the seventh
    const expected = dueAtOf(pinned, Date.parse(lead.createdAt), 7).dueAtMs;
    expect(Date.parse(lead.dueAt)).toBe(expected);
    expect(Date.parse(lead.dueAt)).not.toBe(dueAtOf(CHINESE_DAYS_TABLE, Date.parse(lead.createdAt), 7).dueAtMs); // not the installed table's
    expect(Date.parse(lead.dueAt) - Date.parse(lead.createdAt)).toBeGreaterThan(17 * DAY_MS - DAY_MS); // ten days off, seven worked
    expect(new Date(Date.parse(lead.dueAt) + 8 * 3600_000).toISOString().slice(11, 16)).toBe('17:30');
    const projected = await w.store.db.task.findUniqueOrThrow({ where: { id: lead.id } });
    expect(projected.dueAt.toISOString()).toBe(lead.dueAt);

    // the ladder counts working days too: the reminder falls two working days before D, not a minute sooner
    const steps = ladderAt(lead, w.policy, pinned);
    expect(isWorkingDay(pinned, shanghaiDate(steps.REMINDER!))).toBe(true);
    await w.env.sleep(steps.REMINDER! - 60_000 - (await w.env.currentTimeMs()));
    expect(await w.store.db.notification.count({ where: { taskId: lead.id } })).toBe(0);
    await w.env.sleep(120_000);
    await eventually(async () => expect(await w.store.db.notification.count({ where: { taskId: lead.id, kind: 'REMINDER' } })).toBe(1));

    // the 月研判 brings a newer table (here: one with no holidays at all); tasks opened later count with it
    const newer: HolidayTable = { source: 'test: no holidays', years: pinned.years, holidays: [], makeUpDays: [] };
    await handle.executeUpdate(openCalendarTaskUpdate, {
      args: [{ type: 'monthly.progress', key: 'test', dueAt: new Date((await w.env.currentTimeMs()) + 4 * DAY_MS).toISOString(), context: { period: 'test' }, holidays: newer }],
    });
    const after = await w.step(p.workflowId);
    const contact = after.openTasks.find((t) => t.type === 'contact.inspect')!;
    expect(Date.parse(contact.dueAt)).toBe(dueAtOf(newer, Date.parse(contact.createdAt), 30).dueAtMs);
    // the task opened before keeps its due time
    expect((await w.store.db.task.findUniqueOrThrow({ where: { id: lead.id } })).dueAt.toISOString()).toBe(lead.dueAt);

    // replay: the history holds both tables, the workflow code holds none — a newer chinese-days changes nothing
    const bundle = await workflowBundle();
    expect(bundle.code).not.toContain('国庆节'); // the package's table (its holiday names) is not bundled
    await Worker.runReplayHistory({ workflowBundle: bundle }, await handle.fetchHistory(), p.workflowId);
  });

  it('counts calendar days where the policy says so, and in a run that pinned no table (one started before working days)', async () => {
    const register = (policy: Policy, name: string) => registerProject({ db: w.store.db, temporal: w.env.client, taskQueue: w.taskQueue, policy }, { ...LEAD, name }, 'info1');
    const byCalendar = await register({ ...w.policy, dayCounting: { ...w.policy.dayCounting, dueDays: 'CALENDAR' } }, '工作日·按日历日');
    const t1 = (await w.env.client.workflow.getHandle(byCalendar.workflowId).query(snapshotQuery)).openTasks[0];
    expect(Date.parse(t1.dueAt) - Date.parse(t1.createdAt)).toBe(7 * DAY_MS);

    // a policy recorded before working days (no dayCounting) counts calendar days whatever table it holds
    const { dayCounting: _, ...older } = w.policy;
    const legacy = await register(older as Policy, '工作日·旧政策');
    const t2 = (await w.env.client.workflow.getHandle(legacy.workflowId).query(snapshotQuery)).openTasks[0];
    expect(Date.parse(t2.dueAt) - Date.parse(t2.createdAt)).toBe(7 * DAY_MS);
  });
});
