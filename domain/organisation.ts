// §1 Organisation: positions, county roles, task forces (clauses 三, 四, 八, 九, 十一, 十二) and the
// candidate groups that tasks are offered to.
import { NAMED_UNITS, unitNameOf } from './units';

export const POSITIONS = ['PRINCIPAL', 'DEPUTY', 'STAFF', 'MEMBER'] as const;
export type Position = (typeof POSITIONS)[number];
export const POSITION_NAMES: Record<Position, string> = {
  PRINCIPAL: '主要负责人',
  DEPUTY: '分管负责人',
  STAFF: '专职招商人员', // 十二: registered (备案制)
  MEMBER: '工作人员',
};

export const COUNTY_ROLES = [
  'COUNTY_HEAD', 'DEPUTY_SECRETARY', 'VICE_HEAD', 'OPEN_ECONOMY_OFFICE', 'GOV_OFFICE', 'DISCIPLINE', 'ORG_DEPT', 'ADMIN',
] as const;
export type CountyRole = (typeof COUNTY_ROLES)[number];
export const COUNTY_ROLE_NAMES: Record<CountyRole, string> = {
  COUNTY_HEAD: '县长', // 八: 总召集人, quarterly dispatch
  DEPUTY_SECRETARY: '县委专职副书记', // 八: 第一召集人
  VICE_HEAD: '分管副县长', // 八: 召集人, monthly 研判; 九: convenes the project review meeting
  OPEN_ECONOMY_OFFICE: '县发展开放型经济领导小组办公室', // 九: 预审
  GOV_OFFICE: '县政府办', // 九: secretariat of 县长办公会 / 县人民政府常务会
  DISCIPLINE: '县纪委监委', // 十一: 问责
  ORG_DEPT: '县委组织部', // 十, 十一
  ADMIN: '系统管理员',
};

export const TASK_FORCES = ['INFO', 'ASSESS', 'NEGOTIATE', 'FACTOR'] as const;
export type TaskForceCode = (typeof TASK_FORCES)[number];

/** 九: 项目信息收集专班、研判专班、洽谈专班、要素保障专班. The lead unit receives a task force's escalations (§4). */
export const TASK_FORCE_DEFS: Record<TaskForceCode, { name: string; leadUnitId: string }> = {
  INFO: { name: '项目信息收集专班', leadUnitId: NAMED_UNITS.commerce },
  ASSESS: { name: '研判专班', leadUnitId: NAMED_UNITS.developmentReform },
  NEGOTIATE: { name: '洽谈专班', leadUnitId: NAMED_UNITS.commerce }, // 九: 由县商务局组织谈判
  FACTOR: { name: '要素保障专班', leadUnitId: NAMED_UNITS.approvalService }, // 十四: 帮代办
};

/**
 * A candidate group, as a string key that the database indexes and the inbox matches:
 *   TF:<code>               members of a task force
 *   ROLE:<role>             holders of a county role
 *   UNIT:<unitId>           anyone of the unit
 *   UNIT:<unitId>:LEADERS   the unit's PRINCIPAL or DEPUTY only
 */
export type GroupKey = string;

export const group = {
  taskForce: (code: TaskForceCode): GroupKey => `TF:${code}`,
  role: (role: CountyRole): GroupKey => `ROLE:${role}`,
  unit: (unitId: string): GroupKey => `UNIT:${unitId}`,
  unitLeaders: (unitId: string): GroupKey => `UNIT:${unitId}:LEADERS`,
};

export type ParsedGroup =
  | { kind: 'TASK_FORCE'; code: TaskForceCode }
  | { kind: 'ROLE'; role: CountyRole }
  | { kind: 'UNIT'; unitId: string; leadersOnly: boolean };

export function parseGroup(key: GroupKey): ParsedGroup {
  const [kind, a, b] = key.split(':');
  if (kind === 'TF' && (TASK_FORCES as readonly string[]).includes(a)) return { kind: 'TASK_FORCE', code: a as TaskForceCode };
  if (kind === 'ROLE' && (COUNTY_ROLES as readonly string[]).includes(a)) return { kind: 'ROLE', role: a as CountyRole };
  if (kind === 'UNIT' && a && (b === undefined || b === 'LEADERS')) return { kind: 'UNIT', unitId: a, leadersOnly: b === 'LEADERS' };
  throw new Error(`not a candidate group key: ${key}`);
}

/** The Chinese name of a candidate group: 县农业农村局, 县农业农村局（主要负责人、分管负责人）, 项目信息收集专班, 分管副县长; a key that is no group as it is. */
export function groupNameOf(key: GroupKey): string {
  let g: ParsedGroup;
  try {
    g = parseGroup(key);
  } catch {
    return key;
  }
  if (g.kind === 'TASK_FORCE') return TASK_FORCE_DEFS[g.code].name;
  if (g.kind === 'ROLE') return COUNTY_ROLE_NAMES[g.role];
  const unit = unitNameOf(g.unitId);
  return g.leadersOnly ? `${unit}（${POSITION_NAMES.PRINCIPAL}、${POSITION_NAMES.DEPUTY}）` : unit;
}

/** The unit answerable for a group (§4): the unit itself, a task force's lead unit; none for a county role. */
export function unitOf(key: GroupKey): string | null {
  const g = parseGroup(key);
  if (g.kind === 'UNIT') return g.unitId;
  if (g.kind === 'TASK_FORCE') return TASK_FORCE_DEFS[g.code].leadUnitId;
  return null;
}

export interface Membership {
  unitId: string | null;
  position: Position | null;
  taskForces: readonly TaskForceCode[];
  roles: readonly CountyRole[];
}

/** The group keys a person belongs to: what their inbox shows and what they may complete. */
export function groupsOf(m: Membership): GroupKey[] {
  const keys: GroupKey[] = [];
  for (const tf of m.taskForces) keys.push(group.taskForce(tf));
  for (const r of m.roles) if (r !== 'ADMIN') keys.push(group.role(r)); // §1: ADMIN may reassign but not complete
  if (m.unitId) {
    keys.push(group.unit(m.unitId));
    if (m.position === 'PRINCIPAL' || m.position === 'DEPUTY') keys.push(group.unitLeaders(m.unitId));
  }
  return keys;
}

/** A person acting on a workflow: who they are and the candidate groups they belong to (groupsOf). */
export interface Actor {
  username: string;
  displayName: string;
  /** the candidate groups the person belongs to (groupsOf) */
  groups: GroupKey[];
  /** holds role ADMIN: may amend, terminate and reassign, never complete (§1) */
  admin?: boolean;
}
