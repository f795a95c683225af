import type { ImportError, Sheet, SheetRow } from './sheet';

/** The columns a kind of import takes, in the order a template lists them. */
export type ColumnSpec = { columns: readonly string[]; required: readonly string[] };

/** Where each known column is, and how the file spells it (errors name a column as the file does). */
export type Header = { index: Map<string, number>; label: (column: string) => string; errors: ImportError[]; usable: boolean };

/** Header names match case-insensitively, ignoring spaces, `_` and `-`: "Shelf Life Days" is shelfLifeDays. */
const keyOf = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

/** Spreadsheet column letters: 0 → A, 26 → AA. */
export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/**
 * Reads row 1 against the kind's columns. Unknown and headerless-but-filled columns are errors on
 * row 1 and the rows are still checked; a missing required or repeated column makes the rows
 * unreadable (`usable: false`), so only row 1 is reported rather than the same gap on every row.
 */
export function readHeader(sheet: Sheet, spec: ColumnSpec): Header {
  const known = new Map(spec.columns.map((c) => [keyOf(c), c]));
  const index = new Map<string, number>();
  const written = new Map<string, string>();
  const errors: ImportError[] = [];
  let repeated = false;
  // A loop, not Math.max(...rows): spreading one argument per row overflows the stack past ~125,000 rows.
  const width = sheet.rows.reduce((w, r) => Math.max(w, r.cells.length), sheet.header.length);
  for (let i = 0; i < width; i++) {
    const name = sheet.header[i] ?? '';
    if (name === '') {
      if (sheet.rows.some((r) => (r.cells[i] ?? '') !== '')) {
        errors.push({ row: 1, column: columnLetter(i), message: `column ${columnLetter(i)} has values but no header` });
      }
      continue;
    }
    const column = known.get(keyOf(name));
    if (!column) {
      errors.push({ row: 1, column: name, message: `unknown column '${name}'; the columns are ${spec.columns.join(', ')}` });
    } else if (index.has(column)) {
      repeated = true;
      errors.push({ row: 1, column: name, message: `column '${name}' appears twice (columns ${columnLetter(index.get(column)!)} and ${columnLetter(i)})` });
    } else {
      index.set(column, i);
      written.set(column, name);
    }
  }
  const missing = spec.required.filter((c) => !index.has(c));
  for (const c of missing) errors.push({ row: 1, column: c, message: `required column '${c}' is missing` });
  return { index, label: (c) => written.get(c) ?? c, errors, usable: missing.length === 0 && !repeated };
}

/** One data row: its cells by column name (an empty cell reads as undefined) and a place to report. */
export type RowReader = {
  row: number;
  text: (column: string) => string | undefined;
  fail: (column: string | null, message: string) => void;
  failed: () => boolean;
};

export function rowReader(row: SheetRow, header: Header, errors: ImportError[]): RowReader {
  let failures = 0;
  return {
    row: row.row,
    text: (column) => {
      const i = header.index.get(column);
      const value = i === undefined ? undefined : row.cells[i];
      return value === undefined || value === '' ? undefined : value;
    },
    fail: (column, message) => {
      failures++;
      errors.push({ row: row.row, column: column === null ? null : header.label(column), message });
    },
    failed: () => failures > 0,
  };
}
