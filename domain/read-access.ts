// §7 "Who may read a project": its responsible and landing-site units, the task forces and county
// roles that act on it, 县商务局, and ADMIN. One rule for the detail, the list, the timeline and the
// project rows of the reports (api/read-access.ts turns it into a database query).
import { NAMED_UNITS } from './units';
import type { CountyRole, GroupKey } from './organisation';

/**
 * Who reads every project:
 * - 八: the 联席会议's 总召集人 (县长), 第一召集人 (县委专职副书记) and 召集人 (分管副县长), whose
 *   monthly 研判 and quarterly 调度 take up every active project;
 * - ADMIN, who administers the service.
 */
export const READS_EVERY_PROJECT: readonly CountyRole[] = ['ADMIN', 'COUNTY_HEAD', 'DEPUTY_SECRETARY', 'VICE_HEAD'];

/** 六, 九: 县商务局 — 招商综合协调部门, 全面统筹协调全县招商引资工作 — coordinates every project, and records leads for any unit. */
export const COORDINATOR_UNIT = NAMED_UNITS.commerce;

export interface Reader {
  username: string;
  unitId: string | null;
  roles: readonly CountyRole[];
  /** the candidate groups the reader belongs to (groupsOf) */
  groups: readonly GroupKey[];
}

/**
 * What a reader may read: every project, or those that one of these ties them to —
 * - their unit is the project's responsible unit, landing site (九, 四) or the unit that brought the lead (三, 四);
 * - a task of the project was offered to a group they belong to (a task force, a county role such as
 *   the 预审 of OPEN_ECONOMY_OFFICE or the meetings of GOV_OFFICE, a unit given an instruction), or
 *   they claimed or completed one;
 * - they registered it.
 */
export type ProjectReadScope =
  | { all: true }
  | { all: false; unitId: string | null; groups: readonly GroupKey[]; username: string };

export function projectReadScope(r: Reader): ProjectReadScope {
  if (r.roles.some((role) => READS_EVERY_PROJECT.includes(role)) || r.unitId === COORDINATOR_UNIT) return { all: true };
  return { all: false, unitId: r.unitId, groups: r.groups, username: r.username };
}

/** 三, 四: a lead is recorded for the registrant's own unit; ADMIN and 县商务局 may record it for another. */
export function mayRecordLeadFor(r: Reader, sourceUnitId: string): boolean {
  return sourceUnitId === r.unitId || r.roles.includes('ADMIN') || r.unitId === COORDINATOR_UNIT;
}
