import { describe, expect, it } from 'vitest';
import {
  FULL_HELP_TEXT, HELP_COMMANDS, fallbackHelpText, intentSchema, understand, type Intent, type ReturnIntent,
} from '../src/chat/conversations/understand';
import * as lexicon from '../src/chat/conversations/understand/lexicon';

const stock = (item: string, warehouse?: string): Intent => ({ intent: 'stock', item, ...(warehouse && { warehouse }) });
/** A message that is nothing but an item reference: when no item matches, the answer is the short help. */
const bare = (item: string): Intent => ({ intent: 'stock', item, bare: true });
const barcode = (code: string, warehouse?: string): Intent => ({ intent: 'stock_barcode', barcode: code, ...(warehouse && { warehouse }) });
const ret = (item: string, r: Partial<Omit<ReturnIntent, 'intent' | 'item'>> = {}): Intent => ({ intent: 'return', item, reason: 'other', ...r });
const qty = (amount: string, unit?: string) => ({ qty: unit === undefined ? { amount } : { amount, unit } });
const doc = (number: string): Intent => ({ intent: 'document', number });
const lowStock = (warehouse?: string): Intent => ({ intent: 'low_stock', ...(warehouse && { warehouse }) });
const pending: Intent = { intent: 'pending_approvals' };
const help: Intent = { intent: 'help' };
const unknown = (text: string): Intent => ({ intent: 'unknown', text });
const approve = (numbers: string[], reason?: string): Intent => ({ intent: 'decide', decision: 'approve', numbers, ...(reason && { reason }) });
const reject = (numbers: string[], reason?: string): Intent => ({ intent: 'decide', decision: 'reject', numbers, ...(reason && { reason }) });
const bindGroup: Intent = { intent: 'bind_group' };
const PO = 'PO-20261125-0012';

// Each row: what someone typed in a chat → what the bot should take from it.
const table: Array<[string, Intent]> = [
  // Stock, Chinese
  ['库存 红牛', stock('红牛')],
  ['库存红牛', stock('红牛')],
  ['查一下康师傅方便面', stock('康师傅方便面')],
  ['红牛还有多少', stock('红牛')],
  ['方便面还剩几箱', stock('方便面')],
  ['康师傅方便面还有多少箱', stock('康师傅方便面')],
  ['牛奶还剩几提', stock('牛奶')],
  ['红牛还有吗', stock('红牛')],
  ['还有红牛吗', stock('红牛')],
  ['有没有红牛', stock('红牛')],
  ['红牛有货吗', stock('红牛')],
  ['可乐的库存', stock('可乐')],
  ['帮我查一下红牛库存', stock('红牛')],
  ['查查 农夫山泉', stock('农夫山泉')],
  ['查询 蒙牛纯牛奶', stock('蒙牛纯牛奶')],
  ['请问可乐还有多少', stock('可乐')],
  ['麻烦查下水饺', stock('水饺')],
  ['水饺剩多少', stock('水饺')],
  ['可乐现在还有多少瓶', stock('可乐')],
  ['查 可乐', stock('可乐')],
  ['库存 七喜', stock('七喜')],
  ['库存 三全水饺', stock('三全水饺')],
  ['库存 五粮液', stock('五粮液')],
  ['库存 百事可乐', stock('百事可乐')],
  ['库存 六个核桃', stock('六个核桃')],
  ['库存 可乐 330ml', stock('可乐 330ml')],
  ['库存 可乐330ml', stock('可乐330ml')],
  ['可乐还有5箱吗', stock('可乐')],
  ['库存', stock('')],
  ['庫存 紅牛', stock('紅牛')],
  ['看看可乐', stock('可乐')],
  ['农夫山泉还有几瓶？', stock('农夫山泉')],
  ['红牛库存多少', stock('红牛')],
  ['请帮我查一下静安店的牛奶库存，谢谢', stock('牛奶', '静安店')],
  ['库存 KSF-HSNR', stock('KSF-HSNR')],
  ['退热贴 库存', stock('退热贴')],
  ['库存 可乐 雪碧', stock('可乐 雪碧')],
  // Stock, English and mixed
  ['stock redbull', stock('redbull')],
  ['Stock Red Bull', stock('Red Bull')],
  ['how many noodles left', stock('noodles')],
  ['how many cases of cola do we have', stock('cola')],
  ['inventory milk', stock('milk')],
  ['cola stock?', stock('cola')],
  ['redbull left?', stock('redbull')],
  ['any water in stock', stock('water')],
  ['do we have any cola left in central?', stock('cola', 'central')],
  ['what is the stock of instant noodles', stock('instant noodles')],
  ['check dumplings', stock('dumplings')],
  ['stock coca-cola', stock('coca-cola')],
  ['stock RB-250', stock('RB-250')],
  ['stock: cola', stock('cola')],
  ['how much milk is left', stock('milk')],
  ['库存 redbull', stock('redbull')],
  ['stock 红牛', stock('红牛')],
  ['redbull还有多少', stock('redbull')],
  ['红牛 stock?', stock('红牛')],
  // Stock with a warehouse
  ['库存 可乐 @浦东店', stock('可乐', '浦东店')],
  ['库存 可乐 @ 浦东店', stock('可乐', '浦东店')],
  ['@浦东店 库存 可乐', stock('可乐', '浦东店')],
  ['可乐 在浦东店', stock('可乐', '浦东店')],
  ['红牛在徐汇店还有多少', stock('红牛', '徐汇店')],
  ['在徐汇店红牛还有多少', stock('红牛', '徐汇店')],
  ['徐汇店的可乐还有多少', stock('可乐', '徐汇店')],
  ['浦东店红牛还有多少', stock('红牛', '浦东店')],
  ['徐汇店 库存 可乐', stock('可乐', '徐汇店')],
  ['库存 可乐 徐汇店', stock('可乐', '徐汇店')],
  ['冷库 水饺还有多少', stock('水饺', '冷库')],
  ['库存 面包店', stock('面包店')],
  ['stock cola in central', stock('cola', 'central')],
  ['stock cola at central', stock('cola', 'central')],
  ['stock red bull @central', stock('red bull', 'central')],
  ['how many noodles left in pudong store', stock('noodles', 'pudong store')],
  ['stock cola @CENTRAL', stock('cola', 'CENTRAL')],
  // A name that ends in a marker word is still the whole name, so the reply can echo it: 没有叫「不存在」的仓库。
  ['库存 可乐 @不存在', stock('可乐', '不存在')],
  ['库存 @STORE-XH 可乐', stock('可乐', 'STORE-XH')],
  ['how many red bull do we have at STORE-XH', stock('red bull', 'STORE-XH')],
  ['Stock cola @徐汇店 please', stock('cola', '徐汇店')],
  ['库存 @徐汇店', stock('', '徐汇店')],
  ['可乐 @徐汇店', stock('可乐', '徐汇店')],
  // Barcodes
  ['6901234567890', barcode('6901234567890')],
  [' 6901234567890 ', barcode('6901234567890')],
  ['69012345', barcode('69012345')],
  ['012345678905', barcode('012345678905')],
  ['查 6900000001011', barcode('6900000001011')],
  ['查6900000001011', barcode('6900000001011')],
  ['库存 6900000001011', barcode('6900000001011')],
  ['stock 6900000001011', barcode('6900000001011')],
  ['条码 6900000001011', barcode('6900000001011')],
  ['6900000001011 还有多少', barcode('6900000001011')],
  ['查 6900000001011 @徐汇店', barcode('6900000001011', '徐汇店')],
  ['６９０００００００１０１１', barcode('6900000001011')],
  ['1234567', unknown('1234567')],
  ['690123456789012345', unknown('690123456789012345')],
  // Returns, Chinese
  ['退货 可乐330ml 五箱 临期 客户张三', ret('可乐330ml', { ...qty('5', '箱'), reason: 'near_expiry', customer: '张三' })],
  ['退货 可乐330ml 5箱 临期 客户张三', ret('可乐330ml', { ...qty('5', '箱'), reason: 'near_expiry', customer: '张三' })],
  ['退货 可乐 5 箱 过期', ret('可乐', { ...qty('5', '箱'), reason: 'expired' })],
  ['退货5箱可乐临期', ret('可乐', { ...qty('5', '箱'), reason: 'near_expiry' })],
  ['退货 可乐', ret('可乐')],
  ['退货', ret('')],
  ['退货 可乐 5', ret('可乐', qty('5'))],
  ['退货 可乐 五 临期', ret('可乐', { ...qty('5'), reason: 'near_expiry' })],
  ['退回 红牛 两箱 过期', ret('红牛', { ...qty('2', '箱'), reason: 'expired' })],
  ['退货 红牛 两罐 坏了', ret('红牛', { ...qty('2', '罐'), reason: 'damaged' })],
  ['客户退回 红牛 3罐 漏了 客户：李四', ret('红牛', { ...qty('3', '罐'), reason: 'damaged', customer: '李四' })],
  ['退货 牛奶 2提 变质 顾客李四 @徐汇店', ret('牛奶', { ...qty('2', '提'), reason: 'quality', customer: '李四', warehouse: '徐汇店' })],
  ['退货 可乐 5箱 包装不好看', ret('可乐', { ...qty('5', '箱'), reasonText: '包装不好看' })],
  ['可乐 退货 2箱 包装破了', ret('可乐', { ...qty('2', '箱'), reason: 'damaged', reasonText: '包装破了' })],
  ['退货 六个核桃 2箱 客户说快过期了', ret('六个核桃', { ...qty('2', '箱'), reason: 'near_expiry', reasonText: '客户说快过期了' })],
  ['退货 三只松鼠 三袋', ret('三只松鼠', qty('3', '袋'))],
  ['退货 可乐 六个', ret('可乐', qty('6', '个'))],
  ['退货 饺子 1箱半 胀袋', ret('饺子', { ...qty('1.5', '箱'), reason: 'damaged' })],
  ['退货 饺子 一箱半 胀袋', ret('饺子', { ...qty('1.5', '箱'), reason: 'damaged' })],
  ['退货 饺子 半箱 压坏了', ret('饺子', { ...qty('0.5', '箱'), reason: 'damaged' })],
  ['退货 可乐 十二罐 质量问题', ret('可乐', { ...qty('12', '罐'), reason: 'quality' })],
  ['退货 水饺 一百零五袋 胀袋', ret('水饺', { ...qty('105', '袋'), reason: 'damaged' })],
  ['退货 可乐 二十五罐', ret('可乐', qty('25', '罐'))],
  ['退货 可乐 2.5箱 临期', ret('可乐', { ...qty('2.5', '箱'), reason: 'near_expiry' })],
  ['退货 可乐 x5 发错了', ret('可乐', { ...qty('5'), reason: 'wrong_item' })],
  ['退货 可乐 ×3 错发', ret('可乐', { ...qty('3'), reason: 'wrong_item' })],
  ['退货 6900000001028 3箱 过期', ret('6900000001028', { ...qty('3', '箱'), reason: 'expired' })],
  ['客户张三退回5箱可乐，临期', ret('可乐', { ...qty('5', '箱'), reason: 'near_expiry', customer: '张三' })],
  ['张三退回可乐5箱', ret('可乐', { ...qty('5', '箱'), customer: '张三' })],
  ['浦东店退回可乐5箱', ret('可乐', { ...qty('5', '箱'), warehouse: '浦东店' })],
  ['退货 牛奶 3盒 发霉 客户 王五', ret('牛奶', { ...qty('3', '盒'), reason: 'quality', customer: '王五' })],
  ['退货 水 10瓶 送错了', ret('水', { ...qty('10', '瓶'), reason: 'wrong_item' })],
  ['退货 可乐 5箱 已过期 客户是张三', ret('可乐', { ...qty('5', '箱'), reason: 'expired', customer: '张三' })],
  ['退货 可乐 5箱 临期 在徐汇店', ret('可乐', { ...qty('5', '箱'), reason: 'near_expiry', warehouse: '徐汇店' })],
  ['退貨 可樂 5箱 過期', ret('可樂', { ...qty('5', '箱'), reason: 'expired' })],
  ['退货 可乐 0箱', ret('可乐', qty('0', '箱'))],
  ['退 可乐 5箱', ret('可乐', qty('5', '箱'))],
  ['退5箱可乐', ret('可乐', qty('5', '箱'))],
  ['我要退货 可乐 3箱', ret('可乐', qty('3', '箱'))],
  ['退货 RB-250 2箱 临期', ret('RB-250', { ...qty('2', '箱'), reason: 'near_expiry' })],
  ['退货 饺子 2袋 化了', ret('饺子', { ...qty('2', '袋'), reasonText: '化了' })],
  ['退货：可乐，5箱，临期，客户张三', ret('可乐', { ...qty('5', '箱'), reason: 'near_expiry', customer: '张三' })],
  ['客户李四退了两箱牛奶 变质了', ret('牛奶', { ...qty('2', '箱'), reason: 'quality', customer: '李四' })],
  // Returns, English and mixed
  ['return cola 5 cases expired', ret('cola', { ...qty('5', 'cases'), reason: 'expired' })],
  ['return cola five cases expired', ret('cola', { ...qty('5', 'cases'), reason: 'expired' })],
  ['return 5 cases of cola, expired, customer Zhang San', ret('cola', { ...qty('5', 'cases'), reason: 'expired', customer: 'Zhang San' })],
  ['return 2 cans of redbull leaking customer Wang', ret('redbull', { ...qty('2', 'cans'), reason: 'damaged', customer: 'Wang' })],
  ['return water 10 bottles wrong item from Li', ret('water', { ...qty('10', 'bottles'), reason: 'wrong_item', customer: 'Li' })],
  ['return a case of coke damaged', ret('coke', { ...qty('1', 'case'), reason: 'damaged' })],
  ['returned milk 12 pcs near expiry', ret('milk', { ...qty('12', 'pcs'), reason: 'near_expiry' })],
  ['return dumplings 3 bags defective', ret('dumplings', { ...qty('3', 'bags'), reason: 'quality' })],
  ['customer return: cola 2 ctn broken', ret('cola', { ...qty('2', 'ctn'), reason: 'damaged' })],
  ['return cola 3 x expired', ret('cola', { ...qty('3'), reason: 'expired' })],
  ['return coke 24 cans dented customer: Wu', ret('coke', { ...qty('24', 'cans'), reason: 'damaged', customer: 'Wu' })],
  ['Return Cola 5 Cases Expired', ret('Cola', { ...qty('5', 'Cases'), reason: 'expired' })],
  ['return cola 5cases out of date', ret('cola', { ...qty('5', 'cases'), reason: 'expired' })],
  ['return cola 5 cases customer said it tastes odd', ret('cola', { ...qty('5', 'cases'), reasonText: 'customer said it tastes odd' })],
  ['return instant noodles twelve packs expiring soon', ret('instant noodles', { ...qty('12', 'packs'), reason: 'near_expiry' })],
  ['退货 cola 5 cases expired', ret('cola', { ...qty('5', 'cases'), reason: 'expired' })],
  ['return 可乐 5箱 临期', ret('可乐', { ...qty('5', '箱'), reason: 'near_expiry' })],
  ['return 红牛 两箱 破损 客户张三', ret('红牛', { ...qty('2', '箱'), reason: 'damaged', customer: '张三' })],
  // Documents
  ['tr-20261125-0007', doc('TR-20261125-0007')],
  ['TR-20261125-0007', doc('TR-20261125-0007')],
  ['单号 IS-20261125-0001', doc('IS-20261125-0001')],
  ['单号：tr-20261125-0007', doc('TR-20261125-0007')],
  ['单号tr-20261125-0007', doc('TR-20261125-0007')],
  ['TR202611250007', doc('TR-20261125-0007')],
  ['tr 20261125 0007', doc('TR-20261125-0007')],
  ['tr_20261125_0007', doc('TR-20261125-0007')],
  ['CR-20261125-0012 到哪了', doc('CR-20261125-0012')],
  ['查单 ST-20261125-0003', doc('ST-20261125-0003')],
  ['TR-20261125-0007？', doc('TR-20261125-0007')],
  ['status of RC-20261125-0002', doc('RC-20261125-0002')],
  ['退货单 CR-20261125-0001', doc('CR-20261125-0001')],
  ['ＴＲ－２０２６１１２５－０００７', doc('TR-20261125-0007')],
  ['TR-20261125-12345', doc('TR-20261125-12345')],
  ['XTR-20261125-0007', bare('XTR-20261125-0007')],
  // Pending approvals
  ['待审批', pending],
  ['我的待审批', pending],
  ['待审核', pending],
  ['有什么要我审批的', pending],
  ['pending', pending],
  ['Pending approvals', pending],
  ['my approvals', pending],
  ['pendng', pending],
  // Low stock
  ['低库存', lowStock()],
  ['low stock', lowStock()],
  ['low-stock', lowStock()],
  ['LOW STOCK', lowStock()],
  ['低库存 @徐汇店', lowStock('徐汇店')],
  ['浦东店低库存', lowStock('浦东店')],
  ['low stock in central', lowStock('central')],
  ['哪些商品缺货', lowStock()],
  ['库存不足', lowStock()],
  ['冷库 低库存', lowStock('冷库')],
  ['what is running low', lowStock()],
  // Bind
  ['绑定 123456', { intent: 'bind', code: '123456' }],
  ['绑定123456', { intent: 'bind', code: '123456' }],
  ['bind 654321', { intent: 'bind', code: '654321' }],
  ['绑定码：123456', { intent: 'bind', code: '123456' }],
  ['绑定 １２３４５６', { intent: 'bind', code: '123456' }],
  ['绑定 12345', unknown('绑定 12345')],
  // Decisions typed (a WeCom card cannot take a reject reason): the word opens the message
  [`批准 ${PO}`, approve([PO])],
  [`同意 ${PO}`, approve([PO])],
  [`通过 ${PO}`, approve([PO])],
  [`approve ${PO}`, approve([PO])],
  [`Approve po-20261125-0012`, approve([PO])],
  [`批准${PO}`, approve([PO])],
  [`审批通过 ${PO}`, approve([PO])],
  [`批准 ${PO} 没问题`, approve([PO], '没问题')],
  [`@_user_1 批准 ${PO}`, approve([PO])],
  [`驳回 ${PO} 价格太高`, reject([PO], '价格太高')],
  [`驳回${PO}价格太高`, reject([PO], '价格太高')],
  [`拒绝 ${PO} 原因：数量太大`, reject([PO], '数量太大')],
  [`拒绝 ${PO}，理由是数量太大。`, reject([PO], '数量太大')],
  [`不同意 ${PO} 供应商不对`, reject([PO], '供应商不对')],
  [`不同意 ${PO}`, reject([PO])],
  [`reject ${PO} too expensive`, reject([PO], 'too expensive')],
  [`reject ${PO} reason: the price is too high`, reject([PO], 'the price is too high')],
  [`驳回 ${PO}`, reject([PO])],
  [`驳回 ${PO} 原因`, reject([PO])],
  [`驳回 单号 ${PO} 价格太高`, reject([PO], '价格太高')],
  [`驳回 价格太高 ${PO}`, reject([PO], '价格太高')],
  [`驳回 ${PO} 库存不够了`, reject([PO], '库存不够了')],
  [`驳回 ${PO} 退货数量不对`, reject([PO], '退货数量不对')],
  [`批准 ${PO} IS-20261125-0003`, approve([PO, 'IS-20261125-0003'])],
  [`批准 ${PO} ${PO}`, approve([PO])],
  ['批准', approve([])],
  ['驳回 价格太高', reject([], '价格太高')],
  ['批准 123', approve([], '123')],
  // … and only there: a bare number is the document, a 驳回 or 同意 elsewhere is a plain word
  [PO, doc(PO)],
  [`${PO} 批准`, doc(PO)],
  [`单号 ${PO} 驳回了吗`, doc(PO)],
  ['退货 可乐 5箱 驳回', ret('可乐', { ...qty('5', '箱'), reasonText: '驳回' })],
  ['退货 可乐 5箱 客户不同意', ret('可乐', { ...qty('5', '箱'), customer: '不同意' })],
  ['可乐 退货 2箱 通过快递', ret('可乐', { ...qty('2', '箱'), reasonText: '通过快递' })],
  ['同意书 库存', stock('同意书')],
  ['驳回原因', bare('驳回原因')],
  ['审批', pending],
  // Binding a group to a warehouse (not the six-digit account code)
  ['绑定本群', bindGroup],
  ['绑定群', bindGroup],
  ['绑定 本群', bindGroup],
  ['把这个群绑定到仓库', bindGroup],
  ['请把本群绑定到仓库', bindGroup],
  ['bind this group', bindGroup],
  ['Bind this group to a warehouse', bindGroup],
  ['@_user_1 绑定本群', bindGroup],
  // Help
  ['帮助', help],
  ['help', help],
  ['HELP', help],
  ['?', help],
  ['？', help],
  ['??', help],
  ['怎么用', help],
  ['菜单', help],
  ['你好', help],
  ['hi', help],
  ['hlep', help],
  ['help me', help],
  // Mentions, full width, typos
  ['@_user_1 库存 可乐', stock('可乐')],
  ['@_user_1 退货 可乐 5箱 临期', ret('可乐', { ...qty('5', '箱'), reason: 'near_expiry' })],
  ['@_user_12 @_user_3 待审批', pending],
  ['ｓｔｏｃｋ　可乐', stock('可乐')],
  ['ｒｅｔｕｒｎ　ｃｏｌａ　５　ｃａｓｅｓ　ｅｘｐｉｒｅｄ', ret('cola', { ...qty('5', 'cases'), reason: 'expired' })],
  ['退货 可乐 ５箱 临期', ret('可乐', { ...qty('5', '箱'), reason: 'near_expiry' })],
  ['＠浦东店　库存　可乐', stock('可乐', '浦东店')],
  ['stok redbull', stock('redbull')],
  ['stcok cola', stock('cola')],
  ['sotck cola', stock('cola')],
  ['库纯 红牛', stock('红牛')],
  ['retrun cola 2 cases broken', ret('cola', { ...qty('2', 'cases'), reason: 'damaged' })],
  ['retun cola 2 cases', ret('cola', qty('2', 'cases'))],
  ['库\u200b存 可乐', stock('可乐')],
  ['stock\u200bcola', stock('cola')],
  // Everything else: a short help, never silence (a bare reference that matches no item gets it too)
  ['好的', unknown('好的')],
  ['谢谢', unknown('谢谢')],
  ['红牛?', bare('红牛')],
  ['可乐', bare('可乐')],
  ['', unknown('')],
  ['   ', unknown('')],
  ['@_user_1', unknown('')],
  ['123', unknown('123')],
  ['🙂🙂', unknown('🙂🙂')],
  ["'; drop table items; --", bare('drop table')],
  ['单号', unknown('单号')],
  ['可乐多少钱', unknown('可乐多少钱')],
  ['早上好', unknown('早上好')],
  ['绑定', unknown('绑定')],
];

describe('understand', () => {
  it('covers at least 150 phrasings', () => {
    expect(table.length).toBeGreaterThanOrEqual(150);
    expect(new Set(table.map(([text]) => text)).size).toBe(table.length);
  });

  it.each(table)('%j', (text, expected) => {
    const intent = understand(text);
    expect(intent).toEqual(expected);
    expect(intentSchema.safeParse(intent).success).toBe(true);
  });
});

// The lexicon read back: each word, in a plain sentence, does what its table says (no word is
// shadowed by a longer phrase, a unit or a numeral).
describe('every lexicon word does its job', () => {
  const { triggerWords: t } = lexicon;
  it.each(t.stock.map((w) => [w]))('stock: %s 红牛', (w) => {
    expect(understand(`${w} 红牛`)).toEqual(stock('红牛'));
  });
  it.each(t.return.map((w) => [w]))('return: %s 可乐 5箱', (w) => {
    expect(understand(`${w} 可乐 5箱`)).toEqual(ret('可乐', qty('5', '箱')));
  });
  it.each(t.document.map((w) => [w]))('document: %s TR-20261125-0007', (w) => {
    expect(understand(`${w} TR-20261125-0007`)).toEqual(doc('TR-20261125-0007'));
  });
  it.each([
    ...t.pending_approvals.map((w) => [w, pending] as const),
    ...t.low_stock.map((w) => [w, lowStock()] as const),
    ...t.help.map((w) => [w, help] as const),
  ])('alone: %s', (w, expected) => {
    expect(understand(w)).toEqual(expected);
  });
  it.each(t.bind.map((w) => [w]))('bind: %s 123456', (w) => {
    expect(understand(`${w} 123456`)).toEqual({ intent: 'bind', code: '123456' });
  });
  it.each(t.bind_group.map((w) => [w]))('bind a group: %s', (w) => {
    expect(understand(w)).toEqual(bindGroup);
  });
  it.each(Object.entries(lexicon.decisionWords).flatMap(([decision, words]) => words.map((w) => [w, decision])))('decision: %s PO-… → %s', (w, decision) => {
    expect(understand(`${w} ${PO} 价格太高`)).toEqual({ intent: 'decide', decision, numbers: [PO], reason: '价格太高' });
    expect(understand(`${w}`)).toEqual({ intent: 'decide', decision, numbers: [] });
    // Anywhere but first, a plain word.
    expect(understand(`退货 可乐 5箱 ${w}`)).toMatchObject({ intent: 'return', item: '可乐' });
  });
  it.each(lexicon.decisionReasonMarkers.map((w) => [w]))('reason marker: 驳回 PO-… %s 价格太高', (w) => {
    expect(understand(`驳回 ${PO} ${w} 价格太高`)).toEqual(reject([PO], '价格太高'));
  });
  it.each(Object.entries(lexicon.reasonWords).flatMap(([reason, words]) => words.map((w) => [w, reason])))('reason: %s → %s', (w, reason) => {
    expect(understand(`退货 可乐 5箱 ${w}`)).toMatchObject({ intent: 'return', item: '可乐', reason });
  });
  it.each([...lexicon.countUnits.container, ...lexicon.countUnits.classifier, ...lexicon.countUnits.english].map((u) => [u]))('unit: 3%s', (u) => {
    expect(understand(`退货 可乐 3${u} 临期`)).toEqual(ret('可乐', { ...qty('3', u), reason: 'near_expiry' }));
    expect(understand(`return cola 3 ${u} expired`)).toEqual(ret('cola', { ...qty('3', u), reason: 'expired' }));
  });
  it.each(lexicon.measureUnits.map((u) => [u]))('size: 330%s stays in the name', (u) => {
    expect(understand(`退货 可乐330${u} 2箱`)).toEqual(ret(`可乐330${u}`, qty('2', '箱')));
  });
  it.each(lexicon.englishNumbers.map((w, n) => [w, String(n)]))('number: %s cases', (w, n) => {
    expect(understand(`return cola ${w} cases`)).toEqual(ret('cola', qty(n, 'cases')));
  });
});

describe('help texts', () => {
  it('offers three commands, each of which the bot understands', () => {
    expect(HELP_COMMANDS).toHaveLength(3);
    expect(HELP_COMMANDS.map((c) => understand(c.example).intent)).toEqual(['stock', 'return', 'document']);
  });

  it('the full help lists every command and its examples are understood', () => {
    for (const example of ['待审批', '低库存 @徐汇店', '绑定 123456', `批准 ${PO}`, `驳回 ${PO} 价格太高`, '绑定本群']) {
      expect(FULL_HELP_TEXT).toContain(example);
      expect(understand(example).intent).not.toBe('unknown');
    }
  });

  it('the fallback quotes what was typed, cut short, and shows the three commands', () => {
    const text = fallbackHelpText('x'.repeat(100));
    expect(text).toContain(`「${'x'.repeat(40)}…」`);
    for (const c of HELP_COMMANDS) expect(text).toContain(c.example);
    expect(fallbackHelpText('')).not.toContain('没看懂');
  });
});
