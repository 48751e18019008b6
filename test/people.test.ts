// §9 people, passwords and the audit, over real HTTP against the dev server and a fresh SQLite file:
// ADMIN creates people of a unit with positions, task forces, roles and contacts (a one-time password
// each, to be changed before anything else); ORG_DEPT records professional staff (十二 备案制) and no
// more; a deactivated person's tokens stop, their claimed task returns to the group; a reset password is
// one-time again; every change is an audit entry without a password in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveLines } from '../activities/recipients';
import { recipientLines } from '../domain/notice-routing';
import { NAMED_UNITS } from '../domain/units';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('people');
});
afterAll(async () => a?.teardown());

const login = (username: string, password: string) => a.call('POST', '/api/v1/auth/login', { body: { username, password } });
const lead = {
  name: '人员管理测试项目', investor: '湖南某农业科技有限公司', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP',
  channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 20000,
};

describe('§9 people', () => {
  it('ADMIN creates the people of a unit; each logs in with a one-time password that must be changed before anything else', async () => {
    const created = await a.call('POST', '/api/v1/admin/people', {
      as: 'admin',
      body: {
        username: 'agri_principal', displayName: '县农业农村局主要负责人', unitId: 'R09', position: 'PRINCIPAL',
        mobile: '13800000001', email: 'agri_principal@nanxian.gov.cn', wecomUserId: 'agri.principal',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.person).toMatchObject({
      id: 'p-agri_principal', username: 'agri_principal', position: 'PRINCIPAL', positionName: expect.any(String), active: true, mustChangePassword: true,
      mobile: '13800000001', taskForces: [], roles: [],
    });
    expect(created.body.oneTimePassword).toMatch(/^[A-Za-z0-9]{12}$/);
    const member = await a.call('POST', '/api/v1/admin/people', {
      as: 'admin',
      body: { username: 'agri_info', displayName: '农业农村局信息员', unitId: 'R09', position: 'MEMBER', taskForces: [{ id: 'INFO', lead: false }] },
    });
    expect(member.status).toBe(201);
    expect(member.body.person.taskForces).toEqual([{ id: 'INFO', name: expect.any(String), lead: false }]);

    // a duplicate username is 409; bad fields are 400 naming them
    expect((await a.call('POST', '/api/v1/admin/people', { as: 'admin', body: { username: 'agri_info', displayName: '重名' } })).status).toBe(409);
    const bad = await a.call('POST', '/api/v1/admin/people', { as: 'admin', body: { username: 'x y', displayName: '坏数据', unitId: 'Z99', mobile: '123', roles: ['KING'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['body.mobile', 'body.roles.0', 'body.unitId', 'body.username']);
    const noUnit = await a.call('POST', '/api/v1/admin/people', { as: 'admin', body: { username: 'nounit', displayName: '无单位', position: 'DEPUTY' } });
    expect(noUnit).toMatchObject({ status: 400, body: { error: { details: [{ field: 'body.position' }] } } });
    expect((await a.call('POST', '/api/v1/admin/people', { as: 'info1', body: { username: 'sneaky', displayName: '越权' } })).status).toBe(403);

    // the one-time password: the login says so, every call but /me and the change is refused
    const first = await login('agri_principal', created.body.oneTimePassword);
    expect(first).toMatchObject({ status: 200, body: { mustChangePassword: true } });
    expect((await a.call('GET', '/api/v1/tasks', { token: first.body.token })).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await a.call('GET', '/api/v1/tasks', { token: first.body.token })).status).toBe(403);
    expect((await a.call('GET', '/api/v1/me', { token: first.body.token })).body).toMatchObject({ username: 'agri_principal', mustChangePassword: true });
    const weak = await a.call('POST', '/api/v1/me/password', { token: first.body.token, body: { oldPassword: created.body.oneTimePassword, newPassword: 'agri_principal-2026' } });
    expect(weak).toMatchObject({ status: 400, body: { error: { details: [{ field: 'body.newPassword' }] } } });
    const changed = await a.call('POST', '/api/v1/me/password', { token: first.body.token, body: { oldPassword: created.body.oneTimePassword, newPassword: '南县农业-稻虾-2026' } });
    expect(changed).toMatchObject({ status: 200, body: { mustChangePassword: false } });
    expect((await a.call('GET', '/api/v1/tasks', { token: first.body.token })).status).toBe(401); // the one-time token is revoked
    expect((await a.call('GET', '/api/v1/tasks', { token: changed.body.token })).status).toBe(200);
    expect((await login('agri_principal', '南县农业-稻虾-2026')).body.mustChangePassword).toBe(false);
  });

  it('ORG_DEPT records professional staff (STAFF) and nothing else', async () => {
    const staff = await a.call('POST', '/api/v1/admin/people', { as: 'orgdept', body: { username: 'agri_staff', displayName: '农业农村局专职招商人员', unitId: 'R09', position: 'STAFF' } });
    expect(staff.status).toBe(201);
    expect(staff.body.person).toMatchObject({ position: 'STAFF', filedBy: 'orgdept', filedAt: expect.any(String) });
    expect((await a.call('POST', '/api/v1/admin/people', { as: 'orgdept', body: { username: 'agri_boss', displayName: '局长', unitId: 'R09', position: 'PRINCIPAL' } })).status).toBe(403);
    expect((await a.call('POST', '/api/v1/admin/people', { as: 'orgdept', body: { username: 'agri_s2', displayName: '专职', unitId: 'R09', position: 'STAFF', roles: ['ADMIN'] } })).status).toBe(403);
    expect((await a.call('PATCH', '/api/v1/admin/people/p-agri_staff', { as: 'orgdept', body: { mobile: '13800000009' } })).body.mobile).toBe('13800000009');
    expect((await a.call('PATCH', '/api/v1/admin/people/p-agri_staff', { as: 'orgdept', body: { active: false } })).status).toBe(403);
    expect((await a.call('PATCH', '/api/v1/admin/people/p-agri_principal', { as: 'orgdept', body: { mobile: '13800000008' } })).status).toBe(403);
    const seen = await a.call('GET', '/api/v1/admin/people?pageSize=100', { as: 'orgdept' });
    expect(seen.body.items.every((p: { position: string }) => p.position === 'STAFF')).toBe(true);
    // a STAFF person already there (a demo account) is put on record
    expect((await a.call('POST', '/api/v1/admin/people/p-kfq1/file', { as: 'orgdept' })).body).toMatchObject({ username: 'kfq1', filedBy: 'orgdept' });
    expect((await a.call('POST', '/api/v1/admin/people/p-kfq_principal/file', { as: 'orgdept' })).status).toBe(409);
  });

  it('deactivating a person refuses their token and login and gives their claimed task back to the group; ADMIN resets a password to a one-time one', async () => {
    const otp = (await a.call('POST', '/api/v1/admin/people/p-agri_info/reset-password', { as: 'admin' })).body.oneTimePassword as string;
    const t1 = (await login('agri_info', otp)).body.token as string;
    const own = await a.call('POST', '/api/v1/me/password', { token: t1, body: { oldPassword: otp, newPassword: '信息员的新密码-0001' } });
    const token = own.body.token as string;

    const p = await a.call('POST', '/api/v1/projects', { as: 'info1', body: lead });
    expect(p.status).toBe(201);
    const task = (await a.call('GET', '/api/v1/tasks?pageSize=100', { token })).body.items.find((t: { projectId: string }) => t.projectId === p.body.id);
    expect(task).toMatchObject({ type: 'lead.verify', candidateGroup: 'TF:INFO' });
    expect((await a.call('POST', `/api/v1/tasks/${task.id}/claim`, { token })).body.claimedBy).toBe('agri_info');

    const off = await a.call('PATCH', '/api/v1/admin/people/p-agri_info', { as: 'admin', body: { active: false } });
    expect(off).toMatchObject({ status: 200, body: { active: false } });
    expect((await a.call('GET', '/api/v1/me', { token })).status).toBe(401);
    expect((await login('agri_info', '信息员的新密码-0001')).status).toBe(401);
    await eventually(async () => expect((await a.store.db.task.findUniqueOrThrow({ where: { id: task.id } })).claimedBy).toBeNull());
    expect((await a.call('POST', `/api/v1/tasks/${task.id}/claim`, { as: 'info1' })).body.claimedBy).toBe('info1'); // the group has it again
    expect((await a.call('PATCH', '/api/v1/admin/people/p-admin', { as: 'admin', body: { active: false } })).status).toBe(409); // not oneself
    expect((await a.call('PATCH', '/api/v1/admin/people/p-admin', { as: 'admin', body: { roles: [] } })).status).toBe(409); // nor one's own ADMIN role
    // the person and their history stay
    expect((await a.call('GET', '/api/v1/admin/people/p-agri_info', { as: 'admin' })).body).toMatchObject({ username: 'agri_info', active: false });
  });

  it('sends the notices meant for a deactivated person to the next one up (§4), and again to them once reactivated; ADMIN\'s reassignments are audited', async () => {
    const overdueOfKfq = async () => (await resolveLines(a.store.db, recipientLines('OVERDUE', `UNIT:${NAMED_UNITS.economicZone}`))).map((r) => r.username);
    expect(await overdueOfKfq()).toEqual(['kfq_deputy']);
    expect((await a.call('PATCH', '/api/v1/admin/people/p-kfq_deputy', { as: 'admin', body: { active: false } })).status).toBe(200);
    expect(await overdueOfKfq()).toEqual(['kfq_principal']); // DEPUTY → PRINCIPAL of the unit
    expect((await a.call('PATCH', '/api/v1/admin/people/p-kfq_deputy', { as: 'admin', body: { active: true } })).body.active).toBe(true);
    expect(await overdueOfKfq()).toEqual(['kfq_deputy']);

    const p = await a.call('POST', '/api/v1/projects', { as: 'info1', body: { ...lead, name: '人员管理测试·指派' } });
    const task = await a.store.db.task.findFirstOrThrow({ where: { projectId: p.body.id } });
    expect((await a.call('POST', `/api/v1/tasks/${task.id}/assign`, { as: 'admin', body: { username: 'info1' } })).body.claimedBy).toBe('info1');
    const entries = (await a.call('GET', `/api/v1/admin/audit?target=task:${task.id}`, { as: 'admin' })).body.items;
    expect(entries).toEqual([expect.objectContaining({ action: 'TASK_REASSIGNED', actor: 'admin', before: { claimedBy: null }, after: { claimedBy: 'info1' } })]);
  });

  it('keeps every change in the audit — who, when, what, before and after — and never a password', async () => {
    const all = await a.call('GET', '/api/v1/admin/audit?pageSize=100', { as: 'admin' });
    expect(all.status).toBe(200);
    const actions = all.body.items.map((e: { action: string }) => e.action);
    for (const action of ['PERSON_CREATED', 'PASSWORD_CHANGED', 'PASSWORD_RESET', 'PERSON_FILED', 'PERSON_DEACTIVATED', 'PERSON_REACTIVATED', 'TASK_RELEASED', 'TASK_REASSIGNED', 'PERSON_UPDATED']) {
      expect(actions).toContain(action);
    }
    expect(JSON.stringify(all.body)).not.toMatch(/passwordHash|oneTimePassword|scrypt|信息员的新密码/);
    const deactivated = (await a.call('GET', '/api/v1/admin/audit?target=person:p-agri_info&action=PERSON_DEACTIVATED', { as: 'admin' })).body.items;
    expect((await a.call('GET', '/api/v1/admin/audit?action=bad action', { as: 'admin' })).status).toBe(400);
    expect(deactivated).toEqual([expect.objectContaining({ actor: 'admin', before: expect.objectContaining({ active: true }), after: expect.objectContaining({ active: false }) })]);
    expect((await a.call('GET', '/api/v1/admin/audit?actor=orgdept', { as: 'admin' })).body.items.length).toBeGreaterThanOrEqual(3);
    expect((await a.call('GET', '/api/v1/admin/audit', { as: 'orgdept' })).status).toBe(403);
    expect((await a.call('DELETE', `/api/v1/admin/audit/${all.body.items[0].id}`, { as: 'admin' })).status).toBe(404);
  });
});
