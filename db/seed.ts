import { setApprovalRules } from '../src/approvals/rules';
import { generateKey, insertApiKey } from '../src/auth/api-keys';
import type { Ctx } from '../src/context';
import { createDocument, type CreateDocumentInput } from '../src/inventory/documents/create-document';
import { createLogger } from '../src/lib/logger';
import { setReorderRule } from '../src/master/set-reorder-rule';
import { bindChat, type BindingPurpose } from '../src/people/chat-bindings';
import { createUser } from '../src/people/create-user';
import type { Queryable } from './client';
import { itemBarcodes, items, organizations, warehouses, type PackUnit, type Role } from './schema';

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
    aliases: ['红烧牛肉面', '康师傅', '泡面', 'instant noodles'], packUnits: [{ name: '箱', factor: '12' }] },
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
];

/** The sandbox groups, named as a person would name them: the chat id is the group's name. */
export const demoGroups: { chatId: string; warehouse: string; purposes?: BindingPurpose[] }[] = [
  { chatId: '总仓群', warehouse: 'CENTRAL' },
  { chatId: '徐汇店群', warehouse: 'STORE-XH' },
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

const addDays = (d: Date, days: number) => new Date(d.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Creates the demo organisation, unless an organisation with slug `demo` already exists: its
 * warehouses, items and an admin API key, and — so the sandbox page shows cards on a first visit —
 * people with sandbox identities, groups bound to 总仓 and 徐汇店, an approval rule, opening
 * stock, 可乐 at 徐汇店 already sold below its safety stock (a low-stock alert) and a transfer
 * awaiting a supervisor's approval. Stock and documents go through the same services as the API,
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
        .values({ ...item, orgId, valuationMethod: 'moving_average' })
        .returning({ id: items.id });
      await tx.insert(itemBarcodes).values(barcodes.map((barcode) => ({ orgId, barcode, itemId: row!.id })));
    }

    const apiKey = generateKey();
    await insertApiKey(tx, { orgId, name: 'demo admin', key: apiKey, scopes: ['admin'] });

    const ctx: Ctx = {
      db: tx, orgId, actor: { type: 'job', job: 'demo-seed' }, now, timezone: options.timezone ?? 'Asia/Shanghai',
      log: createLogger('silent'), inTransaction: true,
    };
    const people = new Map<string, { id: string; roles: Role[]; sandboxId: string }>();
    for (const p of demoPeople) {
      const user = await createUser(ctx, {
        name: p.name, roles: p.roles, warehouses: p.warehouses, identities: [{ platform: 'sandbox', externalId: p.sandboxId }],
      });
      people.set(p.key, { id: user.id, roles: p.roles, sandboxId: p.sandboxId });
    }
    for (const g of demoGroups) await bindChat(ctx, { warehouse: g.warehouse, platform: 'sandbox', chatId: g.chatId, purposes: g.purposes });

    for (const [warehouse, lines] of Object.entries(demoOpening)) {
      await createDocument(ctx, {
        type: 'opening', warehouse, submit: true, note: '演示期初库存',
        lines: lines.map(({ expiresInDays, ...l }) => ({ ...l, ...(expiresInDays ? { expiresOn: addDays(now(), expiresInDays) } : {}) })),
      });
    }
    await setReorderRule(ctx, { sku: 'COKE-330', warehouse: 'STORE-XH', minQty: '48', reorderQty: '96' });
    await setReorderRule(ctx, { sku: 'RB-250', warehouse: 'STORE-XH', minQty: '24', reorderQty: '48' });
    await setApprovalRules(ctx, [{
      name: '大额调拨与出库需主管审批', documentTypes: ['transfer', 'issue'], minValue: demoApprovalMinValue, levels: [{ roles: ['supervisor'] }],
    }]);

    // Documents as the people would create them in chat.
    const as = (key: string): Ctx => {
      const p = people.get(key)!;
      return { ...ctx, actor: { type: 'chat', platform: 'sandbox', externalId: p.sandboxId, userId: p.id, roles: p.roles } };
    };
    const documents: [string, CreateDocumentInput][] = [
      // 60 → 20 罐, below the safety stock of 48: 徐汇店群 gets a low-stock card.
      ['manager', { type: 'issue', warehouse: 'STORE-XH', reason: '门店销售', submit: true, lines: [{ sku: 'COKE-330', qty: '40' }] }],
      // ¥403.20 + ¥302.40 = ¥705.60, over the rule's ¥500: 总仓群 gets an approval card for 张主管.
      ['staff', {
        type: 'transfer', warehouse: 'CENTRAL', toWarehouse: 'STORE-XH', note: '徐汇店补货', submit: true,
        lines: [{ sku: 'COKE-330', qty: '192' }, { sku: 'RB-250', qty: '72' }],
      }],
    ];
    for (const [who, input] of documents) await createDocument(as(who), input);
    return { orgId, apiKey };
  });
}
