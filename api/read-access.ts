// §7 who may read a project (domain/read-access.ts) as a database condition, for the detail, the
// list, the side actions and the project rows of the reports. A project the caller may not read is
// answered as if it did not exist (404), so that its number does not tell that it does.
import { projectReadScope } from '../domain/read-access';
import type { Db, Prisma } from '../db/client';
import type { Caller } from './plugins/auth';

/** The condition on Project rows that the caller may read; undefined when they read every project. */
export function readableProjects(caller: Caller): Prisma.ProjectWhereInput | undefined {
  const scope = projectReadScope(caller);
  if (scope.all) return undefined;
  const ties: Prisma.ProjectWhereInput[] = [{ createdBy: scope.username }];
  if (scope.unitId) ties.push({ responsibleUnitId: scope.unitId }, { landingSiteId: scope.unitId }, { sourceUnitId: scope.unitId });
  ties.push({
    tasks: { some: { OR: [{ candidateGroup: { in: [...scope.groups] } }, { claimedBy: scope.username }, { completedBy: scope.username }] } },
  });
  return { OR: ties };
}

/** `where` narrowed to what the caller may read. */
export const withReadAccess = (caller: Caller, where: Prisma.ProjectWhereInput = {}): Prisma.ProjectWhereInput => {
  const readable = readableProjects(caller);
  return readable ? { AND: [where, readable] } : where;
};

/** Of these project ids, those the caller may read (for the project rows of a report). */
export async function readableIds(db: Db, caller: Caller, ids: readonly string[]): Promise<Set<string>> {
  if (!readableProjects(caller)) return new Set(ids);
  const rows = await db.project.findMany({ where: withReadAccess(caller, { id: { in: [...ids] } }), select: { id: true } });
  return new Set(rows.map((r) => r.id));
}
