import type { UnitCostTable } from './unit-cost-table';
import { loadExcel } from '../lib/exceljs';

const head = ['sku', 'name', 'qty', 'material', 'labor', 'machine', 'overhead', 'total', 'unitCost'];
const compareHead = ['compareUnitCost', 'diff', 'diffPct'];

/** The table as rows of text, the header first; comparison columns when it has them. */
function cells(table: UnitCostTable): string[][] {
  const comparing = table.rows.some((r) => r.compare);
  return [
    [...head, ...(comparing ? compareHead : [])],
    ...table.rows.map((r) => [
      r.sku, r.name, r.qty, r.material, r.labor, r.machine, r.overhead, r.total, r.unitCost,
      ...(comparing ? [r.compare?.unitCost ?? '', r.compare?.diff ?? '', r.compare?.diffPct ?? ''] : []),
    ]),
  ];
}

/** CSV as Excel opens it (UTF-8 with a BOM, CRLF), quoted where needed. */
export function unitCostCsv(table: UnitCostTable): string {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  return `\uFEFF${cells(table).map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
}

/** One worksheet named by the period; numbers as numbers (exact: at most 6 places, well within a double's digits here). */
export async function unitCostXlsx(table: UnitCostTable): Promise<Uint8Array> {
  const workbook = new (await loadExcel()).Workbook();
  const sheet = workbook.addWorksheet(`产品单位成本表 ${table.period}`);
  const [header, ...rows] = cells(table);
  sheet.addRow(header);
  for (const r of rows) sheet.addRow(r.map((c, i) => (i >= 2 && c !== '' ? Number(c) : c)));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
