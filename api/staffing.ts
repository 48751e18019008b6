// 无人可办 (§9 Administration; clause 九 各司其职 and clause 十二 选优配强专业招商队伍; issue 11 point 5):
// a candidate group with no active person.
// A task offered to such a group waits for nobody: ADMIN's inbox shows it (GET /tasks, `unstaffed`),
// and a registration or completion that leaves one open answers with a warning (UNSTAFFED_GROUP) —
// never a refusal: the administrator then reroutes the project (§9 Routing) or adds people (§9 People).
//
// "Has an active member" means exactly what the inbox means: some person with `active: true` whose
// groups (domain/organisation.ts groupsOf: task forces, county roles other than ADMIN, the unit, the
// unit's leaders for PRINCIPAL / DEPUTY) include the key. Answered with one query per kind of group.
import { z } from 'zod';
import type { Db } from '../db/client';
import { all, placeholders, readSql } from '../db/sql';
import {
  groupNameOf, parseGroup, type GroupKey, type ParsedGroup,
} from '../domain/organisation';
import { unitById } from '../domain/units';

const LEADER_POSITIONS = ['PRINCIPAL', 'DEPUTY'];

const parsed = (key: GroupKey): ParsedGroup | null => {
  try {
    return parseGroup(key);
  } catch {
    return null;
  }
};

/**
 * §9 / 九: which of `keys` have no active person in them (无人可办). A key that is no candidate group
 * (or ROLE:ADMIN, which groupsOf never gives: ADMIN may not complete tasks, §1) has nobody either.
 */
export async function unstaffedGroups(db: Db, keys: Iterable<GroupKey>): Promise<Set<GroupKey>> {
  const wanted = [...new Set(keys)];
  const taskForces = new Set<string>();
  const roles = new Set<string>();
  const units = new Set<string>();
  for (const key of wanted) {
    const g = parsed(key);
    if (g?.kind === 'TASK_FORCE') taskForces.add(g.code);
    else if (g?.kind === 'ROLE' && g.role !== 'ADMIN') roles.add(g.role);
    else if (g?.kind === 'UNIT') units.add(g.unitId);
  }
  // after every completion and registration: hand-written SQL (db/sql.ts), prepared statements on SQLite (issue 15)
  const { tfRows, roleRows, unitRows } = await readSql(db, function* () {
    const tf = [...taskForces];
    const rl = [...roles];
    const un = [...units];
    return {
      tfRows: tf.length ? yield* all<{ taskForceCode: string }>(
        `SELECT DISTINCT m."taskForceCode" AS "taskForceCode" FROM "TaskForceMembership" m JOIN "Person" p ON p."id" = m."personId" WHERE p."active" = TRUE AND m."taskForceCode" IN (${placeholders(tf.length)})`, ...tf) : [],
      roleRows: rl.length ? yield* all<{ role: string }>(
        `SELECT DISTINCT r."role" AS "role" FROM "PersonRole" r JOIN "Person" p ON p."id" = r."personId" WHERE p."active" = TRUE AND r."role" IN (${placeholders(rl.length)})`, ...rl) : [],
      unitRows: un.length ? yield* all<{ unitId: string; position: string | null }>(
        `SELECT DISTINCT "unitId", "position" FROM "Person" WHERE "active" = TRUE AND "unitId" IN (${placeholders(un.length)})`, ...un) : [],
    };
  });
  const staffedTf = new Set(tfRows.map((r) => r.taskForceCode));
  const staffedRoles = new Set(roleRows.map((r) => r.role));
  const staffedUnits = new Set(unitRows.map((r) => r.unitId));
  const ledUnits = new Set(unitRows.filter((r) => r.position !== null && LEADER_POSITIONS.includes(r.position)).map((r) => r.unitId));

  const unstaffed = new Set<GroupKey>();
  for (const key of wanted) {
    const g = parsed(key);
    const staffed = g?.kind === 'TASK_FORCE' ? staffedTf.has(g.code)
      : g?.kind === 'ROLE' ? staffedRoles.has(g.role)
        : g?.kind === 'UNIT' ? (g.leadersOnly ? ledUnits : staffedUnits).has(g.unitId)
          : false;
    if (!staffed) unstaffed.add(key);
  }
  return unstaffed;
}

/** The Chinese name of a candidate group (domain/organisation.ts). */
export { groupNameOf };

/** What the administrator can do about a group without people (§9: reroute the project, or add people). */
function remedyOf(key: GroupKey): string {
  const g = parsed(key);
  if (g?.kind === 'TASK_FORCE') return '请管理员增补专班成员';
  if (g?.kind === 'ROLE') return '请管理员为该职务指定在岗人员';
  if (g?.kind === 'UNIT') return unitById(g.unitId)?.category === 'LANDING_SITE' ? '请管理员调整项目落户地或增补人员' : '请管理员调整责任单位或增补人员';
  return '请管理员调整任务的候选组';
}

export const WarningSchema = z.object({
  code: z.enum(['UNSTAFFED_GROUP']).describe('UNSTAFFED_GROUP: an open task is offered to a candidate group with no active person (无人可办)'),
  group: z.string().describe('the candidate group, e.g. UNIT:R09'),
  message: z.string().describe('in Chinese, naming the group and the task'),
});
export type Warning = z.infer<typeof WarningSchema>;
export const WarningsSchema = z.array(WarningSchema)
  .describe('无人可办: one warning for each open task whose candidate group has no active person; empty when none. The request succeeded all the same');

/**
 * §9 / 九: after a registration or a completion, a warning for each open task offered to a group with no
 * active person — the request succeeded; an administrator should reroute the project or add people.
 */
export async function unstaffedWarnings(
  db: Db, openTasks: readonly { title: string; candidateGroup: GroupKey; status: string }[],
): Promise<Warning[]> {
  const open = openTasks.filter((t) => t.status === 'OPEN' || t.status === 'CLAIMED');
  if (!open.length) return [];
  const unstaffed = await unstaffedGroups(db, open.map((t) => t.candidateGroup));
  return open.filter((t) => unstaffed.has(t.candidateGroup)).map((t) => ({
    code: 'UNSTAFFED_GROUP' as const,
    group: t.candidateGroup,
    message: `「${groupNameOf(t.candidateGroup)}」目前没有在岗人员：任务「${t.title}」无人可办，${remedyOf(t.candidateGroup)}`,
  }));
}
