// §9 the first administrator: `tsx scripts/admin-create.ts` run as production runs it (a real child
// process, NODE_ENV=production, the password on standard input) against a database file that does not
// exist yet, and against the harness's seeded one (which has the demo administrator).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../api/auth/password';
import { createDb, type Db } from '../db/client';
import { freshDb } from '../harness/db';
import { childEnv, PROJECT_ROOT } from '../runtime/config';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The command with these arguments and this standard input (null: none written, the pipe just closed). */
function adminCreate(databaseUrl: string, args: string[], stdin: string | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['scripts/admin-create.ts', ...args], {
      cwd: PROJECT_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: childEnv({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), DATABASE_URL: databaseUrl, DEMO_PASSWORD: '' }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => { /* the command may end before reading it */ });
    child.stdin.end(stdin ?? undefined);
  });
}

/** A short-lived connection to the database (closed before the command runs again). */
async function withDb<T>(url: string, use: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(url);
  try {
    return await use(db);
  } finally {
    await db.$disconnect();
  }
}

/** Every key of a JSON value, at any depth. */
const keysOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.flatMap(keysOf) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...keysOf(x)]) : [];

const PASSWORD = 'Correct horse battery 9';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-admin-create-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the first administrator on an empty production database', () => {
  const file = path.join(tmp, 'empty', 'production.db'); // neither the file nor its folder exists
  const url = `file:${file}`;
  let first: Run;
  let db: Db;

  beforeAll(async () => {
    expect(fs.existsSync(file)).toBe(false);
    first = await adminCreate(url, ['--username', 'chief', '--display-name', '张主任'], `${PASSWORD}\n`);
    db = createDb(url);
  });
  afterAll(async () => {
    await db?.$disconnect();
  });

  it('is created, says where to log in, and exits 0', () => {
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('chief');
    expect(lines[0]).toContain('POST /api/v1/auth/login');
  });

  it('is an active ADMIN whose password is the one given, chosen by them (no change required)', async () => {
    const person = await db.person.findUnique({ where: { username: 'chief' }, include: { roles: true } });
    expect(person).toMatchObject({ id: 'p-chief', displayName: '张主任', unitId: null, position: null, active: true, mustChangePassword: false });
    expect(person!.roles.map((r) => r.role)).toEqual(['ADMIN']);
    expect(await verifyPassword(PASSWORD, person!.passwordHash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}\n`, person!.passwordHash)).toBe(false);
  });

  it('finds the database migrated and seeded, without demo accounts', async () => {
    expect(await db.unit.count()).toBeGreaterThan(60);
    expect(await db.taskForce.count()).toBe(4);
    expect(await db.person.count()).toBe(1);
  });

  it('is audited, without the password or its hash', async () => {
    const entries = await db.auditEntry.findMany({ where: { action: 'FIRST_ADMIN_CREATED' } });
    expect(entries).toHaveLength(1);
    const [e] = entries;
    expect(e).toMatchObject({ actor: 'system:admin-create', target: 'person:p-chief' });
    expect(e.after).toMatchObject({ id: 'p-chief', username: 'chief', roles: ['ADMIN'], active: true });
    expect([...keysOf(e.before), ...keysOf(e.after)].filter((k) => /^(password|passwordHash)$/i.test(k))).toEqual([]);
    const recorded = JSON.stringify([e.before, e.after]);
    expect(recorded).not.toContain(PASSWORD);
    expect(recorded).not.toContain('scrypt$');
  });

  it('is refused a second time: an administrator exists', async () => {
    const again = await adminCreate(url, ['--username', 'deputy'], `${PASSWORD}\n`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('an administrator already exists: chief');
    expect(again.stderr).toContain('已有管理员');
    expect(await db.person.findUnique({ where: { username: 'deputy' } })).toBeNull();
    expect(await db.auditEntry.count()).toBe(1);
  });
});

describe('refusals before anything is created', () => {
  it('refuses a password on the command line (both spellings), without repeating it, and touches no database', async () => {
    const file = path.join(tmp, 'never', 'made.db');
    for (const args of [['--username', 'chief', '--password', 'hunter2-secret-pw'], ['--username=chief', '--password=hunter2-secret-pw']]) {
      const r = await adminCreate(`file:${file}`, args, `${PASSWORD}\n`);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('passwords are never taken from the command line');
      expect(r.stderr + r.stdout).not.toContain('hunter2-secret-pw');
    }
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses a bad username or a missing one with exit 2', async () => {
    const url = `file:${path.join(tmp, 'never', 'made.db')}`;
    expect((await adminCreate(url, ['--username', 'a b'], `${PASSWORD}\n`)).code).toBe(2);
    expect((await adminCreate(url, ['--username', 'x'], `${PASSWORD}\n`)).code).toBe(2);
    expect((await adminCreate(url, [], `${PASSWORD}\n`)).code).toBe(2);
  });

  it('refuses a password the policy refuses (too short, containing the username, none) with exit 2, naming the problem', async () => {
    const url = `file:${path.join(tmp, 'weak', 'production.db')}`;
    const short = await adminCreate(url, ['--username', 'chief'], 'short-pw\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toContain('密码不符合要求：至少 10 个字符');
    const named = await adminCreate(url, ['--username', 'chief'], 'my-name-is-chief-ok\n');
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('密码不符合要求：不能包含用户名');
    const none = await adminCreate(url, ['--username', 'chief'], null);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no password on standard input');
    const db = createDb(url);
    try {
      expect(await db.person.count()).toBe(0);
      expect(await db.auditEntry.count()).toBe(0);
    } finally {
      await db.$disconnect();
    }
  });
});

describe('on a database that already has people (the harness\'s, with the demo accounts)', () => {
  let store: Awaited<ReturnType<typeof freshDb>>;
  beforeAll(async () => {
    store = await freshDb('admin-create');
    // the harness's file is in WAL mode, where a connection that has used it keeps prisma migrate deploy
    // (which the command runs) from starting: this process looks only between runs, with its own connections
    await store.db.$disconnect();
  });
  afterAll(async () => {
    await store?.cleanup();
  });

  it('refuses while the demo administrator is active', async () => {
    const r = await adminCreate(store.url, ['--username', 'chief'], `${PASSWORD}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('an administrator already exists: admin');
    expect(await withDb(store.url, (db) => db.person.findUnique({ where: { username: 'chief' } }))).toBeNull();
  });

  it('refuses a username that is taken, once no administrator is active, and then creates one', async () => {
    await withDb(store.url, (db) => db.person.update({ where: { username: 'admin' }, data: { active: false } }));
    const taken = await adminCreate(store.url, ['--username', 'info1'], `${PASSWORD}\n`);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain('the username info1 is taken');
    const info1 = await withDb(store.url, (db) => db.person.findUnique({ where: { username: 'info1' }, include: { roles: true } }));
    expect(info1!.roles).toEqual([]);

    const made = await adminCreate(store.url, ['--username', 'chief'], `${PASSWORD}\r\n`);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const person = await withDb(store.url, (db) => db.person.findUnique({ where: { username: 'chief' }, include: { roles: true } }));
    expect(person!.roles.map((r) => r.role)).toEqual(['ADMIN']);
    expect(person!.displayName).toBe('系统管理员');
    expect(await verifyPassword(PASSWORD, person!.passwordHash)).toBe(true);
  });
});
