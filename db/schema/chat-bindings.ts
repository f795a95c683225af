import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId, textArray } from './columns';
import { warehouses } from './warehouses';

export const bindingPlatforms = ['sandbox', 'lark', 'wecom-aibot', 'wecom-robot'] as const;
export const bindingPurposes = ['alerts', 'approvals', 'digest'] as const;

/** A group chat that hears about a warehouse: its alerts, approvals and digest. */
export const chatBindings = pgTable('chat_bindings', {
  orgId: orgId(),
  warehouseId: uuid('warehouse_id').notNull().references(() => warehouses.id),
  platform: text('platform', { enum: bindingPlatforms }).notNull(),
  chatId: text('chat_id').notNull(),
  purposes: textArray('purposes').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.platform, t.chatId, t.warehouseId] }),
  index('chat_bindings_warehouse_idx').on(t.orgId, t.warehouseId),
]);
