import { DomainError, InsufficientStockError, ValidationError, type ErrorCode, type Shortage } from '../errors';

const labels: Record<ErrorCode, string> = {
  forbidden: '没有权限',
  not_found: '找不到',
  conflict: '操作未执行',
  insufficient_stock: '库存不足，未执行',
  invalid_request: '请检查输入',
  unauthorized: '未登录',
  unprocessable: '未执行',
};

/**
 * The one place a service refusal becomes words in a chat: short, Chinese, no codes or traces.
 * The wording is the throw site's `chat` when it gave one, else derived here from the code and
 * details (shortages, what was not found, Chinese field messages); anything else is the label and
 * the API's message. A refusal (no right, not done, short of stock) keeps its label in front; what
 * was not found and what to fix in the input are said as a whole sentence.
 */
export function chatErrorText(err: DomainError): string {
  const said = err.chat ?? derived(err);
  if (!said) return `${labels[err.code]}：${err.message}`;
  return err.code === 'not_found' || err.code === 'invalid_request' ? said : `${labels[err.code]}：${said}`;
}

function derived(err: DomainError): string | undefined {
  if (err instanceof InsufficientStockError) return err.shortages.map((s) => shortageText(s, err.items?.get(s.sku))).join('；');
  if (err instanceof ValidationError) {
    // Chat's own checks (a reject reason, shortage quantities) say it in Chinese; the field path is for the API.
    return err.issues.every((i) => hasHan(i.message)) ? err.issues.map((i) => i.message).join('；') : undefined;
  }
  if (err.code === 'not_found') return notFoundText(err.details as { entity?: string; key?: string } | undefined);
  return undefined;
}

function shortageText(s: Shortage, item: { name: string; unit: string } | undefined): string {
  const what = item ? `${item.name}（${s.sku}）` : s.sku;
  const unit = item?.unit ? ` ${item.unit}` : '';
  return `仓库 ${s.warehouse} 的 ${what}${s.lot ? ` 批次 ${s.lot} ` : ''}需要 ${s.needed}${unit}，只有 ${s.available}${unit}`;
}

const entityNames: Record<string, string> = {
  document: '单据', item: '商品', warehouse: '仓库', user: '用户', alert: '提醒', 'return report': '退货记录', 'pick list': '商品选择', 'api key': '密钥',
};

/** "找不到单据 PO-20261125-0001": a key a person typed is named; an internal id (from a card) is not. */
function notFoundText(d: { entity?: string; key?: string } | undefined): string | undefined {
  const what = d?.entity ? entityNames[d.entity] : undefined;
  if (!what) return undefined;
  if (d!.entity === 'alert') return '这条提醒已经不存在了';
  if (d!.entity === 'return report') return '这条退货记录已经不存在了，请重新报一次';
  if (d!.entity === 'pick list') return '这个选择已经失效了，请重新问一次';
  return d!.key && !isInternalId(d!.key) ? `找不到${what} ${d!.key}` : `找不到这个${what}`;
}

const isInternalId = (key: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key);
const hasHan = (text: string) => /\p{Script=Han}/u.test(text);
