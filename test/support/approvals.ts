import type { TestApp } from '../harness';
import { inventory } from './inventory';

/**
 * An organisation with a stocked warehouse and people who act through their own API keys:
 * `as.clerk` creates documents; supervisors `sup1`, `sup2`; `boss` is an admin; `lead` a warehouse lead.
 */
export async function approvalOrg(h: TestApp) {
  const org = await h.createOrg();
  const inv = inventory(org.api);
  await inv.warehouse('WH');
  await inv.warehouse('ST', 'store');
  await inv.item('A', { category: 'drinks' });
  await inv.item('B', { category: 'snacks' });
  await inv.receipt('WH', 'A', 100, 10);
  await inv.receipt('WH', 'B', 100, 1);
  const person = async (name: string, roles: string[]) => {
    const user = await inv.ok('POST', '/api/v1/users', { name, roles });
    const { key } = await inv.ok('POST', '/api/v1/api-keys', { name: `${name} key`, user: user.id, scopes: ['read', 'write'] });
    return { id: user.id as string, name, api: h.client(key), inv: inventory(h.client(key)) };
  };
  const as = {
    clerk: await person('Clerk', ['staff']),
    sup1: await person('Sup One', ['supervisor']),
    sup2: await person('Sup Two', ['supervisor']),
    boss: await person('Boss', ['admin']),
    lead: await person('Lead', ['warehouse_lead']),
  };
  const rules = (rules: unknown[]) => inv.ok('PUT', '/api/v1/approval-rules', { rules });
  /** The clerk creates and submits a document. */
  const submit = (type: string, lines: unknown[], extra: Record<string, unknown> = {}) =>
    as.clerk.inv.ok('POST', '/api/v1/documents', { type, warehouse: 'WH', lines, submit: true, ...extra });
  return { ...org, inv, as, rules, submit };
}

/** Gives everyone in an approval org a sandbox identity named `<slug>-<who>`, and returns that naming. */
export async function sandboxPeople(o: Awaited<ReturnType<typeof approvalOrg>>) {
  const id = (who: string) => `${o.slug}-${who}`;
  for (const [who, person] of Object.entries(o.as)) {
    await o.inv.ok('POST', `/api/v1/users/${person.id}/identities`, { platform: 'sandbox', externalId: id(who) });
  }
  return id;
}
