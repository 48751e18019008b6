// PostgreSQL servers of Debian's packages (installed by .ci/run when missing): a cluster of its own
// per use, trust auth on loopback. A throw-away one for tests of the production database and npm run
// db:migration (startPostgres); the production topology's (harness/topology.ts), which the chaos test
// kills and starts again.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../runtime/config';
import { freePort } from './temporal';

export function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  for (const v of fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : []) {
    const p = path.join(root, v, 'bin', name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`PostgreSQL's ${name} is not installed (apt-get install postgresql; .ci/run does this)`);
}
// initdb and postgres refuse to run as root: as the postgres user when we are root
const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
export function run(args: string[], what: string): string {
  const [cmd, ...rest] = args;
  const r = spawnSync(cmd, rest, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${what} failed: ${(r.stderr || r.stdout).trim()}`);
  return r.stdout;
}
/** The same, without blocking the event loop (a restart during the chaos test, whose clients run on). */
function runAsync(args: string[], what: string): Promise<string> {
  const [cmd, ...rest] = args;
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (c) => { out += c; });
    p.stderr.on('data', (c) => { out += c; });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${what} failed: ${out.trim()}`))));
  });
}
const pg = (args: string[], what: string) => run([...asUser, ...args], what);

/** A PostgreSQL cluster in `dir`: created once, started, with its databases (the topology's: Temporal's two and the service's). */
export class Postgres {
  readonly data: string;
  constructor(readonly dir: string, readonly port: number, readonly databases: string[] = ['temporal', 'temporal_visibility', 'nanxian']) {
    this.data = path.join(dir, 'data');
  }

  url(db: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${db}`;
  }

  private startArgs(): string[] {
    return [...asUser, pgBin('pg_ctl'), '-D', this.data, '-o', `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200`, '-l', path.join(this.dir, 'postgres.log'), '-w', 'start'];
  }

  create(log: (s: string) => void): void {
    fs.mkdirSync(this.dir, { recursive: true });
    if (asUser.length) {
      run(['chown', '-R', 'postgres', this.dir], 'chown');
      // the postgres user passes through the folders above (.data is private: traversal only, no listing)
      for (let d = path.dirname(this.dir); d.startsWith(PROJECT_ROOT) && d !== PROJECT_ROOT; d = path.dirname(d)) fs.chmodSync(d, fs.statSync(d).mode | 0o001);
    }
    if (!fs.existsSync(path.join(this.data, 'PG_VERSION'))) {
      log(`creating the PostgreSQL cluster in ${path.relative(PROJECT_ROOT, this.data)}`);
      pg([pgBin('initdb'), '-D', this.data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C'], 'initdb');
    }
    run(this.startArgs(), 'pg_ctl start');
    for (const db of this.databases) {
      if (this.psql(`SELECT 1 FROM pg_database WHERE datname = '${db}'`) !== '1') this.psql(`CREATE DATABASE ${db}`);
    }
  }

  psql(sql: string, db = 'postgres'): string {
    return pg([pgBin('psql'), '-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', db, '-tAc', sql], 'psql').trim();
  }

  /** The server's process and its children (each connection is a process), as a crash would end them. */
  pids(): number[] {
    const file = path.join(this.data, 'postmaster.pid');
    if (!fs.existsSync(file)) return [];
    const main = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
    if (!Number.isInteger(main) || main <= 0) return [];
    const children = spawnSync('pgrep', ['-P', String(main)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
    return [main, ...children];
  }

  kill(signal: NodeJS.Signals): void {
    for (const pid of this.pids()) {
      try { process.kill(pid, signal); } catch { /* gone already */ }
    }
  }

  /** Started again after a kill: crash recovery replays the WAL. */
  async restart(): Promise<void> {
    // the killed server's processes must be gone before a new one takes the data folder
    for (let i = 0; i < 50 && this.pids().some((pid) => alive(pid)); i++) await new Promise((r) => setTimeout(r, 100));
    await runAsync(this.startArgs(), 'pg_ctl start');
  }

  stop(): void {
    pg([pgBin('pg_ctl'), '-D', this.data, '-m', 'fast', '-w', 'stop'], 'pg_ctl stop');
  }
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};


export interface ThrowAwayPostgres {
  url: string;
  /** the server itself (a test kills it and starts it again) */
  server: Postgres;
  stop(): void;
}

/** A throw-away server in a temp dir on a free port, with the database `nanxian`; stop() removes it. */
export async function startPostgres(): Promise<ThrowAwayPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-pg-'));
  const server = new Postgres(dir, await freePort(), ['nanxian']);
  server.create(() => {});
  return {
    url: server.url('nanxian'),
    server,
    stop() {
      try {
        server.stop();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
