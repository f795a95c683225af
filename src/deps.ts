import type { Database } from '../db/client';
import type { PlatformRegistry } from '../bots/registry';
import type { Config } from './config';
import type { Logger } from './lib/logger';

/** Everything the app is built from; tests pass their own (a fake clock, a fake platform server). */
export type Deps = {
  database: Database;
  config: Config;
  log: Logger;
  now: () => Date;
  /** The chat platforms: configured apps, and the sandbox made per organisation. */
  platforms: PlatformRegistry;
  /** Wakes the outbox delivery after a commit that wrote rows, so a reply goes out at once. */
  nudgeDelivery?: () => void;
  /** Wakes the inbound drain after a message is recorded to be handled, so it is answered at once. */
  nudgeInbound?: () => void;
};
