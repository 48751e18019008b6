// 三: the trips of a quarter and its quota table, read from the database — shared by the trips API
// and the county calendar's quota reminders.
import { parsePeriod, shanghaiDate } from '../domain/shanghai-time';
import type { Position } from '../domain/organisation';
import type { Policy } from '../domain/policy';
import { quotaTable, type QuotaPerson, type QuotaRow } from '../domain/trips';
import type { Db } from './client';

export async function quarterTrips(db: Db, quarter: string, filter: { unitId?: string; personId?: string } = {}) {
  const period = parsePeriod(quarter);
  if (!period || period.kind !== 'QUARTER') throw new Error(`not a quarter: ${quarter}`);
  return db.trip.findMany({
    where: {
      withdrawnAt: null, // 三: a withdrawn trip counts for nothing
      startDate: { gte: shanghaiDate(period.start), lte: shanghaiDate(period.end.getTime() - 1) },
      ...(filter.personId ? { personId: filter.personId } : {}),
      ...(filter.unitId ? { person: { unitId: filter.unitId } } : {}),
    },
    include: { person: true },
    orderBy: [{ startDate: 'asc' }, { id: 'asc' }],
  });
}

/** The quota rows of every active PRINCIPAL and DEPUTY of the LANDING_SITE units (optionally of one unit). */
export async function quarterQuota(db: Db, quarter: string, policy: Policy, unitId?: string): Promise<QuotaRow[]> {
  const [trips, leaders] = await Promise.all([
    quarterTrips(db, quarter, { unitId }),
    db.person.findMany({
      where: { active: true, position: { in: ['PRINCIPAL', 'DEPUTY'] }, unit: { category: 'LANDING_SITE' }, ...(unitId ? { unitId } : {}) },
      include: { unit: true },
      orderBy: [{ unit: { sortOrder: 'asc' } }, { position: 'desc' }, { username: 'asc' }],
    }),
  ]);
  const counts = new Map<string, number>();
  for (const t of trips) counts.set(t.personId, (counts.get(t.personId) ?? 0) + 1);
  const people: QuotaPerson[] = leaders.map((p) => ({
    personId: p.id, username: p.username, displayName: p.displayName, unitId: p.unitId!, unitName: p.unit!.name, position: p.position as Position,
  }));
  return quotaTable(quarter, people, counts, policy);
}
