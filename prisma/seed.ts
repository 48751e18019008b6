// Idempotent seed: the 69 units of the 附件, the four task forces (九) and, outside production, the demo
// accounts of DOMAIN.md §7 (their password: Config.demoPassword). Running it again changes nothing that is already there (passwords of
// existing accounts are kept).
import { hashPassword } from '../api/auth/password';
import { createDb, type Db } from '../db/client';
import { COUNTY_ROLE_NAMES, TASK_FORCE_DEFS, TASK_FORCES, type CountyRole, type Position, type TaskForceCode } from '../domain/organisation';
import { NAMED_UNITS, UNITS } from '../domain/units';
import { loadConfig } from '../runtime/config';

interface DemoAccount {
  username: string;
  displayName: string;
  unitId: string | null;
  position: Position | null;
  taskForces?: TaskForceCode[];
  /** §4: the task forces of which the person is 组长 (a member, with the flag) */
  leads?: TaskForceCode[];
  roles?: CountyRole[];
}

const U = NAMED_UNITS;
/** §7: the demo accounts (the usernames are part of the contract). */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', displayName: '系统管理员', unitId: null, position: null, roles: ['ADMIN'] },
  { username: 'info1', displayName: '信息收集专班成员', unitId: U.commerce, position: 'MEMBER', taskForces: ['INFO'], leads: ['INFO'] },
  { username: 'assess1', displayName: '研判专班成员', unitId: U.developmentReform, position: 'MEMBER', taskForces: ['ASSESS'], leads: ['ASSESS'] },
  { username: 'negotiate1', displayName: '洽谈专班成员', unitId: U.commerce, position: 'MEMBER', taskForces: ['NEGOTIATE'], leads: ['NEGOTIATE'] },
  { username: 'factor1', displayName: '要素保障专班成员', unitId: U.approvalService, position: 'MEMBER', taskForces: ['FACTOR'], leads: ['FACTOR'] },
  { username: 'commerce1', displayName: '县商务局专职招商人员', unitId: U.commerce, position: 'STAFF' },
  // §4: the leaders of the task forces' lead units, who receive their overdue and escalation notices
  { username: 'commerce_principal', displayName: '县商务局主要负责人', unitId: U.commerce, position: 'PRINCIPAL' },
  { username: 'commerce_deputy', displayName: '县商务局分管负责人', unitId: U.commerce, position: 'DEPUTY' },
  { username: 'fgj_principal', displayName: '县发展和改革局主要负责人', unitId: U.developmentReform, position: 'PRINCIPAL' },
  { username: 'fgj_deputy', displayName: '县发展和改革局分管负责人', unitId: U.developmentReform, position: 'DEPUTY' },
  { username: 'approval_principal', displayName: '县行政审批服务局主要负责人', unitId: U.approvalService, position: 'PRINCIPAL' },
  { username: 'approval_deputy', displayName: '县行政审批服务局分管负责人', unitId: U.approvalService, position: 'DEPUTY' },
  { username: 'justice1', displayName: '县司法局工作人员', unitId: U.justice, position: 'MEMBER' },
  { username: 'kfq1', displayName: '县经济开发区专职招商人员', unitId: U.economicZone, position: 'STAFF' },
  { username: 'kfq_principal', displayName: '县经济开发区主要负责人', unitId: U.economicZone, position: 'PRINCIPAL' },
  { username: 'kfq_deputy', displayName: '县经济开发区分管负责人', unitId: U.economicZone, position: 'DEPUTY' },
  { username: 'nanzhou1', displayName: '南洲镇专职招商人员', unitId: U.nanzhou, position: 'STAFF' },
  { username: 'nanzhou_principal', displayName: '南洲镇主要负责人', unitId: U.nanzhou, position: 'PRINCIPAL' },
  { username: 'nanzhou_deputy', displayName: '南洲镇分管负责人', unitId: U.nanzhou, position: 'DEPUTY' },
  { username: 'vicehead', displayName: COUNTY_ROLE_NAMES.VICE_HEAD, unitId: U.govOffice, position: 'MEMBER', roles: ['VICE_HEAD'] },
  { username: 'countyhead', displayName: COUNTY_ROLE_NAMES.COUNTY_HEAD, unitId: U.govOffice, position: 'MEMBER', roles: ['COUNTY_HEAD'] },
  { username: 'deputysec', displayName: COUNTY_ROLE_NAMES.DEPUTY_SECRETARY, unitId: U.govOffice, position: 'MEMBER', roles: ['DEPUTY_SECRETARY'] },
  { username: 'openeco', displayName: COUNTY_ROLE_NAMES.OPEN_ECONOMY_OFFICE, unitId: U.commerce, position: 'MEMBER', roles: ['OPEN_ECONOMY_OFFICE'] },
  { username: 'govoffice', displayName: COUNTY_ROLE_NAMES.GOV_OFFICE, unitId: U.govOffice, position: 'MEMBER', roles: ['GOV_OFFICE'] },
  { username: 'discipline', displayName: COUNTY_ROLE_NAMES.DISCIPLINE, unitId: U.discipline, position: 'MEMBER', roles: ['DISCIPLINE'] },
  { username: 'orgdept', displayName: COUNTY_ROLE_NAMES.ORG_DEPT, unitId: U.orgDept, position: 'MEMBER', roles: ['ORG_DEPT'] },
];

export async function seed(db: Db, opts: { demoPassword: string | null }): Promise<{ units: number; accounts: number }> {
  for (const u of UNITS) {
    await db.unit.upsert({
      where: { id: u.id },
      create: { id: u.id, name: u.name, category: u.category, subcategory: u.subcategory, sortOrder: u.sortOrder },
      update: { name: u.name, category: u.category, subcategory: u.subcategory, sortOrder: u.sortOrder },
    });
  }
  for (const code of TASK_FORCES) {
    const tf = TASK_FORCE_DEFS[code];
    await db.taskForce.upsert({ where: { code }, create: { code, ...tf }, update: tf });
  }
  let accounts = 0;
  if (opts.demoPassword) {
    for (const a of DEMO_ACCOUNTS) {
      const id = `p-${a.username}`;
      const exists = await db.person.findUnique({ where: { username: a.username }, select: { id: true } });
      if (!exists) {
        await db.person.create({
          data: { id, username: a.username, displayName: a.displayName, unitId: a.unitId, position: a.position, passwordHash: await hashPassword(opts.demoPassword) },
        });
      }
      const personId = exists?.id ?? id;
      for (const role of a.roles ?? []) {
        await db.personRole.upsert({ where: { personId_role: { personId, role } }, create: { personId, role }, update: {} });
      }
      for (const taskForceCode of a.taskForces ?? []) {
        const isLeader = a.leads?.includes(taskForceCode) ?? false;
        await db.taskForceMembership.upsert({
          where: { taskForceCode_personId: { taskForceCode, personId } }, create: { taskForceCode, personId, isLeader }, update: { isLeader },
        });
      }
      accounts++;
    }
  }
  return { units: UNITS.length, accounts };
}

if (require.main === module) {
  const config = loadConfig();
  const db = createDb(config.databaseUrl);
  seed(db, { demoPassword: config.demoPassword })
    .then((r) => console.log(`seeded ${r.units} units, ${r.accounts} demo accounts`))
    .finally(() => db.$disconnect())
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
