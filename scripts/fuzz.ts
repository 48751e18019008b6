// `npm run fuzz -- [options]`: fuzzes the started service from its own OpenAPI document (/docs/json)
// with schemathesis (PyPI, pinned, installed once into .tools/fuzz-venv), once per account — ADMIN
// (`admin`) and a member of task force INFO (`info1`) — and fails on any 5xx answer or any request that
// gets no answer within the timeout (README "Fuzzing").
//
//   npm run fuzz -- [--url http://127.0.0.1:3000] [--examples 50] [--timeout 10] [--accounts admin,info1]
//                   [--password P] [--seed N] [--workers 1] [--phases examples,coverage,fuzzing,stateful]
//                   [--fuzz-passwords]
//
// The service writes what the fuzzer sends (leads, trips, yearly figures, task claims and completions):
// point it at a scratch service, never at one whose data matters. The defaults of --url and --password
// are the service's own settings (PORT, HOST, DEMO_PASSWORD — runtime/config.ts reads them).
//
// Login throttle: a wrong password — at POST /auth/login, or a wrong old password at POST /me/password
// — counts toward the lockout (5 per account, 20 per address, 15 minutes; api/auth/throttle.ts). The
// fuzzer sends valid-looking bodies with made-up passwords, so fuzzing these two operations locks this
// machine's address out of login for 15 minutes. They are therefore left out of the accounts' runs
// (whose tokens are taken first), and fuzzed only with --fuzz-passwords, last, on their own; afterwards
// the script reports whether login is locked (restart the service to lift it: the throttle lives in the
// API process's memory). Schemathesis' negative mode would not be enough to stay clear of the lockout:
// its "negative" cases include valid bodies with an unexpected header or query parameter.
import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TASK_TYPES } from '../domain/pipeline';
import { shanghaiDate } from '../domain/shanghai-time';
import { childEnv, loadConfig, PROJECT_ROOT } from '../runtime/config';
import { isExecutable } from '../runtime/temporal-tools';

const SCHEMATHESIS = '4.32.5';
const VENV = path.join(PROJECT_ROOT, '.tools', 'fuzz-venv');
/** schemathesis' working folder: its example database (.hypothesis: failures found are tried first next time) and the reports */
const WORK = path.join(PROJECT_ROOT, '.tools', 'fuzz');
const API = '/api/v1';
const THROTTLED = [`${API}/auth/login`, `${API}/me/password`];

const log = (msg: string) => process.stderr.write(`[fuzz] ${msg}\n`);

// ---------------------------------------------------------------------------------------------------
// options

/** A wrong option: its message and exit code 2, without a stack. */
function usage(message: string): never {
  console.error(`[fuzz] ${message} (npm run fuzz -- --help)`);
  process.exit(2);
}
const parsed = (() => {
  try {
    return parseArgs({
      options: {
        url: { type: 'string' },
        examples: { type: 'string', default: '50' },
        timeout: { type: 'string', default: '10' },
        accounts: { type: 'string', default: 'admin,info1' },
        password: { type: 'string' },
        seed: { type: 'string' },
        workers: { type: 'string', default: '1' },
        phases: { type: 'string', default: 'examples,coverage,fuzzing,stateful' },
        'fuzz-passwords': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
})();
const opts = parsed.values;
if (opts.help) {
  console.log(fs.readFileSync(__filename, 'utf8').split('\nimport ')[0].replace(/^\/\/ ?/gm, ''));
  process.exit(0);
}
const wholeNumber = (name: string, raw: string, min: number): number => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) usage(`--${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return n;
};
const config = loadConfig();
const localHost = ['0.0.0.0', '::', ''].includes(config.host) ? '127.0.0.1' : config.host;
const baseUrl = (opts.url ?? `http://${localHost.includes(':') ? `[${localHost}]` : localHost}:${config.port}`).replace(/\/+$/, '');
const examples = wholeNumber('examples', opts.examples, 1);
const timeoutS = Number(opts.timeout);
if (!(timeoutS > 0)) usage(`--timeout must be a number of seconds > 0, got "${opts.timeout}"`);
const workers = wholeNumber('workers', opts.workers, 1);
const seed = opts.seed !== undefined ? wholeNumber('seed', opts.seed, 0) : randomInt(2 ** 47);
const phases = opts.phases;
const accounts = opts.accounts.split(',').map((a) => a.trim()).filter(Boolean);
const password = opts.password ?? config.demoPassword;
if (!password) usage('no demo password: pass --password (DEMO_PASSWORD is unset and NODE_ENV=production)');

// ---------------------------------------------------------------------------------------------------
// schemathesis, installed once into .tools/fuzz-venv

function installedVersion(bin: string): string | null {
  if (!isExecutable(bin)) return null;
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env: childEnv({}) });
  return /version (\S+)/.exec(r.stdout ?? '')?.[1] ?? null;
}
function run(cmd: string, args: string[]): void {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env: childEnv({}) });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
}
function ensureSchemathesis(): string {
  const bin = path.join(VENV, 'bin', 'schemathesis');
  const found = installedVersion(bin);
  if (found === SCHEMATHESIS) return bin;
  log(found ? `schemathesis ${found} in ${VENV}: installing ${SCHEMATHESIS}` : `installing schemathesis ${SCHEMATHESIS} from PyPI into ${VENV} (once)`);
  const python = path.join(VENV, 'bin', 'python');
  if (!isExecutable(python)) {
    fs.mkdirSync(path.dirname(VENV), { recursive: true });
    run('python3', ['-m', 'venv', VENV]);
  }
  run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS}`]);
  const now = installedVersion(bin);
  if (now !== SCHEMATHESIS) throw new Error(`schemathesis ${SCHEMATHESIS} did not install into ${VENV} (found ${now ?? 'none'})`);
  return bin;
}

// ---------------------------------------------------------------------------------------------------
// the service: readiness, tokens, and ids of real things for the fuzzer to aim at

async function call(method: string, url: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    signal: AbortSignal.timeout(timeoutS * 1000 * 3),
  });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: keep the text for the message
  }
  return { status: res.status, json: json as Record<string, unknown> | null, text };
}

async function login(username: string): Promise<string> {
  const r = await call('POST', `${API}/auth/login`, { body: { username, password } });
  if (r.status === 429) throw new Error(`login as ${username} is locked (429: ${r.text}); restart the service, or wait`);
  if (r.status !== 200 || typeof r.json?.token !== 'string') throw new Error(`login as ${username} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r.json.token;
}

interface Targets {
  projects: string[]; tasks: string[]; trips: string[]; units: string[]; landingSites: string[]; usernames: string[]; outcomes: string[];
  dates: string[]; months: string[]; quarters: string[]; years: string[];
}

/**
 * Real ids, so that the fuzzer's requests get past "404 no such project / task" to the workflow
 * Updates behind them: a fresh lead registered as `info1` (its 线索核实 task is open in INFO's inbox),
 * the projects the account reads, the open tasks of its inbox and of those projects, the units.
 */
async function targets(token: string, registrar: string): Promise<Targets> {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const reg = await call('POST', `${API}/projects`, {
    token: registrar,
    headers: { 'idempotency-key': `fuzz-fixture-${stamp}-${randomInt(1e9)}` },
    body: {
      name: `模糊测试项目 ${stamp}`, investor: '模糊测试投资有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'FOOD',
      channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 10000, confirmDuplicate: true,
    },
  });
  if (reg.status !== 201) log(`registering a lead to fuzz answered ${reg.status}: ${reg.text.slice(0, 300)} (going on without it)`);
  const [projects, inbox, units, trips] = await Promise.all([
    call('GET', `${API}/projects?pageSize=50`, { token }),
    call('GET', `${API}/tasks?pageSize=100`, { token }),
    call('GET', `${API}/units?pageSize=200`, { token }),
    call('GET', `${API}/trips`, { token }),
  ]);
  const ids = (r: { json: Record<string, unknown> | null }) => ((r.json?.items as { id: string }[] | undefined) ?? []).map((i) => i.id);
  const projectIds = [...new Set([...(typeof reg.json?.id === 'string' ? [reg.json.id] : []), ...ids(projects)])].slice(0, 50);
  const details = await Promise.all(projectIds.slice(0, 20).map((id) => call('GET', `${API}/projects/${id}`, { token })));
  const taskIds = [...new Set([...ids(inbox), ...details.flatMap((d) => ((d.json?.openTasks as { id: string }[] | undefined) ?? []).map((t) => t.id))])];
  const unitItems = (units.json?.items as { id: string; category: string }[] | undefined) ?? [];
  return {
    projects: projectIds, tasks: taskIds, trips: ids(trips).slice(0, 50), units: unitItems.map((u) => u.id),
    landingSites: unitItems.filter((u) => u.category === 'LANDING_SITE').map((u) => u.id),
    usernames: ['admin', 'info1', 'assess1', 'negotiate1', 'factor1', 'commerce1', 'kfq1', 'nanzhou_principal', 'countyhead', 'vicehead'],
    // every task type's outcomes (domain/pipeline.ts): a completion with a real outcome reaches the workflow's validator of its data
    outcomes: [...new Set(TASK_TYPES.flatMap((d) => Object.keys(d.outcomes)))],
    ...periods(),
  };
}

/** Days of the last four weeks (a trip is recorded once begun), and the months, quarters and years around now (the reports). */
function periods(): Pick<Targets, 'dates' | 'months' | 'quarters' | 'years'> {
  const now = Date.now();
  const today = shanghaiDate(now);
  const year = Number(today.slice(0, 4));
  const years = [year - 2, year - 1, year, year + 1, year + 2];
  return {
    dates: Array.from({ length: 28 }, (_, i) => shanghaiDate(now - i * 86_400_000)),
    months: years.flatMap((y) => Array.from({ length: 12 }, (_, m) => `${y}-${String(m + 1).padStart(2, '0')}`)),
    quarters: years.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}-Q${q}`)),
    years: years.map(String),
  };
}

/** A schemathesis.toml that hands the ids to the operations that take them, half of the time (the rest stays random). */
function configToml(t: Targets, documented: Set<string>): string {
  const q = (s: string) => JSON.stringify(s); // TOML basic strings escape as JSON does for these ids
  const out: string[] = [];
  const dictionaries: [string, string[]][] = [
    ['projects', t.projects], ['tasks', t.tasks], ['trips', t.trips], ['units', t.units], ['landing_sites', t.landingSites],
    ['usernames', t.usernames], ['outcomes', t.outcomes], ['dates', t.dates], ['months', t.months], ['quarters', t.quarters], ['years', t.years],
  ];
  const have = new Set(dictionaries.filter(([, v]) => v.length).map(([k]) => k));
  for (const [name, values] of dictionaries) if (values.length) out.push(`[dictionaries.${name}]`, `values = [${values.map(q).join(', ')}]`, '');
  const bind = (all: string[], params: Record<string, string>) => {
    const paths = all.filter((p) => documented.has(p)); // only operations the document has
    const usable = Object.entries(params).filter(([, dict]) => have.has(dict));
    if (!usable.length || !paths.length) return;
    out.push('[[operations]]', `include-path = [${paths.map(q).join(', ')}]`,
      `parameters = { ${usable.map(([p, dict]) => `${q(p)} = { dictionary = ${q(dict)}, probability = 0.5 }`).join(', ')} }`, '');
  };
  bind([`${API}/projects/{id}`, `${API}/projects/{id}/factor-issues`, `${API}/projects/{id}/amend`, `${API}/projects/{id}/terminate`], { 'path.id': 'projects' });
  bind([`${API}/tasks/{id}/claim`, `${API}/tasks/{id}/unclaim`], { 'path.id': 'tasks' });
  bind([`${API}/tasks/{id}/complete`], { 'path.id': 'tasks', 'body.outcome': 'outcomes' });
  bind([`${API}/tasks/{id}/assign`], { 'path.id': 'tasks', 'body.username': 'usernames' });
  bind([`${API}/tasks`], { 'query.projectId': 'projects' });
  bind([`${API}/projects`], {
    'body.sourceUnitId': 'units', 'body.responsibleUnitId': 'units', 'body.landingSiteId': 'landing_sites',
    'query.landingSiteId': 'landing_sites', 'query.responsibleUnitId': 'units',
  });
  bind([`${API}/trips`], { 'query.unitId': 'units', 'query.quarter': 'quarters', 'body.startDate': 'dates', 'body.endDate': 'dates' });
  bind([`${API}/trips/{id}`, `${API}/trips/{id}/withdraw`], { 'path.id': 'trips' });
  bind([`${API}/trips/{id}/correct`], { 'path.id': 'trips', 'body.fields.startDate': 'dates', 'body.fields.endDate': 'dates' });
  bind([`${API}/reports/monthly/{month}`], { 'path.month': 'months' });
  bind([`${API}/reports/quarterly/{quarter}`], { 'path.quarter': 'quarters' });
  bind([`${API}/reports/annual/{year}`, `${API}/indicators/{year}`], { 'path.year': 'years' });
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------------
// one schemathesis run and what it found

interface RunFigures {
  name: string;
  operations: number;
  testCases: number;
  requests: number;
  statuses: Record<string, number>;
  serverErrors: { request: string; status: number; phase: string; body: string }[];
  hangs: string[];
  failures: { title: string; count: number; operations: string[] }[];
  errors: { title: string; count: number }[];
  slowestMs: number;
  seconds: number;
  exitCode: number;
  reportDir: string;
}

/** Keeps the reports of the last runs only (an event log is a few MB per account and run). */
function pruneReports(keep = 12): void {
  const dir = path.join(WORK, 'reports');
  if (!fs.existsSync(dir)) return;
  const old = fs.readdirSync(dir).filter((d) => /^\d{8}T\d{6}-/.test(d)).sort().slice(0, -keep);
  for (const d of old) fs.rmSync(path.join(dir, d), { recursive: true, force: true });
}

async function runSchemathesis(bin: string, name: string, opts: { token: string; include?: string[]; exclude?: string[]; toml?: string }): Promise<RunFigures> {
  const reportDir = path.join(WORK, 'reports', `${new Date().toISOString().replace(/[-:]/g, '').slice(0, 15)}-${name}`);
  fs.mkdirSync(reportDir, { recursive: true });
  const configFile = path.join(reportDir, 'schemathesis.toml');
  fs.writeFileSync(configFile, opts.toml ?? '');
  const args = [
    '--config-file', configFile, 'run', `${baseUrl}/docs/json`, '--url', baseUrl,
    '-H', `Authorization: Bearer ${opts.token}`,
    '--checks', 'not_a_server_error,response_schema_conformance',
    '--max-examples', String(examples), '--request-timeout', String(timeoutS), '--request-retries', '0',
    '--phases', phases, '--seed', String(seed), '--workers', String(workers),
    '--report', 'json,ndjson', '--report-dir', reportDir,
    '--report-json-path', path.join(reportDir, 'report.json'), '--report-ndjson-path', path.join(reportDir, 'events.ndjson'),
    '--continue-on-failure', '--warnings', 'off',
    ...(opts.include ?? []).flatMap((p) => ['--include-path', p]),
    ...(opts.exclude ?? []).flatMap((p) => ['--exclude-path', p]),
  ];
  log(`${name}: schemathesis ${args.map((a) => (a.startsWith('Authorization') ? 'Authorization: Bearer …' : a)).join(' ')}`);
  const started = Date.now();
  // spawned, not spawnSync: the event loop must go on meanwhile, or fetch's kept-alive sockets, which the
  // service closes after 72 s idle, would be taken for open by the next request ("other side closed")
  const child = spawn(bin, args, { cwd: WORK, stdio: ['ignore', 'inherit', 'inherit'], env: childEnv({}) });
  const exitCode = await new Promise<number>((resolve) => {
    child.on('error', (e) => {
      log(`${name}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const seconds = (Date.now() - started) / 1000;
  return { ...figuresOf(name, reportDir), seconds, exitCode };
}

/** Counts what schemathesis sent and got from its reports: the JSON verdict and every recorded interaction of the event log. */
function figuresOf(name: string, reportDir: string): Omit<RunFigures, 'seconds' | 'exitCode'> {
  const figures: Omit<RunFigures, 'seconds' | 'exitCode'> = {
    name, operations: 0, testCases: 0, requests: 0, statuses: {}, serverErrors: [], hangs: [], failures: [], errors: [], slowestMs: 0, reportDir,
  };
  const reportFile = path.join(reportDir, 'report.json');
  if (fs.existsSync(reportFile)) {
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
    figures.operations = report.operations?.tested ?? 0;
    figures.testCases = report.test_cases?.generated ?? 0;
    figures.failures = (report.failures ?? []).map((f: { title: string; count: number; operations: string[] }) => ({ title: f.title, count: f.count, operations: f.operations }));
    figures.errors = report.errors ?? [];
  }
  const eventsFile = path.join(reportDir, 'events.ndjson');
  if (!fs.existsSync(eventsFile)) return figures;
  for (const line of fs.readFileSync(eventsFile, 'utf8').split('\n')) {
    if (!line.startsWith('{"ScenarioFinished"')) continue;
    const event = JSON.parse(line).ScenarioFinished;
    for (const i of Object.values((event.recorder?.interactions ?? {}) as Record<string, Interaction>)) {
      figures.requests++;
      const request = `${i.request.method} ${i.request.uri.replace(baseUrl, '')}`;
      if (!i.response) {
        figures.hangs.push(request); // no answer within --timeout (or the connection dropped)
        continue;
      }
      const status = i.response.status_code;
      const cls = `${Math.floor(status / 100)}xx`;
      figures.statuses[cls] = (figures.statuses[cls] ?? 0) + 1;
      figures.slowestMs = Math.max(figures.slowestMs, Math.round(i.response.elapsed * 1000));
      if (status >= 500) {
        const content = i.response.content?.$base64 ? Buffer.from(i.response.content.$base64, 'base64').toString('utf8') : '';
        figures.serverErrors.push({ request, status, phase: event.phase, body: content.slice(0, 300) });
      }
    }
  }
  return figures;
}
interface Interaction {
  request: { method: string; uri: string };
  response: { status_code: number; elapsed: number; content?: { $base64?: string } } | null;
}

function print(f: RunFigures): void {
  const statuses = Object.entries(f.statuses).sort().map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`  ${f.name}: ${f.operations} operations, ${f.testCases} test cases, ${f.requests} requests (${statuses || 'none answered'}), `
    + `slowest ${f.slowestMs} ms, ${f.seconds.toFixed(0)} s — ${f.serverErrors.length} 5xx, ${f.hangs.length} without an answer within ${timeoutS} s, `
    + `${f.failures.reduce((n, x) => n + x.count, 0)} check failures, ${f.errors.reduce((n, x) => n + x.count, 0)} errors`);
  // the 5xx by operation (the address without its query), each with its first request and answer
  const byOperation = new Map<string, RunFigures['serverErrors']>();
  for (const e of f.serverErrors) byOperation.set(e.request.split('?')[0], [...(byOperation.get(e.request.split('?')[0]) ?? []), e]);
  for (const [operation, list] of byOperation) {
    console.log(`    ${list.length} × 5xx ← ${operation}; first: ${list[0].status} ← ${list[0].request.slice(0, 300)} (${list[0].phase}) ${list[0].body}`);
  }
  for (const h of f.hangs.slice(0, 20)) console.log(`    no answer ← ${h}`);
  for (const x of f.failures) console.log(`    failure: ${x.title} ×${x.count} (${x.operations.join(', ')})`);
  for (const x of f.errors) console.log(`    error: ${x.title} ×${x.count}`);
  console.log(`    reports: ${path.relative(process.cwd(), f.reportDir)}`);
}
const clean = (f: RunFigures) => f.exitCode === 0 && !f.serverErrors.length && !f.hangs.length && !f.failures.length && !f.errors.length;

// ---------------------------------------------------------------------------------------------------

async function main() {
  const bin = ensureSchemathesis();
  pruneReports();
  const ready = await call('GET', '/readyz').catch((e: Error) => ({ status: 0, text: e.message }));
  if (ready.status !== 200) throw new Error(`the service at ${baseUrl} is not ready (${ready.status}: ${ready.text.slice(0, 200)}); start it with npm start, or pass --url`);
  const doc = await call('GET', '/docs/json');
  const paths = (doc.json?.paths ?? {}) as Record<string, object>;
  const documented = Object.values(paths).reduce((n, p) => n + Object.keys(p).length, 0);
  if (!documented) throw new Error(`${baseUrl}/docs/json answered ${doc.status} without operations`);
  log(`${baseUrl}: ${documented} operations in /docs/json; ${examples} examples per operation, timeout ${timeoutS} s, seed ${seed}, phases ${phases}`);

  // every token first: the fuzzing of the password operations (if asked for) comes after all of them
  const tokens = new Map<string, string>();
  for (const a of [...new Set([...accounts, 'info1'])]) tokens.set(a, await login(a));

  const results: RunFigures[] = [];
  for (const account of accounts) {
    const t = await targets(tokens.get(account)!, tokens.get('info1')!);
    log(`${account}: ${t.projects.length} projects, ${t.tasks.length} open tasks, ${t.trips.length} trips, ${t.units.length} units to aim at`);
    results.push(await runSchemathesis(bin, account, { token: tokens.get(account)!, exclude: THROTTLED, toml: configToml(t, new Set(Object.keys(paths))) }));
  }
  if (opts['fuzz-passwords']) {
    results.push(await runSchemathesis(bin, 'passwords', { token: tokens.get(accounts[0])!, include: THROTTLED }));
  }

  console.log(`\nfuzz summary (schemathesis ${SCHEMATHESIS}, ${baseUrl}, ${examples} examples per operation, timeout ${timeoutS} s, seed ${seed}):`);
  for (const f of results) print(f);
  if (opts['fuzz-passwords']) {
    const after = await call('POST', `${API}/auth/login`, { body: { username: accounts[0], password } });
    console.log(`  login as ${accounts[0]} after fuzzing the password operations: ${after.status}${after.status === 429 ? ' (locked, as expected: restart the service to lift it, or wait 15 minutes)' : ''}`);
  } else {
    console.log(`  not fuzzed: ${THROTTLED.map((p) => `POST ${p}`).join(', ')} (a wrong password counts toward the login lockout; --fuzz-passwords fuzzes them last)`);
  }
  const ok = results.every(clean);
  console.log(ok ? 'fuzz: clean — no 5xx, every request answered in time' : 'fuzz: FAILED');
  process.exit(ok ? 0 : 1);
}

main().catch((e: Error) => {
  console.error(`[fuzz] ${e.message}${e.cause ? ` (${(e.cause as Error).message ?? e.cause})` : ''}`);
  process.exit(2);
});
