// The policy simulation (八 / 十一): runs the county calendar and a set of generated projects, trips and
// task behaviours on the time-skipping server — the same workflow code as production — and returns the
// record it produced in the county's words: 月研判, 季度通报, 年度考核排名, 约谈 … The county's leaders act
// on the calendar's tasks as ./simulate-county.ts says. scripts/simulate.ts is its command line; the
// simulated database can be kept for `npm start` to serve its reports.
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { raiseFactorIssueUpdate, snapshotQuery } from '../workflows/messages/project';
import { loadConfig } from '../runtime/config';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { bulletinQuarter, nextMonthlyRun } from '../domain/cycles';
import { DEFAULT_POLICY, Policy, DAY_MS } from '../domain/policy';
import { INDUSTRY_CHAINS } from '../domain/project';
import { shanghaiDate } from '../domain/shanghai-time';
import { FACTOR_ISSUE_FROM, isTerminal, stageIndex, taskType, TERMINAL_STAGES } from '../domain/pipeline';
import { NAMED_UNITS } from '../domain/units';
import { POSITION_NAMES } from '../domain/organisation';
import type { MonthlyAgenda } from '../domain/agenda';
import type { QuarterlyBulletin } from '../domain/bulletin';
import { placeOf, type AnnualAssessment } from '../domain/assessment';
import { actorNamed, DEMO_USER_FOR_GROUP, forward } from './pipeline';
import { DECISION_NAMES, type DecisionKind } from '../domain/meetings';

const SPECIAL_DISPATCH_DECISIONS: Record<string, string> = Object.fromEntries(Object.entries(taskType('meeting.specialDispatch')!.outcomes).map(([k, o]) => [k, o.label]));
import { actOnCountyTasks, type CountyActs } from './simulate-county';
import { startWorkflowEnv, type WorkflowEnv } from './workflow-env';
import { DEMO_PASSWORD } from './db';


type Completion = { outcome: string; comment?: string; data?: Record<string, unknown> };

/** A small deterministic random source, so a simulation can be repeated. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >> 17; s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}

export function loadPolicy(file: string | undefined): Policy {
  if (!file) return DEFAULT_POLICY;
  const override = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Policy>;
  const merged = {
    ...DEFAULT_POLICY, ...override,
    dueDays: { ...DEFAULT_POLICY.dueDays, ...(override.dueDays ?? {}) },
    ladder: { ...DEFAULT_POLICY.ladder, ...(override.ladder ?? {}) },
    stalledDays: { ...DEFAULT_POLICY.stalledDays, ...(override.stalledDays ?? {}) },
    assessmentWeights: { ...DEFAULT_POLICY.assessmentWeights, ...(override.assessmentWeights ?? {}) },
    tripQuota: { ...DEFAULT_POLICY.tripQuota, ...(override.tripQuota ?? {}) },
    growthTargets: { ...DEFAULT_POLICY.growthTargets, ...(override.growthTargets ?? {}) },
    specialDispatch: { ...DEFAULT_POLICY.specialDispatch, ...(override.specialDispatch ?? {}) },
    recognition: { ...DEFAULT_POLICY.recognition, ...(override.recognition ?? {}) },
  };
  return Policy.parse(merged);
}

/** Wall time per phase of a run (--timing prints it), to see where a slow simulation waits. */
const phases = new Map<string, { ms: number; n: number }>();
async function timed<T>(phase: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    addPhase(phase, performance.now() - t0);
  }
}
function addPhase(phase: string, ms: number) {
  const p = phases.get(phase) ?? { ms: 0, n: 0 };
  p.ms += ms;
  p.n += 1;
  phases.set(phase, p);
}

/**
 * Between skips the time-skipping server's clock runs at real pace, so a timer due just after a skip
 * lands fires while the simulation is acting; when the workflow task that completes a task (and so
 * cancels the timer of its ladder) is with the worker at that moment, the server refuses the task's
 * completion ("invalid history builder state for action", temporalio/sdk-java#3088) and the project
 * is stranded. A ladder point falls whole days after its task was created, at the time of day of the
 * pass that created it. The weekly skips are relative, so each pass starts later in the day than the
 * last one ended; the skip to the calendar's run is absolute, so it lands this much past the latest
 * time of day the simulation has acted at: every ladder point of an earlier pass falls within a skip.
 */
const PASS_GUARD_MS = 60_000;

const yuan = (wan: number) => (wan >= 10_000 ? `${(wan / 10_000).toFixed(1)}亿元` : `${wan}万元`);
const monthName = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;
const quarterName = (q: string) => `${q.slice(0, 4)}年第${q.slice(6)}季度`;

export async function simulate(opts: {
  years: number; policy: Policy; projects: number; seed: number; out?: (line: string) => void; timing?: boolean;
  /** keep the simulated database in this file */
  keepDb?: string;
  /** looks at the simulated world before it is torn down (tests: the reports API over it) */
  inspect?: (w: WorkflowEnv) => Promise<void>;
}): Promise<string[]> {
  const lines: string[] = [];
  const say = (l: string) => {
    lines.push(l);
    (opts.out ?? console.log)(l);
  };
  const random = rng(opts.seed);
  let firstYearPrinted = Number.MAX_SAFE_INTEGER;
  const timing = opts.timing ?? false;
  phases.clear();
  // as production's worker runs them: two workflow threads (WORKER_WORKFLOW_THREADS; issue 15)
  const w = await timed('setup', () => startWorkflowEnv('simulate', undefined, { policy: opts.policy, workflowThreads: loadConfig().workflowThreads, ...(timing ? { onActivity: (name, ms) => addPhase(`activity ${name}`, ms) } : {}) }));
  try {
    // the units whose people act in the simulation: 县经济开发区 works hard, 南洲镇 less so
    const sites = [NAMED_UNITS.economicZone, NAMED_UNITS.nanzhou];
    const diligence: Record<string, number> = { [NAMED_UNITS.economicZone]: 0.8, [NAMED_UNITS.nanzhou]: 0.35, [NAMED_UNITS.commerce]: 0.7 };
    const chains = Object.keys(INDUSTRY_CHAINS) as (keyof typeof INDUSTRY_CHAINS)[];
    const projects: { projectId: string; workflowId: string; site: string; ended?: boolean }[] = [];
    // 十四 / 八: factor issues raised, and the special dispatches' decisions, since the last line
    let factorIssues = 0;
    let specialDispatches: Record<string, number> = {};
    const register = async (i: number) => {
      const site = sites[i % sites.length];
      // 三, 十: the landing sites' leaders bring the leads from their trips (a third through the 县商务局's information staff)
      const by = i % 3 === 2 ? 'info1' : site === NAMED_UNITS.economicZone ? 'kfq_deputy' : 'nanzhou_deputy';
      const p = await w.register({
        name: `${['稻虾', '鞋材', '医疗器械', '新材料', '食品', '文旅'][i % 6]}项目${i + 1}`, industryChain: chains[i % chains.length],
        plannedInvestmentWan: Math.round(5_000 + random() * 95_000), isCaseByCase: i % 5 === 4,
        sourceUnitId: by === 'info1' ? NAMED_UNITS.commerce : site,
      }, { by });
      projects.push({ projectId: p.projectId, workflowId: p.workflowId, site });
    };
    /**
     * One pass of the units over their open tasks. The projects are independent workflows, so they are
     * queried, and their tasks completed, concurrently; the decisions (and so the random draws) are
     * still made one project and one task after another, as in a sequential pass.
     */
    const actOnTasks = async () => {
      // an ended project's workflow has closed, and a query would replay its whole history on the
      // worker (a few hundred ms each, every pass): its projection, written before the workflow
      // closes, says it has ended
      const ended = await w.store.db.project.findMany({
        where: { id: { in: projects.filter((p) => !p.ended).map((p) => p.projectId) }, stage: { in: [...TERMINAL_STAGES] } }, select: { id: true },
      });
      for (const e of ended) projects.find((p) => p.projectId === e.id)!.ended = true;
      const acting = projects.filter((p) => !p.ended);
      const today = shanghaiDate(await w.env.currentTimeMs()); // dates of outcome data, on the simulated clock
      const snaps = await timed('pass: queries', () => Promise.all(acting.map((p) => w.env.client.workflow.getHandle(p.workflowId).query(snapshotQuery).catch(() => null))));
      const raises: { workflowId: string; user: string; description: string }[] = [];
      const work = acting.map((p, i) => {
        const snap = snaps[i];
        const todo: { taskId: string; user: string; c: Completion }[] = [];
        if (!snap || isTerminal(snap.stage)) return todo;
        // 十四: from the contract on, the landing site now and then meets a problem of land, power or permits
        const siteUser = DEMO_USER_FOR_GROUP[`UNIT:${p.site}`];
        if (siteUser && stageIndex(snap.stage) >= stageIndex(FACTOR_ISSUE_FROM) && !snap.openTasks.some((t) => t.type.startsWith('factor.')) && random() < 0.12) {
          raises.push({ workflowId: p.workflowId, user: siteUser, description: ['用地指标未落实', '园区专线供电不足', '环评审批进度慢'][Math.floor(random() * 3)] });
        }
        for (const t of snap.openTasks) {
          const user = DEMO_USER_FOR_GROUP[t.candidateGroup];
          const unit = t.candidateGroup.startsWith('UNIT:') ? t.candidateGroup.slice(5) : NAMED_UNITS.commerce;
          if (!user || random() > (diligence[unit] ?? 0.6)) continue;
          if (t.type === 'monthly.progress') {
            todo.push({ taskId: t.id, user, c: { outcome: 'reported', data: { progress: '按计划推进' } } });
          } else if (t.type === 'project.coordination') {
            todo.push({ taskId: t.id, user, c: { outcome: 'done', data: { result: '已按会议要求落实' } } }); // 八: a meeting's instruction
          } else if (t.type === 'factor.issue') { // 十四 帮代办: the task force solves half itself, the rest goes to the 分管副县长
            todo.push({ taskId: t.id, user, c: random() < 0.5 ? { outcome: 'resolved' } : { outcome: 'escalated', comment: '需县级协调解决' } });
          } else if (t.type === 'factor.escalation') {
            if (random() < 0.35) todo.push({ taskId: t.id, user, c: { outcome: 'resolved', comment: '分管副县长协调解决' } }); // often left to go overdue: 专题调度
          } else if (t.type === 'meeting.specialDispatch') { // 八 专题调度: the 县委专职副书记 decides
            const r = random();
            const c: Completion = r < 0.5
              ? { outcome: 'coordinate', data: { unitId: NAMED_UNITS.approvalService, instruction: '专题调度：县行政审批服务局牵头十日内解决' } }
              : r < 0.8 ? { outcome: 'close', data: { conclusion: '现场协调，问题已解决' } } : { outcome: 'escalate', data: { instruction: '涉及县级重大事项，提请县长季调度' } };
            todo.push({ taskId: t.id, user, c });
            specialDispatches[c.outcome] = (specialDispatches[c.outcome] ?? 0) + 1;
          } else if (taskType(t.type)?.stage) {
            const c = random() < 0.05 && t.outcomes.includes('return')
              ? { outcome: 'return', comment: '材料不全，退回补充' }
              : forward(t.type, { isCaseByCase: snap.project.isCaseByCase, landingSiteId: p.site, today });
            todo.push({ taskId: t.id, user, c });
          }
        }
        return todo;
      });
      for (const r of raises) {
        const issue = { category: r.description.startsWith('用地') ? 'LAND' : r.description.includes('供电') ? 'POWER' : 'PERMIT', description: r.description } as const;
        const actor = await actorNamed(w.store.db, r.user);
        // a project that ended meanwhile refuses it, or is closed: the next pass sees that
        await timed('pass: factor issues', () => w.env.client.workflow.getHandle(r.workflowId).executeUpdate(raiseFactorIssueUpdate, { args: [{ actor, issue }] }))
          .catch((e) => { if (!(e instanceof WorkflowNotFoundError) && !(e instanceof WorkflowUpdateFailedError)) throw e; });
        factorIssues++;
      }
      // a project's own tasks one after another (its workflow takes them in turn anyway)
      await timed('pass: completions', () => Promise.all(acting.map(async (p, i) => {
        for (const x of work[i]) await completeOnce(p.workflowId, x.taskId, x.user, x.c);
      })));
    };
    // begin as a year begins (an hour after New Year's 月研判 time), so that each simulated year is a
    // whole one and the year before, which the service did not see, is not assessed
    let first = nextMonthlyRun(await w.env.currentTimeMs());
    while (!first.month.endsWith('-01')) first = nextMonthlyRun(first.at.getTime());
    await w.env.sleep(first.at.getTime() + 3_600_000 - (await w.env.currentTimeMs()));
    const firstYear = Number(first.month.slice(0, 4));
    firstYearPrinted = firstYear;
    for (let i = 0; i < opts.projects; i++) await timed('register', () => register(i));
    await ensureCountyCalendar(w.env.client, w.taskQueue, { policy: w.policy });
    say(`模拟：${firstYear}年起 ${opts.years} 年，${opts.projects} 个项目（另每季度新增 2 个线索），政策「${opts.policy.version}」`);
    say('（演示账号只覆盖县经济开发区、南洲镇、县商务局等单位；其余单位无人员、无项目，得分为 0）');

    let run = nextMonthlyRun(await w.env.currentTimeMs());
    let assessed = 0;
    // what the county's meetings decided and the accountability steps done since the last line
    let held: CountyActs = { monthly: {}, dispatch: {}, accountability: 0, recognition: 0 };
    const tally = (t: Record<string, number>) => Object.entries(t).map(([k, n]) => `${DECISION_NAMES[k as DecisionKind]} ${n} 个`).join('、');
    const sayHeld = () => {
      const parts = [
        ...(Object.keys(held.monthly).length ? [`月研判决定${tally(held.monthly)}`] : []),
        ...(Object.keys(held.dispatch).length ? [`季调度决定${tally(held.dispatch)}`] : []),
        ...(held.accountability ? [`问责事项办结 ${held.accountability} 件`] : []),
        ...(held.recognition ? [`评先评优审核 ${held.recognition} 件`] : []),
        ...(factorIssues ? [`要素保障问题提出 ${factorIssues} 个`] : []),
        ...(Object.keys(specialDispatches).length ? [`专题调度决定${Object.entries(specialDispatches).map(([k, n]) => `${SPECIAL_DISPATCH_DECISIONS[k] ?? k} ${n} 个`).join('、')}`] : []),
      ];
      factorIssues = 0;
      specialDispatches = {};
      if (parts.length) say(`  本月会议：${parts.join('；')}`);
      held = { monthly: {}, dispatch: {}, accountability: 0, recognition: 0 };
    };
    for (let m = 0; assessed < opts.years && m < opts.years * 12 + 13; m++) {
      // a month of work before the calendar wakes: each unit acts on its tasks as diligently as it
      // does (several steps a month at most); what it leaves open runs up its ladder
      for (let pass = 0; pass < 3; pass++) {
        await actOnTasks();
        // the county's leaders: 月研判 and 季调度 decisions, 约谈 and the other accountability steps
        const acts = await timed('pass: county tasks', () => actOnCountyTasks(w, random));
        for (const [k, n] of Object.entries(acts.monthly)) held.monthly[k] = (held.monthly[k] ?? 0) + n;
        for (const [k, n] of Object.entries(acts.dispatch)) held.dispatch[k] = (held.dispatch[k] ?? 0) + n;
        held.accountability += acts.accountability;
        held.recognition += acts.recognition;
        await timed('sleep.week', () => w.env.sleep(7 * DAY_MS));
      }
      if (m > 0) sayHeld();
      // trips of the landing sites' leaders, one chance a month each
      const today = shanghaiDate(await w.env.currentTimeMs());
      for (const [username, p] of [['kfq_principal', 0.6], ['kfq_deputy', 0.9], ['nanzhou_principal', 0.3], ['nanzhou_deputy', 0.5]] as const) {
        if (random() < p) {
          await w.store.db.trip.create({ data: { id: `sim-${m}-${username}`, personId: `p-${username}`, startDate: today, endDate: today, destination: '长沙', purpose: '走访客商', leadsFound: 1, recordedBy: username } });
        }
      }
      // two new leads a quarter
      if (m % 3 === 0 && m > 0) for (let i = 0; i < 2; i++) await timed('register', () => register(projects.length));
      // the calendar runs on the 1st; the next pass begins the day after, at a later time of day than
      // any pass so far ended (see PASS_GUARD_MS)
      const now = await w.env.currentTimeMs();
      let wake = run.at.getTime() + DAY_MS;
      const pastWake = (((now - wake) % DAY_MS) + DAY_MS) % DAY_MS; // how far past wake's time of day the simulation has acted
      if (pastWake < DAY_MS / 2) wake += pastWake + PASS_GUARD_MS;
      await timed('sleep.toRun', () => w.env.sleep(Math.max(1, wake - now)));
      await timed('printRun', () => printRun(run.month));
      if (run.month.endsWith('-01') && Number(run.month.slice(0, 4)) - 1 >= firstYear) assessed++;
      run = nextMonthlyRun(run.at.getTime());
    }
    if (opts.inspect) await opts.inspect(w);
    if (opts.keepDb) {
      const file = path.resolve(opts.keepDb);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.rmSync(file, { force: true });
      await w.store.db.$executeRawUnsafe(`VACUUM INTO '${file.replace(/'/g, "''")}'`); // one consistent file, WAL included
      say(`\n模拟数据库已保存：${path.relative(process.cwd(), file)}（DATABASE_URL=file:${file} npm start 后可查询 /api/v1/reports/…；演示账号密码 ${DEMO_PASSWORD}）`);
    }
    return lines;
  } finally {
    await timed('teardown', () => w.teardown());
    if (timing) for (const [k, v] of phases) process.stderr.write(`[timing] ${k.padEnd(32)} ${(v.ms / 1000).toFixed(2).padStart(7)} s  ×${v.n}\n`);
  }

  /** Completes a task; when an earlier completion of this pass ended the project, its workflow is closed and the task with it. */
  async function completeOnce(workflowId: string, taskId: string, user: string, c: Completion) {
    try {
      await w.complete(workflowId, taskId, user, c);
    } catch (e) {
      if (!(e instanceof WorkflowNotFoundError)) throw e;
    }
  }

  async function printRun(month: string) {
    const agenda = await waitReport<MonthlyAgenda>(`MONTHLY:${month}`);
    if (!agenda) return;
    const stalled = agenda.items.filter((i) => i.flags.includes('STALLED')).length;
    const escalated = agenda.items.filter((i) => i.flags.includes('ESCALATED')).length;
    say(`\n${monthName(month)} 月研判：在途项目 ${agenda.items.length} 个，停滞 ${stalled} 个，督办 ${escalated} 个`);
    for (const i of agenda.items.filter((x) => x.flags.length).slice(0, 3)) {
      say(`  · ${i.name}（${i.stageName}，本阶段 ${i.daysInStage} 天${i.escalationName ? `，${i.escalationName}` : ''}）`);
    }
    // the 通报 of the quarter that just ended, from the first simulated quarter on
    const q = bulletinQuarter(month);
    if (q && Number(q.slice(0, 4)) >= firstYearPrinted) {
      const b = await waitReport<QuarterlyBulletin>(`QUARTERLY:${q}`);
      if (b) {
        say(`${quarterName(q)} 通报：签约 ${b.signed.length} 个（${yuan(b.signedAmountWan)}），投产 ${b.inProduction.length} 个；外出招商未完成 ${b.quotaShortfalls} 人；调度清单 ${b.dispatch.length} 个`);
        for (const u of b.units.slice(0, 3)) say(`  · ${u.unit}：逾期 ${u.overdueTasks} 件，督办 ${u.escalations} 次${u.level4 ? `（四级 ${u.level4} 次）` : ''}`);
        for (const q2 of b.quota.filter((x) => x.shortfall > 0)) say(`  · 外出招商：${q2.unitName}${POSITION_NAMES[q2.position]}完成 ${q2.made}/${q2.required} 次`);
        // 八 专题调度: what the 县委专职副书记 took up in the quarter, and how it was decided
        const sd = b.specialDispatches ?? [];
        if (sd.length) {
          const decided = new Map<string, number>();
          for (const d of sd) decided.set(d.decisionName ?? '在办', (decided.get(d.decisionName ?? '在办') ?? 0) + 1);
          say(`  · 专题调度 ${sd.length} 次（${[...decided].map(([k, n]) => `${k} ${n}`).join('，')}）：${sd.slice(0, 2).map((d) => `${d.name}——${d.reason.split('：')[0]}`).join('；')}`);
        }
      }
    }
    if (month.endsWith('-01') && Number(month.slice(0, 4)) - 1 >= firstYearPrinted) {
      const year = Number(month.slice(0, 4)) - 1;
      const a = await waitReport<AnnualAssessment>(`ANNUAL:${year}`);
      if (a) {
        for (const category of ['LANDING_SITE', 'RESPONSIBLE'] as const) {
          const list = a.rankings.filter((r) => r.category === category);
          const label = category === 'LANDING_SITE' ? '项目落户地' : '责任招商单位';
          const place = (r: (typeof list)[number]) => `${placeOf(r)} ${r.unitName}（${r.score}分）`;
          const unranked = (a.unranked ?? []).filter((u) => u.category === category).length;
          const places = list.length <= 5 ? list.map(place).join('，') : `${list.slice(0, 3).map(place).join('，')} … ${list.slice(-2).map(place).join('，')}`;
          say(`${year}年度 年度考核排名（${label}）：${places}${unranked ? `；${unranked} 个单位无考核内容，不排名` : ''}`);
        }
        // 十一: the units held to account, grouped by how far up the ladder they are (tied units share a place)
        const byActions = new Map<string, string[]>();
        for (const x of a.accountability) byActions.set(x.actions.join('；'), [...(byActions.get(x.actions.join('；')) ?? []), x.unitName]);
        for (const [actions, units] of byActions) say(`  · ${units.length > 4 ? `${units.slice(0, 4).join('、')}等 ${units.length} 个单位` : units.join('、')}：${actions}`);
        // 十 奖励: the commendation side, for 县委组织部's review
        const r = a.recognition;
        if (r) {
          say(`${year}年度 评先评优（县委组织部审核）：单位 ${r.units.length ? r.units.map((u) => `${u.unitName}（${placeOf(u)}）`).join('、') : '无'}；个人 ${r.people.length ? r.people.map((p) => `${p.displayName}（签约${yuan(p.signedInvestmentWan)}）`).join('、') : '无（无逾期任务且有签约者）'}`);
        }
      }
    }
  }

  async function waitReport<T>(id: string): Promise<T | null> {
    for (let i = 0; i < 100; i++) {
      const r = await w.store.db.report.findUnique({ where: { id } });
      if (r) return r.content as unknown as T;
      await timed('waitReport (100 ms polls)', () => new Promise((res) => setTimeout(res, 100)));
    }
    return null;
  }
}
