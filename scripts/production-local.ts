// `npm run production:local`: the production topology of docker-compose.yml on this machine, without
// Docker (issue 14): PostgreSQL (Debian's server, its own cluster and port) holding Temporal's two
// databases and the service's; the Temporal Server at the version compose pins, built from the Go
// module proxy (runtime/production-tools.ts, cached under .tools/production/); its schemas, the
// namespace and the §6 search attributes; the Temporal Web UI on that frontend; two workers and two
// APIs, and one address in front of the APIs (a small round-robin proxy that tries the other API when
// one does not answer). Data under .data/production/ (a second run finds it again). Ctrl-C stops all.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { createDb } from '../db/client';
import { seed } from '../prisma/seed';
import { childEnv, DEFAULT_DEMO_PASSWORD, loadConfig, PROJECT_ROOT } from '../runtime/config';
import { waitForPort, portInUse } from '../runtime/dev-server';
import { migrateDeploy } from '../runtime/migrate';
import { ensureProductionBinaries, type ProductionBinaries } from '../runtime/production-tools';
import { ensureSearchAttributes } from '../runtime/temporal';
import { ensureTemporalCli } from '../runtime/temporal-tools';

const say = (s: string) => console.log(`[production] ${s}`);

/** The ports of the topology: one base, clear of `npm start`'s defaults (3000, 7233, 8233). */
export function topologyPorts(base = 20000) {
  // (README "Production topology" names these)
  return {
    postgres: base + 432, frontend: base + 7233, frontendHttp: base + 7243, history: base + 7234, matching: base + 7235, worker: base + 7239,
    membership: { frontend: base + 6933, history: base + 6934, matching: base + 6935, worker: base + 6939 },
    ui: base + 8233, apis: [base + 3001, base + 3002], proxy: base + 3000,
  };
}
export type Ports = ReturnType<typeof topologyPorts>;

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  for (const v of fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : []) {
    const p = path.join(root, v, 'bin', name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`PostgreSQL's ${name} is not installed (apt-get install postgresql; .ci/run does this)`);
}
// initdb and postgres refuse to run as root: as the postgres user when we are root
const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
function run(args: string[], what: string): string {
  const [cmd, ...rest] = args;
  const r = spawnSync(cmd, rest, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
const pg = (args: string[], what: string) => run([...asUser, ...args], what);

/** The PostgreSQL cluster of the topology: created once, started, with its three databases. */
export function startPostgres(dir: string, port: number): { url: (db: string) => string; stop(): void } {
  const data = path.join(dir, 'data');
  fs.mkdirSync(dir, { recursive: true });
  if (asUser.length) {
    run(['chown', '-R', 'postgres', dir], 'chown');
    // the postgres user passes through the folders above (.data is private: traversal only, no listing)
    for (let d = path.dirname(dir); d.startsWith(PROJECT_ROOT) && d !== PROJECT_ROOT; d = path.dirname(d)) fs.chmodSync(d, fs.statSync(d).mode | 0o001);
  }
  if (!fs.existsSync(path.join(data, 'PG_VERSION'))) {
    say(`creating the PostgreSQL cluster in ${path.relative(PROJECT_ROOT, data)}`);
    pg([pgBin('initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C'], 'initdb');
  }
  pg([pgBin('pg_ctl'), '-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`, '-l', path.join(dir, 'postgres.log'), '-w', 'start'], 'pg_ctl start');
  const psql = (sql: string) => pg([pgBin('psql'), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-tAc', sql], 'psql').trim();
  for (const db of ['temporal', 'temporal_visibility', 'nanxian']) {
    if (psql(`SELECT 1 FROM pg_database WHERE datname = '${db}'`) !== '1') psql(`CREATE DATABASE ${db}`);
  }
  return {
    url: (db) => `postgresql://postgres@127.0.0.1:${port}/${db}`,
    stop: () => { pg([pgBin('pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop'], 'pg_ctl stop'); },
  };
}

/** Temporal's two schemas, laid once and brought up to the server's version (update-schema is idempotent). */
export function temporalSchemas(bin: ProductionBinaries, port: number) {
  for (const [db, dir] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
    const tool = [bin.sqlTool, '--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(port), '-u', 'postgres', '--db', db];
    const laid = run([pgBin('psql'), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-tAc', "SELECT to_regclass('schema_version') IS NOT NULL"], 'psql').trim() === 't';
    if (!laid) run([...tool, 'setup-schema', '-v', '0.0'], `setup-schema ${db}`);
    run([...tool, 'update-schema', '-d', path.join(bin.schemaDir, 'postgresql', 'v12', dir, 'versioned')], `update-schema ${db}`);
  }
}

/** The server's configuration: development-postgres12.yaml of its tag, on our ports and cluster. */
export function serverConfig(p: Ports, dataDir: string): string {
  const store = (db: string, conns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: "${db}"
        connectAddr: "127.0.0.1:${p.postgres}"
        connectProtocol: "tcp"
        user: "postgres"
        password: ""
        maxConns: ${conns}
        maxIdleConns: ${conns}
        maxConnLifetime: "1h"`;
  const svc = (grpc: number, membership: number, extra = '') => `    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${extra}`;
  return `log:
  stdout: true
  level: warn
persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: 4
  datastores:
    postgres-default:
${store('temporal', 20)}
    postgres-visibility:
${store('temporal_visibility', 10)}
global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"
services:
  frontend:
${svc(p.frontend, p.membership.frontend, `\n      httpPort: ${p.frontendHttp}`)}
  matching:
${svc(p.matching, p.membership.matching)}
  history:
${svc(p.history, p.membership.history)}
  worker:
${svc(p.worker, p.membership.worker)}
clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: "127.0.0.1:${p.frontend}"
dcRedirectionPolicy:
  policy: "noop"
dynamicConfigClient:
  filepath: "${path.join(dataDir, 'dynamicconfig.yaml')}"
  pollInterval: "10s"
`;
}

interface Child { name: string; proc: ChildProcess }

async function main() {
  const config = loadConfig();
  const dataDir = path.join(config.dataDir, 'production');
  const p = topologyPorts();
  for (const port of [p.postgres, p.frontend, p.ui, p.proxy, ...p.apis]) {
    if (await portInUse(port)) throw new Error(`port ${port} is in use: is the production topology already running?`);
  }
  const bin = ensureProductionBinaries();
  say(`Temporal Server ${bin.versions.server}, Web UI ${bin.versions.ui} (built from the Go module proxy, cached in .tools/production)`);

  const postgres = startPostgres(path.join(dataDir, 'postgres'), p.postgres);
  const children: Child[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping …');
    for (const c of [...children].reverse()) c.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 3000));
    for (const c of children) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
    try { postgres.stop(); } catch (e) { console.error(e); }
    say('stopped.');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  const logs = path.join(dataDir, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const start = (name: string, cmd: string, args: readonly string[], env: Record<string, string> = {}) => {
    const out = fs.openSync(path.join(logs, `${name}.log`), 'a');
    const proc = spawn(cmd, args, { cwd: PROJECT_ROOT, stdio: ['ignore', out, out], env: childEnv(env) });
    proc.on('exit', (code, signal) => { if (!stopping) say(`${name} ended (${signal ?? code}); its log: ${path.relative(PROJECT_ROOT, path.join(logs, `${name}.log`))}`); });
    children.push({ name, proc });
    return proc;
  };

  try {
    temporalSchemas(bin, p.postgres);
    const serverRoot = path.join(dataDir, 'temporal');
    fs.mkdirSync(path.join(serverRoot, 'config'), { recursive: true });
    fs.writeFileSync(path.join(serverRoot, 'config', 'production.yaml'), serverConfig(p, serverRoot));
    fs.writeFileSync(path.join(serverRoot, 'dynamicconfig.yaml'), 'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n');
    start('temporal-server', bin.server, ['--root', serverRoot, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start']);
    await waitForPort(p.frontend, '127.0.0.1', 120_000);
    const address = `127.0.0.1:${p.frontend}`;

    // the namespace (the server's worker service needs a moment before it answers) and §6's search attributes
    const cli = ensureTemporalCli();
    const ns = config.temporalNamespace;
    for (let i = 0; ; i++) {
      const described = spawnSync(cli, ['operator', 'namespace', 'describe', '--address', address, '--namespace', ns], { encoding: 'utf8' });
      if (described.status === 0) break;
      const created = spawnSync(cli, ['operator', 'namespace', 'create', '--address', address, '--namespace', ns, '--retention', '720h'], { encoding: 'utf8' });
      if (created.status === 0) break;
      if (i > 60) throw new Error(`could not create namespace ${ns}: ${created.stderr}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const connection = await Connection.connect({ address });
    // (a new namespace reaches the frontend's cache within seconds: until then it is "not found")
    let added: string[] = [];
    for (let i = 0; ; i++) {
      try {
        added = await ensureSearchAttributes(connection, ns);
        break;
      } catch (e) {
        if ((e as { code?: number }).code !== 5 || i > 60) throw e;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    if (added.length) say(`registered search attributes ${added.join(', ')}`);
    await connection.close();

    // the service's own database
    const dbUrl = postgres.url('nanxian');
    await migrateDeploy(dbUrl);
    const db = createDb(dbUrl);
    const seeded = await seed(db, { demoPassword: config.demoPassword ?? DEFAULT_DEMO_PASSWORD });
    await db.$disconnect();
    say(`service database ready: ${seeded.units} units, ${seeded.accounts} demo accounts`);

    // the Web UI on this frontend
    const uiRoot = path.join(dataDir, 'ui');
    fs.mkdirSync(path.join(uiRoot, 'config'), { recursive: true });
    fs.writeFileSync(path.join(uiRoot, 'config', 'base.yaml'), '');
    fs.writeFileSync(path.join(uiRoot, 'config', 'production.yaml'), [
      `temporalGrpcAddress: ${address}`, `port: ${p.ui}`, 'enableUi: true', `defaultNamespace: ${ns}`,
      'cors:', '  cookieInsecure: true', '  allowOrigins:', `    - http://localhost:${p.ui}`, 'notifyOnNewVersion: false', '',
    ].join('\n'));
    start('temporal-ui', bin.ui, ['--root', uiRoot, '--config', 'config', '--env', 'production', 'start']);

    // two workers, two APIs: the same programs as compose's services, each one process (node with tsx's
    // loader, not the tsx wrapper, whose child would outlive a kill -9 of the wrapper)
    const node = (file: string) => [process.execPath, ['--import', 'tsx', file]] as const;
    const common = { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: ns, DATABASE_URL: dbUrl, DATA_DIR: dataDir, TEMPORAL_UI_URL: `http://localhost:${p.ui}` };
    for (const i of [1, 2]) start(`worker-${i}`, ...node('worker/main.ts'), common);
    p.apis.forEach((port, i) => start(`api-${i + 1}`, ...node('api/main.ts'), { ...common, PORT: String(port), HOST: '127.0.0.1' }));
    await Promise.all([...p.apis.map((port) => waitForPort(port, '127.0.0.1', 180_000)), waitForPort(p.ui, '127.0.0.1', 60_000)]);

    const proxy = roundRobin(p.apis);
    await new Promise<void>((resolve) => proxy.listen(p.proxy, '127.0.0.1', resolve));

    say(`workbench + API   http://localhost:${p.proxy}/   (round robin over the APIs on :${p.apis.join(', :')})`);
    say(`Temporal          ${address}   Web UI: http://localhost:${p.ui}/namespaces/${ns}/workflows`);
    say(`PostgreSQL        127.0.0.1:${p.postgres} (temporal, temporal_visibility, nanxian)`);
    say(`logs              ${path.relative(PROJECT_ROOT, logs)}/`);
    say('Ctrl-C stops everything.');
  } catch (e) {
    console.error(e);
    await stopAll(1);
  }
}

/** One address for the APIs: each request to the next one; a connection refused goes to the other. */
export function roundRobin(ports: number[]): http.Server {
  let next = 0;
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const attempt = (tries: number) => {
        const port = ports[next++ % ports.length];
        const up = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.on('error', () => {
          if (tries + 1 < ports.length) return attempt(tries + 1);
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: '服务暂时不可用：请稍后重试' } }));
        });
        up.end(body);
      };
      attempt(0);
    });
  });
}

if (require.main === module) void main();
