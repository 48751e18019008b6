// §4: who a notice reaches, resolved from the organisation tables at the moment it is made — the first
// rung of each of its lines (domain/notice-routing.ts) with anybody active, else ADMIN, marked UNROUTED.
// Written once as SQL programs (db/sql.ts): the projection runs them inside its own transaction; the
// functions at the end run them through Prisma for the other writers (trip-quota reminders, tests).
import type { LadderStep } from '../domain/events';
import { recipientLines, type Line, type Rung } from '../domain/notice-routing';
import { parseGroup, type GroupKey } from '../domain/organisation';
import type { Prisma } from '../db/client';
import { all, get, placeholders, run, runSqlOnPrisma, type Sql } from '../db/sql';

export interface Recipient { personId: string; username: string; displayName: string; reason: string; unrouted: boolean }

type Person = { id: string; username: string; displayName: string };
type Raw = Pick<Prisma.TransactionClient, '$queryRaw' | '$executeRaw'>;

const PEOPLE = 'SELECT p."id" AS "id", p."username" AS "username", p."displayName" AS "displayName" FROM "Person" p WHERE p."active" = TRUE';
const ORDER = ' ORDER BY p."username" ASC';
const MEMBER = 'EXISTS (SELECT 1 FROM "TaskForceMembership" m WHERE m."personId" = p."id" AND m."taskForceCode" = ?';

/** The active people a rung names, in username order. */
function* peopleOf(rung: Rung): Sql<Person[]> {
  switch (rung.kind) {
    case 'GROUP': {
      const g = parseGroup(rung.key);
      if (g.kind === 'TASK_FORCE') return yield* all<Person>(`${PEOPLE} AND ${MEMBER})${ORDER}`, g.code);
      if (g.kind === 'ROLE') return yield* peopleOf({ kind: 'ROLE', role: g.role, reason: rung.reason });
      if (g.leadersOnly) return yield* all<Person>(`${PEOPLE} AND p."unitId" = ? AND p."position" IN ('PRINCIPAL', 'DEPUTY')${ORDER}`, g.unitId);
      return yield* all<Person>(`${PEOPLE} AND p."unitId" = ?${ORDER}`, g.unitId);
    }
    case 'UNIT_POSITION': return yield* all<Person>(`${PEOPLE} AND p."unitId" = ? AND p."position" = ?${ORDER}`, rung.unitId, rung.position);
    case 'TASK_FORCE_LEADER': return yield* all<Person>(`${PEOPLE} AND ${MEMBER} AND m."isLeader" = TRUE)${ORDER}`, rung.code);
    case 'ROLE': return yield* all<Person>(`${PEOPLE} AND EXISTS (SELECT 1 FROM "PersonRole" r WHERE r."personId" = p."id" AND r."role" = ?)${ORDER}`, rung.role);
  }
}

/** Along each line, the people of its first rung with anybody active (each person once); with nobody at all, ADMIN marked unrouted. */
export function* resolveLinesSql(lines: Line[]): Sql<Recipient[]> {
  const found = new Map<string, Recipient>();
  for (const line of lines) {
    for (const rung of line) {
      const people = yield* peopleOf(rung);
      for (const p of people) {
        if (!found.has(p.id)) found.set(p.id, { personId: p.id, username: p.username, displayName: p.displayName, reason: rung.reason, unrouted: false });
      }
      if (people.length) break;
    }
  }
  if (found.size) return [...found.values()];
  const admins = yield* peopleOf({ kind: 'ROLE', role: 'ADMIN', reason: '' });
  return admins.map((p) => ({ personId: p.id, username: p.username, displayName: p.displayName, reason: '无人接收，转系统管理员', unrouted: true }));
}

export const recipientsForSql = (step: LadderStep, candidateGroup: GroupKey) => resolveLinesSql(recipientLines(step, candidateGroup));

export interface Notice { dedupeKey: string; projectId?: string | null; taskId?: string | null; kind: string; level: number; title: string; body: string; createdAt: Date }

/**
 * Writes a notice and a receipt per recipient (§8: one row per recipient). A notice that reaches
 * nobody, not even an ADMIN, is written without receipts and logged.
 */
export function* writeNoticeSql(notice: Notice, recipients: Recipient[]): Sql<void> {
  const unrouted = recipients.some((r) => r.unrouted);
  const created = yield* get<{ id: number | bigint }>(
    'INSERT INTO "Notification" ("dedupeKey", "projectId", "taskId", "kind", "level", "title", "body", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"',
    notice.dedupeKey, notice.projectId ?? null, notice.taskId ?? null, notice.kind, notice.level,
    unrouted ? `【无人接收】${notice.title}` : notice.title, notice.body, notice.createdAt,
  );
  if (!recipients.length) console.error(`notice ${notice.dedupeKey} has no recipient and there is no active ADMIN: nobody will read it`);
  if (!recipients.length) return;
  const id = Number(created!.id);
  // one statement for every copy
  yield* run(
    `INSERT INTO "NotificationReceipt" ("notificationId", "personId", "reason", "unrouted", "planned", "createdAt") VALUES ${recipients.map(() => `(${placeholders(6)})`).join(', ')}`,
    ...recipients.flatMap((r) => [id, r.personId, r.reason, r.unrouted, false, notice.createdAt]),
  );
}

/** The same, through Prisma (a client, or the client of a transaction the caller holds). */
export const resolveLines = (tx: Raw, lines: Line[]) => runSqlOnPrisma(tx, resolveLinesSql(lines));
export const recipientsFor = (tx: Raw, step: LadderStep, candidateGroup: GroupKey) => runSqlOnPrisma(tx, recipientsForSql(step, candidateGroup));
export const writeNotice = (tx: Raw, notice: Notice, recipients: Recipient[]) => runSqlOnPrisma(tx, writeNoticeSql(notice, recipients));
