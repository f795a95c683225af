import { WSClient } from '@wecom/aibot-node-sdk';
import type { AibotSocket, AibotSocketFactory } from './socket';

/**
 * The AI bot's long connection through the official SDK (auth frame, heartbeat, reconnects with
 * backoff, replies queued per req_id until acknowledged). Imported only by the Node entry point and
 * tests, so the SDK (ws, axios) stays out of the Workers bundle.
 */
export const sdkAibotSocket: AibotSocketFactory = ({ botId, secret, wsUrl, log }) => new WSClient({
  botId,
  secret,
  ...(wsUrl ? { wsUrl } : {}),
  // Keep reconnecting after an outage: the instance holding the lock is the only one that can push.
  maxReconnectAttempts: -1,
  logger: {
    debug: () => {},
    info: (message: string) => log.debug(`wecom ai bot sdk: ${message}`),
    warn: (message: string, ...args: unknown[]) => log.warn(`wecom ai bot sdk: ${message}`, { detail: args.map(String).join(' ') }),
    error: (message: string, ...args: unknown[]) => log.error(`wecom ai bot sdk: ${message}`, { detail: args.map(String).join(' ') }),
  },
}) as unknown as AibotSocket;
