import { z } from '@hono/zod-openapi';
import { bindingPlatforms, bindingPurposes, chatPlatforms, roles } from '../../../db/schema';
import { scopes } from '../../people/key-store';
import { clientString, textField, warehouseCode } from '../schemas';

const identity = z.object({
  platform: z.enum(chatPlatforms),
  externalId: textField('externalId', 128),
  app: textField('app', 64).optional().openapi({ description: "the configured chat app ('default' unless named)" }),
});

export const CreateUserBody = z
  .object({
    name: textField('name'),
    roles: z.array(z.enum(roles)).min(1, 'a user needs at least one role'),
    warehouses: z.array(warehouseCode).max(200).optional().openapi({ description: 'warehouse codes' }),
    identities: z.array(identity).max(20).optional(),
  })
  .openapi('CreateUser');

export const IdentityBody = identity.openapi('ChatIdentity');

export const User = z
  .object({
    id: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    warehouses: z.array(z.string()),
    identities: z.array(z.object({ platform: z.string(), app: z.string(), externalId: z.string() })),
    createdAt: z.string(),
  })
  .openapi('User');

export const UserParams = z.object({ id: clientString('id').openapi({ description: 'a user id' }) });

export const CreateApiKeyBody = z
  .object({
    name: textField('name'),
    scopes: z.array(z.enum(scopes)).min(1, 'give at least one scope, or omit scopes for read and write').optional(),
    user: clientString('user').optional().openapi({ description: 'a user id: the key acts as this user, with their roles' }),
  })
  .openapi('CreateApiKey');

export const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    scopes: z.array(z.string()),
    user: z.string().nullable(),
    prefix: z.string().openapi({ description: 'the first characters of the key, to tell keys apart' }),
    createdAt: z.string(),
    revokedAt: z.string().nullable(),
  })
  .openapi('ApiKey');

export const NewApiKey = ApiKey.extend({
  key: z.string().nullable().openapi({
    description: 'the key itself, shown this once; null on an Idempotency-Key replay, since only its hash is stored',
  }),
}).openapi('NewApiKey');

export const ApiKeyParams = z.object({ id: clientString('id') });

export const WarehouseParams = z.object({ code: warehouseCode });

export const BindChatBody = z
  .object({
    platform: z.enum(bindingPlatforms),
    chatId: textField('chatId', 256),
    purposes: z.array(z.enum(bindingPurposes)).min(1, 'give at least one purpose, or omit purposes for all').optional(),
  })
  .openapi('BindChat');

export const ChatBinding = z
  .object({
    warehouse: z.string(),
    platform: z.enum(bindingPlatforms),
    chatId: z.string(),
    purposes: z.array(z.enum(bindingPurposes)),
  })
  .openapi('ChatBinding');

export const WhoAmI = z
  .object({
    organization: z.object({ slug: z.string(), name: z.string() }),
    key: z.object({ id: z.string(), name: z.string(), prefix: z.string(), scopes: z.array(z.string()) }).nullable(),
    user: User.nullable().openapi({ description: 'null for a key bound to no user (an integration)' }),
  })
  .openapi('WhoAmI');
