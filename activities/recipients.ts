// §4: who a ladder step notifies. Resolved from the organisation tables at the moment of the step.
import { parseGroup, unitOf, type CountyRole, type GroupKey } from '../domain/organisation';
import type { LadderStep } from '../domain/events';
import type { Prisma } from '../db/client';

export interface Recipient { personId: string; username: string; displayName: string; reason: string }

type Tx = Prisma.TransactionClient;
const pick = { id: true, username: true, displayName: true } as const;

async function membersOf(tx: Tx, key: GroupKey) {
  const g = parseGroup(key);
  if (g.kind === 'TASK_FORCE') return tx.person.findMany({ where: { active: true, memberships: { some: { taskForceCode: g.code } } }, select: pick });
  if (g.kind === 'ROLE') return roleHolders(tx, g.role);
  return tx.person.findMany({
    where: { active: true, unitId: g.unitId, ...(g.leadersOnly ? { position: { in: ['PRINCIPAL', 'DEPUTY'] } } : {}) },
    select: pick,
  });
}

function roleHolders(tx: Tx, role: CountyRole) {
  return tx.person.findMany({ where: { active: true, roles: { some: { role } } }, select: pick });
}

async function unitPosition(tx: Tx, key: GroupKey, position: 'DEPUTY' | 'PRINCIPAL') {
  const unitId = unitOf(key);
  // a county role has no unit above it: its own holders answer for the overdue task
  if (!unitId) return membersOf(tx, key);
  return tx.person.findMany({ where: { active: true, unitId, position }, select: pick });
}

export async function recipientsFor(tx: Tx, step: LadderStep, candidateGroup: GroupKey): Promise<Recipient[]> {
  const [people, reason] = await (async () => {
    switch (step) {
      case 'REMINDER': return [await membersOf(tx, candidateGroup), `候选组 ${candidateGroup}`] as const; // D − 2
      case 'OVERDUE': return [await unitPosition(tx, candidateGroup, 'DEPUTY'), '分管负责人'] as const; // D
      case 'LEVEL_2': return [await unitPosition(tx, candidateGroup, 'PRINCIPAL'), '主要负责人'] as const; // D + 7
      case 'LEVEL_3': return [await roleHolders(tx, 'VICE_HEAD'), '分管副县长'] as const; // D + 15
      case 'LEVEL_4': return [await roleHolders(tx, 'COUNTY_HEAD'), '县长'] as const; // D + 30
    }
  })();
  return people.map((p) => ({ personId: p.id, username: p.username, displayName: p.displayName, reason }));
}
