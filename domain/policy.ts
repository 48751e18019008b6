// The policy object: every duration, quota and weight the service applies, with the clause it comes
// from. An administrator can change these without a code change; a project workflow keeps the policy
// it was started with (it travels in the workflow input).
import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import { TASK_TYPE_NAMES, type TaskTypeName } from './pipeline';

const HHMM = lazySchema(() => z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '应为时间 HH:MM（如 17:30）'));
const DAY_COUNT = lazySchema(() => z.enum(['WORKING', 'CALENDAR']));

export const Policy = lazySchema(() => z.strictObject({
  version: z.string(),
  /** §3 / 九: due time of each task type, days from the task's creation (working days unless dayCounting says calendar); every task type has one. */
  dueDays: z.record(z.enum(TASK_TYPE_NAMES), z.number().positive()),
  /**
   * §4 工作日: whether the due days and the ladder's offsets count working days (weekends and statutory
   * holidays off, 调休 make-up days on) or calendar days, and when a working day ends (Asia/Shanghai):
   * a task due in working days is due at the end of its last one.
   */
  dayCounting: z.strictObject({ dueDays: DAY_COUNT, ladder: DAY_COUNT, endOfWorkingDay: HHMM }),
  /** §4 / 八, 十一: the escalation ladder, days relative to the due time D. */
  ladder: z.strictObject({
    reminderBeforeDays: z.number().nonnegative(), // D − 2: reminder to the candidate group
    level2AfterDays: z.number().positive(), // D + 7: the unit's PRINCIPAL
    level3AfterDays: z.number().positive(), // D + 15: VICE_HEAD
    level4AfterDays: z.number().positive(), // D + 30: COUNTY_HEAD
  }),
  /** 八: a project is flagged stalled on the monthly agenda after this many days in one stage, and put on the quarterly dispatch list after the second. */
  stalledDays: z.strictObject({ monthly: z.number().positive(), quarterly: z.number().positive() }),
  /** 三: outbound trips per quarter for each LANDING_SITE unit. */
  tripQuota: z.strictObject({ PRINCIPAL: z.number().int().nonnegative(), DEPUTY: z.number().int().nonnegative() }),
  /** 十一 年度考核: the weight of each yearly figure in a unit's score (negative ones count against it). */
  assessmentWeights: z.strictObject({
    leads: z.number(), // 线索登记 (projects whose lead the unit brought)
    signed: z.number(), // 签约项目
    signedInvestmentYi: z.number(), // 签约金额, per 亿元 (10,000 万元)
    inProduction: z.number(), // 投产项目
    quotaShortfalls: z.number(), // 三: trips short of quota, summed over the quarters
    overdueTasks: z.number(), // tasks that went overdue
    escalations: z.number(), // ladder steps at level 2 and above
  }),
  /** 十一 排名: the tie-break keys after the score, in order, each with its better direction (domain/assessment.ts TIE_BREAK_KEYS). */
  rankingTieBreaks: z.array(z.enum(['overdueTasks', 'signedInvestmentWan', 'leads', 'signed', 'inProduction', 'quotaShortfalls', 'escalations'])).max(7)
    .refine((keys) => new Set(keys).size === keys.length, '每个键只能出现一次'),
  /** §8 delivery of notices: attempts before a delivery is FAILED, and the backoff between them (doubling from the first). */
  delivery: z.strictObject({
    maxAttempts: z.number().int().min(1).max(100),
    firstRetrySeconds: z.number().positive(),
    maxRetrySeconds: z.number().positive(),
    /** quiet hours (HH:MM, Asia/Shanghai): notices below level 3 wait for their end; null: none */
    quietHours: z.strictObject({ from: HHMM, to: HHMM }).nullable(),
    /** batching: a person's ladder notices below level 3 that fall due on one channel within this many seconds of the first go as one message, sent when they are up; null: each alone */
    batchSeconds: z.number().int().min(1).max(3600).nullable(),
  }),
  /** 二: yearly growth targets in percent. */
  growthTargets: z.strictObject({ outOfProvinceCapital: z.number(), foreignTrade: z.number(), actualForeignInvestment: z.number() }),
  /**
   * 八 专题调度: the condition of a major problem on which a project's workflow opens a special dispatch
   * for the 县委专职副书记 (domain/special-dispatch.ts): a factor issue escalated to the 分管副县长 still
   * open past its due time; a project whose ladder reached this level (4: the 县长) while a factor issue
   * is open (null: not this condition).
   */
  specialDispatch: z.strictObject({
    factorEscalationOverdue: z.boolean(),
    escalationLevelWithFactorIssue: z.number().int().min(1).max(4).nullable(),
  }),
  /**
   * 十 奖励: the commendation side of the annual assessment (domain/assessment.ts recognitionOf) — the
   * best units of each category, and the people with the most signed investment among those with no
   * overdue task in the year, up to these counts.
   */
  recognition: z.strictObject({
    unitsPerCategory: z.number().int().min(0).max(10),
    people: z.number().int().min(0).max(50),
  }),
}).superRefine((p, ctx) => {
  // §4: working days are counted whole
  const whole = (path: (string | number)[], days: number) => {
    if (!Number.isInteger(days)) ctx.addIssue({ code: 'custom', path, message: '工作日按整天计算（dayCounting 为 WORKING）' });
  };
  if (p.dayCounting.dueDays === 'WORKING') for (const [type, days] of Object.entries(p.dueDays)) whole(['dueDays', type], days);
  if (p.dayCounting.ladder === 'WORKING') for (const [step, days] of Object.entries(p.ladder)) whole(['ladder', step], days);
}));
export type Policy = z.infer<typeof Policy>;

export const DEFAULT_POLICY: Policy = {
  version: '南政发〔2022〕6号',
  dueDays: {
    'lead.verify': 7,
    'contact.inspect': 30,
    'plan.submit': 30,
    'prelim.review': 10,
    'negotiation.conduct': 60,
    'materials.prepare': 15,
    'prereview.check': 10,
    'review.meeting': 20,
    'executive.deliberate': 30,
    'contract.signoff': 7,
    'signing.ceremony': 30,
    'milestone.landSupply': 30,
    'milestone.landCertificate': 15,
    'milestone.constructionStart': 30,
    'milestone.productionStart': 540,
    'factor.issue': 10, // 十四: 帮代办 — not in the policy text; a working default
    'factor.escalation': 10,
    'monthly.progress': 4, // 八: opened on the 1st at 09:00, due the 5th (cycles.ts sets the exact instant)
    // 八 / 十一: tasks of the county calendar — not in the policy text; working defaults
    'meeting.monthlyReview': 10, // 月研判 held within the first third of the month
    'meeting.quarterlyDispatch': 20, // 季调度 held within the quarter's first month
    'project.coordination': 15, // an instruction of either meeting
    'accountability.interview': 30, // 约谈 before the annual summary meeting
    'accountability.reassign': 30,
    'accountability.discipline': 30,
    'meeting.specialDispatch': 10, // 八 专题调度 — not in the policy text; a working default
    'recognition.review': 30, // 十 奖励: 县委组织部 reviews the commendations before the annual summary meeting
  },
  dayCounting: { dueDays: 'WORKING', ladder: 'WORKING', endOfWorkingDay: '17:30' }, // §4: 工作日, due at 17:30 of the last one
  ladder: { reminderBeforeDays: 2, level2AfterDays: 7, level3AfterDays: 15, level4AfterDays: 30 },
  stalledDays: { monthly: 60, quarterly: 90 },
  assessmentWeights: { leads: 2, signed: 10, signedInvestmentYi: 1, inProduction: 15, quotaShortfalls: -3, overdueTasks: -2, escalations: -3 },
  tripQuota: { PRINCIPAL: 1, DEPUTY: 3 },
  rankingTieBreaks: ['overdueTasks', 'signedInvestmentWan', 'leads'], // 十一: fewer overdue tasks, more signed investment, more leads
  delivery: { maxAttempts: 10, firstRetrySeconds: 30, maxRetrySeconds: 3600, quietHours: { from: '20:00', to: '08:00' }, batchSeconds: 600 }, // ≈ 4 hours of trying; §8 quiet at night; what falls due together goes together
  growthTargets: { outOfProvinceCapital: 10, foreignTrade: 12, actualForeignInvestment: 15 },
  specialDispatch: { factorEscalationOverdue: true, escalationLevelWithFactorIssue: 4 },
  recognition: { unitsPerCategory: 2, people: 5 }, // 十: as many commended as held to account (十一: 后两位)
};

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Due days of a task type under a policy; a type the policy does not name is a configuration error. */
export function dueDaysOf(policy: Policy, taskType: TaskTypeName): number {
  // a task type newer than the policy a running workflow carries takes the built-in due days
  const d = policy.dueDays[taskType] ?? DEFAULT_POLICY.dueDays[taskType];
  if (d === undefined) throw new Error(`policy ${policy.version} has no due days for ${taskType}`);
  return d;
}

/**
 * §9: a policy as stored or carried before fields were added to the schema, completed with the built-in
 * values of what it lacks (new task types' due days included); what it has stays as it is.
 */
export function completePolicy(stored: unknown): unknown {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return stored;
  const p = stored as Record<string, unknown>;
  const dueDays = p.dueDays && typeof p.dueDays === 'object' ? { ...DEFAULT_POLICY.dueDays, ...(p.dueDays as object) } : p.dueDays;
  return { ...DEFAULT_POLICY, ...p, ...(dueDays !== undefined ? { dueDays } : {}) };
}

/** §9: what changed between two policies, field by field (a readable diff of two versions). */
export function policyDiff(before: Policy, after: Policy): { path: string; before: unknown; after: unknown }[] {
  const out: { path: string; before: unknown; after: unknown }[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isObj(a) && isObj(b)) {
      const keys = [...new Set([...Object.keys(a as object), ...Object.keys(b as object)])].sort();
      for (const k of keys) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      out.push({ path, before: a ?? null, after: b ?? null });
    }
  };
  walk(before, after, '');
  return out;
}
