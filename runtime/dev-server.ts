// The embedded Temporal: the CLI's dev server persisted to a SQLite file under .data/, Web UI on
// :8233, the custom search attributes of §6 registered at start.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureTemporalCli } from './temporal-tools';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../workflows/search-attributes';

export interface DevServer {
  address: string;
  uiUrl: string | null;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  port: number;
  uiPort?: number; // omitted → headless
  dbFile?: string; // omitted → in memory
  namespace?: string;
  logFile?: string;
}

export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await portInUse(port, host))) {
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** True when something already accepts connections on the port. */
export async function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

export async function startDevServer(o: DevServerOptions): Promise<DevServer> {
  const cli = ensureTemporalCli();
  for (const port of [o.port, o.uiPort].filter((p): p is number => !!p)) {
    if (await portInUse(port)) {
      throw new Error(`port ${port} is in use: is another Temporal server running? Stop it, choose TEMPORAL_PORT / TEMPORAL_UI_PORT, or use it with TEMPORAL_ADDRESS=127.0.0.1:${o.port}`);
    }
  }
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--namespace', o.namespace ?? 'default', '--log-level', 'warn'];
  if (o.dbFile) {
    fs.mkdirSync(path.dirname(o.dbFile), { recursive: true, mode: 0o700 });
    args.push('--db-filename', o.dbFile);
    // issue 15: the file in WAL mode with a sync at checkpoints, not at every commit — a completion
    // through npm start measured 122 → 68 ms (the in-memory server's figure). What a power cut may
    // cost: the last moments of Temporal's writes (never a corrupt file); README "Two commands".
    args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  }
  if (o.uiPort) args.push('--ui-port', String(o.uiPort));
  else args.push('--headless');
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES)) args.push('--search-attribute', `${name}=${type}`);
  const out = o.logFile ? fs.openSync(o.logFile, 'a', 0o600) : 'ignore';
  const child = spawn(cli, args, { stdio: ['ignore', out, out] });
  let exited = false;
  child.on('exit', () => (exited = true));
  // never leave a server behind when this process ends without stopping it (a crash, process.exit)
  const reap = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', reap);
  try {
    await Promise.race([
      waitForPort(o.port),
      new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`temporal server start-dev exited with ${code}${o.logFile ? `; see ${o.logFile}` : ''}`)))),
    ]);
  } catch (e) {
    child.kill('SIGTERM');
    throw e;
  }
  return {
    address: `127.0.0.1:${o.port}`,
    uiUrl: o.uiPort ? `http://localhost:${o.uiPort}` : null,
    process: child,
    async stop() {
      process.removeListener('exit', reap);
      if (exited) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(timer);
    },
  };
}
