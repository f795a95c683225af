import type { FieldIssue } from '../../errors';
import { isCalendarDate } from '../../lib/calendar';
import { isOrder, orderTypeFor } from '../../orders/kinds';
import type { CreateDocumentInput } from './inputs';

/**
 * What only orders and the documents fulfilling them may say: `orderOf` on a receipt, issue or
 * transfer; `expectedOn` on a purchase order; `dueOn` on a sales order or requisition; a
 * requisition names the warehouse it asks (`toWarehouse`), and lists each item once.
 */
export function orderShapeIssues(input: CreateDocumentInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.orderOf !== undefined && !orderTypeFor(input.type)) {
    issues.push({ field: 'orderOf', message: 'only a receipt, an issue or a transfer fulfils an order' });
  }
  if (input.expectedOn !== undefined) {
    if (input.type !== 'purchase_order') issues.push({ field: 'expectedOn', message: 'only a purchase order has an expected date' });
    else if (!isCalendarDate(input.expectedOn)) issues.push({ field: 'expectedOn', message: 'must be a date YYYY-MM-DD' });
  }
  if (input.dueOn !== undefined) {
    if (input.type !== 'sales_order' && input.type !== 'requisition') issues.push({ field: 'dueOn', message: 'only a sales order or a requisition has a due date' });
    else if (!isCalendarDate(input.dueOn)) issues.push({ field: 'dueOn', message: 'must be a date YYYY-MM-DD' });
  }
  if (input.type === 'requisition') {
    if (!input.toWarehouse) issues.push({ field: 'toWarehouse', message: 'required: the warehouse that supplies this store (there is not exactly one central warehouse to default to)', reason: 'no_supplier_warehouse' });
    else if (input.toWarehouse === input.warehouse) issues.push({ field: 'toWarehouse', message: 'must differ from warehouse' });
  }
  if (isOrder(input.type)) {
    input.lines.forEach((l, i) => {
      if (l.lot !== undefined || l.expiresOn !== undefined) issues.push({ field: `lines.${i}.lot`, message: 'an order names items, not lots' });
    });
  }
  return issues;
}
