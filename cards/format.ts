import { Decimal, toMoney } from '../src/lib/decimal';

export { daysBetween, formatDateTime, formatTime, type Instant } from '../src/lib/calendar';

/**
 * How every card writes money, quantities, names and times. Inputs are the API's decimal strings
 * and ISO times; the time zone is passed in (APP_TIMEZONE), never read from the process.
 */

/** Thousands separators on the integer part only: "12345.678" → "12,345.678". */
const group = (plain: string) => {
  const [int, frac] = plain.split('.');
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
};

/** "¥1,234.50"; a negative amount "-¥5.00". */
export function formatMoney(value: string | number): string {
  const d = toMoney(new Decimal(value));
  return `${d.isNeg() && !d.isZero() ? '-' : ''}¥${group(d.abs().toFixed(2))}`;
}

/** "12,000" or "2.5": a quantity without trailing zeros. */
export function formatQty(value: string | number): string {
  const d = new Decimal(value);
  return `${d.isNeg() && !d.isZero() ? '-' : ''}${group(d.abs().toFixed())}`;
}

export type PackUnit = { name: string; factor: string };

/** An item as cards show it: quantities are in `unit`, with the largest pack unit they fill. */
export type CardItem = { sku: string; name: string; unit: string; packUnits?: readonly PackUnit[] };

/**
 * A base-unit quantity with the largest pack unit it fills: "240 瓶 (10 箱)", "250 瓶 (10 箱 10 瓶)",
 * "5 瓶" when it fills no pack.
 */
export function formatQtyWithPack(qty: string, unit: string, packs: readonly PackUnit[] = []): string {
  const base = `${formatQty(qty)} ${unit}`;
  const d = new Decimal(qty);
  // A shortfall (negative) is shown in the base unit only: "-2 箱 4 瓶" reads ambiguously.
  const pack = packs
    .map((p) => ({ name: p.name, factor: new Decimal(p.factor) }))
    .filter((p) => p.factor.gt(1) && d.gte(p.factor))
    .sort((a, b) => b.factor.cmp(a.factor))[0];
  if (!pack) return base;
  const whole = d.dividedToIntegerBy(pack.factor);
  const rest = d.minus(whole.times(pack.factor));
  return `${base} (${formatQty(whole.toFixed())} ${pack.name}${rest.isZero() ? '' : ` ${formatQty(rest.toFixed())} ${unit}`})`;
}

const typeNames: Record<string, string> = {
  opening: '期初单', receipt: '入库单', purchase_return: '采购退货单', issue: '出库单', transfer: '调拨单',
  customer_return: '客户退货单', stocktake: '盘点单', adjustment: '调整单',
  production: '生产单', revaluation: '成本调整单', purchase_order: '采购订单', sales_order: '发货申请', requisition: '要货单',
};
const statusNames: Record<string, string> = {
  draft: '草稿', submitted: '已提交', awaiting_approval: '待审批', approved: '已批准', in_progress: '生产中', rejected: '已驳回',
  shipped: '已发货', received: '已收货', posted: '已过账', cancelled: '已取消',
};
const returnReasonNames: Record<string, string> = {
  expired: '过期', near_expiry: '临期', damaged: '破损', wrong_item: '错发', quality: '质量问题', other: '其他',
};

/** 中文 names; an unknown code is shown as it is rather than hidden. */
export const documentTypeName = (type: string) => typeNames[type] ?? type;
export const documentStatusName = (status: string) => statusNames[status] ?? status;
export const returnReasonName = (reason: string) => returnReasonNames[reason] ?? reason;

/** An item as people call it, name first: 可口可乐 330ml（COKE-330）; the code alone when it is the name. */
export const itemLabel = (item: { sku: string; name: string }) => (item.name === item.sku ? item.sku : `${item.name}（${item.sku}）`);

/** A warehouse (or work centre) as people call it: its name, 总仓; the code only when it has none. */
export const warehouseLabel = (w: { code: string; name?: string | null | undefined }) => w.name || w.code;

/** What people call a warehouse: its name (总仓); the code only when it has none. */
export const warehouseName = (code: string, names?: ReadonlyMap<string, string> | null) => names?.get(code) || code;

/** A document's route as people say it: 总仓 → 徐汇店, or the one warehouse (names, not codes). */
export const routeLabel = (from: string, to: string | null | undefined, names?: ReadonlyMap<string, string> | null) =>
  to ? `${warehouseName(from, names)} → ${warehouseName(to, names)}` : warehouseName(from, names);

/** What people call an item on a line: its name (可口可乐 330ml); the sku only when the name is unknown. */
export const itemName = (l: { sku: string; name?: string | null | undefined }) => l.name || l.sku;

/** "45 分钟", "3.5 小时", "2 天 3 小时": how long something has waited. */
export function formatHours(hours: number): string {
  if (hours < 1) return `${Math.max(0, Math.round(hours * 60))} 分钟`;
  if (hours < 24) return `${Math.round(hours * 10) / 10} 小时`;
  const days = Math.floor(hours / 24);
  const rest = Math.floor(hours - days * 24);
  return rest === 0 ? `${days} 天` : `${days} 天 ${rest} 小时`;
}

/** At most `max` characters, the cut marked with "…". */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** At most `max` UTF-8 bytes (platform limits count bytes), never cut inside a character, the cut marked with "…". */
export function truncateBytes(text: string, max: number): string {
  const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
  if (bytes(text) <= max) return text;
  let out = '';
  for (const ch of text) {
    if (bytes(out + ch) + bytes('…') > max) break;
    out += ch;
  }
  return `${out}…`;
}

/** Where a card's document link goes: the signed page address (`documentUrl`), made by the caller. */
export type DocumentLinkInput = {
  /** The document page's signed address (Ctx.documentUrl); no link without it. */
  documentUrl?: string | null | undefined;
};

/** The card's link to the document's page: the signed `documentUrl`, when the caller made one. */
export function documentLink(input: DocumentLinkInput) {
  return input.documentUrl ? { label: '查看单据', url: input.documentUrl } : undefined;
}

const roleNames: Record<string, string> = {
  warehouse_lead: '仓库主管', store_manager: '门店店长', supervisor: '主管', admin: '管理员', staff: '员工',
};

/** 中文 name of a role. */
export const roleName = (role: string) => roleNames[role] ?? role;
