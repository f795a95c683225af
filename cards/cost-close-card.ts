import { formatMoney } from './format';
import type { Card } from './model';

export type CostCloseCardInput = {
  period: string;
  /** The month compared with (the one before). */
  compare: string;
  products: number;
  overhead: string;
  /** The table's rows that moved most against `compare` first; new items (nothing to compare) after. */
  movers: { sku: string; name: string; unitCost: string; before: string | null; diffPct: string | null }[];
};

export const COST_CLOSE_CARD_MOVERS = 5;

/** A closed month for the digest groups: how many products, the overhead shared out, and the top movers. */
export function renderCostCloseCard(input: CostCloseCardInput): Card {
  const change = (m: CostCloseCardInput['movers'][number]) =>
    m.diffPct === null ? '新' : `${m.diffPct.startsWith('-') ? '' : '+'}${m.diffPct}%`;
  const shown = input.movers.slice(0, COST_CLOSE_CARD_MOVERS);
  return {
    title: `成本结转完成 · ${input.period}`,
    tone: shown.some((m) => m.diffPct !== null && Math.abs(Number(m.diffPct)) >= 10) ? 'warning' : 'info',
    fields: [
      { label: '产品', value: `${input.products} 个` },
      { label: '分摊制造费用', value: formatMoney(input.overhead) },
    ],
    table: {
      columns: ['产品', '单位成本', `${input.compare}`, '变动'],
      rows: shown.map((m) => [`${m.name}（${m.sku}）`, formatMoney(m.unitCost), m.before === null ? '—' : formatMoney(m.before), change(m)]),
      ...(input.movers.length > shown.length ? { note: `另有 ${input.movers.length - shown.length} 个产品，见产品单位成本表` } : {}),
    },
    actions: [],
  };
}
