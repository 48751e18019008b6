// 八 reports on demand: the county calendar stores the 月研判 agenda, the 通报 and the 年度考核 when
// their period has ended (or, for the agenda, on the 1st at 09:00). Until then, the report of the
// period that is running is computed live on request and marked provisional — nothing is written, and
// once the calendar has stored the report, that is what is answered, as published.
import { parsePeriod, SHANGHAI_OFFSET_MS, type Period } from './shanghai-time';

/** The period (month, quarter, year) holds the instant: its report, while not stored, is computed live. */
export function isRunning(period: Period, now: Date | number): boolean {
  const t = typeof now === 'number' ? now : now.getTime();
  return period.start.getTime() <= t && t < period.end.getTime();
}

const QUARTER_NAMES = ['一', '二', '三', '四'] as const;

/** How a county document names a period: 2026年11月, 2026年第四季度, 2026年度. */
export function periodTitle(key: string): string {
  const p = parsePeriod(key);
  if (!p) return key;
  const year = key.slice(0, 4);
  if (p.kind === 'MONTH') return `${year}年${Number(key.slice(5, 7))}月`;
  if (p.kind === 'QUARTER') return `${year}年第${QUARTER_NAMES[Number(key.slice(6, 7)) - 1]}季度`;
  return `${year}年度`;
}

/** An instant as a county document writes it (Asia/Shanghai): 2026-11-26 19:20. */
export function shanghaiMinute(at: string | Date): string {
  const local = new Date(new Date(at).getTime() + SHANGHAI_OFFSET_MS).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

/** The line under a report's title: published by the county calendar, or provisional as of when it was computed. */
export function reportNote(generatedAt: string, provisional: boolean): string {
  return provisional
    ? `临时数据（截至 ${shanghaiMinute(generatedAt)}），本期结束后以县级调度日历发布的为准`
    : `已发布（${shanghaiMinute(generatedAt)} 生成）`;
}
