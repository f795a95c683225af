import { PostgresJsSession } from 'drizzle-orm/postgres-js/session';

/**
 * drizzle runs every statement through postgres.js unprepared, and postgres.js sends an unprepared
 * statement with parameters in two round trips (describe, then bind and execute). Posting runs some
 * twenty statements per document, so that doubled its waits on the database. Here every statement
 * with a few parameters is prepared (named, cached per connection by its text): from its second use
 * on, one round trip and no parse. Statements with many parameters (multi-row inserts, whose text
 * changes with the row count) stay unprepared, so the cache holds a bounded set of texts; connections
 * are recycled by the driver's max_lifetime in any case.
 */
const MAX_PREPARED_PARAMS = 200;

type PrepareQuery = PostgresJsSession<never, never, never>['prepareQuery'];
const original: PrepareQuery = PostgresJsSession.prototype.prepareQuery;
let installed = false;

export function preparePostgresStatements() {
  if (installed) return;
  installed = true;
  PostgresJsSession.prototype.prepareQuery = function (this: PostgresJsSession<never, never, never>, query, fields, name, ...rest) {
    const prepare = name ?? (query.params.length <= MAX_PREPARED_PARAMS ? '' : undefined);
    return original.call(this, query, fields, prepare, ...rest);
  } as PrepareQuery;
}
