// §4 "Recipients are never nobody" and §8 in-app notices: the chain of recipients with its fallbacks
// against the seeded organisation (a real SQLite file), and each person's own copy through the API
// (real HTTP, dev server) — read, read-all, unread counts, another person's notice 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindTripQuota } from '../activities/trip-quota';
import { recipientsFor, resolveLines, writeNotice } from '../activities/recipients';
import { afterQuietHours } from '../domain/notice-routing';
import { DEFAULT_POLICY } from '../domain/policy';
import { periodsOf } from '../domain/shanghai-time';
import { NAMED_UNITS, unitByName } from '../domain/units';
import { freshDb } from '../harness/db';
import { startApiEnv, type ApiEnv } from './helpers/api-env';

describe('§4 the chain of recipients', () => {
  let store: Awaited<ReturnType<typeof freshDb>>;
  beforeAll(async () => {
    store = await freshDb('notice-chain');
  });
  afterAll(async () => store?.cleanup());
  const who = async (step: Parameters<typeof recipientsFor>[1], group: string) =>
    (await recipientsFor(store.db, step, group)).map((r) => `${r.username}:${r.reason}${r.unrouted ? ':UNROUTED' : ''}`);

  it('reaches the group, then the unit\'s DEPUTY and PRINCIPAL; a task force through its lead unit\'s leaders and its 组长', async () => {
    expect(await who('REMINDER', 'TF:INFO')).toEqual(['info1:候选组']);
    expect(await who('OVERDUE', 'TF:INFO')).toEqual(['commerce_deputy:分管负责人', 'info1:项目信息收集专班组长']);
    expect(await who('LEVEL_2', 'TF:ASSESS')).toEqual(['fgj_principal:主要负责人', 'assess1:研判专班组长']);
    expect(await who('OVERDUE', `UNIT:${NAMED_UNITS.nanzhou}`)).toEqual(['nanzhou_deputy:分管负责人']);
    expect(await who('LEVEL_2', `UNIT:${NAMED_UNITS.nanzhou}`)).toEqual(['nanzhou_principal:主要负责人']);
    expect(await who('OVERDUE', 'ROLE:GOV_OFFICE')).toEqual(['govoffice:责任人']); // a county role answers itself
    expect(await who('LEVEL_3', 'TF:INFO')).toEqual(['vicehead:分管副县长']);
    expect(await who('LEVEL_4', 'TF:INFO')).toEqual(['countyhead:县长']);
  });

  it('goes to the next one up where the named person is missing or inactive, and to ADMIN marked UNROUTED where nobody is left', async () => {
    // 县农业农村局 has nobody: its overdue task reaches the 分管副县长
    expect(await who('OVERDUE', `UNIT:${unitByName('县农业农村局').id}`)).toEqual(['vicehead:分管副县长']);
    await store.db.person.update({ where: { username: 'nanzhou_deputy' }, data: { active: false } });
    expect(await who('OVERDUE', `UNIT:${NAMED_UNITS.nanzhou}`)).toEqual(['nanzhou_principal:主要负责人']);
    await store.db.person.update({ where: { username: 'commerce_deputy' }, data: { active: false } });
    expect(await who('OVERDUE', 'TF:INFO')).toEqual(['commerce_principal:主要负责人', 'info1:项目信息收集专班组长']);
    await store.db.person.update({ where: { username: 'vicehead' }, data: { active: false } });
    expect(await who('LEVEL_3', 'TF:INFO')).toEqual(['countyhead:县长']);
    await store.db.person.update({ where: { username: 'countyhead' }, data: { active: false } });
    expect(await who('LEVEL_4', 'TF:INFO')).toEqual(['admin:无人接收，转系统管理员:UNROUTED']);
    expect(await resolveLines(store.db, [])).toHaveLength(1); // ADMIN, whatever the chain
  });
});

describe('§8 quiet hours', () => {
  const quiet = DEFAULT_POLICY.delivery.quietHours; // 20:00–08:00 Asia/Shanghai
  const at = (iso: string) => Date.parse(iso);
  it('holds a notice below level 3 made in the evening or the night until 08:00, and sends level ≥ 3 at once', () => {
    expect(new Date(afterQuietHours(at('2026-11-26T22:15:00+08:00'), 0, quiet)).toISOString()).toBe('2026-11-27T00:00:00.000Z'); // 08:00 next morning
    expect(new Date(afterQuietHours(at('2026-11-27T06:30:00+08:00'), 1, quiet)).toISOString()).toBe('2026-11-27T00:00:00.000Z'); // 08:00 the same morning
    expect(afterQuietHours(at('2026-11-26T19:59:00+08:00'), 2, quiet)).toBe(at('2026-11-26T19:59:00+08:00')); // before the quiet hours
    expect(afterQuietHours(at('2026-11-26T08:00:00+08:00'), 0, quiet)).toBe(at('2026-11-26T08:00:00+08:00'));
    expect(afterQuietHours(at('2026-11-26T23:00:00+08:00'), 3, quiet)).toBe(at('2026-11-26T23:00:00+08:00')); // 三级督办 goes at once
    expect(afterQuietHours(at('2026-11-26T23:00:00+08:00'), 0, null)).toBe(at('2026-11-26T23:00:00+08:00'));
    // quiet hours within a day (e.g. 12:00–14:00)
    expect(new Date(afterQuietHours(at('2026-11-26T12:30:00+08:00'), 0, { from: '12:00', to: '14:00' })).toISOString()).toBe('2026-11-26T06:00:00.000Z');
  });
});

describe('§8 one\'s own notices through the API', () => {
  let a: ApiEnv;
  beforeAll(async () => {
    a = await startApiEnv('notices');
  });
  afterAll(async () => a?.teardown());

  it('lists a person\'s own copies newest first, marks them read once, and counts the unread in /me; another person\'s is 404', async () => {
    const quarter = periodsOf(Date.now()).quarter.key;
    // the quarter's trip-quota reminders (三) reach the four landing-site leaders, each their own copy
    expect((await remindTripQuota(a.store.db, { quarter, at: new Date(Date.now() - 60_000).toISOString() }, DEFAULT_POLICY)).reminded).toBe(4);
    // an overdue task of 南洲镇 (§4), written as the projection writes a ladder step
    const p = await a.call('POST', '/api/v1/projects', { as: 'nanzhou1', body: { name: '消息测试项目', investor: '某公司', investorOrigin: 'LOCAL', industryChain: 'FOOD', channel: 'OTHER', plannedInvestmentWan: 100 } });
    const projectId = p.body.projectNo;
    await a.store.db.$transaction(async (tx) => writeNotice(tx, {
      dedupeKey: `test:${projectId}:overdue`, projectId, taskId: `${projectId}-T001`, kind: 'OVERDUE', level: 1,
      title: `【已逾期】消息测试项目：前期对接`, body: '应于 2026-11-20 前完成，现已逾期。', createdAt: new Date(),
    }, await recipientsFor(tx, 'OVERDUE', `UNIT:${NAMED_UNITS.nanzhou}`)));

    const mine = await a.call('GET', '/api/v1/notifications', { as: 'nanzhou_deputy' });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ total: 2, unread: 2, page: 1 });
    const [overdue, quota] = mine.body.items;
    expect(overdue).toMatchObject({
      kind: 'OVERDUE', level: 1, reason: '分管负责人', projectId, taskId: `${projectId}-T001`, readAt: null,
      links: { project: `/api/v1/projects/${projectId}`, tasks: `/api/v1/tasks?projectId=${projectId}` },
    });
    expect(quota).toMatchObject({ kind: 'QUOTA_REMINDER', reason: '本人', projectId: null });
    expect(quota.title).toContain('外出招商提醒');
    expect((await a.call('GET', '/api/v1/me', { as: 'nanzhou_deputy' })).body.unreadNotifications).toBe(2);
    // another person's copy: 404 (kfq_deputy has one of its own)
    expect((await a.call('POST', `/api/v1/notifications/${overdue.id}/read`, { as: 'kfq_deputy' })).status).toBe(404);
    expect((await a.call('POST', '/api/v1/notifications/abc/read', { as: 'kfq_deputy' })).status).toBe(404);
    expect((await a.call('GET', '/api/v1/notifications', { as: 'kfq_deputy' })).body.total).toBe(1);

    const read = await a.call('POST', `/api/v1/notifications/${overdue.id}/read`, { as: 'nanzhou_deputy' });
    expect(read.status).toBe(200);
    expect(read.body.readAt).not.toBeNull();
    const again = await a.call('POST', `/api/v1/notifications/${overdue.id}/read`, { as: 'nanzhou_deputy' });
    expect(again.body.readAt).toBe(read.body.readAt); // read once
    const unread = await a.call('GET', '/api/v1/notifications?unread=true', { as: 'nanzhou_deputy' });
    expect(unread.body.items.map((n: { id: string }) => n.id)).toEqual([quota.id]);
    expect((await a.call('POST', '/api/v1/notifications/read-all', { as: 'nanzhou_deputy' })).body).toEqual({ marked: 1 });
    expect((await a.call('GET', '/api/v1/me', { as: 'nanzhou_deputy' })).body.unreadNotifications).toBe(0);
    expect((await a.call('GET', '/api/v1/me', { as: 'kfq_deputy' })).body.unreadNotifications).toBe(1); // theirs untouched
  });

  it('shows ADMIN a notice nobody else could receive as UNROUTED', async () => {
    await a.store.db.$transaction(async (tx) => writeNotice(tx, {
      dedupeKey: 'test:unrouted', kind: 'ESCALATION', level: 4, title: '【四级督办】县级任务', body: '无人接收的督办', createdAt: new Date(),
    }, await resolveLines(tx, [])));
    const list = await a.call('GET', '/api/v1/notifications', { as: 'admin' });
    expect(list.body.items[0]).toMatchObject({ kind: 'UNROUTED', aboutKind: 'ESCALATION', level: 4, title: '【无人接收】【四级督办】县级任务', reason: '无人接收，转系统管理员' });
  });
});
