import { and, asc, eq } from 'drizzle-orm';
import type { Outbound } from '../../../../bots/platform';
import { chatBindings, warehouses } from '../../../../db/schema';
import { bindOfferCard } from '../../cards/bind-offer';
import type { ChatUser } from '../../identity';
import type { Ctx } from '../../../context';
import type { ChatPlace } from '../chat-place';

/**
 * `绑定本群` typed in a group (where a WeCom AI bot gets no "added to a group" event): an admin
 * gets the warehouse buttons (the tap binds, through the bind_chat action, which checks again);
 * anyone else is told who can; in a 1:1 chat, where to send it.
 */
export async function answerBindGroup(ctx: Ctx, user: ChatUser, place: ChatPlace): Promise<Outbound[]> {
  if (isOneToOne(ctx, place)) return [{ text: '私聊不能绑定到仓库：请在要绑定的群里 @我 发「绑定本群」。' }];
  if (!user.roles.includes('admin')) return [{ text: '只有管理员可以把群绑定到仓库，请管理员在这个群里 @我 发「绑定本群」。' }];
  const bound = await ctx.db.select({ code: warehouses.code }).from(chatBindings)
    .innerJoin(warehouses, eq(warehouses.id, chatBindings.warehouseId))
    .where(and(eq(chatBindings.orgId, ctx.orgId), eq(chatBindings.chatId, place.chatId)))
    .orderBy(asc(warehouses.code));
  // The card alone: on a WeCom AI bot a lone card is answered as a template card, its buttons tappable.
  return [{ card: await bindOfferCard(ctx.db, ctx.orgId, bound.map((b) => b.code)) }];
}

/**
 * A 1:1 chat: as the platform said, or — where the place does not carry it — a chat whose id is the
 * sender's own (the sandbox, a WeCom app, a WeCom AI bot's 1:1 chats).
 */
function isOneToOne(ctx: Ctx, place: ChatPlace): boolean {
  if (place.chatType) return place.chatType === 'p2p';
  return ctx.actor.type === 'chat' && place.chatId === ctx.actor.externalId;
}
