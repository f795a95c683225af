import { CsvError, parse } from 'csv-parse/sync';
import { ValidationError } from '../errors';
import { sheetOf, type Sheet } from './sheet';

/**
 * A UTF-8 CSV as Excel saves it: with or without a BOM, CRLF or LF, quoted fields holding
 * commas, quotes and line breaks. A quoted line break stays inside its row, as in a spreadsheet,
 * so rows are counted by record, not by line. Excel in some locales separates with `;`.
 */
export function readCsv(data: Uint8Array): Sheet {
  let text: string;
  try {
    // fatal: a file in GBK or Latin-1 is refused rather than read as mojibake; the BOM is dropped.
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    throw ValidationError.field('body', 'the file is not UTF-8 text: in Excel, save it as "CSV UTF-8 (Comma delimited)"');
  }
  if (text.trim() === '') return sheetOf([]);
  try {
    const records: string[][] = parse(text, {
      delimiter: delimiterOf(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
    return sheetOf(records.map((cells, i) => ({ row: i + 1, cells })));
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    // `records` counts the rows read before the one that failed.
    const row = Number((err as CsvError & { records?: number }).records ?? 0) + 1;
    return sheetOf([], [{ row, column: null, message: `the CSV cannot be read from here on: ${err.message}` }]);
  }
}

/** The separator the header line uses most: `,`, `;` or a tab. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((d) => [d, firstLine.split(d).length] as const);
  return counts.reduce((best, c) => (c[1] > best[1] ? c : best))[0];
}
