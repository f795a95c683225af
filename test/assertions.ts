import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { queryRows } from '../db/client';
import type { TestApp } from './harness';

/** The tables a master-data call may write, counted for one organisation. */
const tables = ['items', 'item_barcodes', 'warehouses', 'reorder_rules', 'audit_log', 'idempotency_keys'] as const;

export const countRows = (h: TestApp, orgId: string) => countTables(h, orgId, tables);

/** Rows per table for one organisation, in one query: to show that a refused call wrote nothing. */
export async function countTables<T extends string>(h: TestApp, orgId: string, names: readonly T[]): Promise<Record<T, number>> {
  const parts = names.map((t) => sql`(select count(*)::int from ${sql.identifier(t)} where org_id = ${orgId}) as ${sql.identifier(t)}`);
  const [row] = await queryRows<Record<T, number>>(h.db, sql`select ${sql.join(parts, sql`, `)}`);
  return row!;
}

/** The error envelope and nothing else: `{error: {code, message, details?}}`. */
export function expectError(res: { status: number; body: any }, status: number, code: string, message?: RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body)).toEqual(['error']);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe('string');
  if (message) expect(res.body.error.message).toMatch(message);
  expect(Object.keys(res.body.error).every((k) => ['code', 'message', 'details'].includes(k))).toBe(true);
}

/** A 400 whose details name exactly these fields. */
export function expectInvalid(res: { status: number; body: any }, fields: string[]) {
  expectError(res, 400, 'invalid_request');
  const details = res.body.error.details as { field: string; message: string }[];
  expect(details.map((d) => d.field).sort()).toEqual([...fields].sort());
  for (const d of details) expect(d.message).toEqual(expect.any(String));
}
