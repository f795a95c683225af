/**
 * The one error type services throw. It knows nothing of HTTP or chat: `src/http/errors.ts`
 * maps it to the API envelope, the conversation layer to a chat reply.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'insufficient_stock'
  | 'unprocessable';

export class DomainError extends Error {
  /**
   * The refusal as a person reads it in a chat: Chinese, naming the document, item, warehouse or
   * person. Set by a throw site (`withChat`) only where code and details do not carry enough for
   * `chatErrorText` to say it; never part of the API's answer.
   */
  declare chat?: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** Adds the chat wording (see `chat`) and returns the error, for `throw new XError(…).withChat(…)`. */
  withChat(text: string): this {
    this.chat = text;
    return this;
  }
}

export type FieldIssue = { field: string; message: string };

export class ValidationError extends DomainError {
  constructor(readonly issues: FieldIssue[]) {
    super('invalid_request', issues.map((i) => (i.field ? `${i.field}: ${i.message}` : i.message)).join('; '), issues);
  }
  static field(field: string, message: string) {
    return new ValidationError([{ field, message }]);
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
  constructor(message: string) {
    super('forbidden', message);
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
