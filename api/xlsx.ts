// Workbooks (.xlsx, exceljs) laid out as the county prints its reports: on every sheet a title row
// across the table, a line saying what the figures are (published, or provisional as of when), the
// Chinese column headers, then the rows — A4, fitted to the page's width, title and headers repeated
// on every printed page, page numbers in the footer. Column widths and number formats are set per
// kind (万元 with thousands and two decimals, days and counts whole, percentages to one decimal, dates
// as dates). Cells are formula-safe: nothing is ever written as a formula, text that a spreadsheet
// would take for one is kept as text behind an apostrophe (api/csv.ts formulaSafe), and text columns
// are formatted as text (@), so that editing a cell does not make it a formula either.
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { formulaSafe } from './csv';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The caller asked for a workbook: `?format=xlsx` or `Accept` naming the .xlsx type. */
export function wantsXlsx(format: string | undefined, accept: string | undefined): boolean {
  return format === 'xlsx' || (!!accept && accept.includes(XLSX_TYPE));
}

/** A cell: text, a number, nothing, or a value with its own kind (a column of mixed figures, such as 概况's). */
export type XCell = string | number | null | undefined | { v: string | number | null; kind: ColumnKind };
/** What a column holds, which sets its number format and alignment. */
export type ColumnKind = 'text' | 'int' | 'wan' | 'usd' | 'percent' | 'days' | 'year' | 'date' | 'score' | 'general';
export interface Column { header: string; width: number; kind?: ColumnKind }
export interface SheetSpec {
  /** the sheet's tab (at most 31 characters, none of []:*?/\) */
  name: string;
  /** the title row, e.g. 2026年第四季度 南县招商引资工作通报 — 签约项目 */
  title: string;
  /** the line under the title: the period's status (published / provisional) and when it was made */
  note: string;
  columns: Column[];
  rows: XCell[][];
  /** rows after the table, bold: 合计, 平均 */
  footer?: XCell[][];
  /** what an empty table says, across its width (default 本期无) */
  empty?: string;
}

const NUM_FMT: Record<ColumnKind, string | undefined> = {
  text: '@', int: '#,##0', wan: '#,##0.00', usd: '#,##0', percent: '0.0"%"', days: '0', year: '0', date: 'yyyy-mm-dd', score: '0.00', general: undefined,
};
const FONT = '宋体';
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' },
};
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The lines a text takes in a wrapping cell of this width (in characters of the default font; a
 * Chinese character takes two). Row heights are written, not left to the reader: LibreOffice keeps
 * the stored height of an .xlsx row, so a wrapped name would otherwise overlap the row below.
 */
export function linesOf(text: string, width: number): number {
  const capacity = Math.max(1, Math.floor(width - 1));
  return text.split('\n').reduce((n, line) => {
    let units = 0;
    for (const ch of line) units += (ch.codePointAt(0) ?? 0) >= 0x2e80 ? 2 : 1;
    return n + Math.max(1, Math.ceil(units / capacity));
  }, 0);
}
const LINE_PT = 15;

/** The plain value of a cell (for CSV). */
export const plain = (c: XCell): string | number | null | undefined => (c !== null && typeof c === 'object' ? c.v : c);

/** A sheet name Excel accepts: the forbidden characters replaced, at most 31 characters. */
export const sheetName = (name: string) => name.replace(/[[\]:*?/\\]/g, '·').slice(0, 31);

/** One cell's value as written: text formula-safe, dates of a date column as dates, numbers as numbers. */
function cellValue(v: string | number | null | undefined, kind: ColumnKind): ExcelJS.CellValue {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (kind === 'date' && ISO_DATE.test(v)) return new Date(`${v}T00:00:00Z`);
  return formulaSafe(v);
}

function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec): void {
  const width = spec.columns.length;
  const ws = wb.addWorksheet(sheetName(spec.name), {
    pageSetup: {
      paperSize: 9, // A4
      orientation: spec.columns.reduce((s, c) => s + c.width, 0) > 100 ? 'landscape' : 'portrait',
      fitToPage: true, fitToWidth: 1, fitToHeight: 0, horizontalCentered: true,
      margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: '1:3',
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
    views: [{ state: 'frozen', ySplit: 3 }],
  });
  ws.columns = spec.columns.map((c) => ({ width: c.width }));

  // the title, across the table
  const title = ws.getRow(1);
  title.getCell(1).value = formulaSafe(spec.title);
  title.getCell(1).font = { name: FONT, size: 16, bold: true };
  title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
  title.height = 30;
  // what the figures are
  const note = ws.getRow(2);
  note.getCell(1).value = formulaSafe(spec.note);
  note.getCell(1).font = { name: FONT, size: 10, italic: true };
  note.getCell(1).alignment = { horizontal: 'right', vertical: 'middle' };
  note.height = 18;
  if (width > 1) {
    ws.mergeCells(1, 1, 1, width);
    ws.mergeCells(2, 1, 2, width);
  }
  // the headers
  const header = ws.getRow(3);
  spec.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    // a header too wide for its column breaks before its unit: 签约至供地 / （天）
    cell.value = linesOf(c.header, c.width) > 1 ? c.header.replace(/（/, '\n（') : c.header;
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9D9D9' } };
    cell.border = THIN;
  });
  header.height = Math.max(2, ...spec.columns.map((c) => linesOf(c.header, c.width))) * LINE_PT + 2;

  const write = (values: XCell[], bold: boolean) => {
    const row = ws.addRow([]);
    let lines = 1;
    spec.columns.forEach((c, i) => {
      const given = values[i];
      const [value, kind] = given !== null && typeof given === 'object' ? [given.v, given.kind] : [given, c.kind ?? 'text'];
      const cell = row.getCell(i + 1);
      cell.value = cellValue(value, kind);
      const fmt = NUM_FMT[kind];
      if (fmt) cell.numFmt = fmt;
      cell.font = { name: FONT, size: 11, bold };
      cell.border = THIN;
      const numeric = kind !== 'text' && kind !== 'general';
      cell.alignment = { vertical: 'middle', wrapText: !numeric, horizontal: numeric ? 'right' : kind === 'general' ? undefined : 'left' };
      if (!numeric && typeof cell.value === 'string') lines = Math.max(lines, linesOf(cell.value, c.width));
    });
    row.height = lines * LINE_PT + 3;
  };
  if (spec.rows.length === 0) {
    const row = ws.addRow([spec.empty ?? '本期无']);
    if (width > 1) ws.mergeCells(row.number, 1, row.number, width);
    row.getCell(1).alignment = { horizontal: 'center' };
    row.getCell(1).font = { name: FONT, size: 11 };
    row.getCell(1).border = THIN;
  }
  for (const r of spec.rows) write(r, false);
  for (const r of spec.footer ?? []) write(r, true);
}

/** A workbook of these sheets, in order, as the bytes of an .xlsx file. */
export async function workbookOf(sheets: SheetSpec[], props: { title: string; created: Date }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '南县招商引资';
  wb.title = props.title;
  wb.created = props.created;
  wb.modified = props.created;
  for (const s of sheets) addSheet(wb, s);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Sends a workbook as a download, named in ASCII and (RFC 6266) in Chinese. */
export function sendXlsx(reply: FastifyReply, filename: { ascii: string; chinese: string }, bytes: Buffer) {
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${filename.ascii}"; filename*=UTF-8''${encodeURIComponent(filename.chinese)}`)
    .send(bytes);
}
