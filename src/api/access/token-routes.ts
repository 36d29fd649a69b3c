/** `/berth/v1/tokens`: create (the secret is in this answer only), list and revoke bearer tokens. */
import type { FastifyInstance } from 'fastify';
import { errors } from '../../base/errors.js';
import { parseSchema } from '../../oci/parse-json.js';
import type { Role, TokenStore, TokenView as StoredToken } from '../../security/access/index.js';
import { tokenCreateBodySchema, type TokenCreated, type TokenView } from '../../wire/access.js';
import type { Clock } from '../../base/clock.js';

const viewOf = (token: StoredToken): TokenView => ({
  Name: token.name, Role: token.role, CreatedAt: token.createdAt, ...(token.expiresAt === undefined ? {} : { ExpiresAt: token.expiresAt }),
});

export function tokenRoutes(app: FastifyInstance, tokens: TokenStore, roles: ReadonlyMap<string, Role>, clock: Clock): void {
  app.get('/berth/v1/tokens', () => tokens.list().map(viewOf));
  app.post('/berth/v1/tokens', async (request, reply) => {
    const body = parseSchema(tokenCreateBodySchema, request.body ?? {}, 'token');
    if (!roles.has(body.Role)) throw errors.invalidArgument('unknown-role', `token: field Role: no role named ${body.Role} (roles: ${[...roles.keys()].join(', ')})`);
    const expiresAt = body.ExpiresIn === undefined ? undefined : new Date(clock.now().getTime() + body.ExpiresIn * 1000);
    const { token, record } = await tokens.create({ name: body.Name, role: body.Role, ...(expiresAt === undefined ? {} : { expiresAt }) });
    const created: TokenCreated = { ...viewOf(record), Token: token };
    return reply.status(201).send(created);
  });
  app.delete('/berth/v1/tokens/:name', async (request, reply) => {
    await tokens.remove((request.params as { name: string }).name);
    return reply.status(204).send();
  });
}
