import { and, eq, ilike, or } from 'drizzle-orm';
import { chatBindings, userWarehouses, warehouses } from '../../db/schema';
import type { PlatformName } from '../../bots/platform';
import type { Ctx } from '../context';

/**
 * Where a message was typed: which platform and chat, by whom; `chatType` as the platform said
 * (a group or a 1:1 chat), when the caller passes it along.
 */
export type ChatPlace = { platform: PlatformName; chatId: string; userId: string; chatType?: 'p2p' | 'group' };

export type WarehouseRef = { id: string; code: string; name: string };

/** Warehouses this chat speaks for (its bindings), then the user's own: the ones answers start with. */
export async function preferredWarehouses(ctx: Ctx, place: ChatPlace): Promise<WarehouseRef[]> {
  const bound = await ctx.db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(chatBindings)
    .innerJoin(warehouses, eq(warehouses.id, chatBindings.warehouseId))
    .where(and(eq(chatBindings.orgId, ctx.orgId), eq(chatBindings.chatId, place.chatId)));
  const own = await ctx.db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(userWarehouses)
    .innerJoin(warehouses, eq(warehouses.id, userWarehouses.warehouseId))
    .where(and(eq(userWarehouses.orgId, ctx.orgId), eq(userWarehouses.userId, place.userId)));
  return [...new Map([...bound, ...own].map((w) => [w.id, w])).values()];
}

/** A warehouse as people name it in chat: its code or its name, any case. */
export async function findWarehouse(ctx: Ctx, typed: string): Promise<WarehouseRef | undefined> {
  const t = typed.trim();
  const [row] = await ctx.db.select({ id: warehouses.id, code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), or(ilike(warehouses.code, t.replace(/[\\%_]/g, (c) => `\\${c}`)), eq(warehouses.name, t))))
    .limit(1);
  return row;
}
