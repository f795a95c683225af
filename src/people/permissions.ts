import { and, eq, inArray } from 'drizzle-orm';
import { warehouses } from '../../db/schema';
import type { Actor, Ctx } from '../context';
import { ForbiddenError } from '../errors';

/**
 * The rule book: who may do what. One module, called inside the domain verbs for every person who
 * acts — an API key bound to a user, a chat message, a card tap, a web page — so no door can skip
 * it. An API key bound to no user (an integration) is governed by its scopes alone, and a job by
 * nothing: neither is a person.
 *
 * | action        | what                                                        | who |
 * |---------------|-------------------------------------------------------------|-----|
 * | `create`      | create a document at a warehouse (a transfer: its source)   | anyone assigned to it (no warehouses listed = all) |
 * | `submit`      | submit it; post a receipt, issue, opening or purchase return | anyone assigned to it |
 * | `report_work` | report work on a production order there                      | anyone assigned to it |
 * | approve / reject | decide a level                                            | named in it, or holding its role there (`holdsLevel`; the rest in `decide.ts`) |
 * | `ship`        | ship a transfer or fulfil an order from the warehouse        | warehouse_lead of that warehouse, supervisor, admin |
 * | `qc`          | pass QC of a customer return                                 | warehouse_lead of that warehouse, supervisor, admin |
 * | `post_count`  | post a stocktake or an adjustment                            | warehouse_lead of that warehouse, supervisor, admin |
 * | `complete`    | complete production                                          | warehouse_lead of that warehouse, supervisor, admin |
 * | `receive`     | confirm receipt of a transfer                                | warehouse_lead or store_manager of the destination, supervisor, admin |
 * | `alert`       | acknowledge or snooze a low-stock alert                      | warehouse_lead or store_manager of that warehouse, supervisor, admin |
 * | `cancel`      | cancel a document                                            | its creator while draft, submitted or rejected; warehouse_lead of its warehouse; supervisor; admin |
 * | `reverse`     | reverse a posted document (红字)                             | supervisor, admin — reversals correct the books |
 * | `admin`       | master data, rules, users, chat bindings, keys, period close | admin |
 *
 * Supervisors and admins act at every warehouse; everyone else at the warehouses they are assigned
 * (a person with none listed works at all of them).
 */
export type Action =
  | 'create' | 'submit' | 'report_work'
  | 'ship' | 'qc' | 'post_count' | 'complete'
  | 'receive' | 'alert'
  | 'cancel' | 'reverse' | 'admin';

type Rule = {
  /** Roles that may, at the warehouses they are assigned; `anyone`: every assigned person. */
  at: readonly string[] | 'anyone' | 'none';
  /** Roles that may everywhere. */
  everywhere: readonly string[];
};

const ABOVE = ['supervisor', 'admin'] as const;
/** Roles that act at every warehouse; any other role acts at the warehouses its holder is assigned. */
export const EVERYWHERE_ROLES: readonly string[] = ABOVE;

/** A creator takes back their own document while nobody has acted on it yet (or after it was turned down). */
const creatorMayCancel = ['draft', 'submitted', 'rejected'];

export const rules: Record<Action, Rule> = {
  create: { at: 'anyone', everywhere: ABOVE },
  submit: { at: 'anyone', everywhere: ABOVE },
  report_work: { at: 'anyone', everywhere: ABOVE },
  ship: { at: ['warehouse_lead'], everywhere: ABOVE },
  qc: { at: ['warehouse_lead'], everywhere: ABOVE },
  post_count: { at: ['warehouse_lead'], everywhere: ABOVE },
  complete: { at: ['warehouse_lead'], everywhere: ABOVE },
  receive: { at: ['warehouse_lead', 'store_manager'], everywhere: ABOVE },
  alert: { at: ['warehouse_lead', 'store_manager'], everywhere: ABOVE },
  cancel: { at: ['warehouse_lead'], everywhere: ABOVE },
  reverse: { at: 'none', everywhere: ABOVE },
  admin: { at: 'none', everywhere: ['admin'] },
};

/** The person behind an actor, or null for a job or an integration key (no person: the rule book does not apply). */
export type Person = { userId: string; roles: readonly string[]; warehouseIds: readonly string[] };

export function personOf(actor: Actor): Person | null {
  if (actor.type === 'job') return null;
  if (actor.type === 'api' && actor.userId === null) return null;
  return { userId: actor.userId!, roles: actor.roles, warehouseIds: actor.warehouseIds };
}

/**
 * What an action is about: the warehouse it happens at; for `cancel`, also who created the document
 * and its status; `what` names an admin task for the refusal (`bind_chat`, `items`…).
 */
export type Target = { warehouseId?: string; createdBy?: string | null; status?: string; what?: string };

const worksAt = (p: Person, warehouseId: string | undefined) =>
  p.warehouseIds.length === 0 || (warehouseId !== undefined && p.warehouseIds.includes(warehouseId));

/** Whether the rule book lets this person do it (pure: for showing buttons and choosing what comes next). */
export function allows(person: Person, action: Action, target: Target = {}): boolean {
  const rule = rules[action];
  if (rule.everywhere.some((r) => person.roles.includes(r))) return true;
  if (action === 'cancel' && target.createdBy === person.userId && creatorMayCancel.includes(target.status ?? '')) return true;
  if (rule.at === 'none') return false;
  if (rule.at !== 'anyone' && !rule.at.some((r) => person.roles.includes(r))) return false;
  return worksAt(person, target.warehouseId);
}

/**
 * Whether a person holds an approval level of a document at `warehouseId`: named in it, or holding one
 * of its roles there — a supervisor or admin anywhere, any other role (a warehouse lead, a store
 * manager) at the warehouses they are assigned, like every other rule here.
 */
export function holdsLevel(person: Person, level: { roles: readonly string[]; userIds: readonly string[] }, warehouseId: string): boolean {
  if (level.userIds.includes(person.userId)) return true;
  return level.roles.some((r) => person.roles.includes(r) && (EVERYWHERE_ROLES.includes(r) || worksAt(person, warehouseId)));
}

/** Whether the actor may: always for a job or an integration key, else as `allows` says. */
export function may(actor: Actor, action: Action, target: Target = {}): boolean {
  const person = personOf(actor);
  return person === null || allows(person, action, target);
}

/**
 * Refuses (ForbiddenError, 403) unless the actor may do `action` at `target`. The refusal names the
 * rule it broke: for the API in its message, for the chat as `reason` and `facts` — `not_your_warehouse`
 * (the role is right, the warehouse is someone else's) or `not_allowed` (the role is wrong).
 */
export async function authorize(ctx: Ctx, action: Action, target: Target = {}): Promise<void> {
  const person = personOf(ctx.actor);
  if (person === null || allows(person, action, target)) return;
  const rule = rules[action];
  const atRoles = rule.at === 'anyone' || rule.at === 'none' ? [] : [...rule.at];
  const warehouse = target.warehouseId ? await warehouseLabel(ctx, target.warehouseId) : undefined;
  const roleFits = rule.at === 'anyone' || atRoles.some((r) => person.roles.includes(r));
  const who = describeRule(action);
  if (roleFits && warehouse && rule.at !== 'none') {
    throw new ForbiddenError(`${action} at ${warehouse.code} is for people assigned to it (${who}); you are not assigned to ${warehouse.code}`,
      { rule: action, warehouse: warehouse.code })
      .because('not_your_warehouse', { action, warehouse });
  }
  throw new ForbiddenError(`${action}${warehouse ? ` at ${warehouse.code}` : ''} needs ${who}`, { rule: action, ...(warehouse ? { warehouse: warehouse.code } : {}) })
    .because('not_allowed', {
      action, atRoles, everywhere: [...rule.everywhere], creator: action === 'cancel', ...(warehouse ? { warehouse } : {}), ...(target.what ? { what: target.what } : {}),
    });
}

/** The rule in words, for the API's 403: "warehouse_lead of the warehouse, supervisor or admin". */
export function describeRule(action: Action): string {
  const rule = rules[action];
  const at = rule.at === 'anyone' ? ['anyone assigned to the warehouse'] : rule.at === 'none' ? [] : [`${rule.at.join(' or ')} of the warehouse`];
  const creator = action === 'cancel' ? ['its creator while draft, submitted or rejected'] : [];
  return [...creator, ...at, ...rule.everywhere].join(', ');
}

async function warehouseLabel(ctx: Ctx, id: string) {
  const [row] = await ctx.db.select({ code: warehouses.code, name: warehouses.name }).from(warehouses)
    .where(and(eq(warehouses.orgId, ctx.orgId), inArray(warehouses.id, [id])));
  return row ?? { code: id, name: id };
}

/** The API scopes a person may hold: an admin all of them, anyone else read and write. */
export function scopesHeldBy(roles: readonly string[]): string[] {
  return roles.includes('admin') ? ['read', 'write', 'admin'] : ['read', 'write'];
}

/**
 * Whether this actor may speak, tap or read in the sandbox as a person (null: an identity nobody
 * holds yet): a key bound to a user only as that user; an admin key (admin scope, and if bound, to
 * an admin) as anyone. An integration key without the admin scope is nobody in a chat.
 */
export function mayActAs(actor: Actor, userId: string | null): boolean {
  if (actor.type !== 'api') return actor.type !== 'job' && actor.userId === userId;
  const admin = actor.scopes.includes('admin') && (actor.userId === null || actor.roles.includes('admin'));
  return admin || (actor.userId !== null && actor.userId === userId);
}
