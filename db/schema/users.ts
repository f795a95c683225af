import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
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
export type IdentityPlatform = (typeof chatPlatforms)[number];

/**
 * Who a user is on a chat platform (WeCom userid, Lark open_id, sandbox id), in one app of it. An
 * identity belongs to one organisation: another organisation may name the same external id for a
 * person of its own, and neither learns of the other.
 */
export const chatIdentities = pgTable('chat_identities', {
  orgId: orgId(),
  userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
  platform: text('platform', { enum: chatPlatforms }).notNull(),
  /** The configured app (`:app` in the webhook path): WeCom userids and Lark open_ids are per corp or app. */
  app: text('app').notNull().default('default'),
  externalId: text('external_id').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.platform, t.app, t.externalId] }),
  index('chat_identities_external_idx').on(t.platform, t.app, t.externalId),
]);

/**
 * The organisation a configured chat app serves (set at start-up from CHAT_ORG, the bootstrap or
 * the demo organisation): a webhook's sender is looked up in it alone.
 */
export const chatApps = pgTable('chat_apps', {
  platform: text('platform', { enum: chatPlatforms }).notNull(),
  app: text('app').notNull(),
  orgId: orgId(),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.platform, t.app] })]);

export type User = typeof users.$inferSelect;
