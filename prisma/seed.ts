// Idempotent seed: the 69 units of the 附件, the four task forces (九) and, outside production, the demo
// accounts of DOMAIN.md §7 (their password: Config.demoPassword). Running it again changes nothing that is already there (passwords of
// existing accounts are kept).
import { hashPassword } from '../api/auth/password';
import { createDb, type Db } from '../db/client';
import { COUNTY_ROLE_NAMES, TASK_FORCE_DEFS, TASK_FORCES, type CountyRole, type Position, type TaskForceCode } from '../domain/organisation';
import { NAMED_UNITS, unitByName, UNITS } from '../domain/units';
import type { PartnerKind, PitchStatus, SiteKind } from '../domain/registries';
import type { IndustryChain } from '../domain/project';
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
    await seedRegistries(db);
  }
  return { units: UNITS.length, accounts };
}

// §11 demo entries of the registries (五 招商地图、策划包装库, 七 招商顾问和商协会), outside production only,
// under fixed ids: created once, never overwritten (what people changed since stays as they left it).
const unit = (name: string) => unitByName(name).id;
export const DEMO_SITES: { id: string; name: string; kind: SiteKind; areaMu: number; location: string; landingSiteId: string; available: boolean; note: string | null }[] = [
  { id: 'site-demo-kfq-factory', name: '南县经济开发区标准厂房（二期）', kind: 'STANDARD_FACTORY', areaMu: 45, location: '南县经济开发区兴盛大道与洞庭大道交汇处东北侧', landingSiteId: NAMED_UNITS.economicZone, available: true, note: '4 栋四层框架结构，单层约 3000 平方米，水、电、天然气、污水管网配套到位，可拎包入驻' },
  { id: 'site-demo-kfq-food-park', name: '南县经济开发区食品产业园工业用地', kind: 'INDUSTRIAL_LAND', areaMu: 120, location: '南县经济开发区食品产业园纬三路以南', landingSiteId: NAMED_UNITS.economicZone, available: true, note: '稻虾食品加工集聚区，已完成“七通一平”，可实行“签约即供地”' },
  { id: 'site-demo-nanzhou-land', name: '南洲镇北部工业用地', kind: 'INDUSTRIAL_LAND', areaMu: 60, location: '南洲镇北堤村，距 S202 省道约 1 公里', landingSiteId: NAMED_UNITS.nanzhou, available: true, note: null },
  { id: 'site-demo-agripark-factory', name: '县省级农业科技园区冷链标准厂房', kind: 'STANDARD_FACTORY', areaMu: 30, location: '县省级农业科技园区园区大道 8 号', landingSiteId: unit('县省级农业科技园区'), available: true, note: '配套 5000 吨冷库，适合水产品初加工与冷链仓储' },
  { id: 'site-demo-sanxianhu-land', name: '三仙湖镇集镇工业小区用地', kind: 'INDUSTRIAL_LAND', areaMu: 80, location: '三仙湖镇集镇工业小区', landingSiteId: unit('三仙湖镇'), available: true, note: null },
  { id: 'site-demo-maocaojie-factory', name: '茅草街镇标准厂房', kind: 'STANDARD_FACTORY', areaMu: 20, location: '茅草街镇沿河路工业片区', landingSiteId: unit('茅草街镇'), available: false, note: '已整体租赁，暂不可供' },
];
export const DEMO_PITCHES: { id: string; title: string; industryChain: IndustryChain; siteIds: string[]; landMu: number; investmentWan: number; expectedOutputWan: number; highlights: string; responsibleUnitId: string; status: PitchStatus }[] = [
  { id: 'pitch-demo-crayfish', title: '年加工 5 万吨小龙虾精深加工项目', industryChain: 'RICE_SHRIMP', siteIds: ['site-demo-kfq-food-park'], landMu: 100, investmentWan: 50000, expectedOutputWan: 150000, highlights: '南县稻虾种养面积全国领先，“南县小龙虾”为国家地理标志产品，原料就近供应；园区冷链、污水处理配套齐全', responsibleUnitId: unit('县稻虾产业发展服务中心'), status: 'PUBLISHED' },
  { id: 'pitch-demo-prepared-food', title: '南县特色预制菜中央厨房项目', industryChain: 'FOOD', siteIds: ['site-demo-kfq-factory', 'site-demo-agripark-factory'], landMu: 40, investmentWan: 20000, expectedOutputWan: 60000, highlights: '依托稻虾、南县酱板鸭等本地特色食材，标准厂房可拎包入驻，享受县食品加工产业扶持政策', responsibleUnitId: NAMED_UNITS.commerce, status: 'PUBLISHED' },
  { id: 'pitch-demo-new-materials', title: '高性能复合新材料生产基地项目', industryChain: 'NEW_MATERIALS', siteIds: ['site-demo-nanzhou-land'], landMu: 60, investmentWan: 80000, expectedOutputWan: 120000, highlights: '临近岳阳、益阳化工新材料产业带，水陆交通便利，可申请“一事一议”支持', responsibleUnitId: unit('县科学技术和工业信息化局'), status: 'DRAFT' },
  { id: 'pitch-demo-digital-agri', title: '洞庭湖区稻虾共生数字农业示范园', industryChain: 'MODERN_AGRI', siteIds: ['site-demo-sanxianhu-land'], landMu: 80, investmentWan: 15000, expectedOutputWan: 30000, highlights: '集中连片稻田资源，配套高标准农田建设，可与县省级农业科技园区联动开展科技招商', responsibleUnitId: unit('县农业农村局'), status: 'PUBLISHED' },
];
export const DEMO_PARTNERS: { id: string; kind: PartnerKind; name: string; field: string; contact: string; appointedBy: string; appointedAt: string }[] = [
  { id: 'partner-demo-advisor-food', kind: 'ADVISOR', name: '刘建华（南县籍食品企业家）', field: '食品加工、冷链物流（长株潭）', contact: '经县商务局联络：0737-5200001', appointedBy: '南县人民政府', appointedAt: '2022-09-01' },
  { id: 'partner-demo-shenzhen-chamber', kind: 'CHAMBER', name: '深圳市湖南南县商会', field: '电子信息、新材料（粤港澳大湾区）', contact: '商会秘书处：0755-82000001', appointedBy: '县商务局', appointedAt: '2023-03-15' },
  { id: 'partner-demo-changsha-society', kind: 'PROMOTION_SOCIETY', name: '南县经济促进会长沙分会', field: '长株潭地区南县籍企业家', contact: '分会秘书处：0731-84000001', appointedBy: '县经促会', appointedAt: '2022-06-20' },
];

async function seedRegistries(db: Db): Promise<void> {
  const at = new Date();
  const by = 'system:seed';
  for (const s of DEMO_SITES) {
    await db.site.upsert({ where: { id: s.id }, create: { ...s, createdBy: by, createdAt: at, updatedAt: at }, update: {} });
  }
  for (const p of DEMO_PITCHES) {
    await db.pitch.upsert({ where: { id: p.id }, create: { ...p, createdBy: by, createdAt: at, updatedAt: at }, update: {} });
  }
  for (const p of DEMO_PARTNERS) {
    await db.partner.upsert({ where: { id: p.id }, create: { ...p, active: true, createdBy: by, createdAt: at, updatedAt: at }, update: {} });
  }
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
