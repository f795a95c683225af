import { z } from 'zod';

const optional = z.string().trim().min(1).optional();

/** Every setting the service reads, with defaults: no variables at all runs the embedded demo. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  BOOTSTRAP_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  PUBLIC_URL: z.string().url().optional(),
  /** Signs the document-page links in cards; unset: a random secret made once and kept in the database. */
  LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  APP_TIMEZONE: z.string().default('Asia/Shanghai').refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai'),
  SANDBOX: z.enum(['on', 'off']).default('on'),
  /** The scheduled jobs (low-stock scan, reminders, digests…): `off` for an instance that only serves while others run them. */
  JOBS: z.enum(['on', 'off']).default('on'),
  /** The demo organisation: `auto` seeds it on the embedded database only, never on a real server unless `on`. */
  DEMO: z.enum(['auto', 'on', 'off']).default('auto'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** The organisation (slug) the configured WeCom and Lark apps serve; unset: the bootstrap or the demo organisation. */
  CHAT_ORG: optional,
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional,
  WECOM_SECRET: optional,
  WECOM_TOKEN: optional,
  WECOM_ENCODING_AES_KEY: optional,
  WECOM_API_BASE: z.string().url().default('https://qyapi.weixin.qq.com'),
  WECOM_AIBOT_TOKEN: optional,
  WECOM_AIBOT_ENCODING_AES_KEY: optional,
  /**
   * How the WeCom AI bot reaches us: `webhook` (POST /webhooks/wecom-aibot/:app; it can only answer) or
   * `ws`, its long connection (WECOM_AIBOT_BOT_ID + WECOM_AIBOT_SECRET), which can also push cards into groups; one instance holds it.
   */
  WECOM_AIBOT_MODE: z.enum(['webhook', 'ws']).default('webhook'),
  WECOM_AIBOT_BOT_ID: optional,
  WECOM_AIBOT_SECRET: optional,
  /** The long connection's address; the SDK's `wss://openws.work.weixin.qq.com` when unset. */
  WECOM_AIBOT_WS_URL: z.string().url().optional(),
  LARK_APP_ID: optional,
  LARK_APP_SECRET: optional,
  LARK_ENCRYPT_KEY: optional,
  LARK_VERIFICATION_TOKEN: optional,
  LARK_DOMAIN: z.string().default('feishu'),
  /** How Lark pushes reach us: `webhook` (POST /webhooks/lark/:app) or `ws`, the SDK's long connection (one instance holds it). */
  LARK_MODE: z.enum(['webhook', 'ws']).default('webhook'),
  /** Lots expiring within this many days are announced (an item with a short shelf life uses a third of it, if less). */
  NEAR_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Local time (APP_TIMEZONE) from which each digest group gets its daily digest. */
  // The digest job looks every 15 minutes and sends once a local day: its last look is at 23:45.
  DIGEST_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM, e.g. 08:00')
    .refine((t) => t <= '23:45', 'must be 23:45 or earlier: the digest job looks every 15 minutes, and a later time would never come in its day').default('08:00'),
  /** An open low-stock alert nobody acknowledged is announced again after this many hours. */
  LOW_STOCK_REMIND_HOURS: z.coerce.number().positive().default(24),
  /** Overdue documents are re-reminded per warehouse at this interval… */
  OVERDUE_REMIND_HOURS: z.coerce.number().positive().default(4),
  /** …and go up to the supervisors once the oldest is overdue longer than this. */
  OVERDUE_ESCALATE_HOURS: z.coerce.number().positive().default(24),
  /** A pending approval level is reminded at this interval since it started waiting… */
  APPROVAL_REMIND_HOURS: z.coerce.number().positive().default(4),
  /** …and shown to the next role up once it has waited longer than this. */
  APPROVAL_ESCALATE_HOURS: z.coerce.number().positive().default(8),
});

export type Config = z.infer<typeof configSchema>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {}

/** Reads the environment once; a bad value stops start-up with every offending variable named. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // An empty variable means "not set", as in most deployment dashboards.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
