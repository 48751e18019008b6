// A fresh SQLite database file per test file: migrations applied with prisma migrate deploy, seeded.
// The migrated and seeded file is built once for the current sources and copied (see ./cache).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../db/client';
import { seed } from '../../prisma/seed';
import { ROOT } from '../../scripts/temporal-tools';
import { buildCacheEnabled, cachedFile, keepInCache } from './cache';

export const DEMO_PASSWORD = 'test-password';

export async function freshDb(name: string): Promise<{ db: Db; url: string; dir: string; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nanxian-${name}-`));
  const file = path.join(dir, 'test.db');
  const url = `file:${file}`;
  const template = cachedFile('db', '.db');
  if (template) {
    fs.copyFileSync(template, file);
  } else if (buildCacheEnabled()) {
    await buildTemplate(file);
    keepInCache('db', '.db', file);
  } else {
    await buildTemplate(file);
  }
  const db = createDb(url);
  // a throw-away file: commits need not wait for the disk (WAL without a sync per commit)
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  return {
    db, url, dir,
    cleanup: async () => {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Migrates and seeds a new database file (closed again, in the default journal mode: one file). */
async function buildTemplate(file: string): Promise<void> {
  await migrateDeploy(`file:${file}`);
  const db = createDb(`file:${file}`);
  try {
    await db.$queryRawUnsafe('PRAGMA synchronous = OFF'); // this connection only
    await seed(db, { demoPassword: DEMO_PASSWORD });
  } finally {
    await db.$disconnect();
  }
}

/**
 * runtime/migrate.ts's `prisma migrate deploy`, without blocking this process while the CLI runs
 * (about a second), so that a test's server start and workflow bundling go on meanwhile.
 */
function migrateDeploy(databaseUrl: string): Promise<void> {
  const cli = require.resolve('prisma/build/index.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'migrate', 'deploy'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed:\n${output}`))));
  });
}
