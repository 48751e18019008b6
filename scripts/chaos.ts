// `npm run chaos` (issue 14, 3): the production topology (harness/topology.ts: the Temporal Server on
// PostgreSQL, two workers, two APIs behind one address) under fire. 60 projects are driven concurrently
// through the whole pipeline by clients that repeat a request on a network error or a 5xx (every
// request they send is safe to repeat: reads, idempotent completions, registrations with an
// Idempotency-Key), while a loop kills, with SIGKILL, every 5–20 s, a worker, an API, the Temporal
// Server or PostgreSQL (the service's and Temporal's: one server), and starts it again after 1–5 s.
// The policy's days are seconds (a task is due 20 s after it opens, the ladder climbs 5 s apart), and
// every fourth project leaves one task lying until the ladder has reached the 县长, so reminders,
// escalations and their deliveries to a webhook happen during the fire too.
//
// Then it checks and prints: completions answered 200 whose effect is missing (lost), timeline entries
// twice or with gaps in a workflow's sequence, stages entered twice, projects registered twice,
// notices delivered twice under different keys (doubled), projects whose database stage, level or open
// tasks differ from the workflow's once the projection has caught up (divergent), projects that did not
// reach 正式投产 or whose workflow failed (stuck), deliveries the receiver never got, 5xx answers, and
// per kind of kill how long the processes took to serve again and the longest a request waited. It
// fails when anything is lost, doubled, divergent or stuck.
//
//   npm run chaos [-- --projects 60 --minutes 20 --seed 7 --only temporal,postgres]
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createDb, type Db } from '../db/client';
import { DEFAULT_POLICY, DAY_MS, type Policy } from '../domain/policy';
import { NAMED_UNITS } from '../domain/units';
import { TASK_TYPE_NAMES } from '../domain/pipeline';
import { ApiClient, ClientStats } from '../harness/http-client';
import { Topology, type Member } from '../harness/topology';
import { loadConfig } from '../runtime/config';
import { snapshotQuery, syncUpdate } from '../workflows/messages/project';

const argv = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const PROJECTS = arg('projects', 60);
const MINUTES = arg('minutes', 20); // the drive's bound: projects not in production by then are stuck
const SEED = arg('seed', Date.now() % 100000);
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',') : null; // e.g. --only temporal,postgres (diagnosis)
const PASSWORD = 'chaos-demo';
const WEBHOOK_SECRET = 'chaos-webhook-secret-0123456789';

/** A small seeded random source, so that a run can be repeated (the kills' order and pauses). */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >> 17;
    s ^= s << 5; s >>>= 0;
    return s / 0x100000000;
  };
}
const random = rng(SEED);
const between = (lo: number, hi: number) => lo + random() * (hi - lo);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const clock = () => `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s`;
const say = (s: string) => console.log(`[chaos ${clock()}] ${s}`);

// the policy of the run: days are seconds (§4's ladder, §8's delivery), calendar days, no quiet hours
const SECOND_AS_DAYS = 1000 / DAY_MS;
const DUE_SECONDS = 20;
const LADDER = { reminderBeforeDays: 10 * SECOND_AS_DAYS, level2AfterDays: 5 * SECOND_AS_DAYS, level3AfterDays: 10 * SECOND_AS_DAYS, level4AfterDays: 15 * SECOND_AS_DAYS };
const LADDER_TOP_MS = (DUE_SECONDS + 15 + 5) * 1000; // a task left this long has reached level 4 (the 县长)
export const SECONDS_POLICY: Policy = {
  ...DEFAULT_POLICY,
  version: '混沌测试：以秒为日',
  dueDays: Object.fromEntries(TASK_TYPE_NAMES.map((t) => [t, DUE_SECONDS * SECOND_AS_DAYS])) as Policy['dueDays'],
  dayCounting: { dueDays: 'CALENDAR', ladder: 'CALENDAR', endOfWorkingDay: '17:30' },
  ladder: LADDER,
  delivery: { maxAttempts: 20, firstRetrySeconds: 1, maxRetrySeconds: 5, quietHours: null, batchSeconds: null },
};

/** The webhook receiver of §8's channel: honours the Idempotency-Key (a repeat of a key is taken, not counted again). */
function receiver() {
  const byKey = new Map<string, { recipient: string; kind: string; level: number; title: string; taskId: string | null; projectId: string | null }>();
  let repeats = 0;
  let badSignatures = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const expected = crypto.createHmac('sha256', WEBHOOK_SECRET).update(`${req.headers['x-timestamp']}.${body}`).digest('hex');
      if (!String(req.headers['x-signature'] ?? '').includes(expected)) badSignatures++;
      const key = String(req.headers['idempotency-key'] ?? '');
      if (byKey.has(key)) repeats++;
      else {
        const d = JSON.parse(body) as { recipient: string; kind: string; level: number; title: string; taskId: string | null; projectId: string | null };
        byKey.set(key, { recipient: d.recipient, kind: d.kind, level: d.level, title: d.title, taskId: d.taskId, projectId: d.projectId });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  return { server, byKey, repeats: () => repeats, badSignatures: () => badSignatures };
}

interface Completion { projectId: string; taskId: string; taskType: string; by: string; start: number; end: number }
interface Kill { member: string; kind: Member['kind']; at: number; restartedAt: number; upAt: number }

async function main() {
  const config = loadConfig();
  const dataDir = path.join(config.dataDir, 'chaos');
  fs.rmSync(dataDir, { recursive: true, force: true });
  const hook = receiver();
  await new Promise<void>((r) => hook.server.listen(0, '127.0.0.1', r));
  const hookPort = (hook.server.address() as { port: number }).port;

  const topology = new Topology({
    dataDir, base: 21000, namespace: 'default', demoPassword: PASSWORD, log: (s) => say(s),
    env: { NOTIFY_WEBHOOK_URL: `http://127.0.0.1:${hookPort}/notices`, NOTIFY_WEBHOOK_SECRET: WEBHOOK_SECRET, WORKER_MAX_CACHED_WORKFLOWS: '250' },
  });
  const selfEnded: string[] = [];
  let killing: string | null = null;
  topology.onExit = (name, how) => {
    if (name === killing) return;
    // a process that ended without being killed: as compose's `restart: unless-stopped` would, start it again — and report it
    selfEnded.push(`${name} (${how}) at ${clock()}`);
    say(`${name} ended by itself (${how}): starting it again`);
    void topology.member(name).restart().catch((e) => say(`${name} did not start again: ${(e as Error).message}`));
  };
  let failed = true;
  process.once('SIGINT', () => void topology.stop().then(() => process.exit(130)));
  try {
    say(`seed ${SEED}; ${PROJECTS} projects; starting the production topology …`);
    await topology.start();
    const stats = new ClientStats();
    const api = new ApiClient(topology.proxyUrl, PASSWORD, stats, { deadlineMs: 180_000, attemptTimeoutMs: 60_000 });
    await api.ok('PUT', '/api/v1/admin/policy', { as: 'admin', body: { policy: SECONDS_POLICY, note: '混沌测试：以秒为日，阶梯提醒在测试期间发生' } });
    say('policy with days as seconds published (§9)');

    // ── the drive and the fire ──────────────────────────────────────────────────────────────────
    const completions: Completion[] = [];
    const ids: (string | null)[] = Array(PROJECTS).fill(null);
    const reached: boolean[] = Array(PROJECTS).fill(false);
    const errors: string[] = [];
    const slowTasks: { projectId: string; taskId: string }[] = [];
    const driveUntil = Date.now() + MINUTES * 60_000;
    const drive = async (i: number) => {
      await sleep(i * 150); // registrations spread over the first seconds, as people's would be
      const reg = await api.ok('POST', '/api/v1/projects', {
        as: 'info1', headers: { 'idempotency-key': `chaos-${SEED}-${i}` },
        body: {
          name: `混沌测试项目${i + 1}`, investor: `混沌测试投资公司${i + 1}`, investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP', channel: 'BUSINESS_REFERRAL',
          plannedInvestmentWan: 10000 + i * 100, sourceUnitId: NAMED_UNITS.commerce, isMajor: i % 5 === 0, isCaseByCase: false,
        },
      });
      const id = (ids[i] = reg.body.id as string);
      let step = 0;
      let conflicts = 0;
      const own = { 'signing.ceremony': { contractNo: `NXHT-${id}` } }; // (one contract number per project)
      while (Date.now() < driveUntil) {
        await sleep(between(300, 2000)); // a person reads before acting
        if (i % 4 === 0 && step === 3) {
          // this project's fourth task lies until the ladder has reached the 县长 (§4: D−2 … D+30, as seconds)
          await sleep(LADDER_TOP_MS);
        }
        const start = Date.now();
        const s = await api.stepForward(id, own);
        if (!s) {
          const detail = await api.ok('GET', `/api/v1/projects/${id}`, { as: 'admin' });
          if (detail.body.stage === 'IN_PRODUCTION') {
            reached[i] = true;
            return;
          }
          continue; // (the projection has not shown the next task yet)
        }
        if (s.answer.status === 200) {
          conflicts = 0;
          completions.push({ projectId: id, taskId: s.taskId, taskType: s.taskType, by: s.by, start, end: Date.now() });
          if (i % 4 === 0 && step === 3) slowTasks.push({ projectId: id, taskId: s.taskId });
          step++;
          if (s.answer.body.stage === 'IN_PRODUCTION') {
            reached[i] = true;
            return;
          }
        } else if (s.answer.status === 409 && ++conflicts < 5) {
          continue; // the task was completed meanwhile (a repeat that the projection had not shown yet): read again
        } else {
          throw new Error(`${id} ${s.taskType}: ${s.answer.status} ${JSON.stringify(s.answer.body)}`);
        }
      }
    };
    const kills: Kill[] = [];
    let driving = true;
    const fire = async () => {
      const kinds = (['worker', 'api', 'temporal', 'postgres'] as Member['kind'][]).filter((k) => !ONLY || ONLY.includes(k));
      while (driving) {
        await sleep(between(5000, 20000));
        if (!driving) break;
        const kind = kinds[Math.floor(random() * kinds.length)];
        const candidates = topology.members.filter((m) => m.kind === kind);
        const victim = candidates[Math.floor(random() * candidates.length)];
        const at = Date.now();
        killing = victim.name;
        victim.kill('SIGKILL');
        say(`kill -9 ${victim.name}`);
        await sleep(between(1000, 5000));
        const restartedAt = Date.now();
        await victim.restart();
        killing = null;
        kills.push({ member: victim.name, kind, at, restartedAt, upAt: Date.now() });
        say(`${victim.name} serves again (${((Date.now() - restartedAt) / 1000).toFixed(1)} s after its start)`);
      }
    };
    const firing = fire();
    const progress = setInterval(() => say(`${reached.filter(Boolean).length}/${PROJECTS} in production, ${completions.length} completions, ${stats.fiveXx} 5xx, ${stats.networkErrors} network errors`), 30_000);
    await Promise.all(Array.from({ length: PROJECTS }, (_, i) => drive(i).catch((e) => {
      errors.push(`project ${i + 1}: ${(e as Error).message}`);
      say(`project ${i + 1} gave up: ${(e as Error).message}`);
    })));
    driving = false;
    clearInterval(progress);
    await firing;
    const driveSeconds = (Date.now() - t0) / 1000;
    say(`drive over: ${reached.filter(Boolean).length}/${PROJECTS} in production; checking …`);

    // ── the checks ──────────────────────────────────────────────────────────────────────────────
    const connection = await Connection.connect({ address: topology.address });
    const client = new Client({ connection, namespace: 'default' });
    const db = createDb(topology.databaseUrl);
    const projectIds = ids.filter((x): x is string => !!x);
    // the projection caught up: each workflow's `sync` answers once everything it decided is in the database
    const snapshots = new Map<string, Awaited<ReturnType<typeof syncOf>>>();
    // (a project in production has ended its workflow: its last snapshot is a query's answer)
    const syncOf = (id: string) => client.workflow.getHandle(`project-${id}`).executeUpdate(syncUpdate)
      .catch(() => client.workflow.getHandle(`project-${id}`).query(snapshotQuery));
    for (const id of projectIds) snapshots.set(id, await syncOf(id));
    // deliveries: the relay sends what is due; wait (bounded) until nothing is pending
    for (let i = 0; i < 60 && (await db.delivery.count({ where: { status: 'PENDING' } })) > 0; i++) await sleep(1000);
    const checks = await check(db, projectIds, snapshots, completions, slowTasks, hook.byKey);
    const described = await Promise.all(projectIds.map(async (id) => ({ id, status: (await client.workflow.getHandle(`project-${id}`).describe()).status.name })));
    const failedWorkflows = described.filter((d) => d.status !== 'RUNNING' && d.status !== 'COMPLETED');
    const stuck = [
      ...reached.flatMap((r, i) => (r ? [] : [`project ${i + 1} (${ids[i] ?? 'not registered'}) did not reach 正式投产`])),
      ...failedWorkflows.map((d) => `${d.id}: workflow ${d.status}`),
    ];
    await db.$disconnect();
    await connection.close();

    // ── the table ───────────────────────────────────────────────────────────────────────────────
    const kindsOrder: Member['kind'][] = ['worker', 'api', 'temporal', 'postgres'];
    const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 0);
    console.log('\n混沌测试 — chaos test on the production topology (Temporal Server on PostgreSQL, 2 workers, 2 APIs)');
    console.log(`seed ${SEED}, drive ${driveSeconds.toFixed(0)} s, policy: days as seconds (due ${DUE_SECONDS} s, ladder 5 s apart)`);
    console.log(`projects: ${PROJECTS} (${reached.filter(Boolean).length} reached 正式投产)`);
    console.log(`requests: ${stats.requests} (${stats.attempts} attempts, ${stats.networkErrors} network errors), completions answered 200: ${completions.length}`);
    console.log(`5xx answers: ${stats.fiveXx} (${[...stats.byStatus].filter(([s]) => s >= 500).map(([s, n]) => `${s}×${n}`).join(', ') || 'none'})`);
    console.log(`tasks left lying past D+30: ${checks.ladder.length}, their ladder reached level 4 (县长) in ${checks.ladder.filter((l) => l >= 4).length} (levels ${checks.ladder.join(',')})`);
    console.log(`notices delivered: ${hook.byKey.size} (${hook.repeats()} repeats of a key the receiver already had, ${hook.badSignatures()} bad signatures)`);
    console.log('kills per process (restart = from its start to serving again; longest wait = the longest any request overlapping the outage waited after the kill):');
    for (const kind of kindsOrder) {
      const ks = kills.filter((k) => k.kind === kind);
      const names = [...new Set(ks.map((k) => k.member))].sort().map((n) => `${n} ×${ks.filter((k) => k.member === n).length}`).join(', ');
      const restart = ks.map((k) => (k.upAt - k.restartedAt) / 1000);
      const waits = ks.map((k) => longestWait(k, completions) / 1000);
      console.log(`  ${kind.padEnd(9)} ${String(ks.length).padStart(3)} kills${names ? ` (${names})` : ''}   restart median ${median(restart).toFixed(1)} s, max ${Math.max(0, ...restart).toFixed(1)} s   longest wait median ${median(waits).toFixed(1)} s, max ${Math.max(0, ...waits).toFixed(1)} s`);
    }
    if (selfEnded.length) console.log(`processes that ended by themselves (started again): ${selfEnded.join('; ')}`);
    for (const [name, list] of [['lost', checks.lost], ['doubled', checks.doubled], ['divergent', checks.divergent], ['stuck', stuck], ['driver errors', errors]] as const) {
      for (const line of list.slice(0, 10)) console.log(`  ${name}: ${line}`);
      if (list.length > 10) console.log(`  ${name}: … and ${list.length - 10} more`);
    }
    console.log(`lost: ${checks.lost.length}`);
    console.log(`doubled: ${checks.doubled.length}`);
    console.log(`divergent: ${checks.divergent.length}`);
    console.log(`stuck: ${stuck.length + errors.length}`);
    console.log(`kills: ${kills.length}`);
    failed = checks.lost.length + checks.doubled.length + checks.divergent.length + stuck.length + errors.length > 0;
    console.log(failed ? 'chaos: FAILED' : 'chaos: passed');
  } catch (e) {
    console.error(e);
  } finally {
    await topology.stop();
    hook.server.close();
  }
  process.exit(failed ? 1 : 0);
}

/** The longest a person waited on a completion that overlapped the outage [kill, serving again]. */
function longestWait(k: Kill, completions: Completion[]): number {
  let longest = 0;
  for (const c of completions) if (c.start <= k.upAt && c.end >= k.at) longest = Math.max(longest, c.end - Math.max(c.start, k.at));
  return longest;
}

async function check(
  db: Db, projectIds: string[], snapshots: Map<string, { stage: string; escalationLevel: number; openTasks: { id: string }[] }>,
  completions: Completion[], slowTasks: { projectId: string; taskId: string }[],
  delivered: Map<string, { recipient: string; kind: string; level: number; title: string; taskId: string | null; projectId: string | null }>,
) {
  const lost: string[] = [];
  const doubled: string[] = [];
  const divergent: string[] = [];
  // lost: a completion answered 200 without its effect in the database and the workflow
  const tasks = new Map((await db.task.findMany({ where: { projectId: { in: projectIds } } })).map((t) => [t.id, t]));
  const timeline = await db.timelineEvent.findMany({ where: { projectId: { in: projectIds } }, orderBy: [{ projectId: 'asc' }, { seq: 'asc' }] });
  const completedOnTimeline = new Set(timeline.filter((e) => e.kind === 'TASK_COMPLETED').map((e) => e.taskId));
  for (const c of completions) {
    const t = tasks.get(c.taskId);
    if (!t || t.status !== 'COMPLETED') lost.push(`${c.taskId} (${c.taskType}) answered 200 at ${new Date(c.end).toISOString()} but is ${t?.status ?? 'missing'} in the database`);
    else if (!completedOnTimeline.has(c.taskId)) lost.push(`${c.taskId} (${c.taskType}): no TASK_COMPLETED on the timeline`);
    if (snapshots.get(c.projectId)?.openTasks.some((o) => o.id === c.taskId)) lost.push(`${c.taskId} (${c.taskType}) answered 200 but is still open in the workflow`);
  }
  // §4 the ladder of a task left lying: how far its steps got before the completion (not a finding by
  // itself: a workflow that could not run for a while meets the late timers and the completion in one
  // go, and the completion comes first — nobody is escalated for a task already done)
  const ladder = slowTasks.map((s) => tasks.get(s.taskId)?.escalationLevel ?? 0);
  // doubled: timeline entries twice or with gaps, a stage entered twice, a project registered twice
  const projects = await db.project.findMany({ where: { name: { startsWith: '混沌测试项目' } } });
  const byName = new Map<string, number>();
  for (const p of projects) byName.set(p.name, (byName.get(p.name) ?? 0) + 1);
  for (const [name, n] of byName) if (n > 1) doubled.push(`${name} registered ${n} times`);
  for (const p of projects.filter((x) => projectIds.includes(x.id))) {
    const events = timeline.filter((e) => e.projectId === p.id);
    const seqs = events.map((e) => e.seq);
    const expected = Array.from({ length: p.lastSeq }, (_, i) => i + 1);
    if (seqs.join(',') !== expected.join(',')) doubled.push(`${p.id}: timeline seq ${compactSeq(seqs)} for lastSeq ${p.lastSeq}`);
    const completedTwice = countTwice(events.filter((e) => e.kind === 'TASK_COMPLETED').map((e) => e.taskId ?? ''));
    if (completedTwice.length) doubled.push(`${p.id}: ${completedTwice.join(', ')} completed twice on the timeline`);
    const entered = countTwice(events.filter((e) => e.kind === 'STAGE_CHANGED').map((e) => String((e.data as { to?: string } | null)?.to)));
    if (entered.length) doubled.push(`${p.id}: stage ${entered.join(', ')} entered twice`);
  }
  // doubled notices: one notice (person, kind, level, task) delivered under two keys
  const notice = new Map<string, string[]>();
  for (const [key, d] of delivered) {
    const k = `${d.recipient} ${d.kind} L${d.level} ${d.taskId ?? d.projectId ?? ''} ${d.title}`;
    notice.set(k, [...(notice.get(k) ?? []), key]);
  }
  for (const [k, keys] of notice) if (keys.length > 1) doubled.push(`notice ${k} delivered under ${keys.length} keys (${keys.join(', ')})`);
  // lost deliveries: sent by the relay but never received, or still not sent after the wait
  for (const d of await db.delivery.findMany({ where: { channel: 'WEBHOOK' } })) {
    if (d.status === 'SENT' && !delivered.has(d.id)) lost.push(`delivery ${d.id} SENT but never received`);
    if (d.status !== 'SENT') lost.push(`delivery ${d.id} ${d.status} after ${d.attempts} attempts (${d.lastError ?? ''})`);
  }
  // divergent: the database against the workflow, after the projection caught up
  for (const id of projectIds) {
    const snap = snapshots.get(id)!;
    const p = projects.find((x) => x.id === id);
    if (!p) {
      divergent.push(`${id}: no project row`);
      continue;
    }
    if (p.stage !== snap.stage) divergent.push(`${id}: database stage ${p.stage}, workflow ${snap.stage}`);
    if (p.escalationLevel !== snap.escalationLevel) divergent.push(`${id}: database level ${p.escalationLevel}, workflow ${snap.escalationLevel}`);
    const openDb = [...tasks.values()].filter((t) => t.projectId === id && (t.status === 'OPEN' || t.status === 'CLAIMED')).map((t) => t.id).sort();
    const openWf = snap.openTasks.map((t) => t.id).sort();
    if (openDb.join(',') !== openWf.join(',')) divergent.push(`${id}: open tasks ${openDb.join(',') || 'none'} in the database, ${openWf.join(',') || 'none'} in the workflow`);
  }
  return { lost, doubled, divergent, ladder };
}

const countTwice = (xs: string[]) => [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];
function compactSeq(seqs: number[]): string {
  return seqs.length > 12 ? `${seqs.slice(0, 6).join(',')} … ${seqs.slice(-6).join(',')} (${seqs.length})` : seqs.join(',');
}

void main();
