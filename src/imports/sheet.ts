
/** A problem with the file, placed as a spreadsheet shows it: rows from 1 (the header), columns by header name. */
export type ImportError = { row: number; column: string | null; message: string };

/** A sheet as read from a file: the header row and every non-blank data row with its spreadsheet row number. */
export type Sheet = { header: string[]; rows: SheetRow[]; errors: ImportError[] };
export type SheetRow = { row: number; cells: string[] };

export type FileFormat = 'csv' | 'xlsx';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The format a Content-Type names (parameters such as `charset` ignored), or undefined. */
export function formatOf(contentType: string | undefined): FileFormat | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type === 'text/csv' ? 'csv' : type === XLSX_TYPE ? 'xlsx' : undefined;
}

/** The format a file name's extension names, for the CLI. */
export function formatOfName(name: string): FileFormat | undefined {
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'csv' ? 'csv' : ext === 'xlsx' ? 'xlsx' : undefined;
}

/** Drops blank rows (Excel leaves them at the end) while each kept row keeps its spreadsheet number. */
export function sheetOf(records: { row: number; cells: string[] }[], errors: ImportError[] = []): Sheet {
  const trimmed = records.map((r) => ({ row: r.row, cells: r.cells.map((c) => c.trim()) }));
  const first = trimmed.find((r) => r.row === 1);
  return {
    header: first?.cells ?? [],
    rows: trimmed.filter((r) => r.row > 1 && r.cells.some((c) => c !== '')),
    errors,
  };
}
