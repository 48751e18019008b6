// CSV that opens in a spreadsheet with its Chinese intact: UTF-8 with a byte-order mark, CRLF lines,
// every field quoted where needed (RFC 4180), and text that a spreadsheet would take for a formula
// kept as text.
import type { FastifyReply } from 'fastify';
type Cell = string | number | null | undefined;

/**
 * OWASP's rule against formula injection: text that a spreadsheet would run as a formula (it begins
 * with =, +, -, @, tab or CR) is kept as text, behind an apostrophe. Numbers stay numbers. The CSV and
 * the workbooks (api/xlsx.ts) both write text through this.
 */
export function formulaSafe(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** A table's lines, header first, each ending in CRLF (no byte-order mark: a sheet may hold several tables). */
export function csvLines(header: string[], rows: Cell[][]): string {
  const cell = (v: Cell) => {
    let s = v === null || v === undefined ? '' : String(v);
    if (typeof v === 'string') s = formulaSafe(s);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** A whole CSV document: one table, with the byte-order mark a spreadsheet needs to read UTF-8. */
export function toCsv(header: string[], rows: Cell[][]): string {
  return `\uFEFF${csvLines(header, rows)}`;
}

/** The caller asked for CSV: `?format=csv` or `Accept: text/csv`. */
export function wantsCsv(format: string | undefined, accept: string | undefined): boolean {
  return format === 'csv' || (!!accept && /\btext\/csv\b/.test(accept));
}

/** Sends CSV text as a download (the route's JSON serializer is bypassed). */
export function sendCsv(reply: FastifyReply, filename: string, csv: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${filename}"`)
    .serializer((x: unknown) => x as string)
    .send(csv as never);
}
