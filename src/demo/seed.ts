import { eq } from 'drizzle-orm';
import { itemPinyin } from '../master/item-pinyin';
import { setApprovalRules } from '../approvals/rules';
import { generateKey, insertApiKey } from '../people/key-store';
import type { Ctx } from '../context';
import { createDocument, type CreateDocumentInput } from '../inventory/documents/create';
import { createLogger } from '../lib/logger';
import { setReorderRule } from '../master/set-reorder-rule';
import { bindChat, type BindingPurpose } from '../people/chat-bindings';
import { createUser } from '../people/create-user';
import { findByIdentity } from '../people/identities';
import { addDays, localDate } from '../lib/calendar';
import type { Queryable } from '../../db/client';
import { itemBarcodes, items, organizations, warehouses, type PackUnit, type Role } from '../../db/schema';
import { seedDemand } from './demand';
import { seedKitchen } from './kitchen';

export const demoSlug = 'demo';

const demoWarehouses = [
  { code: 'CENTRAL', name: '总仓', type: 'central' },
  { code: 'STORE-XH', name: '徐汇店', type: 'store' },
  { code: 'STORE-JA', name: '静安店', type: 'store' },
  { code: 'COLD', name: '冷库', type: 'cold' },
];

type DemoItem = {
  sku: string;
  name: string;
  unit: string;
  category: string;
  barcodes: string[];
  aliases: string[];
  packUnits: PackUnit[];
  lotTracked?: boolean;
  shelfLifeDays?: number;
};

// Barcodes are made-up EAN-13s with valid check digits, so scanners and parsers accept them.
const demoItems: DemoItem[] = [
  { sku: 'RB-250', name: '红牛维生素功能饮料 250ml', unit: '罐', category: '饮料', barcodes: ['6900000001011'],
    aliases: ['红牛', 'redbull', 'red bull'], packUnits: [{ name: '箱', factor: '24' }] },
  { sku: 'COKE-330', name: '可口可乐 330ml', unit: '罐', category: '饮料', barcodes: ['6900000001028'],
    aliases: ['可乐', 'coke', 'cola'], packUnits: [{ name: '箱', factor: '24' }] },
  { sku: 'NFSQ-550', name: '农夫山泉饮用天然水 550ml', unit: '瓶', category: '饮料', barcodes: ['6900000001035'],
    aliases: ['农夫山泉', '矿泉水', 'water'], packUnits: [{ name: '箱', factor: '24' }] },
  { sku: 'KSF-HSNR', name: '康师傅红烧牛肉面', unit: '包', category: '方便食品', barcodes: ['6900000001042', '6900000002018'],
    aliases: ['红烧牛肉面', '康师傅', '方便面', '泡面', 'instant noodles'], packUnits: [{ name: '箱', factor: '12' }] },
  { sku: 'MN-MILK-250', name: '蒙牛纯牛奶 250ml', unit: '盒', category: '乳品', barcodes: ['6900000001059'],
    aliases: ['纯牛奶', '牛奶', 'milk'], packUnits: [{ name: '提', factor: '12' }, { name: '箱', factor: '24' }],
    lotTracked: true, shelfLifeDays: 180 },
  { sku: 'SQ-DUMP-1KG', name: '三全猪肉白菜水饺 1kg', unit: '袋', category: '冷冻食品', barcodes: ['6900000001066'],
    aliases: ['水饺', '饺子', 'dumplings'], packUnits: [{ name: '箱', factor: '10' }], lotTracked: true, shelfLifeDays: 365 },
];

/**
 * The people to try the bot as on the sandbox page: each has a sandbox identity (its external id
 * is also their 1:1 chat with the bot). Sandbox ids name one user across organisations, hence the
 * `demo-` prefix.
 */
export const demoPeople: { key: string; name: string; roles: Role[]; warehouses: string[]; sandboxId: string }[] = [
  { key: 'manager', name: '王店长', roles: ['store_manager'], warehouses: ['STORE-XH'], sandboxId: 'demo-wang' },
  { key: 'lead', name: '李仓管', roles: ['warehouse_lead'], warehouses: ['CENTRAL', 'COLD'], sandboxId: 'demo-li' },
  { key: 'supervisor', name: '张主管', roles: ['supervisor'], warehouses: [], sandboxId: 'demo-zhang' },
  { key: 'admin', name: '赵管理员', roles: ['admin'], warehouses: [], sandboxId: 'demo-zhao' },
  { key: 'staff', name: '小陈', roles: ['staff'], warehouses: ['CENTRAL'], sandboxId: 'demo-chen' },
  { key: 'chef', name: '小刘', roles: ['staff'], warehouses: ['KITCHEN'], sandboxId: 'demo-liu' },
];

/** The sandbox groups, named as a person would name them: the chat id is the group's name. */
export const demoGroups: { chatId: string; warehouse: string; purposes?: BindingPurpose[] }[] = [
  { chatId: '总仓群', warehouse: 'CENTRAL' },
  { chatId: '徐汇店群', warehouse: 'STORE-XH' },
  { chatId: '厨房群', warehouse: 'KITCHEN' },
];

/** What a transfer or issue must be worth before a supervisor approves it, in yuan. */
export const demoApprovalMinValue = '500';

// Opening balances (base units, unit cost in yuan); lot-tracked items name their lot.
const demoOpening: Record<string, { sku: string; qty: string; unitCost: string; lot?: string; expiresInDays?: number }[]> = {
  CENTRAL: [
    { sku: 'RB-250', qty: '480', unitCost: '4.2' },
    { sku: 'COKE-330', qty: '720', unitCost: '2.1' },
    { sku: 'NFSQ-550', qty: '960', unitCost: '0.9' },
    { sku: 'KSF-HSNR', qty: '240', unitCost: '3.1' },
    { sku: 'MN-MILK-250', qty: '288', unitCost: '2.6', lot: 'MN2501', expiresInDays: 120 },
  ],
  'STORE-XH': [
    { sku: 'RB-250', qty: '48', unitCost: '4.2' },
    { sku: 'COKE-330', qty: '60', unitCost: '2.1' },
    { sku: 'NFSQ-550', qty: '72', unitCost: '0.9' },
    { sku: 'KSF-HSNR', qty: '24', unitCost: '3.1' },
  ],
  'STORE-JA': [
    { sku: 'COKE-330', qty: '96', unitCost: '2.1' },
    { sku: 'NFSQ-550', qty: '48', unitCost: '0.9' },
  ],
  COLD: [{ sku: 'SQ-DUMP-1KG', qty: '80', unitCost: '12.5', lot: 'SQ2502', expiresInDays: 300 }],
};


/** The demo organisation's id, if it exists. */
export async function demoOrgId(db: Queryable): Promise<string | undefined> {
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, demoSlug));
  return org?.id;
}

/**
 * Creates the demo organisation, unless an organisation with slug `demo` already exists: its
 * warehouses, items and an admin API key, and — so the sandbox page shows cards on a first visit —
 * people with sandbox identities, groups bound to 总仓 and 徐汇店, an approval rule, opening
 * stock, 可乐 at 徐汇店 already sold below its safety stock (a low-stock alert), a transfer
 * awaiting a supervisor's approval, an open purchase order, a 发货申请 (sales order) and a 徐汇店 要货单
 * (requisition) waiting for 总仓, and a small central kitchen with a production order in progress, and four weeks of
 * 徐汇店's daily sales of water and noodles (supplied by 总仓) for the forecast and the weekly 要货建议. Stock and documents go through the same services as the API,
 * so their notifications sit in the outbox for the delivery loop. Returns the key's plaintext,
 * which is stored only as a hash, so the caller prints it once.
 */
export async function seedDemo(
  db: Queryable,
  options: { now?: () => Date; timezone?: string } = {},
): Promise<{ orgId: string; apiKey: string } | undefined> {
  const now = options.now ?? (() => new Date());
  // One transaction, so a crash half-way leaves no demo organisation without items behind.
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({ slug: demoSlug, name: '演示公司 Demo Co.' })
      .onConflictDoNothing({ target: organizations.slug })
      .returning({ id: organizations.id });
    if (!org) return undefined;
    const orgId = org.id;

    await tx.insert(warehouses).values(demoWarehouses.map((w) => ({ ...w, orgId })));
    for (const { barcodes, ...item } of demoItems) {
      const [row] = await tx
        .insert(items)
        .values({ ...item, orgId, valuationMethod: 'moving_average', pinyin: await itemPinyin(item.name, item.aliases) })
        .returning({ id: items.id });
      await tx.insert(itemBarcodes).values(barcodes.map((barcode) => ({ orgId, barcode, itemId: row!.id })));
    }

    const apiKey = generateKey();
    await insertApiKey(tx, { orgId, name: 'demo admin', key: apiKey, scopes: ['admin'] });

    const ctx: Ctx = {
      db: tx, orgId, actor: { type: 'job', job: 'demo-seed' }, now, timezone: options.timezone ?? 'Asia/Shanghai',
      log: createLogger('silent'), inTransaction: true,
    };
    // The kitchen's warehouse first: 小刘 works there.
    await tx.insert(warehouses).values({ orgId, code: 'KITCHEN', name: '中央厨房', type: 'kitchen' });
    const people = new Map<string, { id: string; sandboxId: string }>();
    for (const p of demoPeople) {
      const user = await createUser(ctx, {
        name: p.name, roles: p.roles, warehouses: p.warehouses, identities: [{ platform: 'sandbox', externalId: p.sandboxId }],
      });
      people.set(p.key, { id: user.id, sandboxId: p.sandboxId });
    }
    for (const g of demoGroups) await bindChat(ctx, { warehouse: g.warehouse, platform: 'sandbox', chatId: g.chatId, purposes: g.purposes });

    for (const [warehouse, lines] of Object.entries(demoOpening)) {
      await createDocument(ctx, {
        type: 'opening', warehouse, submit: true, note: '演示期初库存',
        lines: lines.map(({ expiresInDays, ...l }) => ({ ...l, ...(expiresInDays ? { expiresOn: addDays(localDate(now(), ctx.timezone), expiresInDays) } : {}) })),
      });
    }
    await setReorderRule(ctx, { sku: 'COKE-330', warehouse: 'STORE-XH', minQty: '48', reorderQty: '96' });
    await setReorderRule(ctx, { sku: 'RB-250', warehouse: 'STORE-XH', minQty: '24', reorderQty: '48' });
    await seedDemand(tx, ctx);
    await setApprovalRules(ctx, [{
      name: '大额调拨与出库需主管审批', documentTypes: ['transfer', 'issue'], minValue: demoApprovalMinValue, levels: [{ roles: ['supervisor'] }],
    }]);

    // Documents as the people would create them in chat.
    const as = async (key: string): Promise<Ctx> => {
      const p = (await findByIdentity(tx, { platform: 'sandbox', app: 'default', externalId: people.get(key)!.sandboxId }, orgId))!;
      return { ...ctx, actor: { type: 'chat', platform: 'sandbox', externalId: people.get(key)!.sandboxId, userId: p.userId, roles: p.roles, warehouseIds: p.warehouseIds } };
    };
    const documents: [string, CreateDocumentInput][] = [
      // 60 → 20 罐, below the safety stock of 48: 徐汇店群 gets a low-stock card.
      ['manager', { type: 'issue', warehouse: 'STORE-XH', reason: '门店销售', submit: true, lines: [{ sku: 'COKE-330', qty: '40' }] }],
      // ¥403.20 + ¥302.40 = ¥705.60, over the rule's ¥500: 总仓群 gets an approval card for 张主管.
      ['staff', {
        type: 'transfer', warehouse: 'CENTRAL', toWarehouse: 'STORE-XH', note: '徐汇店补货', submit: true,
        lines: [{ sku: 'COKE-330', qty: '192' }, { sku: 'RB-250', qty: '72' }],
      }],
      // An open purchase order, expected in three days: 480 罐 (20 箱) of cola on order at 总仓.
      ['staff', {
        type: 'purchase_order', warehouse: 'CENTRAL', counterparty: '可口可乐上海装瓶厂', submit: true,
        expectedOn: addDays(localDate(now(), ctx.timezone), 3), lines: [{ sku: 'COKE-330', qty: '480', unitCost: '2.1' }],
      }],
      // 发货申请 from sales: 总仓群 gets its card with 一键发货; the quantities are reserved.
      ['staff', {
        type: 'sales_order', warehouse: 'CENTRAL', counterparty: '全家便利店 漕河泾店', submit: true,
        dueOn: addDays(localDate(now(), ctx.timezone), 1), lines: [{ sku: 'RB-250', qty: '48' }, { sku: 'NFSQ-550', qty: '96' }],
      }],
      // 徐汇店 asks 总仓 for Red Bull (要货单): 总仓群 gets its card with 按单调拨.
      ['manager', { type: 'requisition', warehouse: 'STORE-XH', submit: true, lines: [{ sku: 'RB-250', qty: '48' }] }],
    ];
    for (const [who, input] of documents) await createDocument(await as(who), input);
    await seedKitchen(tx, ctx, () => as('chef'));
    return { orgId, apiKey };
  });
}
