// A fresh SQLite database file per test file: migrations applied with prisma migrate deploy, seeded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '../../db/client';
import { seed } from '../../prisma/seed';
import { migrateDeploy } from '../../runtime/migrate';

export const DEMO_PASSWORD = 'test-password';

export async function freshDb(name: string): Promise<{ db: Db; url: string; dir: string; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `nanxian-${name}-`));
  const url = `file:${path.join(dir, 'test.db')}`;
  migrateDeploy(url);
  const db = createDb(url);
  // a throw-away file: commits need not wait for the disk (WAL without a sync per commit)
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
  await seed(db, { demoPassword: DEMO_PASSWORD });
  return {
    db, url, dir,
    cleanup: async () => {
      await db.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
