// Applies the committed migrations (prisma migrate deploy, JS schema engine, offline).
import { spawnSync } from 'node:child_process';
import { ROOT } from '../scripts/temporal-tools';

export function migrateDeploy(databaseUrl: string): void {
  const cli = require.resolve('prisma/build/index.js');
  const r = spawnSync(process.execPath, [cli, 'migrate', 'deploy'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`prisma migrate deploy failed:\n${r.stdout}\n${r.stderr}`);
}
