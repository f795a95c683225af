import { and, asc, eq, sql } from 'drizzle-orm';
import { bindingPurposes, chatBindings, type bindingPlatforms } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { requireWarehouseId } from '../refs';
import { authorize } from './permissions';

export type BindingPlatform = (typeof bindingPlatforms)[number];
export type BindingPurpose = (typeof bindingPurposes)[number];

export type ChatBindingJson = { warehouse: string; platform: BindingPlatform; chatId: string; purposes: BindingPurpose[] };

export type BindChatInput = { warehouse: string; platform: BindingPlatform; chatId: string; purposes?: BindingPurpose[] | undefined };

/** Purposes in their canonical order, each once, whatever order the request gave. */
const canonical = (purposes: readonly string[]) => bindingPurposes.filter((p) => purposes.includes(p));

/**
 * Binds a group chat to a warehouse for some purposes (omitted: all). Binding the same chat to the
 * same warehouse again replaces its purposes. Throws NotFoundError (warehouse).
 */
export async function bindChat(ctx: Ctx, input: BindChatInput): Promise<ChatBindingJson> {
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'admin', { what: 'bind_chat' });
    const warehouseId = await requireWarehouseId(tx, input.warehouse);
    const purposes = canonical(input.purposes ?? bindingPurposes);
    const [row] = await tx.db
      .insert(chatBindings)
      .values({ orgId: tx.orgId, warehouseId, platform: input.platform, chatId: input.chatId, purposes, createdAt: tx.now() })
      .onConflictDoUpdate({
        target: [chatBindings.orgId, chatBindings.platform, chatBindings.chatId, chatBindings.warehouseId],
        set: { purposes },
      })
      // xmax is 0 only on a freshly inserted row: tells create from update without a second read.
      .returning({ inserted: sql<boolean>`(xmax = 0)` });
    await writeAudit(tx, {
      entity: 'chat_binding',
      entityId: `${warehouseId}:${input.platform}:${input.chatId}`,
      action: row!.inserted ? 'create' : 'update',
      comment: purposes.join(','),
    });
    return { warehouse: input.warehouse, platform: input.platform, chatId: input.chatId, purposes };
  });
}

/** The chats bound to a warehouse, by platform and chat id. Throws NotFoundError (warehouse). */
export async function listChatBindings(ctx: Ctx, warehouse: string): Promise<ChatBindingJson[]> {
  const warehouseId = await requireWarehouseId(ctx, warehouse);
  const rows = await ctx.db
    .select({ platform: chatBindings.platform, chatId: chatBindings.chatId, purposes: chatBindings.purposes })
    .from(chatBindings)
    .where(and(eq(chatBindings.orgId, ctx.orgId), eq(chatBindings.warehouseId, warehouseId)))
    .orderBy(asc(chatBindings.platform), asc(chatBindings.chatId));
  return rows.map((r) => ({ warehouse, platform: r.platform, chatId: r.chatId, purposes: canonical(r.purposes) }));
}

/** Where a warehouse's messages of one purpose go: what the outbox and the alert jobs deliver to. */
export async function chatTargetsFor(
  ctx: Ctx,
  warehouseId: string,
  purpose: BindingPurpose,
): Promise<{ platform: BindingPlatform; chatId: string }[]> {
  return ctx.db
    .select({ platform: chatBindings.platform, chatId: chatBindings.chatId })
    .from(chatBindings)
    .where(and(
      eq(chatBindings.orgId, ctx.orgId),
      eq(chatBindings.warehouseId, warehouseId),
      sql`${purpose} = any(${chatBindings.purposes})`,
    ))
    .orderBy(asc(chatBindings.platform), asc(chatBindings.chatId));
}
