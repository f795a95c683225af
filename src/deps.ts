import type { Database } from '../db/client';
import type { Config } from './config';
import type { Logger } from './lib/logger';

/** Everything the app is built from; tests pass their own (a fake clock, a fake platform server). */
export type Deps = {
  database: Database;
  config: Config;
  log: Logger;
  now: () => Date;
};
