// Derives prisma/postgres/schema.prisma from prisma/schema.prisma (the one schema people edit).
// Only the datasource provider and the generator output differ. `--check` fails when it is stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = fs.readFileSync(path.join(root, 'prisma/schema.prisma'), 'utf8');
const derived = source
  .replace('output       = "../generated/sqlite"', 'output       = "../../generated/postgres"')
  .replace('provider = "sqlite"', 'provider = "postgresql"')
  .replace('url      = "file:./.data/nanxian.db"', 'url      = "postgresql://localhost/nanxian"')
  .replace(/^\/\/ This is the SQLite schema[\s\S]*?never edit that one\.\n/m,
    '// GENERATED from prisma/schema.prisma by scripts/prisma-schemas.mjs — edit that file, not this one.\n');
if (derived === source || !derived.includes('"postgresql"') || !derived.includes('generated/postgres')) {
  throw new Error('prisma-schemas: the markers in prisma/schema.prisma changed; update this script');
}
const target = path.join(root, 'prisma/postgres/schema.prisma');
const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
if (process.argv.includes('--check')) {
  if (current !== derived) {
    console.error('prisma/postgres/schema.prisma is stale: run node scripts/prisma-schemas.mjs');
    process.exit(1);
  }
} else if (current !== derived) {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, derived);
  console.log('wrote prisma/postgres/schema.prisma');
}
