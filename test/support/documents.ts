import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { expect } from 'vitest';
import {
  auditLog, costLayers, documentLines, documents, idempotencyKeys, ledgerEntries, stockBalances, valuations,
} from '../../db/schema';
import type { TestApp } from '../harness';
import { inventory } from './inventory';

/**
 * Every table a document call may write (idempotency keys included: a refused call must not use them
 * up). Not the day's number counters: on a server a number is taken outside the posting's transaction,
 * so a refused posting may leave a gap (README "How the ledger decides").
 */
const written = {
  documents, documentLines, ledgerEntries, valuations, stockBalances, costLayers, idempotencyKeys, auditLog,
};

/** Rows per table for one organisation, counted in one statement (refusal checks run it twice per call). */
export async function countDocumentRows(h: TestApp, orgId: string): Promise<Record<keyof typeof written, number>> {
  const columns = sql.join(Object.entries(written).map(([name, table]) =>
    sql`(select count(*)::int from ${table} where ${table.orgId} = ${orgId}) as ${sql.identifier(name)}`), sql`, `);
  const [row] = await queryRows<Record<keyof typeof written, number>>(h.db, sql`select ${columns}`);
  return row!;
}

/** Runs a call that must be refused and checks that the organisation's rows are the same afterwards. */
export async function expectNoWrites<T>(h: TestApp, orgId: string, call: () => Promise<T>): Promise<T> {
  const before = await countDocumentRows(h, orgId);
  const result = await call();
  expect(await countDocumentRows(h, orgId)).toEqual(before);
  return result;
}

/**
 * A fresh organisation with warehouses WH1 (central) and WH2 (store), item A with 10 in WH1 at 2
 * (from a posted receipt), and item L, lot-tracked with a 30-day shelf life and no stock.
 */
export async function stockedOrg(h: TestApp, options: { scopes?: string[] } = {}) {
  const org = await h.createOrg(options);
  const inv = inventory(org.api);
  await inv.warehouse('WH1');
  await inv.warehouse('WH2', 'store');
  await inv.item('A');
  await inv.item('L', { lotTracked: true, shelfLifeDays: 30 });
  const receipt = await inv.receipt('WH1', 'A', 10, 2);
  return { ...org, inv, receipt };
}
