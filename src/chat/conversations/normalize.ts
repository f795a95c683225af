/**
 * What people type, folded to one form before anything reads it: full-width letters, digits,
 * spaces and punctuation to their ASCII forms (NFKC), @-mention placeholders dropped, runs of
 * white space collapsed.
 */
export function normalizeText(text: string): string {
  return dropMentions(text
    .normalize('NFKC')
    .replace(/@_user_\d+|@_all\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim());
}

// A name that is a bot's by its words, wherever it stands (`@库存助手`, `@RobotA`).
const BOT_MENTION = /@\S*(?:助手|机器人|小助|[Bb]ot|ROBOT|[Rr]obot|[Aa]ssistant)\S*/g;
// A Chinese name opening the message is a mention (WeCom keeps `@库存助手 ` in the text of an AI
// bot's message; Lark sends `@_user_1`, dropped above) unless it ends like a warehouse (`@浦东店 库存 可乐`).
const LEADING_NAME = /^@(\S*\p{Script=Han}\S*) (?=\S)/u;
const WAREHOUSE_END = /(?:店|仓|仓库|冷库|库房)$/;

/** Mentions of the bot (or of anyone, at the start) say nothing about what is asked. */
function dropMentions(text: string): string {
  let t = text.replace(BOT_MENTION, ' ').replace(/\s+/g, ' ').trim();
  for (let m = LEADING_NAME.exec(t); m && !WAREHOUSE_END.test(m[1]!); m = LEADING_NAME.exec(t)) t = t.slice(m[0].length);
  return t;
}

/** `绑定 123456` / `bind 123456`: the six-digit code an admin handed out. */
export function parseBindCommand(text: string): string | undefined {
  return /^(?:绑定|bind)\s*(\d{6})$/i.exec(normalizeText(text))?.[1];
}
