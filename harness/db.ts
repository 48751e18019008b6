// A fresh SQLite database file per test file, simulation or benchmark: migrations applied with prisma migrate deploy, seeded.
// The migrated and seeded file is built once for the current sources and copied (see ./cache).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../db/client';
import { seed } from '../prisma/seed';
import { migrateDeploy } from '../runtime/migrate';
import { cachedFile, keepInCache } from './cache';

export const DEMO_PASSWORD = 'test-password';

export async function freshDb(name: string): Promise<{ db: Db; url: string; dir: string; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nanxian-${name}-`));
  const file = path.join(dir, 'test.db');
  const url = `file:${file}`;
  const template = cachedFile('db', '.db');
  if (template) {
    fs.copyFileSync(template, file);
  } else {
    await buildTemplate(file);
    keepInCache('db', '.db', file); // nothing when the cache is off
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
