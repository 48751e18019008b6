// Hand-written SQL for the hot write path (issue 15: the projection), written once and run two ways.
//
// A program is a generator that yields statements and receives their rows, so the same code runs
// - synchronously on the better-sqlite3 connection Prisma's adapter holds (SQLite, the embedded default):
//   prepared statements, kept per connection, BEGIN…COMMIT within one tick of the event loop, so nothing
//   else can interleave — and none of Prisma's per-query compilation (Prisma 6.19 has no plan cache);
// - asynchronously through Prisma's raw queries (`$queryRaw` with a `Prisma.Sql`, which numbers the
//   placeholders for either database): PostgreSQL, or SQLite while a Prisma transaction holds the connection.
// The SQL itself is the subset both databases read alike: double-quoted names, TRUE/FALSE, RETURNING.
import type BetterSqlite3 from 'better-sqlite3';
import { Prisma, sqliteHandleOf, type Db, type SqliteHandle } from './client';

/** A JSON column's value (Prisma's `Json`): stored as its text. */
export class JsonParam { constructor(readonly value: unknown) {} }
export const jsonParam = (value: unknown) => new JsonParam(value);

export type Param = string | number | boolean | null | Date | JsonParam;
export interface Statement { mode: 'run' | 'get' | 'all'; sql: string; params: Param[] }
/** A program of statements returning T; run it with `runSql`/`runSqlOnPrisma`, or compose with `yield*`. */
export type Sql<T> = Generator<Statement, T, unknown>;

/** A statement that returns no rows; it returns how many rows it changed. */
export function* run(sql: string, ...params: Param[]): Sql<number> {
  return Number(yield { mode: 'run', sql, params });
}
export function* get<R>(sql: string, ...params: Param[]): Sql<R | undefined> {
  return (yield { mode: 'get', sql, params }) as R | undefined;
}
export function* all<R>(sql: string, ...params: Param[]): Sql<R[]> {
  return (yield { mode: 'all', sql, params }) as R[];
}

/** `?, ?, ?` for n values. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** A value as the SQLite adapter of Prisma stores it (DateTime as ISO 8601 with +00:00, Boolean as 0/1, Json as text). */
function sqliteValue(p: Param): string | number | null {
  if (p instanceof Date) return p.toISOString().replace('Z', '+00:00');
  if (p instanceof JsonParam) return JSON.stringify(p.value);
  if (typeof p === 'boolean') return p ? 1 : 0;
  if (p === undefined) throw new TypeError('an SQL parameter is undefined');
  return p;
}

/** Runs a program to its end on a better-sqlite3 connection, statement by statement, synchronously. */
function runSync<T>(conn: BetterSqlite3.Database, cache: Map<string, BetterSqlite3.Statement>, program: Sql<T>): T {
  let input: unknown;
  for (;;) {
    const step = program.next(input);
    if (step.done) return step.value;
    const { mode, sql, params } = step.value;
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = conn.prepare(sql);
      stmt.safeIntegers(false); // the adapter's connection reads integers as BigInt; these programs read numbers
      cache.set(sql, stmt);
    }
    const values = params.map(sqliteValue);
    input = mode === 'run' ? stmt.run(...values).changes : mode === 'get' ? stmt.get(...values) : stmt.all(...values);
  }
}

type Raw = Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRaw'>;

/** Runs a program through Prisma's raw queries on a client or a transaction's client (either database). */
export async function runSqlOnPrisma<T>(tx: Raw, program: Sql<T>): Promise<T> {
  let input: unknown;
  for (;;) {
    const step = program.next(input);
    if (step.done) return step.value;
    const { mode, sql, params } = step.value;
    const parts = sql.split('?');
    if (parts.length !== params.length + 1) throw new Error(`${params.length} parameters for ${parts.length - 1} placeholders: ${sql}`);
    const query = new Prisma.Sql(parts, params.map((p) => (p instanceof JsonParam ? JSON.stringify(p.value) : p)));
    if (mode === 'run') {
      input = await tx.$executeRaw(query);
    } else {
      const rows = await tx.$queryRaw<unknown[]>(query);
      input = mode === 'get' ? rows[0] : rows;
    }
  }
}

/**
 * The SQLite connection Prisma's adapter holds for this client, open; undefined for PostgreSQL. Prisma
 * connects lazily, and again after $disconnect: its adapter's factory records each new connection.
 */
async function sqliteOf(db: Db): Promise<{ conn: BetterSqlite3.Database; handle: SqliteHandle } | undefined> {
  const handle = sqliteHandleOf(db);
  if (!handle) return undefined;
  if (!handle.conn?.open) await db.$connect();
  return handle.conn?.open ? { conn: handle.conn, handle } : undefined;
}

/**
 * Runs a program of reads: on SQLite synchronously on Prisma's own connection (as Prisma's reads, it sees
 * what a transaction open on that connection has written), on PostgreSQL through Prisma's raw queries.
 * The API's reads on every request (the caller, whether a group has people) go this way.
 */
export async function readSql<T>(db: Db, program: () => Sql<T>): Promise<T> {
  const sqlite = await sqliteOf(db);
  return sqlite ? runSync(sqlite.conn, sqlite.handle.statements, program()) : runSqlOnPrisma(db, program());
}

/** A boolean column as either database gives it (SQLite: 0/1; PostgreSQL: true/false). */
export const bool = (v: unknown): boolean => v === true || v === 1 || v === BigInt(1);

/**
 * Runs a program as one transaction on the client's database: on SQLite, synchronously on Prisma's own
 * connection when no Prisma transaction holds it (else through Prisma, after it); on PostgreSQL in a
 * Prisma transaction. Either way all of it or nothing is written.
 */
export async function runSql<T>(db: Db, program: () => Sql<T>): Promise<T> {
  const sqlite = await sqliteOf(db);
  if (sqlite && !sqlite.conn.inTransaction) {
    const { conn, handle } = sqlite;
    // better-sqlite3's BEGIN…COMMIT wrapper, made once per connection
    handle.transaction ??= conn.transaction((run: () => unknown) => run());
    return handle.transaction(() => runSync(conn, handle.statements, program())) as T;
  }
  return db.$transaction((tx) => runSqlOnPrisma(tx, program()));
}
