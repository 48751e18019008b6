// The Prisma client for DATABASE_URL: SQLite through better-sqlite3 (embedded default) or PostgreSQL
// through pg (production). Both clients are generated from the same models (prisma/schema.prisma and
// its derived prisma/postgres/schema.prisma) and have the same API; the SQLite one names the type.
import fs from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient, Prisma } from '../generated/sqlite/client';
import { PrismaClient as PostgresClient } from '../generated/postgres/client';
import { databaseTarget } from './url';

export type Db = SqliteClient;
export { Prisma };

/**
 * The data are the county's and its people's: an SQLite file (and its folder) only the service's own
 * user may read. Made before Prisma's CLI or client first opens it (SQLite's journals take the file's
 * permissions); a file made earlier with looser permissions is narrowed.
 */
export function ensurePrivateSqliteFile(databaseUrl: string): void {
  const target = databaseTarget(databaseUrl);
  if (target.provider !== 'sqlite') return;
  fs.mkdirSync(path.dirname(target.file), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(target.file)) fs.writeFileSync(target.file, '', { mode: 0o600 });
  else if ((fs.statSync(target.file).mode & 0o077) !== 0) fs.chmodSync(target.file, 0o600);
}

export function createDb(databaseUrl: string): Db {
  const target = databaseTarget(databaseUrl);
  if (target.provider === 'postgresql') {
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) }) as unknown as Db;
  }
  ensurePrivateSqliteFile(databaseUrl);
  return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: target.url }) });
}
