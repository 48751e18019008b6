// What the harness builds the same way every time (the workflow bundle, the migrated and seeded
// database) is kept in the OS temp directory under a fingerprint of the sources it is built from, so
// a test file, a simulation or a benchmark builds it only after those sources change. TEST_BUILD_CACHE=0 turns
// the cache off.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCacheEnabled, PROJECT_ROOT as ROOT } from '../runtime/config';

/**
 * Everything the workflow bundle and the seeded database can depend on: the sources of the service
 * (not the harness, tests, benches or scripts), the schema and migrations, the locked packages, the helpers
 * that build the two, this checkout's path and the Node version. More than either needs, so an edit
 * rebuilds rather than goes unseen.
 */
const SOURCE_DIRS = ['workflows', 'domain', 'activities', 'api', 'db', 'prisma', 'runtime', 'worker'];
const SOURCE_FILES = ['package-lock.json', 'tsconfig.json', 'prisma.config.ts', 'harness/cache.ts', 'harness/db.ts', 'harness/temporal.ts'];

let fingerprint: string | null = null;
function sourceFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = crypto.createHash('sha256').update(`${ROOT}\0${process.version}\0`);
  const add = (file: string) => hash.update(`${path.relative(ROOT, file)}\0`).update(fs.readFileSync(file)).update('\0');
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) add(p);
    }
  };
  for (const d of SOURCE_DIRS) if (fs.existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  for (const f of SOURCE_FILES) if (fs.existsSync(path.join(ROOT, f))) add(path.join(ROOT, f));
  fingerprint = hash.digest('hex').slice(0, 16);
  return fingerprint;
}

// one checkout's cache entries never replace another's
const prefix = (kind: string) => `nanxian-cache-${crypto.createHash('sha256').update(ROOT).digest('hex').slice(0, 8)}-${kind}-`;

/** The cached file of `kind` for the current sources, or null. */
export function cachedFile(kind: string, ext: string): string | null {
  if (!buildCacheEnabled()) return null;
  const file = path.join(os.tmpdir(), `${prefix(kind)}${sourceFingerprint()}${ext}`);
  return fs.existsSync(file) ? file : null;
}

/**
 * Keeps a copy of a built file as the cache entry of `kind` for the current sources (moved there
 * atomically, so a concurrent test file reads a whole one) and drops that kind's entries for other
 * sources.
 */
export function keepInCache(kind: string, ext: string, built: string): void {
  if (!buildCacheEnabled()) return;
  const name = `${prefix(kind)}${sourceFingerprint()}${ext}`;
  const tmp = path.join(os.tmpdir(), `${name}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`);
  fs.copyFileSync(built, tmp);
  fs.renameSync(tmp, path.join(os.tmpdir(), name));
  for (const other of fs.readdirSync(os.tmpdir())) {
    if (other.startsWith(prefix(kind)) && other.endsWith(ext) && other !== name) fs.rmSync(path.join(os.tmpdir(), other), { force: true });
  }
}

