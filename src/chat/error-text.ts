import { documentStatusName, documentTypeName, formatTime, roleName, warehouseLabel } from '../../cards/format';
import { DomainError, InsufficientStockError, ValidationError, type ErrorCode, type FieldIssue, type Shortage } from '../errors';

const labels: Record<ErrorCode, string> = {
  forbidden: '没有权限',
  not_found: '找不到',
  conflict: '操作未执行',
  insufficient_stock: '库存不足，未执行',
  invalid_request: '请检查输入',
  unauthorized: '未登录',
  unprocessable: '未执行',
  bom_cycle: '物料清单有循环，未保存',
  over_order: '超出订单，未执行',
};

/**
 * The one place a service refusal becomes words in a chat: short, Chinese, no codes or traces.
 * The domain says why (`reason`) and about what (`facts`); the wording is here, with times in the
 * organisation's zone. Shortages, what was not found and field problems are derived from the
 * error's own data; anything unknown is the label and the API's message. A refusal (no right, not
 * done, short of stock) keeps its label in front; what was not found and what to fix in the input
 * are said as a whole sentence.
 */
export function chatErrorText(err: DomainError, timezone: string): string {
  const said = worded(err, timezone);
  if (!said) return `${labels[err.code]}：${err.message}`;
  return err.code === 'not_found' || err.code === 'invalid_request' ? said : `${labels[err.code]}：${said}`;
}

function worded(err: DomainError, tz: string): string | undefined {
  if (err.reason) return reasonText(err.reason, err.facts ?? {}, tz);
  if (err instanceof InsufficientStockError) return err.shortages.map((s) => shortageText(s, err.items?.get(s.sku))).join('；');
  if (err instanceof ValidationError) return issuesText(err.issues, tz);
  if (err.code === 'not_found') return notFoundText(err.details as { entity?: string; key?: string } | undefined);
  return undefined;
}

/** Field problems: each in its own words where the domain named a reason; chat's own checks are Chinese already. */
function issuesText(issues: FieldIssue[], tz: string): string | undefined {
  const texts = issues.map((i) => (i.reason ? reasonText(i.reason, i.facts ?? {}, tz) : hasHan(i.message) ? i.message : undefined));
  return texts.every((t) => t !== undefined) ? texts.join('；') : undefined;
}

type Facts = Readonly<Record<string, unknown>>;

const verbNames: Record<string, string> = {
  submit: '提交', post: '过账', ship: '发货', receive: '收货', cancel: '取消', reverse: '冲销', qc: '质检', complete: '完工',
  report_work: '报工', fulfil: '发货', adjust: '改数量', approve: '批准', reject: '驳回', create: '开单', post_count: '过账', alert: '处理提醒', admin: '管理',
};
const verb = (v: unknown) => verbNames[String(v)] ?? '这样操作';
const item = (f: Facts) => (f.name ? `${String(f.name)}（${String(f.sku)}）` : String(f.sku ?? ''));
const where = (w: unknown) => (w && typeof w === 'object' ? warehouseLabel(w as { code: string; name?: string }) : String(w ?? ''));
const roles = (rs: unknown) => (Array.isArray(rs) ? rs.map((r) => roleName(String(r))) : []);

/** What an admin-only task is called, for "只有管理员可以…". */
const adminTasks: Record<string, string> = {
  bind_chat: '把群绑定到仓库', items: '维护商品', warehouses: '维护仓库', reorder_rules: '设置安全库存', approval_rules: '设置审批规则',
  users: '管理人员和账号', keys: '管理 API 密钥', service_levels: '设置时限', imports: '导入主数据', close: '做成本结转',
};

/** Each reason a service gives, in the words a person in a work chat needs. */
const reasons: Record<string, (f: Facts, tz: string) => string> = {
  wrong_status: (f) => f.verb === 'receive' && ['draft', 'submitted', 'approved', 'awaiting_approval'].includes(String(f.status))
    ? `${f.number} 还没有发货（现在是「${documentStatusName(String(f.status))}」），不能收货`
    : `${f.number} 现在是「${documentStatusName(String(f.status))}」，不能${verb(f.verb)}`,
  wrong_type: (f) => `${f.number} 是${documentTypeName(String(f.type))}，不是${documentTypeName(String(f.expected))}，不能${verb(f.verb)}`,
  needs_approval: (f) => `${f.number} 需要先审批：请先提交审批，批准后再操作`,
  post_a_transfer: (f) => `${f.number} 是调拨单，要先发货、再收货，不能直接过账`,
  no_such_line: (f) => `这张单上没有第 ${f.line} 行`,
  qty_out_of_range: (f) => f.what === 'received'
    ? `${f.sku} 的收货数量要在 0 到发货的 ${f.max} 之间，你填的是 ${f.given}`
    : `${f.sku} 的合格数量要在 0 到 ${f.max} 之间，你填的是 ${f.given}`,
  not_a_person: (f) => (f.verb === 'approve' || f.verb === 'reject' ? '审批要由本人用自己的账号来做' : '这个操作要由本人用自己的账号来做'),
  own_document: (f) => `${f.number} 是你自己提交的单据，要由别人审批，你不能${verb(f.verb)}`,
  decided_a_level: (f) => (f.decided
    ? `${f.number} 的第 ${f.decided} 级你已经审批过了，第 ${f.level} 级要由别人审批`
    : `${f.number} 的前一级你已经审批过了，第 ${f.level} 级要由别人审批`),
  not_your_level: (f) => {
    const who = [roles(f.roles).join('或'), (Array.isArray(f.names) ? f.names : []).join('、')].filter(Boolean).join('或') || '指定的人';
    return `${f.number} 正在等第 ${f.level}/${f.levels} 级审批，要由${who}审批，你不能${verb(f.verb)}`;
  },
  no_approval_waiting: (f) => `${f.number} 现在是「${documentStatusName(String(f.status))}」，没有等待审批，不能${verb(f.verb)}`,
  already_decided: (f, tz) =>
    `${f.number} 第 ${f.level} 级已由 ${f.by ?? '别人'} 在 ${formatTime(String(f.at), tz)} ${f.decision === 'rejected' ? '驳回' : '批准'}，不用再处理`,
  return_of_wrong_type: (f) =>
    `${f.number} 是${documentTypeName(String(f.type))}，${documentTypeName(String(f.returnType))}只能对应已过账的${documentTypeName(String(f.wanted))}`,
  return_of_not_posted: (f) => `${f.number} ${f.reversed ? '已经冲销' : `现在是「${documentStatusName(String(f.status))}」`}，不能再退货`,
  not_on_original: (f) => `${f.number} 上没有商品 ${f.sku}，不能退`,
  return_beyond: (f) => `${f.number} 上的 ${f.sku} 最多还能退 ${f.returnable}，不能退 ${f.requested}`,
  return_lot_missing: (f) => `${f.sku} 按批次管理，这张退货单没写批次，不能在聊天里质检，请在系统里补上批次`,
  lot_expiry_clash: (f) => `${f.sku} 的批次 ${f.lot} 已登记的到期日是 ${f.expiresOn ?? '无'}，和这张单写的不一样，请核对批次和到期日`,
  not_lot_tracked: (f) => `${item(f)}不按批次管理，不用写批次`,
  lot_required: (f) => `${item(f)}按批次管理，要写明批次，请在系统里录入这张单`,
  counted_twice: (f) => `${item(f)}盘点了两次`,
  not_your_warehouse: (f) => `你不负责仓库 ${where(f.warehouse)}，不能${verb(f.action)}`,
  not_allowed: (f) => {
    if (f.action === 'admin') return `只有管理员可以${adminTasks[String(f.what)] ?? '这样做'}`;
    const at = roles(f.atRoles);
    const who = [
      ...(f.creator ? ['开单人（草稿、已提交或被驳回时）'] : []),
      ...(at.length ? [`${f.warehouse ? ` ${where(f.warehouse)} 的` : ''}${at.join('或')}`] : []),
      ...roles(f.everywhere),
    ];
    return `${verb(f.action)}要由${who.slice(0, -1).join('、')}${who.length > 1 ? '或' : ''}${who[who.length - 1]}来做`;
  },
  bind_code_invalid: () => '这个绑定码无效或已过期，请找管理员重新生成',
  identity_taken: () => '这个聊天账号已经绑定过了',
  alert_handled: (f, tz) => {
    const at = f.at ? `在 ${formatTime(String(f.at), tz)} ` : '';
    if (f.status === 'resolved') return `库存已恢复，这条提醒已${at}关闭`;
    if (f.status === 'snoozed') return `${f.by ?? '有人'} 已经设为稍后提醒${f.until ? `，${formatTime(String(f.until), tz)} 再提醒` : ''}`;
    return `${f.by ?? '有人'} 已${at}确认了这条提醒`;
  },
  not_your_draft: () => '只有报退货的人可以确认或取消',
  not_your_work_report: () => '只有报工的人可以确认或取消',
  not_your_chat_draft: () => '只有发这条消息的人可以确认或取消',
  chat_draft_decided: (f, tz) => `这张卡片已${f.at ? `在 ${formatTime(String(f.at), tz)} ` : ''}${f.status === 'confirmed' ? '确认' : '取消'}了，不会重复提交`,
  work_report_decided: (f, tz) => `这条报工已${f.at ? `在 ${formatTime(String(f.at), tz)} ` : ''}${f.status === 'confirmed' ? '确认登记' : '取消'}了，不会重复记录`,
  unknown_operation: (f) => (Array.isArray(f.operations) && f.operations.length
    ? `${f.number} 没有工序「${f.operation}」，它的工序有：${f.operations.join('、')}（或用 @工作中心 写明在哪做的）`
    : `${f.number} 没有工序，请用 @工作中心 写明在哪做的，例如：报工 ${f.number} ${f.operation} @PACK 2小时`),
  nothing_reported: (f) => `报了多少？写上工时或数量，例如：报工 ${f.number} 包装 2小时 合格200`,
  no_bom: (f) => `${item(f)}还没有物料清单（BOM），请先维护 BOM，或在生产单上列出用料`,
  bom_cycle: (f) => `物料清单有循环：${Array.isArray(f.path) ? f.path.join(' → ') : f.sku}`,
  period_closed: (f) => `${f.period} 的成本已经结转，要先反结转（重新打开）才能${f.what === 'completing production in it' ? '在这个月完工' : f.what === 'reversing a completion of it' ? '冲销这个月的完工' : f.what === 'changing its pools' ? '修改费用' : '再结转'}`,
  period_not_closed: (f) => `${f.period} 的成本还没有结转`,
  nothing_to_reverse: (f) => `${f.number} 没有可以冲销的完工`,
  reopen_period: (f) => `${f.number} 是成本结转的调整单，要冲销请重新打开那个月的成本期间`,
  pool_no_base: (f) => `费用「${f.pool}」没有可分摊的对象：这个月没有生产单有这项分摊标准`,
  pool_negative: (f) => `费用「${f.pool}」的公式给 ${f.number} 算出了负数`,
  formula_failed: (f) => `费用「${f.pool}」的公式在 ${f.number} 上算不出来（除以零）`,
  bad_formula: (f) => `费用「${f.pool}」的公式有看不懂的符号「${f.token}」`,
  over_order: (f) => `${f.number} 上的${f.name}（${f.sku}）还剩 ${f.open}${f.unit ? ` ${f.unit}` : ''} 未完成，这次的 ${f.given}${f.unit ? ` ${f.unit}` : ''} 超出了订单`,
  order_of_wrong_type: (f) => `${f.number} 是${documentTypeName(String(f.type))}，不能用${documentTypeName(String(f.fulfilType))}来完成`,
  order_not_open: (f) => `${f.number} 现在是「${documentStatusName(String(f.status))}」，不是待执行的订单`,
  order_of_other_warehouse: (f) => `${f.number} 是别的仓库的订单`,
  nothing_open: (f) => `${f.number} 已经没有未完成的数量了`,
  no_supplier_warehouse: () => '要货要写明向哪个仓库要（调出仓库）',
  no_supplier: (f) => `${Array.isArray(f.items) ? f.items.map((i) => item(i as Facts)).join('、') : '这些商品'}还没有设置供应商，不知道向谁采购：请管理员先设置供应商`,
  nothing_to_order: (f) => (f.item ? `${item(f.item as Facts)}现在不缺货，不用${f.warehouse ? `为 ${where(f.warehouse)} ` : ''}补货` : '这周库存充足，不用要货'),
  stale_card: () => '这张卡片已经过时，请刷新后再试',
  not_your_requisition: () => '只有要货的人可以提交或取消',
  requisition_decided: (f, tz) => `这次要货已${f.at ? `在 ${formatTime(String(f.at), tz)} ` : ''}${f.status === 'confirmed' ? '提交' : '取消'}了，不会重复提交`,
  draft_decided: (f, tz) => `这条退货已${f.at ? `在 ${formatTime(String(f.at), tz)} ` : ''}${f.status === 'confirmed' ? '确认' : '取消'}了`,
};

function reasonText(reason: string, facts: Facts, tz: string): string | undefined {
  return reasons[reason]?.(facts, tz);
}

function shortageText(s: Shortage, item: { name: string; unit: string } | undefined): string {
  const what = item ? `${item.name}（${s.sku}）` : s.sku;
  const unit = item?.unit ? ` ${item.unit}` : '';
  return `仓库 ${s.warehouse} 的 ${what}${s.lot ? ` 批次 ${s.lot} ` : ''}需要 ${s.needed}${unit}，只有 ${s.available}${unit}`;
}

const entityNames: Record<string, string> = {
  document: '单据', 'work report': '报工记录', 'work center': '工作中心', bom: '物料清单', 'production order': '生产单', 'closed period': '已结转的成本期间', item: '商品', warehouse: '仓库', user: '用户', alert: '提醒', 'return report': '退货记录', 'requisition draft': '要货记录', 'pick list': '商品选择', 'api key': '密钥',
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
