import type { Actor } from '../context';
import type { Deps } from '../deps';

/** The one typed Hono context: handlers read `c.var.deps`, never a module singleton. */
export type AppEnv = {
  Variables: {
    deps: Deps;
    requestId: string;
    /** Set by the API-key middleware on `/api/v1/*`. */
    actor: Actor & { type: 'api' };
    orgId: string;
  };
};
