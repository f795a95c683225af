import type { ApprovalLevel } from '../../db/schema';
import { dec, type Decimal } from '../lib/decimal';

export type RuleRow = {
  name: string;
  documentTypes: string[];
  warehouseIds: string[];
  warehouseTypes: string[];
  categories: string[];
  minValue: string | null;
  minQty: string | null;
  levels: ApprovalLevel[];
};

/** What rules look at: a transfer is judged by its source; a stocktake's value is its absolute variance. */
export type DocumentFacts = {
  type: string;
  warehouseId: string;
  warehouseType: string;
  categories: Set<string>;
  value: Decimal;
  qty: Decimal;
};

export type RequiredLevel = ApprovalLevel & { rules: string[] };

/** A rule matches when every criterion it sets holds (unset criteria match anything). */
export function ruleMatches(rule: RuleRow, f: DocumentFacts): boolean {
  return rule.documentTypes.includes(f.type)
    && (rule.warehouseIds.length === 0 || rule.warehouseIds.includes(f.warehouseId))
    && (rule.warehouseTypes.length === 0 || rule.warehouseTypes.includes(f.warehouseType))
    && (rule.categories.length === 0 || rule.categories.some((c) => f.categories.has(c)))
    && (rule.minValue === null || f.value.gte(dec(rule.minValue)))
    && (rule.minQty === null || f.qty.gte(dec(rule.minQty)));
}

/**
 * The levels a document must pass: those of every matching rule, in rule order, a level two rules
 * both ask for asked once, at the first place. Within one rule a level given twice is two levels
 * (two supervisors sign: one person decides one level at most), so a level is asked as many times
 * as the rule asking it most often gives it.
 */
export function requiredLevels(rules: RuleRow[], facts: DocumentFacts): RequiredLevel[] {
  const levels: RequiredLevel[] = [];
  for (const rule of rules.filter((r) => ruleMatches(r, facts))) {
    const seen: RequiredLevel[] = [];
    for (const level of rule.levels) {
      const alike = (l: { roles: string[]; users: string[] }) => sameSet(l.roles, level.roles) && sameSet(l.users, level.users);
      // The n-th time this rule gives the level meets the n-th such level already asked.
      const same = levels.filter(alike)[seen.filter(alike).length];
      const asked = same ?? { roles: [...level.roles], users: [...level.users], rules: [] };
      if (!same) levels.push(asked);
      asked.rules.push(rule.name);
      seen.push(asked);
    }
  }
  return levels;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
