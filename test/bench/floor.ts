import type postgres from 'postgres';
import { closedLoop, type LoadResult } from './load';

/**
 * The posting floor: what the database does for a 10-line issue when nothing else stands between
 * the client and it. Hand-written SQL through the same driver (postgres.js), on tables of its own
 * (schema `floor` in the bench database) shaped like the service's: one transaction inserts the
 * document, locks the 10 balances in sorted order, updates them, inserts 10 lines, 10 ledger rows
 * and one outbox row. The service's posting is measured against this.
 */
export async function createFloor(sql: postgres.Sql, items: number) {
  await sql.unsafe(`
    create schema floor;
    create table floor.documents (id bigint generated always as identity primary key, number text not null, status text not null, created_at timestamptz not null default now());
    create table floor.balances (item int, warehouse int, qty numeric(18,3) not null check (qty >= 0), value numeric(18,2) not null, primary key (item, warehouse));
    create table floor.lines (document bigint not null references floor.documents, line int not null, item int not null, qty numeric(18,3) not null, value numeric(18,2), primary key (document, line));
    create table floor.ledger (id bigint generated always as identity primary key, document bigint not null references floor.documents, line int not null,
      item int not null, warehouse int not null, qty numeric(18,3) not null, value numeric(18,2) not null, balance_qty numeric(18,3) not null, balance_value numeric(18,2) not null,
      posted_at timestamptz not null default now());
    create index on floor.ledger (item, warehouse, id);
    create table floor.outbox (id bigint generated always as identity primary key, kind text not null, payload jsonb not null, created_at timestamptz not null default now());
    insert into floor.balances select i, 1, 1000000, 1000000 * 2.5 from generate_series(0, ${items - 1}) i;
    analyze floor.balances;`);
}

/** One 10-line issue the floor's way. */
async function floorIssue(sql: postgres.Sql, n: number, picks: number[]) {
  const itemsSorted = [...picks].sort((a, b) => a - b);
  const qty = itemsSorted.map(() => '1');
  await sql.begin(async (tx) => {
    const [doc] = await tx`insert into floor.documents (number, status) values (${`IS-${n}`}, 'posted') returning id`;
    const locked = await tx`select item, qty, value from floor.balances where warehouse = 1 and item = any(${itemsSorted}::int[]) order by item for update`;
    const after = locked.map((b, k) => {
      const unit = Number(b.value) / Number(b.qty);
      const value = Math.round(unit * Number(qty[k]) * 100) / 100;
      return { item: b.item as number, qty: Number(qty[k]), value, balanceQty: Number(b.qty) - Number(qty[k]), balanceValue: Math.round((Number(b.value) - value) * 100) / 100 };
    });
    const col = <K extends keyof (typeof after)[number]>(k: K) => after.map((a) => String(a[k]));
    await tx`update floor.balances b set qty = v.q, value = v.v from unnest(${col('item')}::int[], ${col('balanceQty')}::numeric[], ${col('balanceValue')}::numeric[]) v(i, q, v)
      where b.warehouse = 1 and b.item = v.i`;
    await tx`insert into floor.lines (document, line, item, qty, value)
      select ${doc!.id}, n, i, q, v from unnest(${col('item')}::int[], ${col('qty')}::numeric[], ${col('value')}::numeric[]) with ordinality x(i, q, v, n)`;
    await tx`insert into floor.ledger (document, line, item, warehouse, qty, value, balance_qty, balance_value)
      select ${doc!.id}, n, i, 1, -q, -v, bq, bv from unnest(${col('item')}::int[], ${col('qty')}::numeric[], ${col('value')}::numeric[],
        ${col('balanceQty')}::numeric[], ${col('balanceValue')}::numeric[]) with ordinality x(i, q, v, bq, bv, n)`;
    await tx`insert into floor.outbox (kind, payload) values ('document_posted', ${sql.json({ documentId: String(doc!.id), number: `IS-${n}` })})`;
  });
}

/** Runs the floor with `clients` connections for `seconds`, drawing 10 distinct items of `items` per document. */
export async function runFloor(url: string, opts: { clients: number; seconds: number; items: number; pick: (n: number) => number[] }): Promise<LoadResult> {
  const { default: postgres } = await import('postgres');
  const sql = postgres(url, { max: opts.clients, onnotice: () => {} });
  try {
    return await closedLoop(opts.clients, opts.seconds, async (n) => {
      await floorIssue(sql, n, opts.pick(n));
      return true;
    });
  } finally {
    await sql.end();
  }
}
