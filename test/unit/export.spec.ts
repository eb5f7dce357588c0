import type { StreamableFile } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { toCsv, toXlsx } from '../../src/common/http/export';

async function bytes(file: StreamableFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of file.getStream()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const TABLE = {
  name: 't',
  columns: ['text', 'number'],
  rows: [
    ['=1+1', -5],
    ['+1', 1.5],
    ['-2+3', 0],
    ['@SUM(A1)', null],
    ['\tx', -0.25],
    ['\rx', true],
    ['a=b', '-'],
  ] as (string | number | boolean | null)[][],
};

describe('exports', () => {
  it('CSV: text that starts like a formula gets a leading quote; numbers, negative ones too, stay bare', async () => {
    const text = (await bytes(toCsv(TABLE))).toString('utf8');
    expect(text.slice(1).split('\r\n')).toEqual([
      'text,number',
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

  it('XLSX: such text stays a string cell and numbers stay numbers', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await bytes(await toXlsx(TABLE))) as never);
    const sheet = book.worksheets[0];
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A2').value).toBe('=1+1');
    expect(sheet.getCell('B2').value).toBe(-5);
    sheet.eachRow((row) =>
      row.eachCell((cell) => expect(cell.type).not.toBe(ExcelJS.ValueType.Formula)),
    );
  });
});
