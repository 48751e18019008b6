// The county calendar (八: 月研判、季调度、年总结; 三 trip quotas; 十一 accountability): one long-lived
// workflow per deployment, `county-calendar`, that sleeps to the next calendar boundary in
// Asia/Shanghai and runs that cycle. No person has to remember to start anything. The meetings and
// the accountability steps are tasks of this workflow, kept in the same task book as a project's
// (workflows/task-book.ts): claimed, completed and escalated (§4) like any other task.
import { ApplicationFailure, condition, continueAsNew, patched, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { ACCOUNTABILITY_TASK, type AccountabilityCase } from '../domain/assessment';
import type { Actor } from '../domain/organisation';
import { bulletinQuarter, clockProblems, countyInstant, nextMonthlyRun, quotaReminderQuarter, realInstant } from '../domain/cycles';
import type { Decision, DecisionAct, MeetingContext, MeetingItem } from '../domain/meetings';
import type { TaskTypeName } from '../domain/pipeline';
import type { ProjectCommandActivities, ReportActivities, TripQuotaActivities } from './activity-types';
import { calendarStateQuery, countyTaskId, type CalendarInput, type CalendarRun, type CalendarState } from './messages/county-calendar';
import { continueAsNewWhenIdle, createJournal, createTurns, historyFull } from './plumbing';
import { createTaskBook } from './task-book';

const retry = { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' } as const;
// each concern with its own options: reports read the projection and write one row each (minutes at most)
const { storeAnnualAssessment, storeMonthlyAgenda, storeQuarterlyBulletin } = proxyActivities<ReportActivities>({
  startToCloseTimeout: '10 minutes', retry,
});
// commands go to every project concerned, one Update each: long, so they heartbeat project by project
const { actOnMeetingDecisions, openMonthlyProgress } = proxyActivities<ProjectCommandActivities>({
  startToCloseTimeout: '30 minutes', heartbeatTimeout: '2 minutes', retry,
});
// 三: a notification per person short of quota
const { remindTripQuota } = proxyActivities<TripQuotaActivities>({ startToCloseTimeout: '5 minutes', retry });

/** 八: the two county meetings, tasks of this workflow. */
type MeetingTaskType = Extract<TaskTypeName, `meeting.${string}`>;

const KEEP = 24;
const keepLast = <T>(list: T[]) => list.splice(0, Math.max(0, list.length - KEEP));

export async function countyCalendarWorkflow(input: CalendarInput): Promise<void> {
  // §9: the policy the calendar runs under — it takes the current version at each monthly run
  let policy = input.policy;
  // 八: the calendar's clock — real time, or a rehearsal's, started at the first run and carried on
  const clock = input.clock && { ...input.clock, startedAt: input.clock.startedAt ?? Date.now() };
  const problems = clock ? clockProblems(clock) : [];
  if (problems.length) throw ApplicationFailure.nonRetryable(`县级调度日历的演练时钟有误：${problems.join('；')}`, 'InvalidCalendarClock');
  const countyNow = () => countyInstant(clock, Date.now());
  const s: CalendarState = {
    taskCounter: 0, open: {}, ladder: {}, completed: {}, seq: 0, lastMonthly: null, runs: [], escalated: {}, meetings: [], standings: null,
    ...(input.holidays ? { holidays: input.holidays } : {}), // §4 工作日: the table this run counts with
    ...input.carried,
  };
  const journal = createJournal(s, () => ({ workflowId: workflowInfo().workflowId, chain: workflowInfo().firstExecutionRunId }));
  const turns = createTurns();

  const publish = () => {
    setCurrentDetails(book.details(`**南县招商引资 县级调度日历** — 上次月研判 ${s.lastMonthly ?? '（尚未）'}`));
  };

  // 八: a meeting's decisions — escalate waits for the next 季调度; coordinate and terminate act on the projects
  const onMeetingHeld = async (taskId: string, type: MeetingTaskType, context: MeetingContext, decisions: Decision[], actor: Actor) => {
    for (const d of decisions) {
      if (d.decision === 'escalate') s.escalated[d.projectId] = { month: context.period, instruction: d.instruction ?? '' };
    }
    const acts = decisions.filter((d): d is DecisionAct & Decision => d.decision === 'coordinate' || d.decision === 'terminate')
      .map((d) => ({ projectId: d.projectId, decision: d.decision, unitId: d.unitId, instruction: d.instruction ?? '' }));
    const results = acts.length
      ? await actOnMeetingDecisions({
        meeting: { taskId, title: type === 'meeting.monthlyReview' ? '月研判' : '季调度', period: context.period },
        actor, decisions: acts,
        coordinationDueAt: book.dueAtFor('project.coordination'),
      })
      : [];
    s.meetings.push({ taskId, period: context.period, decisions, results });
    keepLast(s.meetings);
  };

  const book = createTaskBook(s, {
    projectId: null, idPrefix: 'CAL-T', policy: () => policy, journal, turns, publish,
    scope: () => ({ project: null, stage: null }),
    onCompleted: async (task, _def, c, data) => {
      if (task.type === 'meeting.monthlyReview' || task.type === 'meeting.quarterlyDispatch') {
        await onMeetingHeld(task.id, task.type, task.context as unknown as MeetingContext, (data as { decisions: Decision[] }).decisions, c.actor);
      }
      // the accountability tasks close with their outcome: the record is the task itself
    },
    result: (task, outcome) => ({ taskId: task.id, outcome, projectId: null, stage: null, openTasks: book.open() }),
  });
  book.registerHandlers();
  setHandler(calendarStateQuery, () => s);

  const openMeeting = (id: string, type: MeetingTaskType, period: string, items: MeetingItem[]) => {
    if (items.length === 0) return null; // nothing to discuss
    const context: MeetingContext = { period, items };
    return book.openOnce(type, { id, context: context as unknown as Record<string, unknown> });
  };

  // 十一: one task per accountability step the ranking calls for
  const openAccountability = (year: number, cases: AccountabilityCase[]) => cases.flatMap((a) => a.steps.map((step) => book.openOnce(ACCOUNTABILITY_TASK[step], {
    id: countyTaskId.accountability(year, a.unitId, step),
    context: { year, unitId: a.unitId, unitName: a.unitName, category: a.category, rank: a.rank, of: a.of, score: a.score },
  })));

  const monthlyRun = async (run: ReturnType<typeof nextMonthlyRun>) => {
    // 八 月研判: every active project reports its progress by the 5th
    const at = new Date().toISOString();
    const progressDueAt = new Date(realInstant(clock, run.progressDueAt.getTime())).toISOString();
    const r = await openMonthlyProgress({ month: run.month, progressDueAt });
    book.adoptHolidays(r.holidays); // §4 工作日: the worker's current table, as the projects got it
    if (r.policy && r.policy.version !== (s.policyVersion ?? 0)) { // §9: a newer policy version, from this run on
      policy = r.policy.policy;
      s.policyVersion = r.policy.version;
    }
    // the agenda of the 分管副县长's meeting: every active project, stalled and escalated ones flagged
    const agenda = await storeMonthlyAgenda({ month: run.month, at }, policy);
    const monthlyReview = openMeeting(countyTaskId.monthlyReview(run.month), 'meeting.monthlyReview', run.month, agenda.meeting);
    // 三: one month before the quarter ends, those short of their trip quota are reminded
    const quarter = quotaReminderQuarter(run.month);
    const quota = quarter ? await remindTripQuota({ quarter, at }, policy) : null;
    // 八 季调度: the first run of a quarter publishes the 通报 of the quarter that ended and opens the 县长's dispatch
    const ended = bulletinQuarter(run.month);
    let bulletin: CalendarRun['bulletin'] = null;
    if (ended) {
      const escalated = Object.entries(s.escalated).map(([projectId, e]) => ({ projectId, ...e }));
      const b = await storeQuarterlyBulletin({ quarter: ended, at, escalated }, policy);
      for (const e of escalated) delete s.escalated[e.projectId]; // they are on this dispatch list (or have ended)
      const meeting = openMeeting(countyTaskId.quarterlyDispatch(ended), 'meeting.quarterlyDispatch', ended, b.meeting);
      bulletin = { quarter: ended, signed: b.signed, dispatch: b.dispatch, quotaShortfalls: b.quotaShortfalls, meeting };
    }
    // 十一 年总结: in January, the year before is scored, ranked within category and held to account
    const assessed = run.month.endsWith('-01') ? Number(run.month.slice(0, 4)) - 1 : null;
    let annual: CalendarRun['annual'] = null;
    if (assessed) {
      const a = await storeAnnualAssessment({ year: assessed, at, previous: s.standings ?? null }, policy);
      s.standings = { year: assessed, standings: a.standings };
      annual = { year: assessed, units: a.units, accountability: a.accountability.length, tasks: openAccountability(assessed, a.accountability) };
      // 十 奖励: the commendations go to 县委组织部 (runs recorded before commendations existed open none: `patched`)
      const r = a.recognition;
      if (r && (r.units.length || r.people.length) && patched('recognition-review')) {
        annual.recognition = book.openOnce('recognition.review', {
          id: countyTaskId.recognition(assessed),
          context: { year: assessed, rule: r.rule, units: r.units, people: r.people } as unknown as Record<string, unknown>,
        });
      }
    }
    s.lastMonthly = run.month;
    s.runs.push({
      month: run.month, at, opened: r.opened.length, alreadyOpen: r.alreadyOpen.length, ended: r.ended.length,
      agendaItems: agenda.items, flagged: agenda.flagged, monthlyReview, quotaReminders: quota ? quota.reminded : null, bulletin, annual,
    });
    keepLast(s.runs);
    publish();
    await journal.flush();
  };

  if (input.carried) book.resumeLadders();
  publish();

  // bounded history: continue as new after January's run, or when Temporal suggests it
  for (;;) {
    const run = nextMonthlyRun(countyNow());
    // sleep to the 1st at 09:00 (Asia/Shanghai); a server restart or worker outage only delays it
    const full = await condition(() => historyFull(), Math.max(1, Math.ceil(realInstant(clock, run.at.getTime()) - Date.now())));
    // the run takes its turn: no completion of a meeting task interleaves with it
    if (!full && s.lastMonthly !== run.month) await turns.exclusive(() => monthlyRun(run));
    if (full || run.month.endsWith('-01')) {
      await continueAsNewWhenIdle(turns, () => continueAsNew<typeof countyCalendarWorkflow>({ ...input, policy, carried: s, ...(clock ? { clock } : {}) }));
    }
  }
}
