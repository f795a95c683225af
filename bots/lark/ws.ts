import * as lark from '@larksuiteoapi/node-sdk';
import { startWhenLeader } from '../../src/lib/leader';
import type { Logger } from '../../src/lib/logger';
import type { ActionAnswer, InboundEvent } from '../platform';
import { larkActionBody, larkBaseUrl, type LarkPlatform } from './index';

/** What the pipeline does with a pushed event; a click's answer (toast, card) goes back over the socket. */
export type LarkEventHandler = (event: InboundEvent) => Promise<ActionAnswer | void>;

const HEADER_KEYS = ['event_id', 'event_type', 'create_time', 'app_id', 'tenant_key'];

/**
 * The SDK hands handlers the envelope flattened (`{...header, ...event}`); this puts it back so the
 * webhook's parser reads it. `token` stays in the event: for a click it is the card-update token.
 */
export function envelopeFromFlat(flat: Record<string, unknown>): unknown {
  const header = Object.fromEntries(HEADER_KEYS.filter((k) => k in flat).map((k) => [k, flat[k]]));
  const event = Object.fromEntries(Object.entries(flat).filter(([k]) => k !== 'schema' && !HEADER_KEYS.includes(k)));
  return { schema: '2.0', header, event };
}

/** An EventDispatcher whose handlers parse like the webhook and hand the neutral events to `onEvent`. */
export function createLarkDispatcher(platform: LarkPlatform, onEvent: LarkEventHandler): lark.EventDispatcher {
  const handle = async (flat: Record<string, unknown>) => {
    let body: Record<string, unknown> = {};
    for (const event of await platform.parseTrusted(envelopeFromFlat(flat))) {
      const answer = await onEvent(event);
      if (event.type === 'action') body = larkActionBody(answer ?? undefined);
    }
    return body;
  };
  // card.action.trigger is not in the SDK's typed handler map.
  const handles: Record<string, typeof handle> = { 'im.message.receive_v1': handle, 'card.action.trigger': handle, 'im.chat.member.bot.added_v1': handle };
  return new lark.EventDispatcher({ loggerLevel: lark.LoggerLevel.warn }).register(handles as never);
}

export type LarkLongConnectionOptions = {
  platform: LarkPlatform;
  appId: string;
  appSecret: string;
  domain: string;
  /**
   * Lark gives each push to one random connection, so one instance is enough: the one holding a
   * Postgres advisory lock (pg_try_advisory_lock on a connection kept open while it runs).
   */
  tryLock: () => Promise<boolean>;
  onEvent: LarkEventHandler;
  log: Logger;
  /** How often an instance without the lock asks again, so another takes over when the holder dies. */
  retryLockMs?: number;
  /** The socket client; tests replace the SDK's, which cannot be pointed at a fake (protobuf frames). */
  connect?: (dispatcher: lark.EventDispatcher) => { close(): void };
};

/** Starts the long connection once the lock is ours; until then asks for the lock every `retryLockMs`. */
export async function startLarkLongConnection(options: LarkLongConnectionOptions): Promise<{ readonly connected: boolean; stop(): void }> {
  const connect = options.connect ?? ((dispatcher: lark.EventDispatcher) => {
    const client = new lark.WSClient({
      appId: options.appId,
      appSecret: options.appSecret,
      domain: larkBaseUrl(options.domain),
      loggerLevel: lark.LoggerLevel.warn,
      onReady: () => options.log.info('lark long connection ready', { app: options.platform.app }),
      onError: (err) => options.log.error('lark long connection gave up', { app: options.platform.app, error: err.message }),
    });
    // start() resolves before the socket is up; onReady/onError report the outcome.
    client.start({ eventDispatcher: dispatcher }).catch((err: unknown) => options.log.error('lark long connection failed to start', { error: String(err) }));
    return { close: () => client.close({ force: true }) };
  });
  const leadership = await startWhenLeader({
    name: `lark long connection (${options.platform.app})`,
    tryLock: options.tryLock,
    log: options.log,
    ...(options.retryLockMs !== undefined ? { retryLockMs: options.retryLockMs } : {}),
    start: () => {
      const socket = connect(createLarkDispatcher(options.platform, options.onEvent));
      return { stop: () => socket.close() };
    },
  });
  return {
    get connected() {
      return leadership.running;
    },
    stop: () => leadership.stop(),
  };
}
