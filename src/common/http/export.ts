import { StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { XLSX_TYPE } from '../openapi/export-response';

export interface Table {
  name: string;
  columns: string[];
  rows: (string | number | boolean | null)[][];
}

/**
 * Text a spreadsheet would read as a formula (or, after a tab or carriage return, shift into one):
 * titles and names come from residents and admins, so such a cell is opened as text with a `'`.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(v: string | number | boolean | null): string {
  if (v === null) return '';
  // Only text is neutralised: a number, negative or not, stays a number.
  const s = typeof v === 'string' && FORMULA_START.test(v) ? `'${v}` : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a byte-order mark, so Excel opens Chinese text as UTF-8. */
export function toCsv(t: Table): StreamableFile {
  const lines = [t.columns, ...t.rows].map((r) => r.map(csvCell).join(','));
  const body = Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
  return new StreamableFile(body, {
    type: 'text/csv; charset=utf-8',
    disposition: `attachment; filename="${t.name}.csv"`,
  });
}

/** XLSX keeps every string a string cell (never a formula), so `=…` text is shown, not run. */
export async function toXlsx(t: Table): Promise<StreamableFile> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(t.name.slice(0, 31));
  sheet.addRow(t.columns).font = { bold: true };
  for (const row of t.rows) sheet.addRow(row);
  sheet.columns.forEach((c) => (c.width = 16));
  const body = Buffer.from(await book.xlsx.writeBuffer());
  return new StreamableFile(body, {
    type: XLSX_TYPE,
    disposition: `attachment; filename="${t.name}.xlsx"`,
  });
}
