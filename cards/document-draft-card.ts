import { encodeAction } from './actions';
import { formatQtyWithPack, formatTime, routeLabel, type Instant, type PackUnit } from './format';
import type { Card, Field } from './model';
import { Decimal } from '../src/lib/decimal';

/** What a document typed in chat would be, line by line, in the item's units and packs. */
export type DraftLine = {
  name: string; unit: string; packUnits: PackUnit[];
  /** Base units: moved, written off, or counted. */
  qty: string;
  /** A count: the book quantity it is compared with. */
  book?: string;
};

export type DocumentDraftCardInput = {
  draftId: string;
  kind: 'transfer' | 'wastage' | 'count';
  from: { code: string; name: string };
  to?: { code: string; name: string } | null;
  reason?: string | null;
  lines: DraftLine[];
  /** What a tap on 确认 does, in words (ships at once, or waits for the lead). */
  next: string;
  /** Quantities far from stock or history: the card asks 确定吗？ and its button says so. */
  warnings: string[];
  state?: { kind: 'cancelled'; by: string; at: Instant };
  timezone: string;
};

const titles = { transfer: '调拨', wastage: '报损', count: '盘点' } as const;

/** A document typed in chat, waiting for its sender's 确认 / 取消 (confirmed, it is the document's own card). */
export function renderDocumentDraftCard(input: DocumentDraftCardInput): Card {
  const names = new Map([[input.from.code, input.from.name], ...(input.to ? [[input.to.code, input.to.name] as const] : [])]);
  const fields: Field[] = [
    { label: input.to ? '调出 → 调入' : '仓库', value: routeLabel(input.from.code, input.to?.code, names) },
    ...(input.reason ? [{ label: '原因', value: input.reason }] : []),
  ];
  const q = (l: DraftLine, v: string) => formatQtyWithPack(v, l.unit, l.packUnits);
  const table = input.kind === 'count'
    ? { columns: ['商品', '账面', '实盘', '差异'], rows: input.lines.map((l) => [l.name, q(l, l.book ?? '0'), q(l, l.qty), signed(l, new Decimal(l.qty).minus(l.book ?? 0))]) }
    : { columns: ['商品', input.kind === 'wastage' ? '报损数量' : '数量'], rows: input.lines.map((l) => [l.name, q(l, l.qty)]) };
  const title = `${titles[input.kind]}：${input.lines.map((l) => l.name).join('、')}`;
  if (input.state) {
    return { title: `已取消${title}`, tone: 'neutral', fields, table, actions: [], status: `已取消 · ${input.state.by} · ${formatTime(input.state.at, input.timezone)}` };
  }
  const sure = input.warnings.length > 0;
  return {
    title: `请确认${title}`, tone: sure ? 'warning' : 'info', fields, table,
    body: [...input.warnings.map((w) => `⚠ ${w}`), ...(sure ? ['确定吗？'] : []), input.next, '写错了就点「取消」再发一次。'].join('\n'),
    actions: [
      { id: encodeAction({ verb: 'confirm_doc', draftId: input.draftId }), label: sure ? '确定，提交' : '确认提交', style: sure ? 'danger' : 'primary' },
      { id: encodeAction({ verb: 'cancel_doc', draftId: input.draftId }), label: '取消', style: 'default' },
    ],
  };
}

/** A count's difference: "+2 罐", "-3 罐", "0". */
function signed(l: DraftLine, diff: Decimal): string {
  if (diff.isZero()) return '0';
  return `${diff.isPos() ? '+' : '-'}${formatQtyWithPack(diff.abs().toFixed(), l.unit, l.packUnits)}`;
}
