// Applies the committed migrations (prisma migrate deploy, JS schema engine, offline), in a child
// process that does not block this one while the CLI runs (about a second).
import { spawn } from 'node:child_process';
import { ensurePrivateSqliteFile } from '../db/client';
import { childEnv, PROJECT_ROOT } from './config';

export function migrateDeploy(databaseUrl: string): Promise<void> {
  ensurePrivateSqliteFile(databaseUrl);
  const cli = require.resolve('prisma/build/index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: PROJECT_ROOT,
      env: childEnv({ DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed:\n${output}`))));
  });
}
