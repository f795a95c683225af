import { Decimal } from '../src/lib/decimal';
import { documentStatusName, documentTypeName, formatMoney, warehouseLabel } from './format';
import type { Card } from './model';

export type DigestCardInput = {
  /** The group's warehouse, or none for an organisation-wide digest. */
  warehouse?: { code: string; name?: string | null } | null;
  /** The day covered (YYYY-MM-DD, the organisation's zone): yesterday, or today so far when asked for in chat (`today`). */
  date: string;
  /** The day is today, so far (`日报` typed in chat): its figures are labelled 今日, not 昨日. */
  today?: boolean;
  /** Documents posted that day, per type; `value` a decimal string. */
  movements: { type: string; documents: number; value: string }[];
  /** Open documents now, per status. */
  backlog: { status: string; documents: number }[];
  overdue: number;
  alerts: { lowStock: number; nearExpiry: number };
  /** Stocktake accuracy over the last 30 days ("0.9850"), null when nothing was counted; left out when undefined. */
  accuracy?: string | null;
};

/** A day's movements (yesterday's, or today's so far), today's backlog and open alerts for one group. */
export function renderDigestCard(input: DigestCardInput): Card {
  const posted = input.movements.reduce((n, m) => n + m.documents, 0);
  const value = input.movements.reduce((s, m) => s.plus(m.value), new Decimal(0));
  const open = input.backlog.reduce((n, b) => n + b.documents, 0);
  const attention = input.overdue > 0 || input.alerts.lowStock > 0 || input.alerts.nearExpiry > 0;
  const backlog = input.backlog.filter((b) => b.documents > 0).map((b) => `${documentStatusName(b.status)} ${b.documents}`).join(' · ');
  const day = input.today ? '今日' : '昨日';
  const body = [posted === 0 ? `${day}没有过账的单据。` : '', backlog ? `待处理：${backlog}` : ''].filter(Boolean).join('\n');
  return {
    title: `日报 ${input.date}${input.warehouse ? ` · ${warehouseLabel(input.warehouse)}` : ''}`,
    tone: attention ? 'warning' : 'info',
    fields: [
      { label: `${day}过账`, value: `${posted} 张 · ${formatMoney(value.toFixed())}` },
      { label: '待处理', value: `${open} 张` },
      { label: '超时', value: `${input.overdue} 张` },
      { label: '低库存', value: `${input.alerts.lowStock} 个` },
      { label: '临期批次', value: `${input.alerts.nearExpiry} 个` },
      ...(input.accuracy === undefined ? []
        : [{ label: '盘点准确率', value: input.accuracy === null ? '近 30 天未盘点' : `${new Decimal(input.accuracy).times(100).toFixed(1)}%` }]),
    ],
    ...(body ? { body } : {}),
    ...(posted > 0 ? {
      table: {
        columns: ['类型', '单据数', '金额'],
        rows: input.movements.filter((m) => m.documents > 0).map((m) => [documentTypeName(m.type), String(m.documents), formatMoney(m.value)]),
      },
    } : {}),
    actions: [],
  };
}
