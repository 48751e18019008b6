// Writes the SQL migrations for a change of prisma/schema.prisma, for SQLite and PostgreSQL:
//   npm run db:migration -- <name>
// It diffs the schema as of the last commit that added a migration against the working copy, with
// `prisma migrate diff` (the JS schema engine cannot replay migrations into a shadow database, and
// refuses --from-url with an adapter). PostgreSQL's diff needs a server: a throw-away one is started.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPostgres } from '../harness/postgres';
import { childEnv, PROJECT_ROOT as ROOT } from '../runtime/config';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name in snake_case>');
  process.exit(2);
}

async function main() {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/prisma-schemas.mjs')], { stdio: 'inherit' });
  const base = execFileSync('git', ['log', '-1', '--format=%H', '--', 'prisma/migrations'], { cwd: ROOT, encoding: 'utf8' }).trim();
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-migration-'));
  const cli = require.resolve('prisma/build/index.js');
  const pg = await startPostgres();
  try {
    for (const [schema, dir, url] of [
      ['prisma/schema.prisma', 'prisma/migrations', `file:${path.join(tmp, 'scratch.db')}`],
      ['prisma/postgres/schema.prisma', 'prisma/postgres/migrations', pg.url],
    ] as const) {
      const old = path.join(tmp, `${path.basename(path.dirname(schema))}-old.prisma`);
      fs.writeFileSync(old, execFileSync('git', ['show', `${base}:${schema}`], { cwd: ROOT, encoding: 'utf8' }));
      const out = path.join(ROOT, dir, `${stamp}_${name}`, 'migration.sql');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const r = spawnSync(process.execPath, [cli, 'migrate', 'diff', '--from-schema-datamodel', old, '--to-schema-datamodel', path.join(ROOT, schema), '--script', '-o', out], {
        cwd: ROOT, env: childEnv({ DATABASE_URL: url }), encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(r.stderr || r.stdout);
      console.log(`wrote ${path.relative(ROOT, out)}`);
    }
  } finally {
    pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
