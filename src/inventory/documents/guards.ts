import type { DocumentRow, DocumentStatus, DocumentType } from '../../../db/schema';
import { approvalLevelsFor } from '../../approvals/request-approval';
import type { Ctx } from '../../context';
import { ConflictError } from '../../errors';

/** Statuses from which a document may still be posted (or a transfer shipped) or cancelled. */
export const openStatuses: DocumentStatus[] = ['draft', 'submitted', 'approved'];

/** The verbs a refusal names, for the API's message and the chat's wording alike. */
export type Verb = 'submit' | 'post' | 'ship' | 'receive' | 'cancel' | 'reverse' | 'qc' | 'complete' | 'report_work' | 'fulfil' | 'approve' | 'reject';

/** 409: the document's status does not allow the verb (`wrong_status`). */
export function wrongStatus(doc: DocumentRow, verb: Verb): ConflictError {
  return new ConflictError(`${doc.number} is ${doc.status}; it cannot be ${pastTense[verb]}`, { number: doc.number, status: doc.status })
    .because('wrong_status', { number: doc.number, status: doc.status, verb });
}

/** 409: the verb is for another type of document (`wrong_type`), e.g. shipping an issue. */
export function wrongType(doc: DocumentRow, verb: Verb, expected: DocumentType): ConflictError {
  return new ConflictError(`${doc.number} (${doc.type}) cannot be ${pastTense[verb]}: only ${expected} documents are`, { number: doc.number })
    .because('wrong_type', { number: doc.number, type: doc.type, expected, verb });
}

const pastTense: Record<Verb, string> = {
  submit: 'submitted', post: 'posted', ship: 'shipped', receive: 'received', cancel: 'cancelled', reverse: 'reversed', qc: 'QC-checked',
  complete: 'completed', report_work: 'reported on', fulfil: 'fulfilled', approve: 'approved', reject: 'rejected',
};

/**
 * Moving stock straight from draft or submitted (without /submit's approval step) is refused when
 * the rules ask for approval, so no path skips it (`needs_approval`).
 */
export async function guardApproval(ctx: Ctx, doc: DocumentRow): Promise<void> {
  if (doc.status !== 'draft' && doc.status !== 'submitted') return;
  const levels = await approvalLevelsFor(ctx, doc);
  if (levels.length) {
    const rules = [...new Set(levels.flatMap((l) => l.rules))].join(', ');
    throw new ConflictError(`${doc.number} needs approval (${rules}): submit it for approval first`, { number: doc.number, rules })
      .because('needs_approval', { number: doc.number });
  }
}
