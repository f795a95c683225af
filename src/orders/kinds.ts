import type { DocumentStatus, DocumentType } from '../../db/schema';

/**
 * Orders are commitments, not movements: the receipts, issues and transfers that name them with
 * `orderOf` move the stock. Which document fulfils which order, and in which statuses it counts.
 */
export const orderTypes = ['purchase_order', 'sales_order', 'requisition'] as const;
export type OrderType = (typeof orderTypes)[number];

export const isOrder = (type: string): type is OrderType => (orderTypes as readonly string[]).includes(type);

/** The document type that fulfils each order: a receipt a purchase order, an issue a sales order, a transfer a requisition. */
export const fulfilledBy: Record<OrderType, DocumentType> = { purchase_order: 'receipt', sales_order: 'issue', requisition: 'transfer' };

/** The order type a fulfilling document may name, by its own type. */
export const orderTypeFor = (type: string): OrderType | undefined =>
  (Object.entries(fulfilledBy) as [OrderType, DocumentType][]).find(([, by]) => by === type)?.[0];

/** An order is open (its rest still expected or reserved) while approved. */
export const openOrderStatus: DocumentStatus = 'approved';

/** What an order becomes once nothing is open any more: a purchase order received, the others posted. */
export const doneStatus: Record<OrderType, DocumentStatus> = { purchase_order: 'received', sales_order: 'posted', requisition: 'posted' };

/**
 * A fulfilling document counts once it has moved stock (a transfer: once shipped) and until it is
 * reversed, so a reversed receipt opens its order's quantity again. `f` is the documents alias.
 */
export const countingStatuses: DocumentStatus[] = ['posted', 'shipped', 'received'];
