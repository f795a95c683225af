import type { Context } from 'hono';
import type { Ctx } from '../context';
import type { AppEnv } from './env';

/** The service context of an API request: its organisation, its key as the actor, the injected clock. */
export function ctxOf(c: Context<AppEnv>): Ctx {
  const { deps } = c.var;
  return {
    db: deps.database.db,
    orgId: c.var.orgId,
    actor: c.var.actor,
    now: deps.now,
    timezone: deps.config.APP_TIMEZONE,
    log: deps.log,
    outside: deps.database.outside,
  };
}
