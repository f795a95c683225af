import { createRoute, z } from '@hono/zod-openapi';
import { createApiKey, listApiKeys, revokeApiKey } from '../../people/api-keys';
import { bindChat, listChatBindings } from '../../people/chat-bindings';
import { createUser } from '../../people/create-user';
import { getUser, listUsers } from '../../people/find-users';
import { bindIdentity } from '../../people/identities';
import { whoAmI } from '../../people/who-am-i';
import { needScope } from '../auth';
import { createOnce } from '../create-once';
import { ctxOf } from '../request-context';
import { createRouter } from '../router';
import { commonErrors, conflict, idempotencyHeader, jsonContent, notFound, security } from '../schemas';
import * as s from './people-schemas';

const body = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
// Every route here manages who may do what: the admin scope, checked before the body is read.
const admin = { security, middleware: needScope('admin') };
const errors = { ...commonErrors, ...notFound };

const postUser = createRoute({
  method: 'post', path: '/users', tags: ['people'], ...admin, summary: 'Create a user with roles, warehouses and chat identities',
  request: { headers: idempotencyHeader, body: body(s.CreateUserBody) },
  responses: { 201: jsonContent(s.User, 'the user'), ...errors, ...conflict },
});
const getUsers = createRoute({
  method: 'get', path: '/users', tags: ['people'], ...admin, summary: 'List users',
  responses: { 200: jsonContent(z.object({ users: z.array(s.User) }), 'every user, by name'), ...commonErrors },
});
const readUser = createRoute({
  method: 'get', path: '/users/{id}', tags: ['people'], ...admin, summary: 'One user',
  request: { params: s.UserParams },
  responses: { 200: jsonContent(s.User, 'the user'), ...errors },
});
const postIdentity = createRoute({
  method: 'post', path: '/users/{id}/identities', tags: ['people'], ...admin, summary: 'Bind one more chat identity to a user',
  description: 'Binding an identity the user already has changes nothing; one bound to another user is a 409.',
  request: { headers: idempotencyHeader, params: s.UserParams, body: body(s.IdentityBody) },
  responses: { 201: jsonContent(s.User, 'the user with the identity'), ...errors, ...conflict },
});

const postApiKey = createRoute({
  method: 'post', path: '/api-keys', tags: ['people'], ...admin, summary: 'Issue an API key (shown once)',
  request: { headers: idempotencyHeader, body: body(s.CreateApiKeyBody) },
  responses: { 201: jsonContent(s.NewApiKey, 'the key, with its plaintext this once'), ...errors, ...conflict },
});
const getApiKeys = createRoute({
  method: 'get', path: '/api-keys', tags: ['people'], ...admin, summary: 'List API keys (never the keys themselves)',
  responses: { 200: jsonContent(z.object({ apiKeys: z.array(s.ApiKey) }), 'every key, oldest first'), ...commonErrors },
});
const postRevoke = createRoute({
  method: 'post', path: '/api-keys/{id}/revoke', tags: ['people'], ...admin, summary: 'Revoke an API key',
  request: { params: s.ApiKeyParams },
  responses: { 200: jsonContent(s.ApiKey, 'the revoked key (revoking again changes nothing)'), ...errors },
});

const postChat = createRoute({
  method: 'post', path: '/warehouses/{code}/chats', tags: ['people'], ...admin, summary: 'Bind a group chat to a warehouse',
  description: 'Omitted purposes = all. Binding the same chat again replaces its purposes (still 201).',
  request: { headers: idempotencyHeader, params: s.WarehouseParams, body: body(s.BindChatBody) },
  responses: { 201: jsonContent(s.ChatBinding, 'the binding as stored'), ...errors, ...conflict },
});
const getChats = createRoute({
  method: 'get', path: '/warehouses/{code}/chats', tags: ['people'], ...admin, summary: 'The chats bound to a warehouse',
  request: { params: s.WarehouseParams },
  responses: { 200: jsonContent(z.object({ chats: z.array(s.ChatBinding) }), 'by platform and chat id'), ...errors },
});

// Any key may ask who it is (the read scope): the pages' sign-in.
const getMe = createRoute({
  method: 'get', path: '/me', tags: ['people'], security, summary: 'Who this API key is: its organisation, scopes and user',
  responses: { 200: jsonContent(s.WhoAmI, 'the key and the person it acts as'), ...commonErrors },
});

export function peopleRoutes() {
  const r = createRouter();

  r.openapi(getMe, async (c) => c.json(await whoAmI(ctxOf(c)), 200));
  r.openapi(postUser, async (c) => {
    const input = c.req.valid('json');
    return c.json(await createOnce(c, input, (ctx) => createUser(ctx, input)), 201);
  });
  r.openapi(getUsers, async (c) => c.json({ users: await listUsers(ctxOf(c)) }, 200));
  r.openapi(readUser, async (c) => c.json(await getUser(ctxOf(c), c.req.valid('param').id), 200));
  r.openapi(postIdentity, async (c) => {
    const { id } = c.req.valid('param');
    const input = c.req.valid('json');
    return c.json(await createOnce(c, { id, ...input }, (ctx) => bindIdentity(ctx, id, input)), 201);
  });

  r.openapi(postApiKey, async (c) => {
    const input = c.req.valid('json');
    // Only the hash is kept, so the idempotency record stores the answer without the key: a replay shows null.
    let plaintext: string | null = null;
    const stored = await createOnce(c, input, async (ctx) => {
      const { key, ...issued } = await createApiKey(ctx, input);
      plaintext = key;
      return { ...issued, key: null };
    });
    return c.json({ ...stored, key: plaintext }, 201);
  });
  r.openapi(getApiKeys, async (c) => c.json({ apiKeys: await listApiKeys(ctxOf(c)) }, 200));
  r.openapi(postRevoke, async (c) => c.json(await revokeApiKey(ctxOf(c), c.req.valid('param').id), 200));

  r.openapi(postChat, async (c) => {
    const { code } = c.req.valid('param');
    const input = { warehouse: code, ...c.req.valid('json') };
    return c.json(await createOnce(c, input, (ctx) => bindChat(ctx, input)), 201);
  });
  r.openapi(getChats, async (c) => c.json({ chats: await listChatBindings(ctxOf(c), c.req.valid('param').code) }, 200));
  return r;
}
