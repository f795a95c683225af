import { userWarehouses, users, type Role } from '../../db/schema';
import { writeAudit } from '../audit';
import { withTransaction, type Ctx } from '../context';
import { requireWarehouseId } from '../refs';
import { checkDistinctIdentities, insertIdentities, type IdentityInput } from './identities';
import { withWarehousesAndIdentities, type UserJson } from './find-users';
import { authorize } from './permissions';

export type CreateUserInput = {
  name: string;
  roles: Role[];
  /** Warehouse codes. */
  warehouses?: string[] | undefined;
  identities?: IdentityInput[] | undefined;
};

/**
 * Creates a user with roles, warehouses and chat identities, all or nothing.
 * Throws ValidationError (an identity listed twice), NotFoundError (a warehouse code),
 * ConflictError (an identity already bound to a user).
 */
export async function createUser(ctx: Ctx, input: CreateUserInput): Promise<UserJson> {
  const identities = input.identities ?? [];
  checkDistinctIdentities(identities);
  return withTransaction(ctx, async (tx) => {
    await authorize(tx, 'admin', { what: 'users' });
    // A handful of codes per user: one lookup each keeps the 404 naming exactly the unknown code.
    const warehouseIds: string[] = [];
    for (const code of new Set(input.warehouses ?? [])) warehouseIds.push(await requireWarehouseId(tx, code));
    const [user] = await tx.db
      .insert(users)
      .values({ orgId: tx.orgId, name: input.name, roles: [...new Set(input.roles)], createdAt: tx.now() })
      .returning();
    if (warehouseIds.length > 0) {
      await tx.db.insert(userWarehouses).values(warehouseIds.map((warehouseId) => ({ orgId: tx.orgId, userId: user!.id, warehouseId })));
    }
    await insertIdentities(tx, user!.id, identities);
    await writeAudit(tx, { entity: 'user', entityId: user!.id, action: 'create' });
    const [json] = await withWarehousesAndIdentities(tx, [user!]);
    return json!;
  });
}
