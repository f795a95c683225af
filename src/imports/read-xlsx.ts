import type ExcelJS from 'exceljs';
import { ValidationError } from '../errors';
import { dec } from '../lib/decimal';
import { sheetOf, type Sheet } from './sheet';
import { loadExcel } from '../lib/exceljs';

/** The first worksheet of an .xlsx, each cell as the text a CSV export would hold. */
export async function readXlsx(data: Uint8Array): Promise<Sheet> {
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(data.buffer, data.byteOffset, data.byteLength) as never);
  } catch {
    throw ValidationError.field('body', 'the file is not an .xlsx workbook (an old .xls must be saved as .xlsx first)');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return sheetOf([]);
  const records: { row: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, number) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    records.push({ row: number, cells: Array.from(cells, (c) => c ?? '') });
  });
  return sheetOf(records);
}

/** A cell value as text: numbers in plain notation, date cells as YYYY-MM-DD, formulas by their result. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  // To 15 significant digits, as Excel shows a number and writes it to CSV: =10*1.13 is stored as
  // 11.299999999999999 and must read as 11.3, not be refused for its decimals.
  if (typeof value === 'number') return Number.isFinite(value) ? dec(value.toPrecision(15)).toFixed() : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // Excel keeps dates as day numbers; exceljs hands date-formatted cells over as UTC midnights.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('result' in value) return value.result === undefined ? '' : cellText(value.result as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  if ('text' in value) return typeof value.text === 'string' ? value.text : cellText(value.text as ExcelJS.CellValue);
  return '';
}
