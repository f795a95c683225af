/**
 * Splits rows for multi-row statements: Postgres takes at most 65,535 bind parameters per
 * statement, and 1,000 rows of up to 60 columns stay well under it.
 */
export function chunks<T>(rows: T[], size = 1000): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}
