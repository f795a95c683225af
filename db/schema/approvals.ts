import { index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { at, createdAt, money, orgId, qty, textArray } from './columns';
import { documents } from './documents';

/** One level of a rule: anyone holding one of the roles, or one of the named users, decides it. */
export type ApprovalLevel = { roles: string[]; users: string[] };

/** The organisation's rule set, replaced whole by PUT /approval-rules; `position` keeps its order. */
export const approvalRules = pgTable('approval_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  orgId: orgId(),
  position: integer('position').notNull(),
  name: text('name').notNull(),
  documentTypes: textArray('document_types').notNull(),
  warehouseIds: textArray('warehouse_ids').notNull().default([]),
  warehouseTypes: textArray('warehouse_types').notNull().default([]),
  categories: textArray('categories').notNull().default([]),
  /** Matches documents whose value reaches it; for a stocktake, the absolute variance value. */
  minValue: money('min_value'),
  /** Matches documents whose total quantity (sum of absolute line quantities) reaches it. */
  minQty: qty('min_qty'),
  levels: jsonb('levels').$type<ApprovalLevel[]>().notNull(),
  createdAt: createdAt(),
}, (t) => [index('approval_rules_org_idx').on(t.orgId, t.position)]);

export const approvalStatuses = ['waiting', 'pending', 'approved', 'rejected'] as const;

/** The levels a submitted document must pass, decided in order; `pending` is the one deciding now. */
export const documentApprovals = pgTable('document_approvals', {
  orgId: orgId(),
  documentId: uuid('document_id').notNull().references(() => documents.id, { onDelete: 'cascade' }),
  level: integer('level').notNull(),
  roles: textArray('roles').notNull(),
  userIds: textArray('user_ids').notNull(),
  /** The rules this level came from, for the card and the audit trail. */
  rules: textArray('rules').notNull(),
  status: text('status', { enum: approvalStatuses }).notNull(),
  decidedByUserId: uuid('decided_by_user_id'),
  decidedAt: at('decided_at'),
  comment: text('comment'),
  /** When this level started waiting (for reminders and escalation). */
  pendingSince: at('pending_since'),
}, (t) => [primaryKey({ columns: [t.documentId, t.level] })]);
