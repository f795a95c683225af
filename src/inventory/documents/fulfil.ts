import { and, eq, inArray } from 'drizzle-orm';
import { items, warehouses } from '../../../db/schema';
import { withTransaction, type Ctx } from '../../context';
import { ConflictError, OverOrderError, ValidationError } from '../../errors';
import { dec, fmt, type Decimal } from '../../lib/decimal';
import { fulfilledBy } from '../../orders/kinds';
import { orderProgress } from '../../orders/progress';
import { authorize } from '../../people/permissions';
import { createDocument } from './create';
import { wrongStatus, wrongType } from './guards';
import { lockDocument } from './load';
import { postLocked } from './post';
import { shipLocked } from './ship';

export type FulfilLine = { line: number; qty: string };

/**
 * Fills an open sales order (一键发货: posts an issue) or requisition (按单调拨: creates and ships a
 * transfer from the supplying warehouse) for what is still open, or for the lines and quantities
 * given. The order's approval is the authority, so the new document needs none of its own. The
 * warehouse that fills it acts: its lead, a supervisor or an admin. One transaction: a shortage
 * (InsufficientStockError) writes nothing. Throws NotFoundError, ForbiddenError, ConflictError
 * (status, type, nothing open), ValidationError (lines), OverOrderError (more than is open).
 */
export async function fulfilOrder(ctx: Ctx, ref: string, given?: FulfilLine[]): Promise<{ id: string }> {
  return withTransaction(ctx, async (ctx) => {
    const { doc: order } = await lockDocument(ctx, ref);
    if (order.type !== 'sales_order' && order.type !== 'requisition') throw wrongType(order, 'fulfil', 'sales_order');
    const from = order.type === 'requisition' ? order.toWarehouseId! : order.warehouseId;
    await authorize(ctx, 'ship', { warehouseId: from });
    if (order.status !== 'approved') throw wrongStatus(order, 'fulfil');

    const progress = (await orderProgress(ctx.db, ctx.orgId, [order.id])).get(order.id) ?? [];
    const names = await namesOf(ctx, progress.map((l) => l.itemId));
    const wanted = new Map<number, Decimal>();
    // Lines given must say something: an empty list is a mistake, not "everything open" nor "nothing".
    if (given && given.length === 0) throw ValidationError.field('lines', 'name at least one line, or leave lines out to fulfil everything open');
    (given ?? []).forEach((g, i) => {
      const line = progress.find((l) => l.lineNo === g.line);
      if (!line) throw ValidationError.field(`lines.${i}.line`, `there is no line ${g.line}`, 'no_such_line', { line: g.line });
      if (wanted.has(g.line)) throw ValidationError.field(`lines.${i}.line`, `line ${g.line} is given twice: give its whole quantity once`);
      const qty = dec(g.qty);
      if (!qty.gt(0)) throw ValidationError.field(`lines.${i}.qty`, 'must be greater than 0');
      if (qty.gt(line.open)) {
        const item = names.get(line.itemId)!;
        throw new OverOrderError(`line ${g.line} (${item.sku}): ${fmt(qty)} is more than the ${fmt(line.open)} still open on ${order.number}`,
          { line: g.line, sku: item.sku, open: fmt(line.open), given: fmt(qty) })
          .because('over_order', { number: order.number, sku: item.sku, name: item.name, unit: item.unit, open: fmt(line.open), given: fmt(qty) });
      }
      wanted.set(g.line, qty);
    });
    if (!given) for (const l of progress) if (l.open.gt(0)) wanted.set(l.lineNo, l.open);
    if (wanted.size === 0) {
      throw new ConflictError(`${order.number} has nothing open to fulfil`, { number: order.number }).because('nothing_open', { number: order.number });
    }

    const codes = await codesOf(ctx, [order.warehouseId, from]);
    const { id } = await createDocument(ctx, {
      type: fulfilledBy[order.type],
      warehouse: codes.get(from)!,
      toWarehouse: order.type === 'requisition' ? codes.get(order.warehouseId)! : undefined,
      counterparty: order.counterparty ?? undefined,
      orderOf: order.id,
      // Each line says which order line it fills: an item ordered on two lines is filled where asked, not in line order.
      lines: progress.filter((l) => wanted.has(l.lineNo)).map((l) => ({ sku: names.get(l.itemId)!.sku, qty: fmt(wanted.get(l.lineNo)!), orderLine: l.lineNo })),
    });
    const made = await lockDocument(ctx, id);
    if (order.type === 'requisition') await shipLocked(ctx, made.doc, made.lines);
    else await postLocked(ctx, made.doc, made.lines);
    return { id };
  });
}

async function namesOf(ctx: Ctx, itemIds: string[]) {
  const rows = await ctx.db.select({ id: items.id, sku: items.sku, name: items.name, unit: items.unit }).from(items)
    .where(and(eq(items.orgId, ctx.orgId), inArray(items.id, itemIds)));
  return new Map(rows.map((r) => [r.id, r]));
}

async function codesOf(ctx: Ctx, ids: string[]) {
  const rows = await ctx.db.select({ id: warehouses.id, code: warehouses.code }).from(warehouses).where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.id, ids)));
  return new Map(rows.map((r) => [r.id, r.code]));
}
