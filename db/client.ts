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

export function createDb(databaseUrl: string): Db {
  const target = databaseTarget(databaseUrl);
  if (target.provider === 'postgresql') {
    return new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) }) as unknown as Db;
  }
  // the data are the county's and its people's: only the service's own user may read them
  fs.mkdirSync(path.dirname(target.file), { recursive: true, mode: 0o700 });
  if (!fs.existsSync(target.file)) fs.writeFileSync(target.file, '', { mode: 0o600 }); // SQLite's journals take the file's permissions
  return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: target.url }) });
}
