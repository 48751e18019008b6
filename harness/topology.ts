// The production topology of docker-compose.yml on this machine, without Docker (issue 14): PostgreSQL
// (Debian's server, its own cluster and port) holding Temporal's two databases and the service's; the
// Temporal Server at the version compose pins, built from the Go module proxy (runtime/production-tools.ts,
// cached under .tools/production/); its schemas, the namespace and the §6 search attributes; the
// Temporal Web UI on that frontend; workers and APIs (the same programs as compose's services, each one
// process) and one address in front of the APIs. Every process can be killed and started again (the
// chaos test does so); `npm run production:local` runs it for people (scripts/production-local.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { createDb } from '../db/client';
import { seed } from '../prisma/seed';
import { childEnv, DEFAULT_DEMO_PASSWORD, PROJECT_ROOT } from '../runtime/config';
import { portInUse, waitForPort } from '../runtime/dev-server';
import { migrateDeploy } from '../runtime/migrate';
import { ensureProductionBinaries, type ProductionBinaries } from '../runtime/production-tools';
import { ensureNamespace } from '../runtime/temporal';
import { buildWorkflowBundle } from '../worker/bundle';
import { alive, Postgres, run } from './postgres';

/** The ports of the topology: one base, clear of `npm start`'s defaults (3000, 7233, 8233). */
export function topologyPorts(base = 20000, apis = 2) {
  // (README "Production topology" names these for base 20000)
  return {
    postgres: base + 432, frontend: base + 7233, frontendHttp: base + 7243, history: base + 7234, matching: base + 7235, worker: base + 7239,
    membership: { frontend: base + 6933, history: base + 6934, matching: base + 6935, worker: base + 6939 },
    ui: base + 8233, apis: Array.from({ length: apis }, (_, i) => base + 3001 + i), proxy: base + 3000,
  };
}
export type Ports = ReturnType<typeof topologyPorts>;

/** Temporal's two schemas, laid once and brought up to the server's version (update-schema is idempotent). */
export function temporalSchemas(bin: ProductionBinaries, pgServer: Postgres) {
  for (const [db, dir] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
    const tool = [bin.sqlTool, '--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(pgServer.port), '-u', 'postgres', '--db', db];
    const laid = pgServer.psql("SELECT to_regclass('schema_version') IS NOT NULL", db) === 't';
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
          r.on('error', () => res.destroy());
        });
        up.on('error', (e: NodeJS.ErrnoException) => {
          // refused: nothing was sent, the other API may answer; a connection cut after sending: the caller decides
          if (e.code === 'ECONNREFUSED' && tries + 1 < ports.length) return attempt(tries + 1);
          if (res.headersSent) return res.destroy();
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'UNAVAILABLE', message: '服务暂时不可用：请稍后重试' } }));
        });
        up.end(body);
      };
      attempt(0);
    });
  });
}

/** A process of the topology that can be killed and started again. */
export interface Member {
  name: string;
  kind: 'postgres' | 'temporal' | 'worker' | 'api' | 'ui';
  /** kills it (SIGKILL: as a crash; SIGTERM: as a planned stop) */
  kill(signal?: NodeJS.Signals): void;
  /** starts it again and waits until it serves (workers: until started) */
  restart(): Promise<void>;
  /** its process ids now (empty when down) */
  pids(): number[];
}

export interface TopologyOptions {
  /** the data folder (PostgreSQL's cluster, the server's configuration, the logs) */
  dataDir: string;
  /** the port base (topologyPorts) */
  base?: number;
  workers?: number;
  apis?: number;
  /** the Temporal Web UI too (production:local: yes; the chaos test: no) */
  ui?: boolean;
  /** the service's programs (database, workers, APIs, the address in front); false: PostgreSQL and the Temporal Server only (npm run test:production) */
  programs?: boolean;
  namespace: string;
  /** more environment for the workers and APIs (channels, log level …) */
  env?: Record<string, string>;
  /** the demo accounts' password (the seed) */
  demoPassword?: string;
  log?: (line: string) => void;
}

export class Topology {
  readonly ports: Ports;
  readonly address: string;
  readonly members: Member[] = [];
  readonly postgres: Postgres;
  readonly logs: string;
  private children = new Set<ChildProcess>();
  private proxy: http.Server | null = null;
  private stopping = false;
  /** told when a process ends unasked */
  onExit: (name: string, how: string) => void = () => {};

  constructor(readonly opts: TopologyOptions) {
    this.ports = topologyPorts(opts.base ?? 20000, opts.apis ?? 2);
    this.address = `127.0.0.1:${this.ports.frontend}`;
    this.postgres = new Postgres(path.join(opts.dataDir, 'postgres'), this.ports.postgres);
    this.logs = path.join(opts.dataDir, 'logs');
  }

  get proxyUrl(): string {
    return `http://127.0.0.1:${this.ports.proxy}`;
  }
  get databaseUrl(): string {
    return this.postgres.url('nanxian');
  }
  member(name: string): Member {
    const m = this.members.find((x) => x.name === name);
    if (!m) throw new Error(`no member ${name}`);
    return m;
  }

  private say(line: string) {
    (this.opts.log ?? ((s: string) => console.log(`[production] ${s}`)))(line);
  }

  /** A child process, its output appended to logs/<name>.log. */
  private spawnChild(name: string, cmd: string, args: readonly string[], env: Record<string, string> = {}): ChildProcess {
    const out = fs.openSync(path.join(this.logs, `${name}.log`), 'a');
    const proc = spawn(cmd, args, { cwd: PROJECT_ROOT, stdio: ['ignore', out, out], env: childEnv(env) });
    fs.closeSync(out);
    this.children.add(proc);
    proc.on('exit', (code, signal) => {
      this.children.delete(proc);
      if (!this.stopping) this.onExit(name, String(signal ?? code));
    });
    return proc;
  }

  /** A member that is one child process, started by `launch` and ready when `ready` resolves. */
  private processMember(name: string, kind: Member['kind'], launch: () => ChildProcess, ready: () => Promise<void>): Member {
    let proc: ChildProcess | null = null;
    const m: Member = {
      name, kind,
      kill: (signal = 'SIGKILL') => { proc?.kill(signal); },
      restart: async () => {
        const up = ready(); // (from now: a log line written before the launch does not count)
        proc = launch();
        await up;
      },
      pids: () => (proc && proc.exitCode === null && proc.signalCode === null && proc.pid ? [proc.pid] : []),
    };
    this.members.push(m);
    return m;
  }

  async start(): Promise<void> {
    const { opts, ports: p } = this;
    for (const port of [p.postgres, p.frontend, ...(opts.programs === false ? [] : [p.proxy, ...p.apis]), ...(opts.ui ? [p.ui] : [])]) {
      if (await portInUse(port)) throw new Error(`port ${port} is in use: is the production topology already running?`);
    }
    fs.mkdirSync(this.logs, { recursive: true });
    const bin = ensureProductionBinaries();
    this.say(`Temporal Server ${bin.versions.server}, Web UI ${bin.versions.ui} (built from the Go module proxy, cached in .tools/production)`);

    // the workflow bundle, once (3a): workers load it at every start instead of bundling
    const bundleFile = path.join(opts.dataDir, 'workflow-bundle.js');
    const built = opts.programs === false ? null : buildWorkflowBundle(bundleFile);
    built?.catch(() => {}); // (awaited below; a failure there, not as an unhandled rejection meanwhile)

    this.postgres.create((s) => this.say(s));
    this.members.push({
      name: 'postgres', kind: 'postgres',
      kill: (signal = 'SIGKILL') => this.postgres.kill(signal),
      restart: () => this.postgres.restart(),
      pids: () => this.postgres.pids().filter(alive),
    });
    temporalSchemas(bin, this.postgres);
    const serverRoot = path.join(opts.dataDir, 'temporal');
    fs.mkdirSync(path.join(serverRoot, 'config'), { recursive: true });
    fs.writeFileSync(path.join(serverRoot, 'config', 'production.yaml'), serverConfig(p, serverRoot));
    fs.writeFileSync(path.join(serverRoot, 'dynamicconfig.yaml'), 'system.forceSearchAttributesCacheRefreshOnRead:\n  - value: true\n');
    const server = this.processMember('temporal-server', 'temporal',
      () => this.spawnChild('temporal-server', bin.server, ['--root', serverRoot, '--config', 'config', '--env', 'production', '--allow-no-auth', 'start']),
      () => waitForPort(p.frontend, '127.0.0.1', 120_000));
    await server.restart();
    await this.namespace();
    if (opts.programs === false) return;

    // the service's own database
    await migrateDeploy(this.databaseUrl);
    const db = createDb(this.databaseUrl);
    const seeded = await seed(db, { demoPassword: opts.demoPassword ?? DEFAULT_DEMO_PASSWORD });
    await db.$disconnect();
    this.say(`service database ready: ${seeded.units} units, ${seeded.accounts} demo accounts`);

    if (opts.ui) {
      const uiRoot = path.join(opts.dataDir, 'ui');
      fs.mkdirSync(path.join(uiRoot, 'config'), { recursive: true });
      fs.writeFileSync(path.join(uiRoot, 'config', 'base.yaml'), '');
      fs.writeFileSync(path.join(uiRoot, 'config', 'production.yaml'), [
        `temporalGrpcAddress: ${this.address}`, `port: ${p.ui}`, 'enableUi: true', `defaultNamespace: ${opts.namespace}`,
        'cors:', '  cookieInsecure: true', '  allowOrigins:', `    - http://localhost:${p.ui}`, 'notifyOnNewVersion: false',
        // for watching, as compose's TEMPORAL_DISABLE_WRITE_ACTIONS: terminate/cancel/signal/reset would bypass the API and the projection
        'disableWriteActions: true', '',
      ].join('\n'));
      await this.processMember('temporal-ui', 'ui', () => this.spawnChild('temporal-ui', bin.ui, ['--root', uiRoot, '--config', 'config', '--env', 'production', 'start']),
        () => waitForPort(p.ui, '127.0.0.1', 60_000)).restart();
    }

    // workers and APIs: the same programs as compose's services, each one process (node with tsx's
    // loader, not the tsx wrapper, whose child would outlive a kill -9 of the wrapper)
    const bundle = await built!;
    this.say(`workflow bundle built once (${(bundle.ms / 1000).toFixed(1)} s): the workers load ${path.relative(PROJECT_ROOT, bundle.file)}`);
    // as package.json's scripts and the image start them: V8's young generation at 64 MB (README "Configuration")
    const node = (file: string) => [process.execPath, ['--max-semi-space-size=64', '--import', 'tsx', file]] as const;
    const common = {
      TEMPORAL_ADDRESS: this.address, TEMPORAL_NAMESPACE: opts.namespace, DATABASE_URL: this.databaseUrl, DATA_DIR: opts.dataDir,
      TEMPORAL_UI_URL: `http://localhost:${p.ui}`, WORKFLOW_BUNDLE: bundle.file, ...opts.env,
    };
    const starting: Promise<void>[] = [];
    for (let i = 1; i <= (opts.workers ?? 2); i++) {
      // a worker is up when it says so (worker/main.ts prints "worker on task queue" once polling can begin)
      const name = `worker-${i}`;
      const log = path.join(this.logs, `${name}.log`);
      starting.push(this.processMember(name, 'worker', () => this.spawnChild(name, ...node('worker/main.ts'), common), () => waitForLine(log, 'worker on task queue', 120_000)).restart());
    }
    p.apis.forEach((port, i) => {
      const name = `api-${i + 1}`;
      starting.push(this.processMember(name, 'api', () => this.spawnChild(name, ...node('api/main.ts'), { ...common, PORT: String(port), HOST: '127.0.0.1' }),
        () => waitForPort(port, '127.0.0.1', 180_000)).restart());
    });
    await Promise.all(starting);
    this.proxy = roundRobin(p.apis);
    await new Promise<void>((resolve) => this.proxy!.listen(p.proxy, '127.0.0.1', resolve));
  }

  /** The namespace and §6's search attributes (runtime/temporal.ts ensureNamespace: the new server's delays waited out). */
  private async namespace(): Promise<void> {
    const connection = await Connection.connect({ address: this.address });
    try {
      const added = await ensureNamespace(connection, this.opts.namespace, 30);
      if (added.length) this.say(`registered search attributes ${added.join(', ')}`);
    } finally {
      await connection.close();
    }
  }

  /** Stops everything: the programs first (SIGTERM, then SIGKILL after `graceMs`), PostgreSQL last. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await new Promise<void>((r) => (this.proxy ? this.proxy.close(() => r()) : r()));
    this.proxy?.closeAllConnections();
    const procs = [...this.children];
    for (const c of procs) c.kill('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline && procs.some((c) => c.exitCode === null && c.signalCode === null)) await new Promise((r) => setTimeout(r, 100));
    for (const c of procs) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    try {
      if (this.postgres.pids().some(alive)) this.postgres.stop();
    } catch (e) {
      this.say(`PostgreSQL did not stop: ${(e as Error).message}`);
    }
  }
}

/** Waits until a log file gains a line containing `text` after now. */
async function waitForLine(file: string, text: string, timeoutMs: number): Promise<void> {
  const from = fs.existsSync(file) ? fs.statSync(file).size : 0;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (fs.existsSync(file) && fs.statSync(file).size > from) {
      const fd = fs.openSync(file, 'r');
      const buf = Buffer.alloc(fs.statSync(file).size - from);
      fs.readSync(fd, buf, 0, buf.length, from);
      fs.closeSync(fd);
      if (buf.toString('utf8').includes(text)) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${path.basename(file)}: no "${text}" within ${timeoutMs / 1000} s`);
}
