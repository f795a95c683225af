import { documentStatusName, documentTypeName, formatHours, formatTime, warehouseLabel, type Instant } from './format';
import type { Button, Card, Section } from './model';
import { nextStepButton } from './next-step';

/** `listOverdue`'s groups fit as they are. */
export type OverdueCardDocument = { id: string; number: string; type: string; status: string; dueAt: Instant; overdueHours: number };
export type OverdueCardGroup = { warehouse: string; name?: string | null; documents: OverdueCardDocument[] };

export type OverdueCardInput = {
  groups: OverdueCardGroup[];
  /** A second reminder that went up to a supervisor. */
  escalated?: boolean;
  timezone: string;
};

/** Caps that keep one card readable on a phone and within every platform's limits. */
export const OVERDUE_CARD_WAREHOUSES = 10;
export const OVERDUE_CARD_ROWS_PER_WAREHOUSE = 10;
export const OVERDUE_CARD_BUTTONS_PER_WAREHOUSE = 3;

/** Documents past their service-level time, one section per warehouse, most overdue first. */
export function renderOverdueCard(input: OverdueCardInput): Card {
  const { timezone } = input;
  const total = input.groups.reduce((n, g) => n + g.documents.length, 0);
  if (total === 0) return { title: '没有超时单据', tone: 'success', fields: [], actions: [] };

  const shownGroups = input.groups.filter((g) => g.documents.length > 0).slice(0, OVERDUE_CARD_WAREHOUSES);
  const sections: Section[] = shownGroups.map((g) => {
    const docs = [...g.documents].sort((a, b) => b.overdueHours - a.overdueHours);
    const shown = docs.slice(0, OVERDUE_CARD_ROWS_PER_WAREHOUSE);
    const rest = docs.length - shown.length;
    const actions = shown.map((d) => nextStepButton(d, ` ${d.number}`)).filter((b): b is Button => b !== undefined)
      .slice(0, OVERDUE_CARD_BUTTONS_PER_WAREHOUSE);
    return {
      title: `${warehouseLabel({ code: g.warehouse, name: g.name })} · ${docs.length} 张`,
      table: {
        columns: ['单号', '类型', '状态', '到期', '已超时'],
        rows: shown.map((d) => [d.number, documentTypeName(d.type), documentStatusName(d.status), formatTime(d.dueAt, timezone), formatHours(d.overdueHours)]),
        ...(rest > 0 ? { note: `另有 ${rest} 张未列出` } : {}),
      },
      ...(actions.length ? { actions } : {}),
    };
  });
  const hiddenGroups = input.groups.filter((g) => g.documents.length > 0).slice(OVERDUE_CARD_WAREHOUSES);
  const hidden = hiddenGroups.reduce((n, g) => n + g.documents.length, 0);
  const awaiting = input.groups.some((g) => g.documents.some((d) => d.status === 'awaiting_approval'));
  const body = [
    ...(awaiting ? ['待审批的单据请在审批卡片中处理。'] : []),
    ...(hidden > 0 ? [`另有 ${hiddenGroups.length} 个仓库的 ${hidden} 张超时单据未列出。`] : []),
  ].join('\n');
  return {
    title: `${input.escalated ? '【升级】' : ''}超时单据：${total} 张`,
    tone: input.escalated ? 'danger' : 'warning',
    fields: [
      { label: '超时单据', value: `${total} 张` },
      { label: '仓库', value: `${input.groups.filter((g) => g.documents.length > 0).length} 个` },
    ],
    ...(body ? { body } : {}),
    sections,
    actions: [],
  };
}
