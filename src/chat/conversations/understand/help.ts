/**
 * The three commands worth knowing first, for the short help that answers anything the bot
 * did not understand; `example` is what to type, `does` what it gets.
 */
export const HELP_COMMANDS = [
  { example: '库存 可乐', does: '查库存；也可直接发商品名、编码、条码或拼音（kl、kele），几个一起用「和」隔开' },
  { example: '退货 可乐 5箱 临期 客户张三', does: '登记客户退货，确认后入账' },
  { example: 'TR-20261125-0007', does: '查单据：直接发单号' },
] as const;

const line = (c: { example: string; does: string }) => `· ${c.example} — ${c.does}`;

/** Everything the bot understands, for `帮助` / `help` / `?`. */
export const FULL_HELP_TEXT = [
  '我能帮你：',
  ...HELP_COMMANDS.map(line),
  line({ example: '库存 可乐 @徐汇店', does: '某个仓库的库存（也可 徐汇店 可乐、可乐 徐汇）；只发「徐汇店库存」看全店' }),
  line({ example: '今天卖了多少可乐', does: '卖出（出库）多少，也可问 进了多少货、红牛在途多少；时间：今天 昨天 本周 上周 本月 上月' }),
  line({ example: '今天有什么要处理的', does: '等你处理的单据，每张带按钮' }),
  line({ example: '超期单据', does: '超时的单据；也可 待收货、待质检、临期、日报' }),
  line({ example: '待审批', does: '我等着审批的单据（pending）' }),
  line({ example: '批准 PO-20261125-0012', does: '审批通过（也可 同意、通过、approve）' }),
  line({ example: '驳回 PO-20261125-0012 价格太高', does: '驳回，单号后写原因（也可 拒绝、不同意、reject）' }),
  line({ example: '要货 可乐 10箱 红牛 5箱', does: '门店向供货仓库要货，确认后生成要货单' }),
  line({ example: '调拨 红牛 5箱 到 徐汇店', does: '调拨，确认后提交（从总仓 可指定调出仓库）' }),
  line({ example: '报损 牛奶 3盒 破损', does: '报损，确认后扣减库存' }),
  line({ example: '盘点 可乐 实盘 46', does: '盘点一个商品，确认后按实盘调整' }),
  line({ example: 'TR-20261125-0007 可乐少了2罐', does: '调拨到货有短缺：确认后按实收入库' }),
  line({ example: '取消刚才的退货', does: '取消你刚才的退货、调拨、报损或盘点' }),
  line({ example: '绑定本群', does: '在群里发：管理员把这个群绑定到仓库（bind this group）' }),
  line({ example: '低库存 @徐汇店', does: '低于安全库存的商品（low stock），不写仓库就是本群的仓库' }),
  line({ example: '绑定 123456', does: '用管理员给的六位码绑定账号' }),
  '数量可写 5箱、五箱、两瓶、5 cases；仓库用 @徐汇店、在徐汇店 或 in central。',
].join('\n');

/** The short answer to a message the bot did not understand: what was read, and three things to try. */
export function fallbackHelpText(text: string): string {
  const shown = [...text].slice(0, 40).join('');
  const head = shown ? `没看懂「${shown}${shown.length < text.length ? '…' : ''}」。试试：` : '试试：';
  return [head, ...HELP_COMMANDS.map(line), '发「帮助」看全部。'].join('\n');
}
