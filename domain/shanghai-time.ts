// Asia/Shanghai dates. China keeps UTC+8 all year (no daylight saving), so a fixed offset is exact
// and needs no time-zone database — which also keeps it usable inside deterministic workflow code.
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The Asia/Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(at: Date | number): string {
  const t = typeof at === 'number' ? at : at.getTime();
  return new Date(t + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai calendar year of an instant. */
export function shanghaiYear(at: Date | number): number {
  return Number(shanghaiDate(at).slice(0, 4));
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** True when s is a real calendar date written YYYY-MM-DD. */
export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

// ── calendar periods (八, 三): months, quarters and years in Asia/Shanghai ─────────────────────────

export interface Period { kind: 'MONTH' | 'QUARTER' | 'YEAR'; key: string; start: Date; end: Date }

/** The instant at which a Shanghai wall-clock time occurs (month is 1–12). */
export function shanghaiInstant(year: number, month: number, day = 1, hour = 0, minute = 0): Date {
  return new Date(Date.UTC(year, month - 1, day, hour, minute) - SHANGHAI_OFFSET_MS);
}

/** Year, month (1–12) and day of an instant in Asia/Shanghai. */
export function shanghaiParts(at: Date | number): { year: number; month: number; day: number } {
  const d = new Date((typeof at === 'number' ? at : at.getTime()) + SHANGHAI_OFFSET_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export const quarterOfMonth = (month: number) => Math.floor((month - 1) / 3) + 1;

export function monthPeriod(year: number, month: number): Period {
  const next = month === 12 ? [year + 1, 1] : [year, month + 1];
  return { kind: 'MONTH', key: `${year}-${String(month).padStart(2, '0')}`, start: shanghaiInstant(year, month), end: shanghaiInstant(next[0], next[1]) };
}

export function quarterPeriod(year: number, quarter: number): Period {
  const firstMonth = (quarter - 1) * 3 + 1;
  const end = quarter === 4 ? shanghaiInstant(year + 1, 1) : shanghaiInstant(year, firstMonth + 3);
  return { kind: 'QUARTER', key: `${year}-Q${quarter}`, start: shanghaiInstant(year, firstMonth), end };
}

export function yearPeriod(year: number): Period {
  return { kind: 'YEAR', key: String(year), start: shanghaiInstant(year, 1), end: shanghaiInstant(year + 1, 1) };
}

/** The month / quarter / year an instant falls in (Asia/Shanghai): a task due 31 Dec 23:30 is in that year. */
export function periodsOf(at: Date | number): { month: Period; quarter: Period; year: Period } {
  const { year, month } = shanghaiParts(at);
  return { month: monthPeriod(year, month), quarter: quarterPeriod(year, quarterOfMonth(month)), year: yearPeriod(year) };
}

/** Parses 2026-05, 2026-Q2 or 2026 into its period; null when malformed. */
export function parsePeriod(key: string): Period | null {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) return monthPeriod(Number(m[1]), Number(m[2]));
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return quarterPeriod(Number(m[1]), Number(m[2]));
  m = /^(\d{4})$/.exec(key);
  if (m) return yearPeriod(Number(m[1]));
  return null;
}

/** The quarter a calendar date (YYYY-MM-DD, already Shanghai) belongs to, as 2026-Q2. */
export function quarterKeyOfDate(date: string): string {
  return `${date.slice(0, 4)}-Q${quarterOfMonth(Number(date.slice(5, 7)))}`;
}
