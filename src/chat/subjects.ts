import { and, eq } from 'drizzle-orm';
import { auditLog, documents, items, reorderRules, users, valuations, warehouses } from '../../db/schema';
import type { Card } from '../../cards/model';
import { renderApprovalCard } from '../../cards/approval-card';
import { renderDocumentStatusCard } from '../../cards/document-status-card';
import { formatQtyWithPack } from '../../cards/format';
import { renderNoticeCard } from '../../cards/notice-card';
import { renderQcCard } from '../../cards/qc-card';
import type { Ctx } from '../context';
import { dec, fmt } from '../lib/decimal';
import { getDocument } from '../inventory/documents/view';

/**
 * The card about a subject, rendered from the current state: what a delivery sends, what a click
 * is answered with, and what every copy is updated to. Subjects: `approval:<documentId>`,
 * `document:<documentId>`, `low_stock:<itemId>:<warehouseId>`.
 */
export async function cardForSubject(ctx: Ctx, subject: string): Promise<Card> {
  const [kind, a, b] = subject.split(':');
  if (kind === 'approval') return approvalCard(ctx, a!);
  if (kind === 'document') return renderDocumentStatusCard({ document: await getDocument(ctx, a!), timezone: ctx.timezone });
  if (kind === 'low_stock') return lowStockCard(ctx, a!, b!);
  if (kind === 'qc') return qcCard(ctx, a!);
  return renderNoticeCard({ title: '通知', text: subject });
}

async function qcCard(ctx: Ctx, documentId: string): Promise<Card> {
  const doc = await getDocument(ctx, documentId);
  const [row] = await ctx.db.select({ reason: documents.returnReason }).from(documents).where(eq(documents.id, doc.id));
  const posted = doc.status === 'posted' ? (await ctx.db.select({ name: users.name }).from(auditLog).innerJoin(users, eq(users.id, auditLog.userId))
    .where(and(eq(auditLog.orgId, ctx.orgId), eq(auditLog.entityId, doc.id), eq(auditLog.action, 'post'))))[0] : undefined;
  return renderQcCard({
    document: doc, reasonClass: row?.reason ?? null, timezone: ctx.timezone,
    done: doc.status === 'posted' ? { by: posted?.name ?? '', at: doc.postedAt! } : null,
  });
}

async function approvalCard(ctx: Ctx, documentId: string): Promise<Card> {
  const doc = await getDocument(ctx, documentId);
  const pending = doc.approvals.find((a) => a.status === 'pending');
  const decided = [...doc.approvals].reverse().find((a) => a.status === 'approved' || a.status === 'rejected');
  const final = !pending && decided;
  return renderApprovalCard({
    document: doc,
    level: pending?.level ?? decided?.level ?? 1,
    levels: doc.approvals.length,
    timezone: ctx.timezone,
    ...(final ? { decided: { outcome: decided.status as 'approved' | 'rejected', by: decided.by ?? '', at: decided.at!, reason: decided.comment } } : {}),
  });
}

/** Until alerts have their own lifecycle (acknowledge, snooze, recovery), a low-stock crossing is a notice with today's figures. */
async function lowStockCard(ctx: Ctx, itemId: string, warehouseId: string): Promise<Card> {
  const [row] = await ctx.db
    .select({ sku: items.sku, name: items.name, unit: items.unit, packs: items.packUnits, code: warehouses.code, whName: warehouses.name,
      qty: valuations.qty, min: reorderRules.minQty, reorder: reorderRules.reorderQty })
    .from(items)
    .innerJoin(warehouses, and(eq(warehouses.orgId, items.orgId), eq(warehouses.id, warehouseId)))
    .leftJoin(valuations, and(eq(valuations.orgId, items.orgId), eq(valuations.itemId, items.id), eq(valuations.warehouseId, warehouseId)))
    .leftJoin(reorderRules, and(eq(reorderRules.orgId, items.orgId), eq(reorderRules.itemId, items.id), eq(reorderRules.warehouseId, warehouseId)))
    .where(and(eq(items.orgId, ctx.orgId), eq(items.id, itemId)));
  if (!row) return renderNoticeCard({ title: '低库存提醒', text: '这个商品已不存在' });
  const qty = (v: string | null) => formatQtyWithPack(fmt(dec(v ?? 0)), row.unit, row.packs);
  return renderNoticeCard({
    title: `低库存：${row.name}`,
    tone: 'warning',
    text: `${row.whName} 的 ${row.name}（${row.sku}）低于安全库存。`,
    fields: [
      { label: '仓库', value: row.whName },
      { label: '现有', value: qty(row.qty) },
      { label: '安全库存', value: qty(row.min) },
      ...(row.reorder ? [{ label: '建议补货', value: qty(row.reorder) }] : []),
    ],
  });
}
