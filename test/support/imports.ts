import ExcelJS from 'exceljs';
import type { TestApp } from '../harness';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type Cell = string | number | boolean | Date | null;

/** A CSV as Excel writes it: quoted where needed, CRLF line ends, optionally with a BOM. */
export function toCsv(rows: Cell[][], options: { bom?: boolean; eol?: string } = {}): string {
  const quote = (c: Cell) => {
    const s = c === null ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return (options.bom ? '\uFEFF' : '') + rows.map((r) => r.map(quote).join(',')).join(options.eol ?? '\r\n') + (options.eol ?? '\r\n');
}

/** The same rows as an .xlsx workbook of one sheet. */
export async function toXlsx(rows: Cell[][]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('import');
  for (const r of rows) sheet.addRow(r);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** POST /api/v1/imports with a raw body (the harness client would JSON-encode a binary one). */
export function uploader(h: TestApp, key: string) {
  return async (kind: string, body: string | Uint8Array, options: { type?: string; dryRun?: boolean; headers?: Record<string, string> } = {}) => {
    const query = `kind=${kind}${options.dryRun === undefined ? '' : `&dryRun=${options.dryRun}`}`;
    const res = await h.app.request(`/api/v1/imports?${query}`, {
      method: 'POST',
      body,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': options.type ?? (typeof body === 'string' ? 'text/csv' : XLSX),
        ...options.headers,
      },
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}

const itemHeader = ['sku', 'name', 'unit', 'category', 'barcodes', 'aliases', 'packUnits', 'valuationMethod', 'lotTracked', 'shelfLifeDays'];

/** `n` distinct items (sku I00001…), with lists, pack units and the odd comma and quote in names. */
export function itemRows(n: number, prefix = 'I'): Cell[][] {
  const rows: Cell[][] = [itemHeader];
  for (let i = 1; i <= n; i++) {
    const id = String(i).padStart(5, '0');
    rows.push([
      `${prefix}${id}`, i % 7 === 0 ? `Item ${i}, "large"` : `商品 ${i}`, 'pcs', i % 3 === 0 ? '饮料' : null,
      `69${prefix.charCodeAt(0)}${id}|79${prefix.charCodeAt(0)}${id}`, i % 2 === 0 ? `alias${i}|别名${i}` : null,
      i % 5 === 0 ? '箱=24|包=6' : null, i % 4 === 0 ? 'fifo' : null, i % 6 === 0 ? 'yes' : null, i % 6 === 0 ? 30 : null,
    ]);
  }
  return rows;
}
