// A throw-away PostgreSQL server (tests of the production database, npm run db:migration): Debian's server binaries
// (installed by .ci/run when missing), a cluster in a temp dir, trust auth on a free loopback port.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './temporal';

function pgBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const p = path.join(root, v, 'bin', name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`PostgreSQL's ${name} is not installed (apt-get install postgresql; .ci/run does this)`);
}

export interface Postgres { url: string; stop(): void }

export async function startPostgres(): Promise<Postgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-pg-'));
  const port = await freePort();
  // initdb and postgres refuse to run as root: run them as the postgres user when we are root
  const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asUser.length) execFileSync('chown', ['postgres', dir]);
  const run = (args: string[]) => {
    const [cmd, ...rest] = [...asUser, ...args];
    const r = spawnSync(cmd, rest, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  };
  const data = path.join(dir, 'data');
  run([pgBin('initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
  run([pgBin('pg_ctl'), '-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-l', path.join(dir, 'log'), '-w', 'start']);
  run([pgBin('createdb'), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'nanxian']);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/nanxian`,
    stop() {
      try {
        run([pgBin('pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
