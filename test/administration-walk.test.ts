// §9 a county staffs the service from nothing, as production runs it: NODE_ENV=production, a JWT_SECRET,
// an empty database. `npm run admin:create` makes the first administrator; the real API and worker
// processes (tsx api/main.ts, tsx worker/main.ts) run against a Temporal dev server; over HTTP the
// administrator creates the people of 县农业农村局 with their positions and task force 信息收集专班; one
// logs in with the one-time password, changes it and completes a task; another, deactivated, loses their
// claimed task to the group and their token.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, devServer, type TestServer } from '../harness/temporal';
import { childEnv, PROJECT_ROOT } from '../runtime/config';
import { eventually } from './helpers/eventually';

const TSX = path.join(PROJECT_ROOT, 'node_modules/.bin/tsx');
let server: TestServer;
let dir: string;
let base: string;
let env: Record<string, string>;
const children: ChildProcess[] = [];

function start(script: string): ChildProcess {
  const child = spawn(TSX, [script], { cwd: PROJECT_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  child.on('exit', (code) => {
    if (code) console.error(`${script} exited ${code}:\n${out}`);
  });
  children.push(child);
  return child;
}

function run(args: string[], stdin: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(TSX, args, { cwd: PROJECT_ROOT, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ code, out }));
    child.stdin.end(stdin);
  });
}

beforeAll(async () => {
  server = await devServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-admin-walk-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}/api/v1`;
  env = {
    NODE_ENV: 'production', JWT_SECRET: 'walk-test-secret-'.padEnd(40, 'x'), DATABASE_URL: `file:${path.join(dir, 'county.db')}`,
    TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace, TEMPORAL_TASK_QUEUE: 'admin-walk-tq', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error',
  };
}, 120_000);

afterAll(async () => {
  for (const c of children) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch { /* gone */ }
  }
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, p: string, opts: { token?: string; body?: unknown } = {}) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
}
const login = async (username: string, password: string) => call('POST', '/auth/login', { body: { username, password } });

/** Logs in with the one-time password and sets the person's own; answers a working token. */
async function firstLogin(username: string, oneTime: string, own: string): Promise<string> {
  const first = await login(username, oneTime);
  expect(first.body.mustChangePassword).toBe(true);
  const changed = await call('POST', '/me/password', { token: first.body.token, body: { oldPassword: oneTime, newPassword: own } });
  expect(changed.status).toBe(200);
  return changed.body.token;
}

describe('§9 a county staffs the service from an empty production database', () => {
  it('walks the first administrator, the people of a unit, a first login, a task done and a deactivation', async () => {
    // the first administrator, by the command (the password on standard input)
    const made = await run(['scripts/admin-create.ts', '--username', 'chief', '--display-name', '县商务局系统管理员'], '县招商系统-管理员-2026\n');
    expect(made.code, made.out).toBe(0);

    start('worker/main.ts');
    start('api/main.ts');
    await eventually(async () => expect((await fetch(`${base.replace('/api/v1', '')}/readyz`)).status).toBe(200), 60_000);
    expect((await login('admin', 'nanxian-demo')).status).toBe(401); // no demo accounts in production
    const chief = (await login('chief', '县招商系统-管理员-2026')).body.token as string;

    // the people of 县农业农村局 (R09): its leaders, and two members of 信息收集专班 (one its 组长)
    const people = [
      { username: 'r09_zhang', displayName: '张局长', unitId: 'R09', position: 'PRINCIPAL', mobile: '13900000001' },
      { username: 'r09_li', displayName: '李副局长', unitId: 'R09', position: 'DEPUTY' },
      { username: 'r09_wang', displayName: '王专员', unitId: 'R09', position: 'STAFF', taskForces: [{ id: 'INFO', lead: true }], email: 'wang@nanxian.gov.cn' },
      { username: 'r09_zhao', displayName: '赵专员', unitId: 'R09', position: 'STAFF', taskForces: [{ id: 'INFO', lead: false }] },
    ];
    const otp: Record<string, string> = {};
    for (const p of people) {
      const r = await call('POST', '/admin/people', { token: chief, body: p });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      otp[p.username] = r.body.oneTimePassword;
    }
    expect((await call('POST', '/admin/people', { token: chief, body: people[0] })).status).toBe(409);

    // 王专员: first login, own password, registers a lead and completes 线索核实 (九)
    const wang = await firstLogin('r09_wang', otp.r09_wang, '王专员的密码-稻虾2026');
    const project = await call('POST', '/projects', {
      token: wang,
      body: { name: '南县稻虾种养一体化项目', investor: '湖南某农业发展有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP', channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 8000 },
    });
    expect(project.status, JSON.stringify(project.body)).toBe(201);
    const verify = (await call('GET', '/tasks', { token: wang })).body.items.find((t: { projectId: string }) => t.projectId === project.body.id);
    expect(verify).toMatchObject({ type: 'lead.verify', candidateGroup: 'TF:INFO' });
    const done = await call('POST', `/tasks/${verify.id}/complete`, { token: wang, body: { outcome: 'accept', data: { landingSiteId: 'L03', responsibleUnitId: 'R09' } } });
    expect(done).toMatchObject({ status: 200, body: { stage: 'CONTACT', warnings: [] } }); // 县农业农村局 has people now

    // 赵专员 claims the next task; deactivated, their token is refused and the task goes back to 县农业农村局
    const zhao = await firstLogin('r09_zhao', otp.r09_zhao, '赵专员的密码-稻虾2026');
    const contact = (await call('GET', '/tasks', { token: zhao })).body.items.find((t: { projectId: string }) => t.projectId === project.body.id);
    expect(contact).toMatchObject({ type: 'contact.inspect', candidateGroup: 'UNIT:R09' });
    expect((await call('POST', `/tasks/${contact.id}/claim`, { token: zhao })).body.claimedBy).toBe('r09_zhao');
    expect((await call('PATCH', '/admin/people/p-r09_zhao', { token: chief, body: { active: false } })).body.active).toBe(false);
    expect((await call('GET', '/tasks', { token: zhao })).status).toBe(401);
    expect((await login('r09_zhao', '赵专员的密码-稻虾2026')).status).toBe(401);
    await eventually(async () => {
      const back = (await call('GET', '/tasks', { token: wang })).body.items.find((t: { id: string }) => t.id === contact.id);
      expect(back).toMatchObject({ claimedBy: null });
    });
    const audit = (await call('GET', '/admin/audit?pageSize=100', { token: chief })).body.items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['FIRST_ADMIN_CREATED', 'PERSON_CREATED', 'PASSWORD_CHANGED', 'PERSON_DEACTIVATED', 'TASK_RELEASED']));
  }, 240_000);
});
