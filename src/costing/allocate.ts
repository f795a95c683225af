import type { PoolDriver } from '../../db/schema';
import { UnprocessableError } from '../errors';
import { Decimal, ZERO, sum } from '../lib/decimal';
import { shareByLargestRemainder } from '../lib/shares';
import { evaluateFormula, type Formula } from './formula';
import type { Consumption, OrderFacts } from './period-facts';

export type Pool = { name: string; position: number; amount: Decimal; driver: PoolDriver; formula: Formula | null };

export type Settlement = {
  order: OrderFacts; step: number; direct: Decimal; inherited: Decimal; passedOn: Decimal;
  /** What stays with this order's output: revalues the part still in stock; the rest is a cost-of-goods variance. */
  stock: Decimal; variance: Decimal;
};
export type Allocation = { pool: Pool; order: OrderFacts; amount: Decimal };

/**
 * The close's arithmetic, pure. (1) Each pool is shared over the month's orders pro rata to its
 * driver, to the cent by largest remainder. (2) Items are settled from the lowest BOM level up (the
 * month's consumption decides the order: whatever fed another item goes first): the overhead of an
 * intermediate item's orders follows, pro rata to quantity, the share of its month output that other
 * orders consumed — into those orders, pro rata to what each consumed. (3) What an order keeps
 * revalues the part of its unconsumed output still on hand (`onHand`); the rest was issued and is a
 * variance. Every split is by largest remainder, so every pool and every order adds up to the cent.
 */
export function allocate(pools: Pool[], orders: OrderFacts[], consumption: Consumption[], onHand: Map<string, Decimal>) {
  const allocations: Allocation[] = [];
  const total = new Map(orders.map((o) => [o.documentId, ZERO]));
  for (const pool of pools) {
    const weights = orders.map((o) => driverValue(pool, o));
    if (pool.amount.isZero()) continue;
    if (sum(weights).isZero()) {
      throw new UnprocessableError(`pool '${pool.name}' has nothing to be shared over: no order this month has any ${pool.driver}`, { pool: pool.name })
        .because('pool_no_base', { pool: pool.name, driver: pool.driver });
    }
    shareByLargestRemainder(pool.amount, weights).forEach((amount, i) => {
      if (amount.isZero()) return;
      allocations.push({ pool, order: orders[i]!, amount });
      total.set(orders[i]!.documentId, total.get(orders[i]!.documentId)!.plus(amount));
    });
  }
  const direct = new Map(total);
  const inherited = new Map(orders.map((o) => [o.documentId, ZERO]));
  const passed = new Map(orders.map((o) => [o.documentId, ZERO]));
  const consumedShare = new Map<string, Decimal>();
  const steps = itemOrder(orders, consumption);
  for (const itemId of steps) {
    const producers = orders.filter((o) => o.itemId === itemId);
    const output = sum(producers.map((o) => o.qty));
    const consumers = orders.filter((o) => o.itemId !== itemId)
      .map((o) => ({ o, qty: sum(consumption.filter((c) => c.documentId === o.documentId && c.itemId === itemId).map((c) => c.qty)) }))
      .filter((c) => c.qty.gt(0));
    const consumed = sum(consumers.map((c) => c.qty));
    if (output.isZero() || consumed.isZero()) continue;
    const share = Decimal.min(consumed, output).div(output);
    consumedShare.set(itemId, share);
    for (const p of producers) {
      const [pass] = shareByLargestRemainder(total.get(p.documentId)!, [share, Decimal.sub(1, share)]);
      passed.set(p.documentId, pass!);
    }
    const moving = sum(producers.map((p) => passed.get(p.documentId)!));
    shareByLargestRemainder(moving, consumers.map((c) => c.qty)).forEach((amount, i) => {
      const id = consumers[i]!.o.documentId;
      inherited.set(id, inherited.get(id)!.plus(amount));
      total.set(id, total.get(id)!.plus(amount));
    });
  }
  const budget = new Map<string, Decimal>();
  const settlements: Settlement[] = orders.map((o) => {
    const kept = total.get(o.documentId)!.minus(passed.get(o.documentId)!);
    const unconsumed = o.qty.times(Decimal.sub(1, consumedShare.get(o.itemId) ?? ZERO));
    // Moving average: the warehouse's stock is shared by the month's orders of the item, in order, never counted twice.
    const key = `${o.itemId}|${o.toWarehouseId}`;
    const available = o.fifo ? onHand.get(o.documentId) ?? ZERO : budget.get(key) ?? onHand.get(o.documentId) ?? ZERO;
    const inStock = Decimal.min(available, unconsumed);
    if (!o.fifo) budget.set(key, available.minus(inStock));
    const [stock, variance] = unconsumed.isZero() ? [ZERO, kept] : shareByLargestRemainder(kept, [inStock, unconsumed.minus(inStock)]);
    return {
      order: o, step: steps.indexOf(o.itemId), direct: direct.get(o.documentId)!, inherited: inherited.get(o.documentId)!,
      passedOn: passed.get(o.documentId)!, stock: stock!, variance: variance!,
    };
  });
  return { allocations, settlements: settlements.sort((a, b) => a.step - b.step || (a.order.number < b.order.number ? -1 : 1)) };
}

function driverValue(pool: Pool, o: OrderFacts): Decimal {
  const vars = { qty: o.qty, laborHours: o.laborHours, machineHours: o.machineHours, materialCost: o.materialCost, runs: o.runs };
  let value: Decimal;
  switch (pool.driver) {
    case 'labor_hours': value = o.laborHours; break;
    case 'machine_hours': value = o.machineHours; break;
    case 'output_qty': value = o.qty; break;
    case 'material_cost': value = o.materialCost; break;
    case 'formula':
      try {
        value = evaluateFormula(pool.formula!, vars);
      } catch (err) {
        throw new UnprocessableError(`pool '${pool.name}': ${(err as Error).message} for ${o.number}`, { pool: pool.name, document: o.number })
          .because('formula_failed', { pool: pool.name, number: o.number });
      }
  }
  if (value.isNeg()) {
    throw new UnprocessableError(`pool '${pool.name}' gives ${o.number} a negative share (${value.toFixed()})`, { pool: pool.name, document: o.number })
      .because('pool_negative', { pool: pool.name, number: o.number });
  }
  return value;
}

/**
 * Items in settling order: an item whose month output another item's orders consumed comes before
 * that item (Kahn's algorithm over the month's consumption). A rework consuming its own item adds
 * no edge; items caught in a cycle (possible only with hand-listed materials) come last, by sku.
 */
function itemOrder(orders: OrderFacts[], consumption: Consumption[]): string[] {
  const items = [...new Set(orders.map((o) => o.itemId))];
  const itemOf = new Map(orders.map((o) => [o.documentId, o.itemId]));
  const edges = new Set(consumption.filter((c) => items.includes(c.itemId) && itemOf.get(c.documentId) !== c.itemId)
    .map((c) => `${c.itemId}>${itemOf.get(c.documentId)}`));
  const incoming = (y: string, left: string[]) => left.some((x) => edges.has(`${x}>${y}`));
  const done: string[] = [];
  let left = [...items].sort((a, b) => (skuOf(orders, a) < skuOf(orders, b) ? -1 : 1));
  while (left.length) {
    const ready = left.filter((y) => !incoming(y, left.filter((x) => x !== y)));
    const take = ready.length ? ready : [left[0]!];
    done.push(...take);
    left = left.filter((x) => !take.includes(x));
  }
  return done;
}

const skuOf = (orders: OrderFacts[], itemId: string) => orders.find((o) => o.itemId === itemId)!.sku;
