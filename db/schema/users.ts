import { index, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, orgId, textArray } from './columns';
import { warehouses } from './warehouses';

export const roles = ['admin', 'supervisor', 'warehouse_lead', 'store_manager', 'staff'] as const;
export type Role = (typeof roles)[number];

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  name: text('name').notNull(),
  roles: textArray('roles').notNull().default([]),
  createdAt: createdAt(),
}, (t) => [index('users_org_idx').on(t.orgId)]);

/** The warehouses and stores a user works in (a store manager's stores come first in answers). */
export const userWarehouses = pgTable('user_warehouses', {
  orgId: orgId(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  warehouseId: uuid('warehouse_id').notNull().references(() => warehouses.id),
}, (t) => [primaryKey({ columns: [t.orgId, t.userId, t.warehouseId] })]);

export const chatPlatforms = ['wecom', 'lark', 'sandbox'] as const;

/** Who a user is on a chat platform (WeCom userid, Lark open_id, sandbox id). */
export const chatIdentities = pgTable('chat_identities', {
  orgId: orgId(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  platform: text('platform', { enum: chatPlatforms }).notNull(),
  externalId: text('external_id').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.platform, t.externalId] }),
  // The inbound pipeline resolves org and user from the verified identity alone.
  unique('chat_identities_platform_external_uq').on(t.platform, t.externalId),
]);

export type User = typeof users.$inferSelect;
