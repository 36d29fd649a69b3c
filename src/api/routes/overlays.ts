/**
 * `/berth/v1/overlays`: the node's share of cluster overlay networks, declaratively (berth's own
 * routes, not Docker's). `PUT /berth/v1/overlays/{id}` takes the whole desired state of one overlay
 * (`wire/overlays.ts`) and answers the state applied; the same body again changes nothing. `GET`
 * answers the last state applied (one, or all); `DELETE` removes the node's overlay network.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../../base/errors.js';
import type { NetworkService } from '../../network/network-service.js';
import { parseSchema } from '../../oci/parse-json.js';
import { overlayStateSchema, type OverlayAnswer } from '../../wire/overlays.js';

type Request = FastifyRequest<{ Params: { id: string }; Body: unknown }>;

export function overlayRoutes(app: FastifyInstance, service: NetworkService): void {
  app.get('/berth/v1/overlays', async (_request, reply) => {
    const listed: OverlayAnswer[] = service.overlays.list();
    return reply.send(listed);
  });

  app.get('/berth/v1/overlays/:id', async (request: Request, reply) => {
    const state: OverlayAnswer = service.overlays.get(request.params.id);
    return reply.send(state);
  });

  app.put('/berth/v1/overlays/:id', async (request: Request, reply) => {
    const state = parseSchema(overlayStateSchema, request.body ?? {}, 'overlay state');
    if (state.Id !== request.params.id) {
      throw errors.invalidArgument('overlay-id-mismatch', `overlay state: field Id: ${state.Id} is not the id in the path (${request.params.id})`);
    }
    const applied: OverlayAnswer = await service.overlays.put(state);
    return reply.send(applied);
  });

  app.delete('/berth/v1/overlays/:id', async (request: Request, reply) => {
    await service.overlays.remove(request.params.id);
    return reply.status(204).send();
  });
}
