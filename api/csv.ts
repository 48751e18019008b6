// CSV that opens in a spreadsheet with its Chinese intact: UTF-8 with a byte-order mark, CRLF lines,
// every field quoted where needed (RFC 4180).
import type { FastifyReply } from 'fastify';
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cell = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `\uFEFF${[header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
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
