/**
 * The one error type services throw. It knows nothing of HTTP or chat: `src/http/errors.ts`
 * maps it to the API envelope, `src/chat/error-text.ts` to a chat reply (from `reason` and `facts`).
 */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'insufficient_stock'
  | 'unprocessable'
  /** A BOM whose output comes back among its own components (422). */
  | 'bom_cycle'
  /** Receiving, issuing or shipping more against an order than is still open on it (422). */
  | 'over_order';

export class DomainError extends Error {
  /**
   * Why, as a code the chat edge words (`src/chat/error-text.ts`): e.g. `wrong_status`,
   * `own_document`, `not_allowed`. Never part of the API's answer, which has `code` and `message`.
   */
  declare reason?: string;
  /** What the reason is about (numbers, names, statuses, times as ISO strings), for that wording. */
  declare facts?: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Names the reason and its facts and returns the error, for `throw new XError(…).because(…)`. */
  because(reason: string, facts: Record<string, unknown> = {}): this {
    this.reason = reason;
    this.facts = facts;
    return this;
  }
}

/** One bad field; `reason` and `facts` as on DomainError, for the chat's wording of it. */
export type FieldIssue = { field: string; message: string; reason?: string; facts?: Record<string, unknown> };

export class ValidationError extends DomainError {
  constructor(readonly issues: FieldIssue[]) {
    super('invalid_request', issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '),
      issues.map(({ field, message }) => ({ field, message })));
  }
  static field(field: string, message: string, reason?: string, facts?: Record<string, unknown>) {
    return new ValidationError([{ field, message, ...(reason ? { reason, facts: facts ?? {} } : {}) }]);
  }
}

export class NotFoundError extends DomainError {
  constructor(entity: string, key: string) {
    super('not_found', `${entity} '${key}' not found`, { entity, key });
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('conflict', message, details);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('forbidden', message, details);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'missing or unknown API key') {
    super('unauthorized', message);
  }
}

/** A business rule refused the request (e.g. returning more than was issued). */
export class UnprocessableError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('unprocessable', message, details);
  }
}

export type Shortage = { sku: string; warehouse: string; lot: string | null; needed: string; available: string };

export type ItemLabel = { name: string; unit: string };

export class InsufficientStockError extends DomainError {
  /** sku → the item's name and unit, when the posting looked them up: chat names the item, the API keeps the sku. */
  declare items?: ReadonlyMap<string, ItemLabel>;

  constructor(readonly shortages: Shortage[]) {
    const text = shortages
      .map((s) => `${s.sku} in ${s.warehouse}${s.lot ? ` (lot ${s.lot})` : ''}: needed ${s.needed}, available ${s.available}`)
      .join('; ');
    // A single shortage is the common case; keep its fields at the top of details for clients.
    super('insufficient_stock', `insufficient stock: ${text}`, shortages.length === 1 ? shortages[0] : { shortages });
  }
}

/** More against an order than is still open on it (422 `over_order`): receiving past a purchase order, fulfilling past a sales order. */
export class OverOrderError extends DomainError {
  constructor(message: string, details?: unknown) {
    super('over_order', message, details);
  }
}
