import type postgres from 'postgres';

type Sql = ReturnType<typeof postgres>;
export type Verdict = { name: string; ok: boolean; detail: string };

const q3 = (x: unknown) => Number(x).toFixed(3);
const sample = (rows: unknown[]) => JSON.stringify(rows.slice(0, 3));
const verdict = (name: string, bad: unknown[], checked: string): Verdict =>
  ({ name, ok: bad.length === 0, detail: bad.length ? `${bad.length} wrong, e.g. ${sample(bad)}` : checked });

/**
 * The ledger's invariants over one organisation, straight from the tables: nothing negative; per item
 * and warehouse the ledger sums, the valuation, the lots and (FIFO) the cost layers agree, and the
 * last ledger row's balance is the valuation; every document moved exactly what its status says.
 */
export async function ledgerInvariants(sql: Sql, orgId: string): Promise<Verdict[]> {
  const negative = await sql`
    select 'valuations' as t, item_id, warehouse_id from valuations where org_id = ${orgId} and (qty < 0 or value < 0 or transit_qty < 0 or transit_value < 0)
    union all select 'stock_balances', item_id, warehouse_id from stock_balances where org_id = ${orgId} and (qty < 0 or transit_qty < 0)
    union all select 'cost_layers', item_id, warehouse_id from cost_layers where org_id = ${orgId} and (qty_remaining < 0 or value_remaining < 0)`;
  const sums = await sql`
    select i.sku, w.code, i.valuation_method as method, v.qty, v.value, v.transit_qty, v.transit_value,
      (select coalesce(sum(e.qty), 0) from ledger_entries e where e.org_id = v.org_id and e.item_id = v.item_id and e.warehouse_id = v.warehouse_id and e.bucket = 'stock') as ledger_qty,
      (select coalesce(sum(e.value), 0) from ledger_entries e where e.org_id = v.org_id and e.item_id = v.item_id and e.warehouse_id = v.warehouse_id and e.bucket = 'stock') as ledger_value,
      (select coalesce(sum(e.qty), 0) from ledger_entries e where e.org_id = v.org_id and e.item_id = v.item_id and e.warehouse_id = v.warehouse_id and e.bucket = 'transit') as ledger_transit_qty,
      (select coalesce(sum(e.value), 0) from ledger_entries e where e.org_id = v.org_id and e.item_id = v.item_id and e.warehouse_id = v.warehouse_id and e.bucket = 'transit') as ledger_transit_value,
      (select e.balance_qty from ledger_entries e where e.org_id = v.org_id and e.item_id = v.item_id and e.warehouse_id = v.warehouse_id and e.bucket = 'stock' order by e.id desc limit 1) as last_qty,
      (select e.balance_value from ledger_entries e where e.org_id = v.org_id and e.item_id = v.item_id and e.warehouse_id = v.warehouse_id and e.bucket = 'stock' order by e.id desc limit 1) as last_value,
      (select coalesce(sum(b.qty), 0) from stock_balances b where b.org_id = v.org_id and b.item_id = v.item_id and b.warehouse_id = v.warehouse_id) as lot_qty,
      (select coalesce(sum(b.transit_qty), 0) from stock_balances b where b.org_id = v.org_id and b.item_id = v.item_id and b.warehouse_id = v.warehouse_id) as lot_transit_qty,
      (select coalesce(sum(l.qty_remaining), 0) from cost_layers l where l.org_id = v.org_id and l.item_id = v.item_id and l.warehouse_id = v.warehouse_id) as layer_qty,
      (select coalesce(sum(l.value_remaining), 0) from cost_layers l where l.org_id = v.org_id and l.item_id = v.item_id and l.warehouse_id = v.warehouse_id) as layer_value
    from valuations v join items i on i.id = v.item_id join warehouses w on w.id = v.warehouse_id
    where v.org_id = ${orgId}`;
  const disagree = (pairs: (r: (typeof sums)[number]) => [unknown, unknown][]) =>
    sums.filter((r) => pairs(r).some(([a, b]) => q3(a) !== q3(b))).map((r) => ({ ...r }));
  return [
    verdict('no negative stock (valuations, lots, cost layers)', [...negative], 'none'),
    verdict('ledger sums = valuation qty and value (stock and in transit)', disagree((r) => [
      [r.ledger_qty, r.qty], [r.ledger_value, r.value], [r.ledger_transit_qty, r.transit_qty], [r.ledger_transit_value, r.transit_value],
    ]), `${sums.length} item × warehouse balances`),
    verdict('last ledger balance = valuation', disagree((r) => (r.last_qty === null ? [] : [[r.last_qty, r.qty], [r.last_value, r.value]])), `${sums.length} balances`),
    verdict('lots (stock_balances) sum to the valuation', disagree((r) => [[r.lot_qty, r.qty], [r.lot_transit_qty, r.transit_qty]]), `${sums.length} balances`),
    verdict('FIFO layers remaining = valuation', disagree((r) => (r.method === 'fifo' ? [[r.layer_qty, r.qty], [r.layer_value, r.value]] : [])),
      `${sums.filter((r) => r.method === 'fifo').length} FIFO balances`),
    await documentsWhole(sql, orgId),
  ];
}

/** Each line of each document moved what its type and status say, and a document not posted moved nothing. */
async function documentsWhole(sql: Sql, orgId: string): Promise<Verdict> {
  const lines = await sql`
    select d.id, d.number, d.type, d.status, d.warehouse_id, d.to_warehouse_id, l.line_no, l.qty, coalesce(l.received_qty, l.qty) as received
    from documents d join document_lines l on l.document_id = d.id where d.org_id = ${orgId}`;
  const moved = await sql`
    select document_id, line_no, warehouse_id, bucket, sum(qty) as qty from ledger_entries where org_id = ${orgId}
    group by document_id, line_no, warehouse_id, bucket`;
  const actual = new Map<string, Map<string, string>>();
  for (const m of moved) {
    const line = actual.get(`${m.document_id}/${m.line_no}`) ?? new Map<string, string>();
    if (q3(m.qty) !== q3(0)) line.set(`${m.warehouse_id}/${m.bucket}`, q3(m.qty));
    actual.set(`${m.document_id}/${m.line_no}`, line);
  }
  const bad: unknown[] = [];
  for (const l of lines) {
    const want = new Map<string, number>();
    const qty = Number(l.qty);
    if (l.type === 'receipt' && l.status === 'posted') want.set(`${l.warehouse_id}/stock`, qty);
    else if (l.type === 'issue' && l.status === 'posted') want.set(`${l.warehouse_id}/stock`, -qty);
    else if (l.type === 'transfer' && (l.status === 'shipped' || l.status === 'received')) {
      want.set(`${l.warehouse_id}/stock`, -qty);
      if (l.status === 'shipped') want.set(`${l.to_warehouse_id}/transit`, qty);
      else want.set(`${l.to_warehouse_id}/stock`, Number(l.received));
    } else if (!['draft', 'submitted', 'awaiting_approval', 'approved', 'rejected', 'cancelled'].includes(l.status)) {
      bad.push({ number: l.number, problem: `status ${l.status} of a ${l.type} is not checked here` });
      continue;
    }
    const expected = [...want].map(([k, v]) => `${k}=${q3(v)}`).sort().join(',');
    const got = [...(actual.get(`${l.id}/${l.line_no}`) ?? [])].map(([k, v]) => `${k}=${v}`).sort().join(',');
    if (expected !== got) bad.push({ number: l.number, status: l.status, line: l.line_no, expected, got });
  }
  return verdict('every document moved exactly what its status says (none half-posted)', bad, `${lines.length} document lines`);
}

/**
 * Delivery: nothing waits in the outbox or the deliveries, nothing died, and each sandbox delivery is
 * one message (the one it recorded) — none lost, none shown twice.
 */
export async function deliveryInvariants(sql: Sql, orgId: string): Promise<Verdict[]> {
  const [outbox] = await sql`select count(*) filter (where status = 'pending')::int as pending, count(*)::int as total from outbox where org_id = ${orgId}`;
  const [d] = await sql`
    select count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'dead')::int as dead,
      count(*) filter (where status = 'sent')::int as sent
    from deliveries where org_id = ${orgId}`;
  const unmatched = await sql`
    select d.id, d.dedupe_key, d.sent_message_id from deliveries d
    where d.org_id = ${orgId} and d.platform = 'sandbox' and d.status = 'sent' and d.action <> 'update'
      and (select count(*) from sandbox_messages m where m.org_id = d.org_id and m.id::text = d.sent_message_id) <> 1`;
  const [messages] = await sql`
    select count(*) filter (where delivery_key is not null)::int as keyed, count(*) filter (where sender_id is null and delivery_key is null)::int as unkeyed
    from sandbox_messages where org_id = ${orgId}`;
  const [sends] = await sql`select count(*)::int as n from deliveries where org_id = ${orgId} and platform = 'sandbox' and status = 'sent' and action <> 'update'`;
  return [
    verdict('every outbox event fanned out', outbox!.pending ? [{ pending: outbox!.pending }] : [], `${outbox!.total} events`),
    verdict('every delivery sent (none pending, none dead)', d!.pending || d!.dead ? [{ pending: d!.pending, dead: d!.dead }] : [], `${d!.sent} sent`),
    verdict('each sandbox delivery shown exactly once', [
      ...unmatched,
      ...(messages!.keyed !== sends!.n ? [{ messagesFromDeliveries: messages!.keyed, sentDeliveries: sends!.n }] : []),
      ...(messages!.unkeyed ? [{ botMessagesWithoutDelivery: messages!.unkeyed }] : []),
    ], `${sends!.n} sandbox sends, ${messages!.keyed} messages`),
  ];
}
