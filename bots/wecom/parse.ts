import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { InboundRejected, type InboundEvent } from '../platform';

/**
 * WeCom's XML: the POST envelope `<xml><ToUserName/><AgentID/><Encrypt/></xml>` and, decrypted,
 * the message or event. Every value is read as a string (MsgId is 64-bit; no number parsing), CDATA
 * unwrapped, entities decoded. WeCom's payload types stay in this folder.
 */
const parser = new XMLParser({ parseTagValue: false, parseAttributeValue: false, ignoreAttributes: true, trimValues: false, processEntities: true });

function readXml(text: string, what: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = parser.parse(text, true);
  } catch {
    throw new InboundRejected(400, `${what} is not XML`);
  }
  const root = doc && typeof doc === 'object' && 'xml' in doc ? (doc as { xml: unknown }).xml : undefined;
  if (!root || typeof root !== 'object') throw new InboundRejected(400, `${what} has no <xml> root`);
  return root as Record<string, unknown>;
}

function shaped<T>(shape: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = shape.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new InboundRejected(400, `malformed ${what}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
}

const text = z.string().transform((s) => s.trim());

const ENCRYPT_OPEN = '<Encrypt>';
const ENCRYPT_CLOSE = '</Encrypt>';
const CDATA_OPEN = '<![CDATA[';
const CDATA_CLOSE = ']]>';

/**
 * The `Encrypt` of a POST body, found by a string scan, not an XML parser: the signature covers only
 * this value, so nothing else of an unverified body is read — a megabyte of junk costs two searches,
 * not an XML tree. WeCom writes it once, as <Encrypt><![CDATA[base64]]></Encrypt> (base64 needs no
 * entities); the decrypted message is parsed in full, after the signature is checked.
 */
export function readWeComEnvelope(rawBody: string): string {
  const start = rawBody.indexOf(ENCRYPT_OPEN);
  const end = start < 0 ? -1 : rawBody.indexOf(ENCRYPT_CLOSE, start);
  if (end < 0 || rawBody.includes(ENCRYPT_OPEN, start + 1)) {
    throw new InboundRejected(400, 'malformed WeCom envelope (expected <xml><Encrypt>…</Encrypt></xml>, once)');
  }
  let value = rawBody.slice(start + ENCRYPT_OPEN.length, end).trim();
  if (value.startsWith(CDATA_OPEN) && value.endsWith(CDATA_CLOSE)) value = value.slice(CDATA_OPEN.length, -CDATA_CLOSE.length).trim();
  if (!/^[A-Za-z0-9+/]+=*$/.test(value)) throw new InboundRejected(400, 'malformed WeCom envelope: <Encrypt> is not base64');
  return value;
}

const baseShape = z.object({ MsgType: text, FromUserName: text.pipe(z.string().min(1)), CreateTime: text.pipe(z.string().regex(/^\d+$/)) });
const textShape = baseShape.extend({ Content: z.string(), MsgId: text.pipe(z.string().min(1)) });
const cardEventShape = baseShape.extend({ Event: text, EventKey: text.pipe(z.string().min(1)), TaskId: text.pipe(z.string().min(1)), ResponseCode: text.optional() });

/** UserIDs are case-insensitive: kept lower-cased (reference §1). */
const userId = (s: string) => s.toLowerCase();

/** The neutral events a decrypted callback means: text in the app's 1:1 chat, a card click; other events are ignored. */
export function toWeComEvents(plaintext: string): InboundEvent[] {
  const xml = readXml(plaintext, 'the decrypted body');
  const base = shaped(baseShape, xml, 'WeCom callback');
  if (base.MsgType === 'text') {
    const m = shaped(textShape, xml, 'text message');
    const from = userId(m.FromUserName);
    return [{
      type: 'message',
      dedupeKey: `msg:${m.MsgId}`,
      // The sender rides along: a reply is a new message to them (WeCom has no replies).
      messageId: `${from}/${m.MsgId}`,
      chatId: from,
      chatType: 'p2p',
      senderId: from,
      text: m.Content.trim(),
    }];
  }
  if (base.MsgType === 'event') {
    const event = typeof xml.Event === 'string' ? xml.Event.trim() : '';
    if (event !== 'template_card_event') return [{ type: 'ignored', reason: `event ${event || '(none)'} is not handled` }];
    const e = shaped(cardEventShape, xml, 'template_card_event');
    const from = userId(e.FromUserName);
    return [{
      type: 'action',
      // Events carry no MsgId: the click is who, when, which card and which button (reference §6.1).
      dedupeKey: `card:${from}:${e.CreateTime}:${e.TaskId}:${e.EventKey}`,
      actionId: e.EventKey,
      form: {},
      senderId: from,
      chatId: from,
      messageId: e.TaskId,
      ...(e.ResponseCode ? { updateToken: e.ResponseCode } : {}),
    }];
  }
  return [{ type: 'ignored', reason: `message type ${base.MsgType} is not understood` }];
}
