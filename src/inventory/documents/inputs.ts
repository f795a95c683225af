import type { DocumentType } from '../../../db/schema';

/** What a new document is made of, from the API, an import or a chat confirmation. */
export type DocumentLineInput = {
  sku: string;
  qty: string;
  unitCost?: string | undefined;
  lot?: string | undefined;
  expiresOn?: string | undefined;
  reason?: string | undefined;
  previousQty?: string | undefined;
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
