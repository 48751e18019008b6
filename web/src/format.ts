// Times as the county reads them: Beijing time, Chinese formats.
const TZ = 'Asia/Shanghai';
const dt = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });
const d = new Intl.DateTimeFormat('zh-CN', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' });

/** 2026/11/26 17:30 */
export const fmtDateTime = (iso?: string | null) => (iso ? dt.format(new Date(iso)) : '');
/** 2026/11/26 */
export const fmtDate = (iso?: string | null) => (iso ? d.format(new Date(iso)) : '');
/** today in Beijing as YYYY-MM-DD (the latest date a "date of fact" may take) */
export const todayIso = () => new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());

/** "3 天 5 小时" since or until a time; negative when past */
export function span(ms: number): string {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / 86_400_000);
  const hours = Math.floor((abs % 86_400_000) / 3_600_000);
  if (days > 0) return `${days} 天${hours ? ` ${hours} 小时` : ''}`;
  const minutes = Math.floor((abs % 3_600_000) / 60_000);
  return hours > 0 ? `${hours} 小时${minutes ? ` ${minutes} 分` : ''}` : `${Math.max(minutes, 1)} 分钟`;
}
/** 剩余 2 天 / 已超期 3 小时 */
export function dueText(dueAt?: string | null): string {
  if (!dueAt) return '';
  const ms = Date.parse(dueAt) - Date.now();
  return ms >= 0 ? `剩余 ${span(ms)}` : `已超期 ${span(ms)}`;
}
/** 万元 with thousands separators */
export const wan = (n?: number | null) => (n == null ? '' : `${n.toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`);
