// §4: who a notice reaches, resolved from the organisation tables at the moment it is made — the first
// rung of each of its lines (domain/notice-routing.ts) with anybody active, else ADMIN, marked UNROUTED.
import type { LadderStep } from '../domain/events';
import { recipientLines, type Line, type Rung } from '../domain/notice-routing';
import { parseGroup, type GroupKey } from '../domain/organisation';
import type { Prisma } from '../db/client';

export interface Recipient { personId: string; username: string; displayName: string; reason: string; unrouted: boolean }

type Tx = Prisma.TransactionClient;
const pick = { id: true, username: true, displayName: true } as const;
type Person = { id: string; username: string; displayName: string };

/** The active people a rung names, in username order. */
function peopleOf(tx: Tx, rung: Rung): Promise<Person[]> {
  const find = (where: Prisma.PersonWhereInput) => tx.person.findMany({ where: { active: true, ...where }, select: pick, orderBy: { username: 'asc' } });
  switch (rung.kind) {
    case 'GROUP': {
      const g = parseGroup(rung.key);
      if (g.kind === 'TASK_FORCE') return find({ memberships: { some: { taskForceCode: g.code } } });
      if (g.kind === 'ROLE') return peopleOf(tx, { kind: 'ROLE', role: g.role, reason: rung.reason });
      return find({ unitId: g.unitId, ...(g.leadersOnly ? { position: { in: ['PRINCIPAL', 'DEPUTY'] } } : {}) });
    }
    case 'UNIT_POSITION': return find({ unitId: rung.unitId, position: rung.position });
    case 'TASK_FORCE_LEADER': return find({ memberships: { some: { taskForceCode: rung.code, isLeader: true } } });
    case 'ROLE': return find({ roles: { some: { role: rung.role } } });
  }
}

/** Along each line, the people of its first rung with anybody active (each person once); with nobody at all, ADMIN marked unrouted. */
export async function resolveLines(tx: Tx, lines: Line[]): Promise<Recipient[]> {
  const found = new Map<string, Recipient>();
  for (const line of lines) {
    for (const rung of line) {
      const people = await peopleOf(tx, rung);
      for (const p of people) {
        if (!found.has(p.id)) found.set(p.id, { personId: p.id, username: p.username, displayName: p.displayName, reason: rung.reason, unrouted: false });
      }
      if (people.length) break;
    }
  }
  if (found.size) return [...found.values()];
  const admins = await peopleOf(tx, { kind: 'ROLE', role: 'ADMIN', reason: '' });
  return admins.map((p) => ({ personId: p.id, username: p.username, displayName: p.displayName, reason: '无人接收，转系统管理员', unrouted: true }));
}

export const recipientsFor = (tx: Tx, step: LadderStep, candidateGroup: GroupKey) => resolveLines(tx, recipientLines(step, candidateGroup));

/**
 * Writes a notice and a receipt per recipient (§8: one row per recipient). A notice that reaches
 * nobody, not even an ADMIN, is written without receipts and logged.
 */
export async function writeNotice(
  tx: Tx, notice: { dedupeKey: string; projectId?: string | null; taskId?: string | null; kind: string; level: number; title: string; body: string; createdAt: Date },
  recipients: Recipient[],
): Promise<void> {
  const unrouted = recipients.some((r) => r.unrouted);
  const created = await tx.notification.create({
    data: { ...notice, title: unrouted ? `【无人接收】${notice.title}` : notice.title },
  });
  if (!recipients.length) console.error(`notice ${notice.dedupeKey} has no recipient and there is no active ADMIN: nobody will read it`);
  await tx.notificationReceipt.createMany({
    data: recipients.map((r) => ({ notificationId: created.id, personId: r.personId, reason: r.reason, unrouted: r.unrouted, createdAt: notice.createdAt })),
  });
}
