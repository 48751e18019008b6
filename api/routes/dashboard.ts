// §10 驾驶舱 (issue 13 point 8): GET /dashboard?year= — the figures the county's leaders watch the
// whole pipeline by, each with its Chinese name beside the code (db/dashboard.ts computes them with
// the reports' own code). Readable by the county's leaders and the offices that watch the whole
// pipeline, and by the leaders and 专职招商人员 of 县商务局, the coordinating unit; anyone else 403.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { currentPolicy } from '../../db/policy';
import { computeDashboard } from '../../db/dashboard';
import { COUNTY_ROLE_NAMES, type CountyRole, type Position } from '../../domain/organisation';
import { COORDINATOR_UNIT } from '../../domain/read-access';
import { shanghaiYear } from '../../domain/shanghai-time';
import type { AppDeps } from '../deps';
import { ApiError } from '../errors';
import type { Caller } from '../plugins/auth';
import { ErrorSchema, strictQuery } from '../schemas';

/**
 * 八: the 联席会议's 总召集人 (县长), 第一召集人 (县委专职副书记) and 召集人 (分管副县长); 九: the
 * 开放型经济领导小组办公室 (预审) and 县政府办 (secretariat); 十, 十一: 县纪委监委 and 县委组织部 (assessment
 * and accountability); ADMIN.
 */
export const DASHBOARD_ROLES: readonly CountyRole[] = ['COUNTY_HEAD', 'VICE_HEAD', 'DEPUTY_SECRETARY', 'OPEN_ECONOMY_OFFICE', 'GOV_OFFICE', 'DISCIPLINE', 'ORG_DEPT', 'ADMIN'];
/** 四, 十二: 县商务局 — the coordinating unit — through its leaders and its registered 专职招商人员 (not every member seated there, such as a task force's). */
const COORDINATOR_POSITIONS: readonly Position[] = ['PRINCIPAL', 'DEPUTY', 'STAFF'];
export const mayReadDashboard = (c: Pick<Caller, 'roles' | 'unitId' | 'position'>) =>
  c.roles.some((r) => DASHBOARD_ROLES.includes(r)) || (c.unitId === COORDINATOR_UNIT && !!c.position && COORDINATOR_POSITIONS.includes(c.position));

const Figures = z.object({
  projects: z.number().int().describe('项目数（个）'),
  investmentWan: z.number().describe('计划投资合计（万元）'),
});
const Quarter = z.object({
  projects: z.number().int().describe('签约项目数（个）'),
  signedAmountWan: z.number().describe('签约金额合计（万元）'),
});
const Growth = z.object({
  key: z.string().describe('指标代码: outOfProvinceCapitalWan, foreignTradeWan, actualForeignUsd'),
  name: z.string().describe('指标名称（含单位）'),
  value: z.number().nullable().describe('本年数值（ADMIN 填报；未填报为 null）'),
  previous: z.number().nullable().describe('上年数值'),
  growthPercent: z.number().nullable().describe('较上年增长（%，一位小数）'),
  targetPercent: z.number().describe('二: 目标年均增长（%）'),
  met: z.boolean().nullable().describe('较上年增长是否达到目标'),
  baseYear: z.number().int().nullable().describe('年均增长的基年（2021）'),
  baseValue: z.number().nullable().describe('基年数值'),
  averageGrowthPercent: z.number().nullable().describe('年均增长（%，自基年起复合计算）'),
  averageMet: z.boolean().nullable().describe('年均增长是否达到目标'),
  signedFromProjects: z.number().nullable().describe('当年签约项目带来的数额（同单位；外贸为 null）'),
  signedFromProjectsName: z.string().nullable(),
});

const DashboardSchema = z.object({
  year: z.number().int().describe('the year of the year-bound sections (signings, 四即, targets)'),
  asOf: z.string().describe('when the figures were computed (ISO instant); stages, 产业链, 落户地 and overdue tasks are as of then'),
  years: z.array(z.number().int()).describe('the years one may choose, newest first'),
  // 九: the 15 stages in order, then the ends
  stages: z.object({
    items: z.array(z.object({
      code: z.string(), name: z.string(), order: z.number().int().describe('1–15'),
      projects: z.number().int().describe('当前处于此阶段的项目（个）'),
      reached: z.number().int().describe('已到达此阶段的在途及已投产项目（个）: at this stage or beyond, in production included — the funnel'),
    })).describe('九: the 15 active stages of the pipeline, in order'),
    ends: z.array(z.object({ code: z.string(), name: z.string(), projects: z.number().int(), success: z.boolean().describe('IN_PRODUCTION') }))
      .describe('the terminal stages: 已投产, then those that ended without landing'),
    active: z.number().int().describe('在途项目（个）: at one of the 15 stages'),
    total: z.number().int().describe('all projects registered'),
  }).describe('projects by stage, now'),
  // 六
  chains: z.object({
    items: z.array(Figures.extend({ code: z.string(), name: z.string() })).describe('every 产业链 of the policy in order, zeros included'),
    total: Figures,
  }).describe('六: the projects in the pipeline and in production by 产业链, now: count and planned investment (万元)'),
  // 三, 四
  landingSites: z.object({
    items: z.array(Figures.extend({ unitId: z.string().nullable().describe('null: not yet placed (线索核实中)'), name: z.string() })).describe('the 14 项目落户地, then the leads not yet placed'),
    total: Figures,
  }).describe('三, 四: the projects in the pipeline and in production by 落户地, now: count and planned investment (万元)'),
  // 八
  signings: z.object({
    year: z.number().int(), previousYear: z.number().int(),
    quarters: z.array(z.object({
      quarter: z.number().int().describe('1–4'), name: z.string().describe('第一季度 …'),
      current: Quarter.describe('this year'), previous: Quarter.describe('the same quarter of the year before'),
    })),
    current: Quarter.describe('the year'), previous: Quarter.describe('the year before'),
    growthPercent: z.number().nullable().describe('签约金额较上年增长（%）; null when the year before signed nothing'),
  }).describe('八: signed investment per quarter (by the signing\'s signedDate), against the year before'),
  // 八, 十一, §4
  overdue: z.object({
    items: z.array(z.object({
      group: z.string().describe('UNIT:<unitId>, TF:<code> or ROLE:<role> (a unit\'s leaders\' tasks count for the unit)'),
      name: z.string(), kind: z.enum(['UNIT', 'TASK_FORCE', 'ROLE']),
      overdue: z.number().int().describe('逾期的未办结任务（件）'),
      level2: z.number().int().describe('其中已升至二级及以上督办（件）'),
      level3: z.number().int().describe('其中已升至三级及以上督办（件）'),
    })).describe('the parties with overdue open tasks, the most escalated first'),
    total: z.object({ overdue: z.number().int(), level2: z.number().int(), level3: z.number().int() }),
  }).describe('§4: open tasks overdue now and their escalation, by the unit, task force or county role answerable'),
  // 十四: 四即
  fourReady: z.object({
    items: z.array(z.object({
      key: z.string().describe('landSupply, landCertificate, constructionStart, productionStart'), name: z.string().describe('签约即供地 …'),
      projects: z.number().int().describe('年内达成此节点的项目（个）'),
      averageDays: z.number().nullable().describe('签约至此节点平均天数（一位小数）'),
      medianDays: z.number().nullable().describe('中位天数'),
      maxDays: z.number().nullable().describe('最长天数'),
    })),
  }).describe('十四: 四即 — of the milestones reached in the year, the calendar days from signing (the annual report\'s lead times)'),
  // 二
  targets: z.object({
    baseYear: z.number().int(), updatedBy: z.string().nullable(), updatedAt: z.string().nullable(),
    items: z.array(Growth),
  }).describe('二: the growth targets — the year\'s figures against last year and 年均 since the base year, as GET /indicators/:year answers them'),
});

export async function dashboardRoutes(root: FastifyInstance, deps: AppDeps) {
  const app = root.withTypeProvider<ZodTypeProvider>();

  app.get('/dashboard', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['reports'],
      summary: '驾驶舱 (§10) — projects by stage, 产业链 and 落户地; signed investment per quarter against the year before; overdue and escalated tasks by unit; 四即 lead times; the growth targets of 二. For the county\'s leaders, the offices that watch the whole pipeline, and 县商务局\'s leaders and staff (403 for others)',
      security: [{ bearerAuth: [] }],
      querystring: strictQuery(z.object({
        year: z.coerce.number().int().min(2000).max(2100).optional().describe('the year (default: the current year in Asia/Shanghai)'),
      })),
      response: { 200: DashboardSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
    },
  }, async (req) => {
    if (!mayReadDashboard(req.caller)) {
      const who = DASHBOARD_ROLES.filter((r) => r !== 'ADMIN').map((r) => COUNTY_ROLE_NAMES[r]).join('、');
      throw new ApiError('FORBIDDEN', `驾驶舱只对县领导及统筹全县招商工作的单位开放（${who}、县商务局负责人和专职招商人员、系统管理员）`);
    }
    const now = new Date();
    const year = req.query.year ?? shanghaiYear(now);
    // 十四: the annual report's computation, with the policy the county calendar runs (as GET /reports/annual does);
    // 二: the targets as GET /indicators/:year reads them (the deployment's policy)
    const { policy } = await currentPolicy(deps.db, deps.policy);
    return computeDashboard(deps.db, { year, now, policy, growthPolicy: deps.policy });
  });
}
