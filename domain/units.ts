// 附件: 南县招商引资三类单位名单 — the 69 units, with exactly these names and categories.
// Ids are stable strings: R00 the coordinator, R01–R21 the industry units, L01–L14 the landing
// sites, E01–E33 the encouraged units, in the order of the 附件.

export const UNIT_CATEGORIES = ['RESPONSIBLE', 'LANDING_SITE', 'ENCOURAGED'] as const;
export type UnitCategory = (typeof UNIT_CATEGORIES)[number];
export type UnitSubcategory = 'COORDINATOR' | 'INDUSTRY' | null;

export const UNIT_CATEGORY_NAMES: Record<UnitCategory, string> = {
  RESPONSIBLE: '责任招商单位',
  LANDING_SITE: '项目落户地',
  ENCOURAGED: '鼓励招商单位',
};

export interface Unit {
  id: string;
  name: string;
  category: UnitCategory;
  subcategory: UnitSubcategory;
  sortOrder: number;
}

// 附件 一: 综合协调单位 (1)
const COORDINATOR = ['县商务局(县投资促进服务中心)'];
// 附件 一: 产业招商单位 (21)
const INDUSTRY = [
  '县发展和改革局', '县教育局', '县科学技术和工业信息化局', '县民政局', '市生态环境局南县分局',
  '县住房和城乡建设局', '县交通运输局', '县水利局', '县农业农村局', '县林业局', '县卫生健康局',
  '县文化旅游广电体育局', '县市场监督管理局', '县人力资源和社会保障局', '县自然资源局', '县财政局',
  '县住房保障服务中心', '县畜牧水产事务中心', '县农机事务中心', '县公路建设养护中心', '县稻虾产业发展服务中心',
];
// 附件 二: 县经济开发区、县省级农业科技园区、各乡镇 (14)
export const TOWNSHIPS = [
  '南洲镇', '华阁镇', '茅草街镇', '三仙湖镇', '麻河口镇', '浪拔湖镇', '青树嘴镇', '武圣宫镇', '明山头镇',
  '厂窖镇', '乌嘴乡', '中鱼口乡',
] as const;
const LANDING_SITES = ['县经济开发区', '县省级农业科技园区', ...TOWNSHIPS];
// 附件 三: 鼓励招商单位 (33)
const ENCOURAGED = [
  '县委办', '县人大办', '县政府办', '县政协办', '县纪委监委', '县委组织部', '县委宣传部', '县委统战部',
  '县委政法委', '县公安局', '县委党校', '县工商联', '县委编办', '县审计局', '县信访局', '县应急管理局',
  '县统计局', '县司法局', '县退役军人事务局', '县融媒体中心', '县城市管理和综合执法局', '县行政审批服务局',
  '县检验检测中心', '县供销合作社联合社', '县征地拆迁与安置补偿事务中心', '县档案馆', '县总工会', '团县委',
  '县妇联', '县科协', '县文联', '县残联', '县城乡发展投资有限公司',
];

const pad = (n: number) => String(n).padStart(2, '0');

export const UNITS: readonly Unit[] = Object.freeze([
  ...COORDINATOR.map((name) => ({ id: 'R00', name, category: 'RESPONSIBLE' as const, subcategory: 'COORDINATOR' as const })),
  ...INDUSTRY.map((name, i) => ({ id: `R${pad(i + 1)}`, name, category: 'RESPONSIBLE' as const, subcategory: 'INDUSTRY' as const })),
  ...LANDING_SITES.map((name, i) => ({ id: `L${pad(i + 1)}`, name, category: 'LANDING_SITE' as const, subcategory: null })),
  ...ENCOURAGED.map((name, i) => ({ id: `E${pad(i + 1)}`, name, category: 'ENCOURAGED' as const, subcategory: null })),
].map((u, i) => Object.freeze({ ...u, sortOrder: i + 1 })));

const byId = new Map(UNITS.map((u) => [u.id, u]));
const byName = new Map(UNITS.map((u) => [u.name, u]));

export function unitById(id: string): Unit | undefined {
  return byId.get(id);
}

/** A unit's name for a report or a notice; an id the 附件 does not know is shown as it is. */
export function unitNameOf(id: string): string;
export function unitNameOf(id: string | null): string | null;
export function unitNameOf(id: string | null): string | null {
  return id === null ? null : unitById(id)?.name ?? id;
}

export function unitByName(name: string): Unit {
  const u = byName.get(name);
  if (!u) throw new Error(`unknown unit ${name}`);
  return u;
}

/** Units named by the policy's clauses, looked up once by their 附件 name. */
export const NAMED_UNITS = {
  commerce: unitByName('县商务局(县投资促进服务中心)').id, // 九: organises negotiation, contract sign-off, signing
  justice: unitByName('县司法局').id, // 九: 合同合法性审查
  developmentReform: unitByName('县发展和改革局').id,
  approvalService: unitByName('县行政审批服务局').id, // 十四: 帮代办, 审批绿色通道
  govOffice: unitByName('县政府办').id,
  discipline: unitByName('县纪委监委').id,
  orgDept: unitByName('县委组织部').id,
  economicZone: unitByName('县经济开发区').id,
  nanzhou: unitByName('南洲镇').id,
} as const;
