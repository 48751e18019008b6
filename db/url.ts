// Which database a DATABASE_URL names. SQLite (a file under .data/) is the embedded default;
// postgres:// or postgresql:// selects PostgreSQL, the production database.
import path from 'node:path';

export const DEFAULT_DATABASE_URL = 'file:./.data/nanxian.db';

export type DatabaseTarget =
  | { provider: 'sqlite'; url: string; file: string }
  | { provider: 'postgresql'; url: string };

export function databaseTarget(databaseUrl: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const url = databaseUrl && databaseUrl.trim() !== '' ? databaseUrl.trim() : DEFAULT_DATABASE_URL;
  if (/^postgres(ql)?:\/\//.test(url)) return { provider: 'postgresql', url };
  if (!url.startsWith('file:')) {
    throw new Error(`DATABASE_URL must be file:<path> (SQLite) or postgres://… (PostgreSQL), got "${url}"`);
  }
  const file = path.resolve(cwd, url.slice('file:'.length));
  return { provider: 'sqlite', url: `file:${file}`, file };
}
