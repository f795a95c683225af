import type { Card } from '../cards/model';

/**
 * The one contract every chat platform implements (Lark, WeCom, the sandbox). Platform payload
 * types never leave their folder: the rest of the service sees only these neutral shapes.
 */
export type PlatformName = 'lark' | 'wecom' | 'wecom-aibot' | 'wecom-robot' | 'sandbox';

/** An inbound HTTP request, its body read once as text before anything else looks at it. */
export type InboundRequest = { method: string; url: string; headers: Headers; rawBody: string };

/** What a verified, decrypted, parsed request means. `dedupeKey` is unique per platform app. */
export type InboundEvent =
  | { type: 'challenge'; answer: unknown }
  | { type: 'message'; dedupeKey: string; messageId: string; chatId: string; chatType: 'p2p' | 'group'; senderId: string; text: string }
  | {
      type: 'action'; dedupeKey: string; actionId: string; form: Record<string, string>; senderId: string;
      chatId: string | null; messageId: string | null;
      /** Lark: a token to update this card within 30 minutes after the answer (two uses). */
      updateToken?: string;
      /** WeCom AI bot: the callback's response_url, to say one more thing in that conversation within an hour. */
      replyUrl?: string;
    }
  | { type: 'bot_added'; dedupeKey: string; chatId: string; chatName: string | null; addedBy: string | null }
  | { type: 'ignored'; reason: string };

/** Thrown by `parse` for a request that fails verification: it is answered with `status` and writes nothing. */
export class InboundRejected extends Error {
  constructor(readonly status: 400 | 401, message: string) {
    super(message);
    this.name = 'InboundRejected';
  }
}

/** What a click is answered with, inside the platform's deadline. */
export type ActionAnswer = { toast?: { kind: 'success' | 'error' | 'info'; text: string }; card?: Card };

export type Outbound = { text: string } | { card: Card };

export type Target = { kind: 'chat' | 'user'; id: string };

/** A failure that is normal traffic: whether a retry may help, and after how long at the least. */
export type SendError = { message: string; retryable: boolean; retryAfterMs?: number; code?: string };
export type Result<T> = { ok: true; value: T } | { ok: false; error: SendError };

export interface ChatPlatform {
  readonly platform: PlatformName;
  /** The configured app's name (`:app` in the webhook path). */
  readonly app: string;
  /** At most this many messages a second to one chat (Lark: 5 per group). */
  readonly perChatPerSecond: number;
  /**
   * At most this many messages to one target (person, conversation, robot) in any minute, where the
   * platform drops the excess silently (WeCom: 30 a minute to a member): the rest wait their turn.
   */
  readonly perTargetPerMinute?: number;
  /**
   * Whether the bot's answer to a message goes in the HTTP response (the sandbox, WeCom's passive
   * reply) rather than through the outbox as a reply (Lark).
   */
  readonly repliesInline: boolean;
  /**
   * The platform cannot show a click's toast (a WeCom self-built app answers a click with an empty
   * 200 or a button label, never a pop-up): a toast that comes without a card is sent to the clicker
   * as a text message through the outbox instead — one to one when the click came from a 1:1 chat,
   * else to the chat — so a refused click ("not your level", "already decided by …") is still heard.
   */
  readonly toastsAsMessages?: boolean;
  /**
   * False when the platform cannot push a message into a chat unasked, only answer (a WeCom AI bot in
   * webhook mode): a group on it does not count as reaching anyone, so cards go to people instead.
   */
  readonly canPush?: boolean;
  /**
   * False when this platform's sends must leave from another instance (a long connection of which
   * only the lock holder keeps one): deliveries for it are left for that instance to claim.
   */
  servedHere?(): boolean;
  /** Verifies (signature, timestamp window, token), decrypts and parses. Throws InboundRejected. */
  parse(request: InboundRequest): Promise<InboundEvent[]>;
  /**
   * The HTTP answer to a handled request: a challenge's echo, an acknowledgement, a click's toast
   * and card, or (when `repliesInline`) the replies to a message.
   */
  respond(event: InboundEvent, answer?: ActionAnswer & { replies?: Outbound[] }): Response | Promise<Response>;
  /** `idempotencyKey` makes a retried send show once where the platform supports it (Lark's uuid). */
  send(target: Target, message: Outbound, idempotencyKey: string): Promise<Result<{ messageId: string }>>;
  reply(messageId: string, message: Outbound, idempotencyKey: string): Promise<Result<{ messageId: string }>>;
  update(messageId: string, card: Card): Promise<Result<void>>;
}
