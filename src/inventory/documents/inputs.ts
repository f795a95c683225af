import type { DocumentType } from '../../../db/schema';

/** What a new document is made of, from the API, an import or a chat confirmation. */
export type DocumentLineInput = {
  sku: string;
  qty: string;
  unitCost?: string | undefined;
  /**
   * The line's value when it is known more exactly than qty × unitCost (per base unit, six places):
   * an opening imported at a price per pack (100,000 提 of 3 at 10 is 1,000,000.00, where 300,000 ×
   * 3.333333 is 999,999.90); a receipt priced from two order lines of one item at two prices. Set by
   * imports and by order pricing, never read from the API.
   */
  value?: string | undefined;
  lot?: string | undefined;
  expiresOn?: string | undefined;
  reason?: string | undefined;
  previousQty?: string | undefined;
  /** The line of the order (`orderOf`) this line fills: set by 按单发货 / 按单调拨 (fulfil), never read from the API. */
  orderLine?: number | undefined;
};

export type CreateDocumentInput = {
  type: DocumentType;
  warehouse?: string | undefined;
  toWarehouse?: string | undefined;
  counterparty?: string | undefined;
  reason?: string | undefined;
  externalRef?: string | undefined;
  returnOf?: string | undefined;
  /** A receipt, issue or transfer: the purchase order, sales order or requisition (number or id) it fulfils. */
  orderOf?: string | undefined;
  /** A purchase order: when the goods are expected (a local date); past it, the order is overdue. */
  expectedOn?: string | undefined;
  /** A sales order or requisition: when the customer or store needs it (a local date). */
  dueOn?: string | undefined;
  note?: string | undefined;
  /** A customer return's reason class (returns statistics); chat reports set it from what was typed. */
  returnReason?: 'expired' | 'near_expiry' | 'damaged' | 'wrong_item' | 'quality' | 'other' | undefined;
  lines: DocumentLineInput[];
  submit?: boolean | undefined;
  /** Production: the BOM version to make it by (default: the active one when submitted). */
  bomVersion?: number | undefined;
  /** Production: materials for the whole quantity, replacing the BOM (a rework order lists its output among them). */
  materials?: { sku: string; qty: string }[] | undefined;
};
