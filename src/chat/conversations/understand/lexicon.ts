import type { DecisionWord, Measure, Period, ReturnReason, WorkList } from './intent';

/**
 * Every word the grammar knows, as people type it in a work chat, and what it means. Phrases
 * are matched whole (a word never matches inside a longer one) and the longest phrase at a
 * place wins, so `低库存` is low stock, not `低` + `库存`; spaces inside a phrase are optional.
 * Typos are listed as typed (`库纯`, `stok`); the first English word also gets one slip of the
 * finger for free (see `fuzzyCommands`). Adding a synonym is adding a string here.
 */
export type TriggerIntent =
  | 'stock' | 'return' | 'document' | 'pending_approvals' | 'low_stock' | 'help' | 'bind' | 'bind_group' | 'work_report' | 'unit_cost'
  | 'requisition' | 'adjust_order';

export const triggerWords: Record<TriggerIntent, readonly string[]> = {
  stock: [
    '库存', '存货', '现货', '查', '查一下', '查查', '查询', '帮我查', '帮忙查', '帮我查查', '查下', '看下', '看看', '看一下', '还有', '还剩', '剩',
    '在库', '在库多少', '现有', '库里', '手上', '还有没有', '还有吗', '有吗', '帮我查下', '帮忙查下', '帮我看下', '帮我看看', '帮忙看看', '帮忙看下', '帮我瞧瞧', '瞅瞅', '瞧瞧', '查个', '问下', '问一下',
    '剩下', '剩余', '多少', '有没有', '有货', '够不够', '够吗', '庫存', '查詢', '還有', '還剩',
    '条码', '条形码', '扫码', '库纯', '裤存', '酷存', '苦存', '库寸',
    'stock', 'stocks', 'barcode', 'inventory', 'inv', 'check', 'how many', 'how much', 'left', 'remaining', 'in stock',
    'on hand', 'do we have', 'do we still have', 'have we got', 'any', 'qty', 'quantity',
    'stok', 'stcok', 'sotck', 'stokc', 'stck',
  ],
  return: [
    '退货', '退回', '退了', '退掉', '要退', '退换', '退换货', '客户退回', '客户退货', '客户退了', '顾客退回', '顾客退货', '退貨',
    'return', 'returns', 'returned', 'returning', 'customer return', 'retrun', 'retun', 'reutrn', 'retrn',
  ],
  document: [
    '单号', '单据', '查单', '单子', '订单', '订单号', '状态', '进度', '到哪了', '到哪里了', '退货单', '调拨单', '出库单',
    '入库单', '收货单', '盘点单', '單號', 'doc', 'docs', 'document', 'order', 'no', 'number', 'status', 'where is',
  ],
  pending_approvals: [
    '待审批', '待审核', '待批', '待我审批', '我的审批', '审批', '要审批', '需要审批', '审批列表', '待審批',
    'pending', 'pending approvals', 'approvals', 'approval', 'my approvals', 'to approve',
  ],
  low_stock: [
    '低库存', '库存低', '库存不足', '库存不够', '缺货', '快没货', '快没了', '快断货', '断货', '要补货', '需要补货', '补货',
    '库存预警', '低于安全库存', '低庫存', 'low stock', 'low inventory', 'running low', 'out of stock', 'reorder',
    'restock', 'shortage', 'shortages',
  ],
  help: [
    '帮助', '说明', '用法', '怎么用', '如何使用', '使用说明', '菜单', '命令', '指令', '功能', '你能做什么', '能做什么',
    '你好', '您好', '在吗', '幫助', '?', 'help', 'help me', 'menu', 'commands', 'command', 'usage', 'how to use',
    'what can you do', 'hi', 'hello', 'hey',
  ],
  bind: ['绑定', '绑定码', '綁定', 'bind', 'bind code'],
  // A work report counts only when it opens the message (`openingWords`); this table has none.
  work_report: [],
  // A store's requisition counts only when it opens the message (`openingWords`).
  requisition: [],
  // `成本 杯面`, `cost cup noodles`: the item's latest unit cost with its parts.
  // Changing a draft order's quantities counts only when it opens the message (`openingWords`).
  adjust_order: [],
  unit_cost: ['成本', '单位成本', '成本价', '产品成本', '单位成本表', '成本多少', '成夲', 'cost', 'costs', 'unit cost', 'cost price'],
  // Binding the group itself to a warehouse (an admin, in the group): never a six-digit code (`绑定 123456` is `bind`).
  bind_group: [
    '绑定本群', '绑定群', '绑定群聊', '绑定这个群', '绑定该群', '本群绑定', '群绑定', '绑定到仓库', '绑定仓库', '群绑定仓库', '綁定本群',
    '綁定群', 'bind this group', 'bind group', 'bind this chat', 'bind chat', 'bind group chat', 'bind to warehouse',
  ],
};

/** Words that ask for something only when they open the message (`退 可乐 5箱`, not `退热贴`). */
export const openingWords: Partial<Record<TriggerIntent, readonly string[]>> = {
  return: ['退'],
  // 报工 MO-20261206-0003 包装 2小时 合格200 报废3; typed slips included.
  // 改 可乐 3箱: new quantities for the draft purchase order or requisition a card just opened.
  adjust_order: ['改', '改数量', '改成', '改为', '数量改为', '修改数量'],
  work_report: ['报工', '报工时', '报产', '报功', '抱工', '报公', '報工', 'report work', 'work report', 'report'],
  // 要货 可乐 10箱 红牛 5箱: a store asks its supplying warehouse (要货单).
  requisition: ['要货', '要貨', '叫货', '要货单', '申请要货', 'requisition', 'request stock'],
};

/**
 * What the numbers of a work report are, as a marker before or after them (`2小时`, `合格200`,
 * `机时1.5`, `2h`, `good 200`): read only inside a report, so they never change other messages.
 */
export const workReportMarkers = {
  laborHours: ['小时', '工时', '人工', '人工工时', '钟头', '个小时', 'h', 'hr', 'hrs', 'hour', 'hours', 'labor', 'labour', 'labor hours'],
  machineHours: ['机时', '机器工时', '机器', '设备工时', '机台', 'mh', 'machine', 'machine hours', 'machine hour'],
  goodQty: ['合格', '良品', '合格品', '完成', '产出', '好的', 'good', 'ok', 'done', 'pass'],
  scrapQty: ['报废', '废品', '不良', '不良品', '不合格', '次品', '废', 'scrap', 'scrapped', 'ng', 'bad', 'reject'],
} as const;

/**
 * An approver's decision, typed with the document number where a card cannot take a reason
 * (WeCom): `批准 PO-20261125-0012`, `驳回 PO-20261125-0012 价格太高`. These count only when they
 * open the message, so a 驳回 or 同意 inside a return report or a question stays a plain word;
 * the longest wins (`不同意` is a rejection).
 */
export const decisionWords: Record<DecisionWord, readonly string[]> = {
  approve: ['批准', '同意', '通过', '审批通过', '核准', '准了', '批了', 'approve', 'approved', 'accept'],
  reject: [
    '驳回', '拒绝', '不同意', '不批准', '不通过', '否决', '打回', '駁回', '拒絕', 'reject', 'rejected', 'decline', 'deny',
  ],
};

/** Words that introduce a decision's reason (`驳回 PO-… 原因：价格太高`); dropped from the reason. */
export const decisionReasonMarkers = ['原因', '原因是', '理由', '理由是', '因为', 'reason', 'reason is', 'because', 'comment'];

/** Question words that take a unit along: 还剩几箱, 多少瓶, how many cases. */
export const unitQuestions = ['几', '多少', 'how many', 'how much'];

/**
 * Return reasons. 过期 is past its date, 临期 close to it (the shop can still sell it
 * cheaply), which is why they are two classes in the statistics.
 */
export const reasonWords: Record<Exclude<ReturnReason, 'other'>, readonly string[]> = {
  expired: [
    '过期', '已过期', '过期了', '超期', '过了保质期', '过保', '保质期过了', '过保质期', '過期',
    'expired', 'expiry', 'out of date', 'past date', 'past expiry', 'outdated',
  ],
  near_expiry: [
    '临期', '快过期', '快过期了', '快到期', '即将过期', '近效期', '临近保质期', '快过保', '臨期',
    'near expiry', 'nearly expired', 'almost expired', 'expiring', 'expiring soon', 'short dated', 'close to expiry',
  ],
  damaged: [
    '破损', '破了', '破包', '坏了', '坏', '损坏', '压坏', '压扁', '压坏了', '漏', '漏了', '漏液', '漏气', '胀袋', '胀包',
    '胀罐', '瘪了', '碎了', '摔坏', '划伤', '包装破损', '破損',
    'damaged', 'damage', 'broken', 'leaking', 'leak', 'leaked', 'leaks', 'crushed', 'dented', 'torn', 'smashed',
  ],
  wrong_item: [
    '错发', '发错', '发错了', '送错', '送错了', '拿错', '拿错了', '错货', '订错', '订错了', '不是这个', '錯發',
    'wrong item', 'wrong', 'wrong product', 'wrong goods', 'not ordered', 'mistake',
  ],
  quality: [
    '质量', '质量问题', '质量不好', '变质', '发霉', '霉变', '异味', '有异味', '异物', '有异物', '味道不对', '次品',
    '不合格', '品质', '質量',
    'quality', 'quality issue', 'defect', 'defective', 'spoiled', 'spoilt', 'mouldy', 'moldy', 'bad taste', 'faulty',
  ],
};

/** Words that introduce a reason in the customer's words; kept in the reason text. */
export const noteWords = ['客户说', '顾客说', '客户反映', '客户反馈', '顾客反映', '说是', 'customer said', 'customer says', 'said', 'says'];

/**
 * Slot markers. A tight marker (`@浦东店`, `客户张三`) takes the words glued to it; a loose
 * one (`in central kitchen`, `customer Zhang San`) takes words up to the next keyword.
 */
export const slotMarkers = {
  warehouse: { tight: ['@', '在'], loose: ['in', 'at'] },
  customer: { tight: ['客户', '顾客', '客人'], loose: ['customer', 'client', 'from'] },
} as const;

/** Words that carry no meaning here; dropped wherever they are. */
export const fillerWords = [
  '一下', '请问', '麻烦', '麻烦你', '帮我', '帮忙', '我想', '想知道', '知道', '告诉我', '给我', '现在',
  '目前', '当前', '一共', '总共', '数量', '情况', '商品', '东西', '哪些', '有哪些', '什么', '是多少', '谢谢', '那个',
  '这个', '我的', '我们', '这里', '这边', '本店', '我们店', '全部', '所有', '一共有', '的话',
  // Someone asking for a customer or a colleague: `有个客人要退两罐红牛`, `麻烦看看`, `帮我问问`.
  '有个客人', '有位客人', '有个顾客', '有位顾客', '有个客户', '有位客户', '有客人', '有顾客', '一个客人', '一位顾客', '客人说',
  '麻烦帮我', '麻烦帮忙', '帮我问问', '请帮我', '请帮忙', '辛苦', '你好呀', '老师',
  'please', 'pls', 'plz', 'the', 'a', 'an', 'of', 'for', 'me', 'we', 'us', 'our', 'my', 'is', 'are', 'do', 'does',
  'have', 'has', 'got', 'there', 'what', "what's", 'whats', 'which', 'show', 'tell', 'get', 'give', 'list', 'i', 'can',
  'you', 'could', 'would', 'like', 'to', 'know', 'see', 'still', 'now', 'right now', 'currently', 'items',
  'products', 'here', 'this store', 'was', 'were', 'did', 'been',
];

/**
 * Words that say a message is not about an item, so it is never read as a bare item reference
 * (`好的`, `可乐多少钱`): small talk, and prices, which the bot does not answer.
 */
export const asideWords = [
  '好的', '好滴', '收到', '嗯嗯', '早上好', '下午好', '晚上好', '晚安', '辛苦了', '没事', '没事了', '不用了', '明白', '知道了',
  '可以了', '行了', '哈哈', '哈哈哈', '再见', '拜拜',
  'thanks', 'thank you', 'thx', 'ok', 'okay', 'bye', 'lol',
];

/** Asking a price (the bot does not answer prices): an aside even glued onto the item (`可乐多少钱`). */
export const priceWords = ['多少钱', '价格', '价钱', '售价', '单价', '进价', '零售价', '贵不贵', 'price', 'prices', 'cost of'];

/** Words between several items named at once: `可乐和红牛`, `red bull and cola` (、 and ， separate them too). */
export const itemJoiners = ['和', '跟', '与', '及', 'and'];

/**
 * What the ledger counts over a period: `今天卖了多少可乐`, `上周进了多少货`, `红牛在途多少`.
 * Sold is what issues (出库) took out, received what receipts took in, in transit what was
 * shipped towards a warehouse and not yet received there.
 */
export const measureWords: Record<Measure, readonly string[]> = {
  sold: ['卖了', '卖出', '卖出去', '卖掉', '销量', '销售', '销售量', '销了', '出库', '出了', '出货', '出库了', 'sold', 'sales', 'sell'],
  received: ['进了', '进货', '入库', '入库了', '到货', '到了', '收了', '进仓', 'received', 'receipts', 'came in'],
  in_transit: ['在途', '在途中', '途中', '在路上', '路上', '还在路上', '运输中', 'in transit', 'on the way'],
};

/** Periods the ledger questions cover, in APP_TIMEZONE; weeks start on Monday. */
export const periodWords: Record<Period, readonly string[]> = {
  today: ['今天', '今日', '今儿', '今天的', 'today', "today's"],
  yesterday: ['昨天', '昨日', '昨儿', 'yesterday'],
  this_week: ['本周', '这周', '这个星期', '这星期', '这礼拜', '这个礼拜', '本星期', '这一周', 'this week'],
  last_week: ['上周', '上个星期', '上星期', '上礼拜', '上个礼拜', '上一周', 'last week'],
  this_month: ['本月', '这个月', '这月', '本月份', 'this month'],
  last_month: ['上个月', '上月', '上一个月', 'last month'],
};

/**
 * A lead's work questions. Near expiry needs no words of its own: a near-expiry reason word with no
 * return in the message (`临期`, `快过期的`) asks for the list.
 */
export const workWords: Record<Exclude<WorkList, 'near_expiry'>, readonly string[]> = {
  overdue: [
    '超期单据', '超期的单据', '超期单', '超期未处理', '逾期', '逾期单据', '逾期的单据', '逾期了', '超时', '超时单据', '超时的单据',
    '超时了', '延误', '过期单据', 'overdue', 'late documents',
  ],
  awaiting_receipt: ['待收货', '待收', '等待收货', '要收货', '该收货', '未收货', '没收货', '待入库', '收货待确认', 'to receive', 'awaiting receipt', 'incoming'],
  awaiting_qc: ['待质检', '待检', '待检验', '质检', '要质检', '待验', '待验收', '需要质检', 'qc', 'to inspect', 'awaiting qc', 'inspection'],
  digest: ['日报', '今日日报', '日报表', '每日汇总', '每日简报', '简报', '汇总', '今日汇总', 'daily digest', 'digest', 'daily report', 'summary'],
  todo: [
    '要处理', '要处理的', '需要处理', '待处理', '待办', '待办事项', '我的待办', '要做什么', '该做什么', '有什么事', '有啥要处理', '工作清单',
    '处理什么', 'todo', 'to do', 'inbox', 'my tasks', 'tasks',
  ],
};

/** Single characters dropped only at the edges of an item or a name (`还有红牛吗` → 红牛), never inside (`成都店`). */
export const particles = ['的', '了', '吗', '呢', '啊', '呀', '吧', '哈', '嘛', '哦', '么', '还', '都', '请', '有', '是', '货', '也', '就', '几', '要', '我', '问', '没'];

/** Units that count things. A Chinese numeral before a classifier (六个核桃, 三只松鼠) is a brand name unless a break follows. */
export const countUnits = {
  container: ['箱', '件', '瓶', '罐', '听', '包', '袋', '盒', '提', '桶', '板', '排', '打', '套', '双', '份', '杯', '扎', '捆', '组', '卷', '盘', '筐', '托'],
  classifier: ['个', '只', '条', '支', '根', '片', '块', '张', '粒', '对', '串'],
  english: [
    'case', 'cases', 'cs', 'ctn', 'ctns', 'carton', 'cartons', 'box', 'boxes', 'pack', 'packs', 'pk', 'pkt', 'packet',
    'packets', 'pc', 'pcs', 'piece', 'pieces', 'bottle', 'bottles', 'btl', 'can', 'cans', 'tin', 'tins', 'bag', 'bags',
    'unit', 'units', 'ea', 'each', 'tray', 'trays', 'crate', 'crates', 'pallet', 'pallets', 'roll', 'rolls', 'dozen',
    'bundle', 'bundles', 'jar', 'jars', 'cup', 'cups', 'sachet', 'sachets',
  ],
};

/** Sizes, not counts: `可乐330ml`, `水饺 1kg` stay part of the item's name. */
export const measureUnits = ['ml', 'l', 'g', 'kg', 'oz', 'lb', 'lbs', 'cm', 'mm', '毫升', '升', '克', '千克', '公斤', '斤'];

/** English number words; the index is the value. `a case` reads as one case. */
export const englishNumbers = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen',
  'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty',
];
export const oneBeforeUnit = ['a', 'an'];

/** `x5`, `×5`, `*5`: a count with no unit. */
export const timesMarks = ['x', '×', '*'];

/** How Chinese warehouse names end, so `浦东店红牛还有多少` finds the store without a marker. */
export const warehouseSuffixes = ['店', '仓', '仓库', '分店', '冷库', '总仓', '分仓'];

/** English command words forgiven one typo (`stok`, `retrun`, `hlep`) when they open the message. */
export const fuzzyCommands = ['stock', 'inventory', 'return', 'pending', 'approvals', 'help', 'bind'];
