import { StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { localMinuteOf, UTC_OFFSET_MS } from '../../modules/calendar/business-time';
import { XLSX_TYPE } from '../openapi/export-response';

/**
 * How a column's values are shown: `percent` takes a ratio (0.875 is 87.5%), `hours` a number of
 * hours (one decimal), `datetime` a Date (shown in Beijing time).
 */
export type ColumnKind = 'text' | 'number' | 'percent' | 'hours' | 'datetime';

export interface Column {
  /** Chinese, then English: '超时小时 hours late'. */
  title: string;
  kind?: ColumnKind;
}

export type Cell = string | number | boolean | Date | null;

export interface Table {
  /** The file name, without extension (ASCII). */
  name: string;
  /** The first row: what the sheet is, whose, and when (the unit and the period in Beijing dates). */
  title: string;
  columns: Column[];
  rows: Cell[][];
}

/**
 * Text a spreadsheet would read as a formula (or, after a tab or carriage return, shift into one):
 * titles and names come from residents and admins, so such a cell is opened as text with a `'`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

const EXCEL_FORMATS: Partial<Record<ColumnKind, string>> = {
  percent: '0.0%',
  hours: '0.0',
  datetime: 'yyyy-mm-dd hh:mm',
};

/** A cell as CSV shows it: the same rounding and the same Beijing time as the XLSX format. */
function shown(v: Cell, kind: ColumnKind): string | number | boolean | null {
  if (v === null) return null;
  if (v instanceof Date) return localMinuteOf(v);
  if (typeof v !== 'number') return v;
  if (kind === 'percent') return `${(Math.round(v * 1000) / 10).toFixed(1)}%`;
  if (kind === 'hours') return (Math.round(v * 10) / 10).toFixed(1);
  return v;
}

function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  // Only text is neutralised: a number, negative or not, stays a number.
  const s = typeof v === 'string' && FORMULA_START.test(v) ? `'${v}` : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a byte-order mark, so Excel opens Chinese text as UTF-8: title, headers, rows. */
export function toCsv(t: Table): StreamableFile {
  const kinds = t.columns.map((c) => c.kind ?? 'text');
  const lines = [
    [t.title],
    t.columns.map((c) => c.title),
    ...t.rows.map((r) => r.map((v, i) => shown(v, kinds[i]))),
  ].map((r) => r.map(csvCell).join(','));
  const body = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
  return new StreamableFile(body, {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${t.name}.csv"`,
  });
}

/**
 * XLSX keeps every string a string cell (never a formula), so `=…` text is shown, not run. Rates
 * and hours stay numbers with a display format; times are real dates, written as Beijing wall-clock
 * time (a spreadsheet date has no time zone).
 */
export async function toXlsx(t: Table): Promise<StreamableFile> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(t.name.slice(0, 31));
  const width = Math.max(t.columns.length, 1);
  sheet.addRow([t.title]).font = { bold: true, size: 13 };
  sheet.mergeCells(1, 1, 1, width);
  sheet.addRow(t.columns.map((c) => c.title)).font = { bold: true };
  for (const row of t.rows) {
    sheet.addRow(row.map((v) => (v instanceof Date ? new Date(v.getTime() + UTC_OFFSET_MS) : v)));
  }
  t.columns.forEach((c, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = c.kind === 'datetime' ? 18 : 16;
    const format = EXCEL_FORMATS[c.kind ?? 'text'];
    if (format) {
      // Only the data rows: the title and header rows stay text.
      column.eachCell((cell, rowNumber) => {
        if (rowNumber > 2) cell.numFmt = format;
      });
    }
  });
  sheet.views = [{ state: 'frozen', ySplit: 2 }];
  const body = Buffer.from(await book.xlsx.writeBuffer());
  return new StreamableFile(body, {
    type: XLSX_TYPE,
    disposition: `attachment; filename="${t.name}.xlsx"`,
  });
}
