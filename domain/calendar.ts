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
