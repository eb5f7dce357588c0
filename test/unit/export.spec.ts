import type { StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { type Table, toCsv, toXlsx } from '../../src/common/http/export';

async function bytes(file: StreamableFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of file.getStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const TABLE: Table = {
  name: 't',
  title: '=标题 title',
  columns: [{ title: '文本 text' }, { title: '数 number', kind: 'number' }],
  rows: [
    ['=1+1', -5],
    ['+1', 1.5],
    ['-2+3', 0],
    ['@SUM(A1)', null],
    ['\tx', -0.25],
    ['\rx', true],
    ['a=b', '-'],
  ],
};

/** 2026-11-03 06:30 UTC is 14:30 in Beijing. */
const AT = new Date('2026-11-03T06:30:00Z');

const KINDS: Table = {
  name: 'kinds',
  title: '某镇 · 2026-11-01 至 2026-11-30',
  columns: [
    { title: '率 rate', kind: 'percent' },
    { title: '小时 hours', kind: 'hours' },
    { title: '时限 due', kind: 'datetime' },
  ],
  rows: [
    [0.8756, 12.345, AT],
    [1, 0.04, null],
    [null, 3, AT],
  ],
};

async function sheetOf(t: Table): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await bytes(await toXlsx(t))) as never);
  return book.worksheets[0];
}

describe('exports', () => {
  it('CSV: a title row, the headers, then text that starts like a formula gets a leading quote; numbers stay bare', async () => {
    const text = (await bytes(toCsv(TABLE))).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).split('\r\n')).toEqual([
      "'=标题 title",
      '文本 text,数 number',
      "'=1+1,-5",
      "'+1,1.5",
      "'-2+3,0",
      "'@SUM(A1),",
      "'\tx,-0.25",
      `"'\rx",true`,
      "a=b,'-",
      '',
    ]);
  });

  it('CSV: rates as percentages, hours with one decimal, times in Beijing', async () => {
    const text = (await bytes(toCsv(KINDS))).toString('utf8');
    expect(text.slice(1).split('\r\n').slice(2)).toEqual([
      '87.6%,12.3,2026-11-03 14:30',
      '100.0%,0.0,',
      ',3.0,2026-11-03 14:30',
      '',
    ]);
  });

  it('XLSX: such text stays a string cell and numbers stay numbers', async () => {
    const sheet = await sheetOf(TABLE);
    expect(sheet.getCell('A1').value).toBe('=标题 title');
    expect(sheet.getCell('A2').value).toBe('文本 text');
    expect(sheet.getCell('A3').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A3').value).toBe('=1+1');
    expect(sheet.getCell('B3').value).toBe(-5);
    sheet.eachRow((row) =>
      row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)),
    );
  });

  it('XLSX: rates and hours are numbers with a display format, times real dates at Beijing wall-clock time', async () => {
    const sheet = await sheetOf(KINDS);
    expect(sheet.getCell('A1').value).toBe('某镇 · 2026-11-01 至 2026-11-30');
    expect(sheet.getCell('A1').isMerged).toBe(true);
    expect(sheet.getCell('C1').isMerged).toBe(true);
    expect([sheet.getCell('A3').value, sheet.getCell('A3').numFmt]).toEqual([0.8756, '0.0%']);
    expect([sheet.getCell('B3').value, sheet.getCell('B3').numFmt]).toEqual([12.345, '0.0']);
    const due = sheet.getCell('C3');
    expect(due.type).toBe(ExcelJS.ValueType.Date);
    expect(due.numFmt).toBe('yyyy-mm-dd hh:mm');
    // A spreadsheet date has no zone: it holds the wall-clock time a Beijing reader expects.
    expect((due.value as Date).toISOString()).toBe('2026-11-03T14:30:00.000Z');
    expect(sheet.getCell('C4').value).toBeNull();
    expect(sheet.getCell('A2').numFmt).toBeUndefined();
  });
});
