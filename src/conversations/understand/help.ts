/**
 * The three commands worth knowing first, for the short help that answers anything the bot
 * did not understand; `example` is what to type, `does` what it gets.
 */
export const HELP_COMMANDS = [
  { example: '库存 可乐', does: '查库存（也可 stock cola、可乐还有多少，或直接发条码）' },
  { example: '退货 可乐 5箱 临期 客户张三', does: '登记客户退货，确认后入账' },
  { example: 'TR-20261125-0007', does: '查单据：直接发单号' },
] as const;

const line = (c: { example: string; does: string }) => `· ${c.example} — ${c.does}`;

/** Everything the bot understands, for `帮助` / `help` / `?`. */
export const FULL_HELP_TEXT = [
  '我能帮你：',
  ...HELP_COMMANDS.map(line),
  line({ example: '待审批', does: '我等着审批的单据（pending）' }),
  line({ example: '批准 PO-20261125-0012', does: '审批通过（也可 同意、通过、approve）' }),
  line({ example: '驳回 PO-20261125-0012 价格太高', does: '驳回，单号后写原因（也可 拒绝、不同意、reject）' }),
  line({ example: '绑定本群', does: '在群里发：管理员把这个群绑定到仓库（bind this group）' }),
  line({ example: '低库存 @浦东店', does: '低于安全库存的商品（low stock），不写仓库就是本群的仓库' }),
  line({ example: '绑定 123456', does: '用管理员给的六位码绑定账号' }),
  '数量可写 5箱、五箱、两瓶、5 cases；仓库用 @浦东店、在浦东店 或 in central。',
].join('\n');

/** The short answer to a message the bot did not understand: what was read, and three things to try. */
export function fallbackHelpText(text: string): string {
  const shown = [...text].slice(0, 40).join('');
  const head = shown ? `没看懂「${shown}${shown.length < text.length ? '…' : ''}」。试试：` : '试试：';
  return [head, ...HELP_COMMANDS.map(line), '发「帮助」看全部。'].join('\n');
}
