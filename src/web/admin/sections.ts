import { apiKeysSection } from './api-keys';
import { approvalRulesSection } from './approval-rules';
import { importsSection } from './imports';
import { itemsSection } from './items';
import { peopleSection } from './people';
import { reorderRulesSection } from './reorder-rules';
import type { AdminSection } from './section';
import { warehousesSection } from './warehouses';

/** The admin pages, in menu order. */
export const adminSections: readonly AdminSection[] = [
  itemsSection, warehousesSection, peopleSection, approvalRulesSection, reorderRulesSection, apiKeysSection, importsSection,
];
