// The reports of 报表 (八, 十一, 三) as the web reads them, and the periods they are for.
// The monthly agenda is typed from the OpenAPI document; the quarterly 通报 and the annual assessment
// are answered as free objects there (z.record in api/routes/reports.ts), so their shape is declared
// here after domain/bulletin.ts and domain/assessment.ts — what the pages show of them, nothing more.
import type { Answer } from '../api/client';
import { todayIso } from '../format';

export type MonthlyAgenda = Answer<'/api/v1/reports/monthly/{month}', 'get'>;
export type TripList = Answer<'/api/v1/trips', 'get'>;
export type QuotaRow = TripList['quota'][number];

export interface ChainRow { chain: string; chainName: string; leads: number; signed: number; signedAmountWan: number; inProduction: number; active: number }
export interface LeadTimeRow {
  projectId: string; name: string; chainName: string; landingSite: string | null; signedDate: string;
  dates: Record<string, string | null>; days: Record<string, number | null>;
}
export interface LeadTimeSummary { key: string; name: string; projects: number; averageDays: number | null; maxDays: number | null }

export interface QuarterlyBulletin {
  quarter: string; generatedAt: string; provisional?: boolean;
  signed: { projectId: string; name: string; responsibleUnit: string | null; signedDate: string; contractNo: string; signedAmountWan: number; chainName?: string }[];
  signedAmountWan: number;
  inProduction: { projectId: string; name: string; landingSite: string | null; at: string; chainName?: string }[];
  units: { unit: string; overdueTasks: number; escalations: number; level4: number }[];
  quota: QuotaRow[];
  quotaShortfalls: number;
  dispatch: { projectId: string; name: string; stageName: string; daysInStage: number; escalationLevel: number; reasons: string[] }[];
  chains?: ChainRow[];
  leadTimes?: LeadTimeRow[];
  leadTimeSummary?: LeadTimeSummary[];
  /** 八 专题调度 of the quarter */
  specialDispatches?: { taskId: string; projectId: string; name: string; triggerName: string; reason: string; openedAt: string; decisionName: string | null; note: string | null; unitName: string | null; decidedAt: string | null }[];
  /** 五 策划包装库 by 产业链 and status */
  pitches?: { chain: string; chainName: string; DRAFT: number; PUBLISHED: number; IN_TALKS: number; LANDED: number; WITHDRAWN: number; total: number; leadsInPeriod: number }[];
}

export interface UnitScore {
  unitId: string; unitName: string; category: string; score: number; rank: number; fromBottom: number; of: number; tied: boolean;
  figures: { leads: number; signed: number; signedInvestmentWan: number; inProduction: number; quotaShortfalls: number; overdueTasks: number; escalations: number };
}
export interface Growth {
  key: string; name: string; value: number | null; previous: number | null; growthPercent: number | null; targetPercent: number; met: boolean | null;
  baseYear?: number | null; baseValue?: number | null; averageGrowthPercent?: number | null; averageMet?: boolean | null;
}
export interface AnnualAssessment {
  year: number; generatedAt: string; provisional?: boolean;
  rankings: UnitScore[];
  unranked?: { unitId: string; unitName: string; category: string }[];
  taskForces?: { code: string; name: string; overdueTasks: number; escalations: number }[];
  accountability: { unitId: string; unitName: string; actions: string[] }[];
  growth: Growth[];
  chains?: ChainRow[];
  leadTimes?: LeadTimeRow[];
  leadTimeSummary?: LeadTimeSummary[];
  /** 七 what each 招商顾问 / 商协会 brought in the year */
  partners?: { partnerId: string; name: string; kindName: string; leads: number; plannedInvestmentWan: number; signed: number; signedInvestmentWan: number }[];
  /** 十 奖励: the commendations (县委组织部 reviews them) */
  recognition?: {
    rule: string;
    units: { unitId: string; unitName: string; category: string; rank: number; of: number; score: number; tied: boolean }[];
    people: { personId: string; displayName: string; unitName: string | null; leads: number; signed: number; signedInvestmentWan: number }[];
  };
}

// ── periods (Asia/Shanghai) ────────────────────────────────────────────────────────────────────

const QUARTER_NAMES = ['一', '二', '三', '四'];
export const currentMonth = () => todayIso().slice(0, 7);
export const currentYear = () => todayIso().slice(0, 4);
export const currentQuarter = () => {
  const t = todayIso();
  return `${t.slice(0, 4)}-Q${Math.ceil(Number(t.slice(5, 7)) / 3)}`;
};
/** 2026-05 → 2026年5月; 2026-Q2 → 2026年第二季度; 2026 → 2026年 */
export function periodTitle(period: string): string {
  const q = /^(\d{4})-Q([1-4])$/.exec(period);
  if (q) return `${q[1]}年第${QUARTER_NAMES[Number(q[2]) - 1]}季度`;
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (m) return `${m[1]}年${Number(m[2])}月`;
  return /^\d{4}$/.test(period) ? `${period}年` : period;
}
export const quarterName = (n: number) => `第${QUARTER_NAMES[n - 1]}季度`;

/** a number as the county reads it: thousands separators, at most two decimals; empty for none */
export const num = (n: number | null | undefined) => (n == null ? '' : n.toLocaleString('zh-CN', { maximumFractionDigits: 2 }));
