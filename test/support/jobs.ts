import { runOutboxDelivery } from '../../src/chat/delivery';
import type { TestApp } from '../harness';

/** What a scheduled job is given, on the test app's database and config, in Shanghai time. */
export const jobDeps = (h: TestApp) => ({ db: h.db, log: h.deps.log, timezone: 'Asia/Shanghai', config: h.deps.config });

/** One run of outbox delivery at `now`: what the jobs wrote reaches the sandbox chats. */
export const deliverAt = (h: TestApp, now: Date) =>
  runOutboxDelivery({
    db: h.db, platforms: h.deps.platforms, log: h.deps.log, timezone: 'Asia/Shanghai', publicUrl: h.deps.config.PUBLIC_URL, linkSecret: h.deps.config.LINK_SECRET,
  }, now);
