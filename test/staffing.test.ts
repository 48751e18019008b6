// 无人可办 (§9, issue 11 point 5), over real HTTP against the dev server and a fresh SQLite file: a task
// whose candidate group has no active person shows in ADMIN's inbox marked `unstaffed` (and under
// `?unstaffed=true`, ADMIN only); registering or accepting into such a group succeeds with a warning
// naming the group and the task in Chinese. Which groups have nobody agrees with groupsOf over every
// group key there is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupNameOf, unstaffedGroups, unstaffedWarnings } from '../api/staffing';
import { COUNTY_ROLES, groupsOf, TASK_FORCES, type CountyRole, type Position, type TaskForceCode } from '../domain/organisation';
import { UNITS } from '../domain/units';
import { eventually } from './helpers/eventually';
import { startApiEnv, type ApiEnv } from './helpers/api-env';

let a: ApiEnv;
beforeAll(async () => {
  a = await startApiEnv('staffing');
});
afterAll(async () => a?.teardown());

const lead = {
  name: '南县稻虾深加工项目', investor: '岳阳某食品有限公司', investorOrigin: 'IN_PROVINCE', industryChain: 'RICE_SHRIMP',
  channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 30000,
};
type Item = { id: string; projectId: string; type: string; candidateGroup: string; unstaffed: boolean };
const inbox = async (as: string, query = '') => {
  const r = await a.call('GET', `/api/v1/tasks?pageSize=200${query}`, { as });
  expect(r.status).toBe(200);
  return r.body as { items: Item[]; total: number };
};
const openTaskOf = async (projectId: string) => (await a.call('GET', `/api/v1/projects/${projectId}`, { as: 'admin' })).body.openTasks[0] as Item;

describe('§9 无人可办', () => {
  let accepted: string; // the project accepted into 县农业农村局 (R09, no demo people)
  let contactTask: Item;
  let staffedTask: Item; // another project's lead.verify, for TF:INFO (info1)

  it('registration answers warnings: none when the first task lands on a staffed group, though the responsible unit has nobody', async () => {
    const first = await a.call('POST', '/api/v1/projects', { as: 'info1', body: lead });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ stage: 'LEAD', warnings: [] });
    accepted = first.body.id;
    const upFront = await a.call('POST', '/api/v1/projects', {
      as: 'info1', body: { ...lead, name: '南县稻虾种苗繁育基地', landingSiteId: 'L03', responsibleUnitId: 'R09' },
    });
    expect(upFront.status).toBe(201);
    expect(upFront.body).toMatchObject({ stage: 'LEAD', warnings: [] }); // lead.verify goes to TF:INFO, which info1 staffs
    staffedTask = await openTaskOf(upFront.body.id);
    expect(staffedTask).toMatchObject({ type: 'lead.verify', candidateGroup: 'TF:INFO' });
  });

  it('accepting into a unit with nobody active succeeds (200) with a warning naming the unit and the task', async () => {
    const verify = await openTaskOf(accepted);
    const body = { outcome: 'accept', data: { landingSiteId: 'L03', responsibleUnitId: 'R09' } };
    const r = await a.call('POST', `/api/v1/tasks/${verify.id}/complete`, { as: 'info1', body });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ stage: 'CONTACT', openTasks: [{ type: 'contact.inspect', candidateGroup: 'UNIT:R09' }] });
    expect(r.body.warnings).toEqual([{ code: 'UNSTAFFED_GROUP', group: 'UNIT:R09', message: expect.any(String) }]);
    const message: string = r.body.warnings[0].message;
    expect(message).toContain('「县农业农村局」');
    expect(message).toContain('「前期对接、初步考察」');
    expect(message).toContain('无人可办');
    contactTask = r.body.openTasks[0];
    // the same completion again answers the same, warning included
    expect(await a.call('POST', `/api/v1/tasks/${verify.id}/complete`, { as: 'info1', body })).toEqual(r);
  });

  it('ADMIN\'s inbox lists the task marked unstaffed; ?unstaffed=true lists only such tasks; a staffed group\'s task is not among them', async () => {
    const all = await eventually(async () => {
      const box = await inbox('admin');
      expect(box.items.map((t) => t.id)).toContain(contactTask.id);
      return box;
    });
    expect(all.items.find((t) => t.id === contactTask.id)).toMatchObject({ type: 'contact.inspect', candidateGroup: 'UNIT:R09', unstaffed: true });
    expect(all.items.map((t) => t.id)).not.toContain(staffedTask.id); // ADMIN is in no group of its own; TF:INFO has info1
    expect(all.items.every((t) => t.unstaffed)).toBe(true);

    const only = await inbox('admin', '&unstaffed=true');
    expect(only.items.map((t) => t.id)).toContain(contactTask.id);
    expect(only.items.map((t) => t.id)).not.toContain(staffedTask.id);
    expect(only.items.every((t) => t.unstaffed)).toBe(true);
    expect(only.total).toBe(only.items.length);
    // the other filters and paging still apply
    expect((await inbox('admin', '&unstaffed=true&type=lead.verify')).total).toBe(0);
    expect((await inbox('admin', `&unstaffed=true&projectId=${accepted}`)).items.map((t) => t.id)).toEqual([contactTask.id]);
    const page = await a.call('GET', '/api/v1/tasks?unstaffed=true&pageSize=1&page=1', { as: 'admin' });
    expect(page.body).toMatchObject({ total: only.total, page: 1, pageSize: 1 });
    expect(page.body.items).toHaveLength(1);
    expect((await inbox('admin', '&unstaffed=false')).items.map((t) => t.id)).not.toContain(contactTask.id);

    // everyone else: unstaffed is false on every item, and the filter is ADMIN's only (403 naming it)
    const info = await inbox('info1');
    expect(info.items.find((t) => t.id === staffedTask.id)).toMatchObject({ unstaffed: false });
    expect(info.items.every((t) => t.unstaffed === false)).toBe(true);
    const refused = await a.call('GET', '/api/v1/tasks?unstaffed=true', { as: 'info1' });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'FORBIDDEN', details: [{ field: 'querystring.unstaffed' }] });
    expect(refused.body.error.message).toContain('unstaffed');

    // the OpenAPI document says what 无人可办 means, and shows the item's flag and the answers' warnings
    const doc = (await a.call('GET', '/docs/json')).body;
    const op = doc.paths['/api/v1/tasks'].get;
    expect(op.description).toContain('无人可办');
    expect(op.parameters.map((p: { name: string }) => p.name)).toContain('unstaffed');
    const ok = (path: string, method: string, status: string) => doc.paths[path][method].responses[status].content['application/json'].schema;
    expect(ok('/api/v1/tasks', 'get', '200').properties.items.items.required).toContain('unstaffed');
    expect(ok('/api/v1/projects', 'post', '201').required).toContain('warnings');
    expect(ok('/api/v1/tasks/{id}/complete', 'post', '200').required).toContain('warnings');
  });

  it('an active person of the unit staffs it; deactivated, the task is 无人可办 again', async () => {
    const db = a.store.db;
    await db.person.create({ data: { id: 'p-agri1', username: 'agri1', displayName: '县农业农村局工作人员', unitId: 'R09', position: 'MEMBER', passwordHash: 'x' } });
    expect((await inbox('admin', '&unstaffed=true')).items.map((t) => t.id)).not.toContain(contactTask.id);
    expect((await inbox('admin')).items.map((t) => t.id)).not.toContain(contactTask.id);
    await db.person.update({ where: { id: 'p-agri1' }, data: { active: false } });
    expect((await inbox('admin', '&unstaffed=true')).items.find((t) => t.id === contactTask.id)).toMatchObject({ unstaffed: true });
  });

  it('registration warns when the first task lands on a group with nobody active (task force INFO without members)', async () => {
    const db = a.store.db;
    const members = await db.taskForceMembership.findMany({ where: { taskForceCode: 'INFO', person: { active: true } }, select: { personId: true } });
    const ids = members.map((m) => m.personId);
    await db.person.updateMany({ where: { id: { in: ids } }, data: { active: false } });
    try {
      const r = await a.call('POST', '/api/v1/projects', { as: 'admin', body: { ...lead, name: '南县小龙虾交易中心', sourceUnitId: 'R00' } });
      expect(r.status).toBe(201);
      expect(r.body.warnings).toEqual([{ code: 'UNSTAFFED_GROUP', group: 'TF:INFO', message: expect.stringContaining('「项目信息收集专班」') }]);
      expect(r.body.warnings[0].message).toContain('「线索核实」');
    } finally {
      await db.person.updateMany({ where: { id: { in: ids } }, data: { active: true } });
    }
  });

  it('agrees with groupsOf of the active people over every group key (units, unit leaders, task forces, roles, ADMIN, nonsense)', async () => {
    const db = a.store.db;
    // a leader of 茅草街镇 who is inactive, and a member who is active: the unit is staffed, its leaders are not
    await db.person.create({ data: { id: 'p-mcj_p', username: 'mcj_principal', displayName: '茅草街镇主要负责人', unitId: 'L05', position: 'PRINCIPAL', passwordHash: 'x', active: false } });
    await db.person.create({ data: { id: 'p-mcj1', username: 'mcj1', displayName: '茅草街镇工作人员', unitId: 'L05', position: 'STAFF', passwordHash: 'x' } });
    const keys = [
      ...UNITS.flatMap((u) => [`UNIT:${u.id}`, `UNIT:${u.id}:LEADERS`]),
      ...TASK_FORCES.map((c) => `TF:${c}`), ...COUNTY_ROLES.map((r) => `ROLE:${r}`), 'UNIT:Z99', 'NOPE:1',
    ];
    const people = await db.person.findMany({ where: { active: true }, include: { roles: true, memberships: true } });
    const staffed = new Set(people.flatMap((p) => groupsOf({
      unitId: p.unitId, position: p.position as Position | null,
      roles: p.roles.map((r) => r.role as CountyRole), taskForces: p.memberships.map((m) => m.taskForceCode as TaskForceCode),
    })));
    const unstaffed = await unstaffedGroups(db, keys);
    expect([...unstaffed].sort()).toEqual(keys.filter((k) => !staffed.has(k)).sort());
    expect(unstaffed.has('UNIT:L05')).toBe(false);
    expect(unstaffed.has('UNIT:L05:LEADERS')).toBe(true);
    expect(unstaffed.has('UNIT:R09')).toBe(true);
    expect(unstaffed.has('ROLE:ADMIN')).toBe(true); // ADMIN may not complete a task (§1)
    expect(unstaffed.has('TF:INFO')).toBe(false);

    // the Chinese names the warnings use, and what they ask of the administrator
    expect(['UNIT:R09', 'UNIT:L05:LEADERS', 'TF:FACTOR', 'ROLE:VICE_HEAD'].map(groupNameOf))
      .toEqual(['县农业农村局', '茅草街镇（主要负责人、分管负责人）', '要素保障专班', '分管副县长']);
    const [site] = await unstaffedWarnings(db, [{ title: '落户地组织评审材料', candidateGroup: 'UNIT:L05:LEADERS', status: 'OPEN' }]);
    expect(site.message).toBe('「茅草街镇（主要负责人、分管负责人）」目前没有在岗人员：任务「落户地组织评审材料」无人可办，请管理员调整项目落户地或增补人员');
    expect(await unstaffedWarnings(db, [{ title: '落户地组织评审材料', candidateGroup: 'UNIT:L05', status: 'OPEN' }])).toEqual([]);
  });
});
