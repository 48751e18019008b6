// Records the histories of the pipeline's scenarios on the time-skipping server into
// test/fixtures/histories/, for the replay test (test/replay.test.ts). Run it after a deliberate,
// versioned change of the workflow's behaviour — never to make a failing replay pass:
//   npm run record-histories
import fs from 'node:fs';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { applyProjectionEvents } from '../activities/projection';
import { holidaysForRuns } from '../domain/holiday-table';
import { ladderSchedule } from '../domain/ladder';
import { DAY_MS } from '../domain/policy';
import { dayClock } from '../domain/working-days';
import { shanghaiDate } from '../domain/shanghai-time';
import { NAMED_UNITS } from '../domain/units';
import { amendProjectUpdate, openCalendarTaskUpdate, raiseFactorIssueUpdate, snapshotQuery, terminateProjectUpdate } from '../workflows/messages/project';
import { actorNamed } from '../harness/pipeline';
import { startWorkflowEnv, type WorkflowEnv } from '../harness/workflow-env';
import { PROJECT_ROOT as ROOT } from '../runtime/config';
import { nextMonthlyRun } from '../domain/cycles';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { calendarStateQuery, COUNTY_CALENDAR_ID, countyTaskId } from '../workflows/messages/county-calendar';

export const HISTORIES_DIR = path.join(ROOT, 'test', 'fixtures', 'histories');

/** A scenario returns the workflow to record; `running` ones (the county calendar) are recorded as far as they got. */
const scenarios: Record<string, (w: WorkflowEnv) => Promise<string | { workflowId: string; running: true; earlierRuns: string[] }>> = {
  async 'plain-to-production'(w) {
    const p = await w.register({ name: '回放·普通项目' });
    await w.walkTo(p.workflowId, 'IN_PRODUCTION');
    return p.workflowId;
  },
  async 'case-by-case-deferred-to-production'(w) {
    const p = await w.register({ name: '回放·一事一议项目', isCaseByCase: true });
    await w.walkTo(p.workflowId, 'EXECUTIVE');
    await w.step(p.workflowId, { outcome: 'defer', comment: '补充论证' });
    await w.walkTo(p.workflowId, 'IN_PRODUCTION');
    return p.workflowId;
  },
  async 'returns'(w) {
    const p = await w.register({ name: '回放·退回' });
    await w.walkTo(p.workflowId, 'PRELIM_REVIEW');
    await w.step(p.workflowId, { outcome: 'return', comment: '修改计划书' });
    await w.walkTo(p.workflowId, 'PRE_REVIEW');
    await w.step(p.workflowId, { outcome: 'return', comment: '补充材料' });
    await w.walkTo(p.workflowId, 'REVIEW_MEETING');
    await w.step(p.workflowId, { outcome: 'defer', comment: '暂缓' });
    await w.walkTo(p.workflowId, 'CONTRACT');
    await w.step(p.workflowId);
    await w.step(p.workflowId, { outcome: 'return', comment: '条款修改' });
    await w.walkTo(p.workflowId, 'SIGNING');
    await w.step(p.workflowId, { outcome: 'cancelled', comment: '取消签约' });
    return p.workflowId;
  },
  async 'ladder-to-level-4'(w) {
    const p = await w.register({ name: '回放·督办' });
    await w.step(p.workflowId, undefined, { responsibleUnitId: NAMED_UNITS.economicZone });
    const task = (await w.env.client.workflow.getHandle(p.workflowId).query(snapshotQuery)).openTasks[0];
    // a day past level 4 (D + 30 working days, counted as the run counts them)
    const level4 = ladderSchedule(Date.parse(task.createdAt), Date.parse(task.dueAt), w.policy, dayClock(w.policy, holidaysForRuns(Date.parse(task.createdAt)))).at(-1)!.at;
    await w.env.sleep(level4 + DAY_MS - (await w.env.currentTimeMs()));
    await w.walkTo(p.workflowId, 'PRELIM_REVIEW');
    await w.step(p.workflowId, { outcome: 'reject', comment: '不符合准入条件' });
    return p.workflowId;
  },
  // §4 工作日: a run that pinned the installed holiday table and took a newer one from the 月研判 —
  // it must replay under whatever chinese-days is installed later
  async 'working-days-table-changed'(w) {
    const now = await w.env.currentTimeMs();
    const pinned = holidaysForRuns(now);
    const p = await w.register({ name: '回放·工作日' }, { holidays: pinned });
    await w.walkTo(p.workflowId, 'PLAN');
    const newer = { ...pinned, source: `${pinned.source} + 一个新假日`, holidays: [...pinned.holidays, shanghaiDate(now + 3 * DAY_MS)].sort() };
    await w.env.client.workflow.getHandle(p.workflowId).executeUpdate(openCalendarTaskUpdate, {
      args: [{ type: 'monthly.progress', key: shanghaiDate(now).slice(0, 7), dueAt: new Date(now + 4 * DAY_MS).toISOString(), context: { period: shanghaiDate(now).slice(0, 7) }, holidays: newer }],
    });
    await w.walkTo(p.workflowId, 'IN_PRODUCTION');
    return p.workflowId;
  },
  // 八 月研判, issue 15: the monthly fan-out's Update (projectedByCaller) writes the task itself; the
  // project's own next batch (an amendment) carries the same events again; the task is reported
  async 'monthly-progress-by-fan-out'(w) {
    const now = await w.env.currentTimeMs();
    const p = await w.register({ name: '回放·月研判扇出' });
    const handle = w.env.client.workflow.getHandle(p.workflowId);
    await w.walkTo(p.workflowId, 'CONTACT');
    const period = shanghaiDate(now).slice(0, 7);
    const opened = await handle.executeUpdate(openCalendarTaskUpdate, {
      args: [{ type: 'monthly.progress', key: period, dueAt: new Date(now + 4 * DAY_MS).toISOString(), context: { period }, holidays: holidaysForRuns(now), projectedByCaller: true }],
    });
    await applyProjectionEvents(w.store.db, p.workflowId, opened.unwritten ?? []);
    await handle.executeUpdate(amendProjectUpdate, { args: [{ actor: await actorNamed(w.store.db, 'admin'), amendment: { fields: { landMu: 60 }, reason: '用地面积核减' } }] });
    await w.complete(p.workflowId, opened.taskId, 'commerce1', { outcome: 'reported', data: { progress: '已完成首次实地考察，投资方正在准备项目计划书' } });
    await w.walkTo(p.workflowId, 'IN_PRODUCTION');
    return p.workflowId;
  },
  // issue 15: every completion as the API sends a project's — answered in the workflow task that decides
  // it, with the events the caller writes; the projection activity writes them after the answer
  async 'completions-answered-by-one-workflow-task'(w) {
    const p = await w.register({ name: '回放·一次应答' });
    await w.walkTo(p.workflowId, 'IN_PRODUCTION', { projectedByCaller: true });
    return p.workflowId;
  },
  // issue 15: and as the API sends them since — the search attributes set after the projection's write,
  // in the workflow task after the answer
  async 'completions-published-after-the-write'(w) {
    const p = await w.register({ name: '回放·写后发布' });
    await w.walkTo(p.workflowId, 'IN_PRODUCTION', { projectedByCaller: true, publishAfterWrite: true });
    return p.workflowId;
  },
  async 'side-actions-terminated'(w) {
    const p = await w.register({ name: '回放·要素保障与终止' });
    const handle = w.env.client.workflow.getHandle(p.workflowId);
    await w.walkTo(p.workflowId, 'CONTACT');
    await handle.executeUpdate(amendProjectUpdate, { args: [{ actor: await actorNamed(w.store.db, 'commerce1'), amendment: { fields: { plannedInvestmentWan: 80000 }, reason: '追加投资' } }] });
    await w.walkTo(p.workflowId, 'CONTRACT');
    const issue = await handle.executeUpdate(raiseFactorIssueUpdate, { args: [{ actor: await actorNamed(w.store.db, 'kfq1'), issue: { category: 'LAND', description: '用地指标不足' } }] });
    await w.complete(p.workflowId, issue.id, 'factor1', { outcome: 'escalated', comment: '提请协调' });
    await handle.executeUpdate(terminateProjectUpdate, { args: [{ actor: await actorNamed(w.store.db, 'admin'), reason: '投资方撤资' }] });
    return p.workflowId;
  },
  async 'county-calendar-meetings'(w) {
    // 八 / 十一: a year of the county calendar with its meetings' decisions, accountability and the yearly continue-as-new
    const p = await w.register({ name: '回放·调度项目' });
    await w.walkTo(p.workflowId, 'CONTACT');
    await ensureCountyCalendar(w.env.client, w.taskQueue, { policy: w.policy });
    const firstRun = (await w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID).describe()).runId;
    let run = nextMonthlyRun(await w.env.currentTimeMs());
    while (!run.month.endsWith('-12')) run = nextMonthlyRun(run.at.getTime());
    await w.env.sleep(run.at.getTime() + 60_000 - (await w.env.currentTimeMs()));
    const review = countyTaskId.monthlyReview(run.month);
    await w.env.sleep(60_000);
    await w.complete(COUNTY_CALENDAR_ID, review, 'vicehead', {
      outcome: 'held', data: { decisions: [{ projectId: p.projectId, decision: 'escalate', instruction: '提请县长协调用地' }] },
    });
    const january = nextMonthlyRun(run.at.getTime());
    await w.env.sleep(january.at.getTime() + 60_000 - (await w.env.currentTimeMs()));
    const state = await w.env.client.workflow.getHandle(COUNTY_CALENDAR_ID).query(calendarStateQuery);
    const dispatch = state.runs.at(-1)!.bulletin!.meeting!;
    await w.complete(COUNTY_CALENDAR_ID, dispatch, 'countyhead', {
      outcome: 'held', data: { decisions: [{ projectId: p.projectId, decision: 'coordinate', unitId: NAMED_UNITS.economicZone, instruction: '开发区牵头落实用地' }] },
    });
    await w.env.sleep(40 * DAY_MS); // the ladders of the tasks left open
    return { workflowId: COUNTY_CALENDAR_ID, running: true, earlierRuns: [firstRun] };
  },
};

async function main() {
  const w = await startWorkflowEnv('record');
  try {
    fs.mkdirSync(HISTORIES_DIR, { recursive: true });
    const only = process.argv.slice(2);
    for (const [name, run] of Object.entries(scenarios)) {
      if (only.length && !only.includes(name)) continue;
      const r = await run(w);
      const workflowId = typeof r === 'string' ? r : r.workflowId;
      const handle = w.env.client.workflow.getHandle(workflowId);
      if (typeof r === 'string') await handle.result();
      // a workflow that continued as new is recorded run by run: name-1.json (the first run) … name.json (the last)
      const earlier = typeof r === 'string' ? [] : r.earlierRuns;
      for (const [i, runId] of earlier.entries()) {
        const h = await w.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
        fs.writeFileSync(path.join(HISTORIES_DIR, `${name}-${i + 1}.json`), `${JSON.stringify(JSON.parse(historyToJSON(h)), null, 1)}\n`);
        console.log(`${name}-${i + 1}: ${h.events?.length} events`);
      }
      const history = await handle.fetchHistory();
      fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
      console.log(`${name}: ${history.events?.length} events`);
    }
  } finally {
    await w.teardown();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
