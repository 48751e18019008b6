// The production database: the committed PostgreSQL migrations apply with `prisma migrate deploy`
// (JS schema engine, offline), the seed runs, and the projection activity writes idempotently.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyProjectionEvents } from '../activities/projection';
import { createDb, type Db } from '../db/client';
import type { ProjectionEvent } from '../domain/events';
import { DEFAULT_POLICY } from '../domain/policy';
import { seed } from '../prisma/seed';
import { migrateDeploy } from '../runtime/migrate';
import { startPostgres, type ThrowAwayPostgres } from '../harness/postgres';

let pg: ThrowAwayPostgres;
let db: Db;

beforeAll(async () => {
  pg = await startPostgres();
  await migrateDeploy(pg.url);
  db = createDb(pg.url);
});
afterAll(async () => {
  await db?.$disconnect();
  pg?.stop();
});

describe('PostgreSQL (production database)', () => {
  it('applies the migrations and seeds the 69 units and the demo accounts, twice without change', async () => {
    await seed(db, { demoPassword: 'pg-test' });
    await seed(db, { demoPassword: 'pg-test' });
    expect(await db.unit.count()).toBe(69);
    expect(await db.unit.count({ where: { category: 'LANDING_SITE' } })).toBe(14);
    expect(await db.person.count()).toBe(26);
    await migrateDeploy(pg.url); // a second deploy finds nothing to do
  });

  it('writes projection events exactly once, JSON columns included', async () => {
    const at = '2026-03-01T02:00:00.000Z';
    const events: ProjectionEvent[] = [
      {
        seq: 1, at, kind: 'PROJECT_REGISTERED', actor: 'info1', stage: 'LEAD', policy: DEFAULT_POLICY,
        project: {
          projectNo: 'NX-2026-0042', createdBy: 'info1', name: '南县医疗器械产业园', investor: '某医疗集团', investorOrigin: 'FOREIGN',
          industryChain: 'HEALTH', channel: 'CAPITAL', plannedInvestmentWan: 120000, sourceUnitId: 'R00', isMajor: true, isCaseByCase: false,
        },
      },
      {
        seq: 2, at, kind: 'TASK_CREATED',
        task: {
          id: 'NX-2026-0042-T001', projectId: 'NX-2026-0042', type: 'lead.verify', title: '线索核实', stage: 'LEAD', step: 0, context: null,
          candidateGroup: 'TF:INFO', status: 'OPEN', claimedBy: null, createdAt: at, dueAt: '2026-03-08T02:00:00.000Z', escalationLevel: 0, outcomes: ['accept', 'discard'],
        },
      },
    ];
    expect(await applyProjectionEvents(db, 'project-NX-2026-0042', events)).toEqual({ applied: 2 });
    expect(await applyProjectionEvents(db, 'project-NX-2026-0042', events)).toEqual({ applied: 0 }); // a retried activity
    const p = await db.project.findUniqueOrThrow({ where: { id: 'NX-2026-0042' }, include: { tasks: true, timeline: true } });
    expect(p).toMatchObject({ name: '南县医疗器械产业园', stage: 'LEAD', isMajor: true, lastSeq: 2 });
    expect((p.policy as typeof DEFAULT_POLICY).dueDays['lead.verify']).toBe(7);
    expect(p.tasks).toHaveLength(1);
    expect(p.timeline.map((e) => e.kind)).toEqual(['PROJECT_REGISTERED', 'TASK_CREATED']);
    expect(p).toMatchObject({ pitchId: null, partnerId: null });
  });

  it('§11: seeds the registries once, and a registration\'s pitch and partner reach the project row', async () => {
    expect([await db.site.count(), await db.pitch.count(), await db.partner.count()]).toEqual([6, 4, 3]);
    expect((await db.pitch.findUniqueOrThrow({ where: { id: 'pitch-demo-prepared-food' } })).siteIds).toEqual(['site-demo-kfq-factory', 'site-demo-agripark-factory']);
    const at = '2026-03-02T02:00:00.000Z';
    const registered: ProjectionEvent = {
      seq: 1, at, kind: 'PROJECT_REGISTERED', actor: 'nanzhou1', stage: 'LEAD', policy: DEFAULT_POLICY,
      project: {
        projectNo: 'NX-2026-0043', createdBy: 'nanzhou1', name: '小龙虾精深加工', investor: '某食品集团', investorOrigin: 'OUT_OF_PROVINCE',
        industryChain: 'RICE_SHRIMP', channel: 'CHAMBER', plannedInvestmentWan: 50000, sourceUnitId: 'L03', isMajor: false, isCaseByCase: false,
        pitchId: 'pitch-demo-crayfish', partnerId: 'partner-demo-shenzhen-chamber',
      },
    };
    expect(await applyProjectionEvents(db, 'project-NX-2026-0043', [registered])).toEqual({ applied: 1 });
    expect(await db.project.findUniqueOrThrow({ where: { id: 'NX-2026-0043' } })).toMatchObject({ pitchId: 'pitch-demo-crayfish', partnerId: 'partner-demo-shenzhen-chamber' });
  });
});
