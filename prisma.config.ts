// Prisma 6.19 with the JS schema engine: migrate deploy / diff and generate run offline, no native
// engine binaries (the classic engines download them, which fails on an air-gapped network).
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { databaseTarget } from './db/url';
import { databaseUrl } from './runtime/config';

const target = databaseTarget(databaseUrl());

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: target.provider === 'postgresql' ? path.join('prisma', 'postgres', 'schema.prisma') : path.join('prisma', 'schema.prisma'),
  migrations: {
    path: target.provider === 'postgresql' ? path.join('prisma', 'postgres', 'migrations') : path.join('prisma', 'migrations'),
  },
  async adapter() {
    if (target.provider === 'postgresql') {
      const { pgMigrationAdapter } = await import('./db/pg-migrate-adapter');
      return pgMigrationAdapter(target.url);
    }
    const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
    // migrate diff --from-migrations replays the migrations into a throw-away shadow database
    return new PrismaBetterSQLite3({ url: target.url }, { shadowDatabaseUrl: ':memory:' });
  },
});
