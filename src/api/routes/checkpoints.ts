/** The checkpoint routes (`docker checkpoint …`, `start --checkpoint`): each answers why it cannot be done here. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ProcessRunner } from '../../base/process-runner.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { refuseCheckpoint } from '../../engine/checkpoint-support.js';

type Request = FastifyRequest<{ Params: { id: string } }>;

export function checkpointRoutes(app: FastifyInstance, engine: ContainerEngine, runner: ProcessRunner): void {
  const refuse = async (request: Request): Promise<never> => {
    engine.inspect(request.params.id); // an unknown container is still a 404
    return refuseCheckpoint(runner);
  };
  app.post('/containers/:id/checkpoints', refuse);
  app.get('/containers/:id/checkpoints', refuse);
  app.delete('/containers/:id/checkpoints/:name', refuse);
}
