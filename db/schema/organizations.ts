import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  /** Valuation method given to new items that do not name one. */
  defaultValuation: text('default_valuation', { enum: ['moving_average', 'fifo'] })
    .notNull()
    .default('moving_average'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

export type Organization = typeof organizations.$inferSelect;
