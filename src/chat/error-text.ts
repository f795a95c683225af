import type { DomainError } from '../errors';

/** The one place a service refusal becomes words in a chat: short, Chinese, no codes or traces. */
export function chatErrorText(err: DomainError): string {
  switch (err.code) {
    case 'forbidden': return `没有权限：${err.message}`;
    case 'not_found': return `找不到：${err.message}`;
    case 'conflict': return `操作未执行：${err.message}`;
    case 'insufficient_stock': return `库存不足，未执行：${err.message}`;
    case 'invalid_request': return `请检查输入：${err.message}`;
    default: return `未执行：${err.message}`;
  }
}
