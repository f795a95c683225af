import { customType, numeric, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './organizations';

/** Every business table starts its key with the organisation, so every query can be scoped by it. */
export const orgId = () => uuid('org_id').notNull().references(() => organizations.id);

export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

// Decimals travel as strings end to end (drizzle's numeric mode), never as JS numbers.
/** Quantities: up to 3 places. */
export const qty = (name: string) => numeric(name, { precision: 18, scale: 3 });
/** Unit costs: 6 places. */
export const unitCost = (name: string) => numeric(name, { precision: 20, scale: 6 });
/** Money: cents. */
export const money = (name: string) => numeric(name, { precision: 18, scale: 2 });

/** A Postgres text[] column typed as string[]. */
export const textArray = customType<{ data: string[]; driverData: string[] }>({
  dataType: () => 'text[]',
});
