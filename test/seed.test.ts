// The seed: the 附件's units under their exact names and categories, the task forces, the demo
// accounts of §7 — and running it twice changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, seed } from '../prisma/seed';
import { DEFAULT_DEMO_PASSWORD, demoPasswordFor } from '../runtime/config';
import { verifyPassword } from '../api/auth/password';
import { freshDb, DEMO_PASSWORD } from '../harness/db';

let ctx: Awaited<ReturnType<typeof freshDb>>;
beforeAll(async () => {
  ctx = await freshDb('seed');
});
afterAll(async () => ctx?.cleanup());

describe('seed', () => {
  it('stores 69 units: 22 RESPONSIBLE, 14 LANDING_SITE, 33 ENCOURAGED, with the 12 乡镇', async () => {
    const byCategory = await ctx.db.unit.groupBy({ by: ['category'], _count: true, orderBy: { category: 'asc' } });
    expect(byCategory.map((r) => [r.category, r._count])).toEqual([['ENCOURAGED', 33], ['LANDING_SITE', 14], ['RESPONSIBLE', 22]]);
    const towns = await ctx.db.unit.findMany({ where: { category: 'LANDING_SITE', name: { endsWith: '镇' } } });
    const xiang = await ctx.db.unit.findMany({ where: { category: 'LANDING_SITE', name: { endsWith: '乡' } } });
    expect(towns.length + xiang.length).toBe(12);
    expect(await ctx.db.unit.count({ where: { subcategory: 'INDUSTRY' } })).toBe(21);
    expect((await ctx.db.unit.findFirst({ where: { subcategory: 'COORDINATOR' } }))?.name).toBe('县商务局(县投资促进服务中心)');
  });

  it('stores the four task forces and every demo account of §7 with a hashed password', async () => {
    expect((await ctx.db.taskForce.findMany({ orderBy: { code: 'asc' } })).map((t) => t.code)).toEqual(['ASSESS', 'FACTOR', 'INFO', 'NEGOTIATE']);
    const people = await ctx.db.person.findMany({ include: { roles: true, memberships: true } });
    expect(people.map((p) => p.username).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.username).sort());
    const info1 = people.find((p) => p.username === 'info1')!;
    expect(info1.memberships.map((m) => m.taskForceCode)).toEqual(['INFO']);
    expect(info1.passwordHash).not.toContain(DEMO_PASSWORD);
    expect(await verifyPassword(DEMO_PASSWORD, info1.passwordHash)).toBe(true);
    expect(people.find((p) => p.username === 'vicehead')!.roles.map((r) => r.role)).toEqual(['VICE_HEAD']);
    expect(people.find((p) => p.username === 'kfq_deputy')!.position).toBe('DEPUTY');
    // §4: each task force has its 组长, and its lead unit a PRINCIPAL and a DEPUTY, so that its notices reach somebody
    for (const tf of await ctx.db.taskForce.findMany({ include: { members: { where: { isLeader: true }, include: { person: true } } } })) {
      expect(tf.members.map((m) => m.person.username), tf.code).toHaveLength(1);
      const leaders = people.filter((p) => p.unitId === tf.leadUnitId && (p.position === 'PRINCIPAL' || p.position === 'DEPUTY'));
      expect(leaders.map((p) => p.position).sort(), tf.code).toEqual(['DEPUTY', 'PRINCIPAL']);
    }
  });

  it('is idempotent: a second run adds nothing and keeps passwords', async () => {
    const counts = () => Promise.all([
      ctx.db.unit.count(), ctx.db.person.count(), ctx.db.personRole.count(), ctx.db.taskForceMembership.count(),
      ctx.db.site.count(), ctx.db.pitch.count(), ctx.db.partner.count(), // §11 the registries' demo entries
    ]);
    const before = await counts();
    expect(before.slice(4)).toEqual([6, 4, 3]);
    // what people changed since stays as they left it
    await ctx.db.pitch.update({ where: { id: 'pitch-demo-crayfish' }, data: { status: 'IN_TALKS' } });
    const hash = (await ctx.db.person.findUnique({ where: { username: 'admin' } }))!.passwordHash;
    await seed(ctx.db, { demoPassword: 'another-password' });
    const after = await counts();
    expect(after).toEqual(before);
    expect((await ctx.db.pitch.findUniqueOrThrow({ where: { id: 'pitch-demo-crayfish' } })).status).toBe('IN_TALKS');
    expect((await ctx.db.person.findUnique({ where: { username: 'admin' } }))!.passwordHash).toBe(hash);
  });

  it('refuses the default demo password in production, and seeds no accounts there without DEMO_PASSWORD', () => {
    expect(demoPasswordFor({ NODE_ENV: 'development' })).toBe(DEFAULT_DEMO_PASSWORD);
    expect(demoPasswordFor({ NODE_ENV: 'production' })).toBeNull();
    expect(() => demoPasswordFor({ NODE_ENV: 'production', DEMO_PASSWORD: DEFAULT_DEMO_PASSWORD })).toThrow(/refused/);
    expect(demoPasswordFor({ NODE_ENV: 'production', DEMO_PASSWORD: 'a-real-secret' })).toBe('a-real-secret');
  });
});
