import type { Outbound } from '../../bots/platform';
import type { ChatUser } from '../chat/identity';
import { normalizeText, parseBindCommand } from './normalize';

export const HELP_TEXT = [
  '我能帮你：',
  '· 查库存：库存 可乐 / stock cola',
  '· 报退货：退货 可乐 5箱 临期 客户张三',
  '· 查单据：直接发单号，如 TR-20261125-0007',
  '发「帮助」看全部命令。',
].join('\n');

/**
 * The answer to a bound user's message. The full grammar (stock questions, returns, document
 * numbers) lives in the conversations issue; until then the bot answers help, never silence.
 */
export async function handleMessage(user: ChatUser, text: string): Promise<Outbound[]> {
  const t = normalizeText(text).toLowerCase();
  if (parseBindCommand(text)) return [{ text: `你已经绑定为「${user.name}」，不需要再绑定。` }];
  if (t === '帮助' || t === 'help' || t === '?') return [{ text: HELP_TEXT }];
  return [{ text: `没看懂「${normalizeText(text).slice(0, 40)}」。\n${HELP_TEXT}` }];
}

/** What someone the bot does not know yet is told: how to get bound. */
export const WHO_ARE_YOU =
  '你好！我还不认识你。请找管理员为你生成一个六位绑定码，然后发「绑定 123456」给我（把数字换成你的码）。';
