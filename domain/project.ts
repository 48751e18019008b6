// §2 A project (clauses 五, 六, 九): its fields, their Chinese names, and the registration schema
// that the API validates and the OpenAPI document shows.
import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import { FIGURE, text, TEXT_LENGTH } from './text';
import { UNIT_CATEGORY_NAMES, UNITS, type UnitCategory } from './units';

export const INVESTOR_ORIGINS = { OUT_OF_PROVINCE: '境内省外', FOREIGN: '境外', IN_PROVINCE: '省内', LOCAL: '本地' } as const;
// 六: 四大产业 食品加工、纺织鞋业、医疗健康、新材料; 稻虾、现代农业产业链; 配套文旅、养老
export const INDUSTRY_CHAINS = {
  FOOD: '食品加工', TEXTILE_SHOES: '纺织鞋业', HEALTH: '医疗健康', NEW_MATERIALS: '新材料', RICE_SHRIMP: '稻虾',
  MODERN_AGRI: '现代农业', TOURISM: '文旅', ELDERLY_CARE: '养老', OTHER: '其他',
} as const;
// 五, 七: 招商手段
export const CHANNELS = {
  CAPITAL: '资本招商', EQUITY: '股权招商', FUND: '基金招商', KINSHIP: '亲情招商', TECH: '科技招商',
  BUSINESS_REFERRAL: '以商招商', ENCLAVE: '飞地招商', CLOUD: '云招商', ADVISOR: '招商顾问', CHAMBER: '商协会招商', OTHER: '其他',
} as const;

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

export const InvestorOrigin = lazySchema(() => z.enum(keys(INVESTOR_ORIGINS)));
export const IndustryChain = lazySchema(() => z.enum(keys(INDUSTRY_CHAINS)));
export const Channel = lazySchema(() => z.enum(keys(CHANNELS)));
export type IndustryChain = z.infer<typeof IndustryChain>;

/** A unit id of the 附件, optionally of one category. */
/** The id of one of the 69 units of the 附件 (of one category): an enum in the OpenAPI document. */
export const unitIdOf = (category?: UnitCategory) => {
  const ids = UNITS.filter((u) => !category || u.category === category).map((u) => u.id) as [string, ...string[]];
  const kind = category ? UNIT_CATEGORY_NAMES[category].replace(/单位$/, '') : null;
  // a missing unit is 必填, as any missing field (without the list of 69 codes the locale would add)
  return z.enum(ids, { error: (iss) => (iss.input === undefined ? '必填' : kind ? `必须是${kind}单位（${category}）的编号` : '必须是附件所列单位的编号') });
};

/** The id of an entry of a registry (§11: a site, a pitch, a partner): letters, digits, `.`, `_`, `-`. */
export const registryId = (what: string) => z.string().min(1, '必填').max(64, '最多 64 个字符')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, `不是有效的${what}编号`);

/** §2 fields of a lead as registered (POST /api/v1/projects). Later stages fill the rest. */
export const ProjectRegistration = lazySchema(() => z.strictObject({
  name: text(TEXT_LENGTH.name, 2).describe('项目名称'),
  investor: text(TEXT_LENGTH.name, 2).describe('投资方'),
  investorOrigin: InvestorOrigin.describe('投资方来源: 境内省外 / 境外 / 省内 / 本地'),
  industryChain: IndustryChain.describe('产业链 (六)'),
  channel: Channel.describe('招商手段 (五, 七)'),
  plannedInvestmentWan: FIGURE.wan().describe('计划投资 (万元)'),
  foreignInvestmentUsd: FIGURE.usd().optional().describe('外资 (美元)'),
  landMu: FIGURE.mu().optional().describe('用地 (亩)'),
  expectedJobs: FIGURE.jobs().optional().describe('预计就业人数'),
  expectedAnnualTaxWan: FIGURE.wan().optional().describe('预计年税收 (万元)'),
  sourceUnitId: unitIdOf().describe('线索来源单位'),
  landingSiteId: unitIdOf('LANDING_SITE').optional().describe('项目落户地 (may be set at 线索核实)'),
  responsibleUnitId: unitIdOf().optional().describe('责任单位 (may be set at 线索核实)'),
  isMajor: z.boolean().default(false).describe('特别重大产业项目'),
  isCaseByCase: z.boolean().default(false).describe('一事一议'),
  // §11 (五 策划包装库, 七 招商顾问和商协会): optional, so the histories of projects registered before them replay unchanged;
  // not amendable (domain/side-actions.ts AMENDABLE_FIELDS)
  pitchId: registryId('策划项目').optional().describe('策划包装库中的策划项目 (五, GET /pitches): the lead was registered from it'),
  partnerId: registryId('招商顾问或商协会').optional()
    .describe('招商顾问 / 商协会 / 经济促进会 (七, GET /partners) who brought the lead: required for channel ADVISOR or CHAMBER'),
}));
export type ProjectRegistration = z.infer<typeof ProjectRegistration>;

/** The project as the workflow carries it. */
export interface ProjectFields extends ProjectRegistration {
  projectNo: string;
  createdBy: string;
}

/** NX-2026-0007 — project numbers are per year, four digits. */
export function formatProjectNo(year: number, n: number): string {
  return `NX-${year}-${String(n).padStart(4, '0')}`;
}
export const workflowIdOf = (projectNo: string) => `project-${projectNo}`;
/** The project of a project workflow's id; null for any other workflow (the county calendar). */
export const projectIdOf = (workflowId: string): string | null => (workflowId.startsWith('project-') ? workflowId.slice('project-'.length) : null);
