import { and, asc, eq, ilike, or } from 'drizzle-orm';
import { chatBindings, userWarehouses, warehouses } from '../../../db/schema';
import type { PlatformName } from '../../../bots/platform';
import type { Ctx } from '../../context';

/**
 * Where a message was typed: which platform and chat, by whom; `chatType` as the platform said
 * (a group or a 1:1 chat), when the caller passes it along.
 */
export type ChatPlace = { platform: PlatformName; chatId: string; userId: string; chatType?: 'p2p' | 'group' };

export type WarehouseRef = { id: string; code: string; name: string };

/** Warehouses this chat speaks for (its bindings), then the user's own: the ones answers start with. */
export async function preferredWarehouses(ctx: Ctx, place: ChatPlace): Promise<WarehouseRef[]> {
  const [bound, own] = [await boundWarehouses(ctx, place.chatId), await ownWarehouses(ctx, place.userId)];
  return [...new Map([...bound, ...own].map((w) => [w.id, w])).values()];
}

/** The warehouses a chat is bound to (a store's group: its store). */
export function boundWarehouses(ctx: Ctx, chatId: string): Promise<WarehouseRef[]> {
  return ctx.db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(chatBindings)
    .innerJoin(warehouses, eq(warehouses.id, chatBindings.warehouseId))
    .where(and(eq(chatBindings.orgId, ctx.orgId), eq(chatBindings.chatId, chatId))).orderBy(asc(warehouses.code));
}

/** The warehouses a person is assigned (none listed: all of them). */
export function ownWarehouses(ctx: Ctx, userId: string): Promise<WarehouseRef[]> {
  return ctx.db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(userWarehouses)
    .innerJoin(warehouses, eq(warehouses.id, userWarehouses.warehouseId))
    .where(and(eq(userWarehouses.orgId, ctx.orgId), eq(userWarehouses.userId, userId))).orderBy(asc(warehouses.code));
}

/** A warehouse as people name it in chat: its code or its name, any case. */
export async function findWarehouse(ctx: Ctx, typed: string): Promise<WarehouseRef | undefined> {
  const t = typed.trim();
  const [row] = await ctx.db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), or(ilike(warehouses.code, t.replace(/[\\%_]/g, (c) => `\\${c}`)), eq(warehouses.name, t))))
    .limit(1);
  return row;
}

// How Chinese warehouse names end, so `徐汇` names 徐汇店 (the grammar's list, for names typed short).
const NAME_ENDS = ['店', '仓', '仓库', '分店', '冷库', '总仓', '分仓', '库'];

/**
 * `可乐 徐汇`, `可乐 总仓`, `cola central`, `徐汇店`: a space-separated part of the item words that is
 * a warehouse's code, name, or name without its ending (徐汇 for 徐汇店); `rest` is what is left for
 * the item ('' when the words were only the warehouse). A grammar cannot know the names a company
 * gave its warehouses; the organisation's are few.
 */
export async function warehouseNamedIn(ctx: Ctx, words: string): Promise<{ warehouse: WarehouseRef; word: string; rest: string } | undefined> {
  const parts = words.split(' ').filter((p) => p.length > 0);
  if (parts.length === 0) return undefined;
  const all = await ctx.db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(eq(warehouses.orgId, ctx.orgId)).limit(500);
  const names = (p: string, w: WarehouseRef) => w.code.toLowerCase() === p.toLowerCase() || w.name === p
    || (p.length >= 2 && NAME_ENDS.some((end) => w.name === `${p}${end}`));
  for (const [i, part] of parts.entries()) {
    const warehouse = all.find((w) => names(part, w));
    if (warehouse) return { warehouse, word: part, rest: parts.filter((_, j) => j !== i).join(' ') };
  }
  return undefined;
}
