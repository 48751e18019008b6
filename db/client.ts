// The Prisma client for DATABASE_URL: SQLite through better-sqlite3 (embedded default) or PostgreSQL
// through pg (production). Both clients are generated from the same models (prisma/schema.prisma and
// its derived prisma/postgres/schema.prisma) and have the same API; the SQLite one names the type.
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
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

/**
 * The PostgreSQL pool's limits, so that a database that went away (a crash, a restart, a network cut)
 * costs an error within seconds, never a request or an activity that waits for ever (found by the chaos
 * test: after kill -9 of PostgreSQL, projection activities hung until their 30 s timeout, again and
 * again, while the pool waited on connections that would never answer). An error is retried: by the
 * activity's retry policy in the worker, by the client after the API's 503 "safe to repeat".
 */
export const PG_POOL = {
  max: 10,
  connectionTimeoutMillis: 5_000, // a connection (or a free one of the pool) within 5 s, else an error
  query_timeout: 20_000, // a query without an answer in 20 s fails on the client's side (a dead socket)
  statement_timeout: 15_000, // …and the server stops it after 15 s (no query of the service needs that long)
  idle_in_transaction_session_timeout: 20_000, // a transaction whose client died is ended by the server
  keepAlive: true,
  idleTimeoutMillis: 30_000,
} as const;

export function createDb(databaseUrl: string): Db {
  const target = databaseTarget(databaseUrl);
  if (target.provider === 'postgresql') {
    return new PostgresClient({
      adapter: new PrismaPg({ connectionString: target.url, ...PG_POOL }),
      // a transaction waits up to 5 s for a connection of the pool (Prisma's default, 2 s, failed under load) and may take 15 s
      transactionOptions: { maxWait: 5_000, timeout: 15_000 },
    }) as unknown as Db;
  }
  ensurePrivateSqliteFile(databaseUrl);
  const handle: SqliteHandle = { conn: null, statements: new Map() };
  const db = new SqliteClient({ adapter: new RecordingSqliteFactory({ url: target.url }, handle) });
  sqliteHandles.set(db, handle);
  return db;
}

/**
 * The better-sqlite3 connection Prisma's adapter holds, with the statements db/sql.ts prepared on it:
 * the projection writes through it directly (issue 15), on the same connection, so that Prisma's own
 * transactions and the projection's never run into each other's locks.
 */
export interface SqliteHandle {
  conn: BetterSqlite3.Database | null;
  statements: Map<string, BetterSqlite3.Statement>;
  /** the connection's BEGIN…COMMIT wrapper (db/sql.ts runSql), made at first use */
  transaction?: BetterSqlite3.Transaction<(run: () => unknown) => unknown>;
}
// one map for the process, even where a test runner loads this module twice (ESM and CJS)
const HANDLES = Symbol.for('nanxian.sqliteHandles');
const sqliteHandles: WeakMap<object, SqliteHandle> = ((globalThis as Record<symbol, unknown>)[HANDLES] ??= new WeakMap()) as WeakMap<object, SqliteHandle>;
/** The SQLite connection of a client made by createDb; undefined for PostgreSQL. */
export const sqliteHandleOf = (db: Db): SqliteHandle | undefined => sqliteHandles.get(db);

/** Prisma's SQLite adapter factory, recording each connection it opens (at connect, and again after $disconnect). */
class RecordingSqliteFactory extends PrismaBetterSQLite3 {
  constructor(config: ConstructorParameters<typeof PrismaBetterSQLite3>[0], private readonly handle: SqliteHandle) {
    super(config);
  }
  override async connect() {
    const adapter = await super.connect();
    this.handle.conn = (adapter as unknown as { client: BetterSqlite3.Database }).client;
    this.handle.statements = new Map();
    this.handle.transaction = undefined;
    return adapter;
  }
}
