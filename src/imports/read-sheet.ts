import { ValidationError } from '../errors';
import { readCsv } from './read-csv';
import type { FileFormat, Sheet } from './sheet';

/**
 * Reads a CSV or .xlsx into rows of trimmed strings. Throws ValidationError (an empty file, not
 * UTF-8, not an .xlsx); a CSV that breaks off (an unclosed quote) comes back as an error on its row.
 */
export async function readSheet(data: Uint8Array, format: FileFormat): Promise<Sheet> {
  if (data.byteLength === 0) throw ValidationError.field('body', 'the file is empty');
  // Loaded on demand: only an .xlsx upload pays for the zip and XML machinery.
  const sheet = format === 'csv' ? readCsv(data) : await (await import('./read-xlsx')).readXlsx(data);
  if (sheet.header.every((h) => h === '') && sheet.rows.length === 0 && sheet.errors.length === 0) {
    throw ValidationError.field('body', 'the file is empty');
  }
  return sheet;
}
