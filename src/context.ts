import type { Queryable } from '../db/client';
import type { Channel } from '../db/schema';
import type { Logger } from './lib/logger';

/** Who is acting. Chat, API, web and jobs call the same service verbs with one of these. */
export type Actor =
  | { type: 'api'; keyId: string; userId: string | null; scopes: string[]; roles: string[] }
  | { type: 'chat'; platform: string; externalId: string; userId: string; roles: string[] }
  | { type: 'web'; userId: string; roles: string[] }
  | { type: 'job'; job: string };

export const channelOf = (actor: Actor): Channel =>
  actor.type === 'api' ? 'api' : actor.type === 'chat' ? 'chat' : actor.type === 'web' ? 'web' : 'job';

export const userIdOf = (actor: Actor): string | null => (actor.type === 'job' ? null : actor.userId);

/** What the actor is, for the audit trail when there is no user: the key id, chat id or job name. */
export const actorRefOf = (actor: Actor): string =>
  actor.type === 'api' ? `key:${actor.keyId}` : actor.type === 'chat' ? `${actor.platform}:${actor.externalId}` : actor.type === 'job' ? `job:${actor.job}` : `web:${actor.userId}`;

/** Everything a service verb needs: the database (or the transaction it joins), the tenant, the actor, the clock. */
export type Ctx = {
  db: Queryable;
  orgId: string;
  actor: Actor;
  now: () => Date;
  timezone: string;
  log: Logger;
  /**
   * The signed address of a document's page, for the link on cards about it; unset (or undefined)
   * when PUBLIC_URL is not set, and cards then carry no link. Set where cards are built for chats.
   */
  documentUrl?: ((documentId: string) => Promise<string | undefined>) | undefined;
  /** Set inside `withTransaction`, so a verb called from another joins its transaction. */
  inTransaction?: boolean;
};

export async function withTransaction<T>(ctx: Ctx, fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  return ctx.db.transaction((tx) => fn({ ...ctx, db: tx, inTransaction: true }));
}
