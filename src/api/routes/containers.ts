import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../base/errors.js';
import { refuseCheckpoint } from '../../engine/checkpoint-support.js';
import type { ContainerEngine, WaitCondition } from '../../engine/container-engine.js';
import { isActive, type ContainerRecord } from '../../engine/container-record.js';
import { containerCreate } from '../container-create-body.js';
import { admitCreate } from '../admission-checks.js';
import { listContainers } from '../container-listing.js';
import type { RouteServices } from '../route-services.js';
import { hostResourcesOf } from '../host-resources.js';
import { inspectView } from '../container-views.js';
import { withNetworkInspect } from '../network-views.js';
import { queryBool, queryInt, queryString, type Query } from '../query.js';
import { sendLogs } from '../streams/log-stream.js';
import { mountViews } from '../volume-views.js';
import type { ContainerCreateResponse, ContainerPruneResponse, WaitResponse } from '../../wire/containers.js';
import { undefinedIfGone } from '../gone.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string }; Body: unknown }>;

const SIGNAL = /^(SIG)?[A-Z][A-Z0-9+-]*$|^\d+$/;

function signalParam(query: Query): string | undefined {
  const signal = queryString(query, 'signal');
  if (signal === undefined || signal === '') return undefined;
  if (!SIGNAL.test(signal.toUpperCase())) throw errors.invalidArgument('invalid-signal', `signal: invalid signal "${signal}"`);
  return signal.toUpperCase();
}

/** Answers 204, or 304 when the container already was in the requested state. */
function noContentOrNotModified(reply: FastifyReply, changed: boolean): FastifyReply {
  return reply.status(changed ? 204 : 304).send();
}

/** The Docker Engine API's container routes (attach and exec live in their own modules). */
export function containerRoutes(app: FastifyInstance, engine: ContainerEngine, services: RouteServices): void {
  // A container whose image was removed (by force) is shown without the image's config.
  const imageConfig = async (record: ContainerRecord, request: FastifyRequest) => (await engine.imageConfig(record.imageId).catch(undefinedIfGone((err) => {
    request.log.warn({ err, id: record.id, imageId: record.imageId }, 'reading the image config of a container failed');
  })))?.config;
  const mounts = (record: ContainerRecord) => mountViews(record.config.mounts, (name) => services.volumes.dataDir(name));

  app.post('/containers/create', async (request: Request, reply) => {
    const create = containerCreate(request.body ?? {}, queryString(request.query, 'name'), await hostResourcesOf(engine.host));
    const policyWarnings = await admitCreate(services.admission, engine, create.request); // a refusal: 403, nothing created
    const record = await engine.create(create.request);
    return reply.status(201).send({ Id: record.id, Warnings: [...create.warnings, ...policyWarnings] } satisfies ContainerCreateResponse);
  });

  app.get('/containers/json', async (request: Request, reply) => reply.send(await listContainers(engine, services, request.query)));

  app.get('/containers/:id/json', async (request: Request, reply) => {
    const record = engine.inspect(request.params.id);
    const nameOf = (id: string): string | undefined => engine.find(id)?.name;
    const view = inspectView(record, await imageConfig(record, request), engine.paths, engine.execs.idsOf(record.id), mounts(record), engine.health.state(record.id), nameOf);
    return reply.send(withNetworkInspect(view, record, services.networks));
  });

  app.post('/containers/:id/start', async (request: Request, reply) => {
    if ((queryString(request.query, 'checkpoint') ?? '') !== '') {
      engine.inspect(request.params.id);
      await refuseCheckpoint(services.runner);
    }
    return noContentOrNotModified(reply, (await engine.start(request.params.id)).changed);
  });

  app.post('/containers/:id/stop', async (request: Request, reply) => {
    const timeoutS = queryInt(request.query, 't');
    const signal = signalParam(request.query);
    const result = await engine.stop(request.params.id, { ...(timeoutS === undefined ? {} : { timeoutS }), ...(signal === undefined ? {} : { signal }) });
    return noContentOrNotModified(reply, result.changed);
  });

  app.post('/containers/:id/restart', async (request: Request, reply) => {
    const timeoutS = queryInt(request.query, 't');
    const signal = signalParam(request.query);
    await engine.restart(request.params.id, { ...(timeoutS === undefined ? {} : { timeoutS }), ...(signal === undefined ? {} : { signal }) });
    return reply.status(204).send();
  });

  app.post('/containers/:id/kill', async (request: Request, reply) => {
    await engine.kill(request.params.id, signalParam(request.query) ?? 'KILL');
    return reply.status(204).send();
  });

  app.post('/containers/:id/pause', async (request: Request, reply) => {
    await engine.pause(request.params.id);
    return reply.status(204).send();
  });

  app.post('/containers/:id/unpause', async (request: Request, reply) => {
    await engine.unpause(request.params.id);
    return reply.status(204).send();
  });

  app.delete('/containers/:id', async (request: Request, reply) => {
    if (queryBool(request.query, 'link')) {
      engine.inspect(request.params.id); // 404 first, as dockerd
      throw errors.conflict('default-link-name', 'Conflict, cannot remove the default link name of the container');
    }
    await engine.remove(request.params.id, { force: queryBool(request.query, 'force'), volumes: queryBool(request.query, 'v') });
    return reply.status(204).send();
  });

  // `rm --link NAME/ALIAS`: the link, not a container. berth has no container named NAME/ALIAS, so without `link` it is 404.
  app.delete('/containers/:id/:alias', async (request: FastifyRequest<{ Querystring: Query; Params: { id: string; alias: string } }>, reply) => {
    if (!queryBool(request.query, 'link')) throw errors.notFound('no-such-container', `No such container: ${request.params.id}/${request.params.alias}`);
    await engine.removeLink(request.params.id, request.params.alias);
    return reply.status(204).send();
  });

  app.post('/containers/prune', async (request: Request, reply) => {
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const record of engine.list()) {
      if (isActive(record.state)) continue;
      // A layer that cannot be measured is removed all the same, counted as 0 bytes.
      const size = (await engine.writableLayers.size(record.id).catch(undefinedIfGone((err) => { request.log.warn({ err, id: record.id }, 'measuring a container\'s writable layer failed'); }))) ?? 0;
      await engine.remove(record.id);
      deleted.push(record.id);
      reclaimed += size;
    }
    return reply.send({ ContainersDeleted: deleted, SpaceReclaimed: reclaimed } satisfies ContainerPruneResponse);
  });

  app.post('/containers/:id/wait', async (request: Request, reply) => {
    const condition = queryString(request.query, 'condition') || 'not-running';
    if (!['not-running', 'next-exit', 'removed'].includes(condition)) {
      throw errors.invalidArgument('invalid-condition', `condition: "${condition}" is not one of not-running, next-exit, removed`);
    }
    engine.inspect(request.params.id); // 404 before the headers go out
    const aborter = new AbortController();
    request.raw.socket.once('close', () => { aborter.abort(); });
    const waiting = engine.wait(request.params.id, condition as WaitCondition, aborter.signal);
    // Headers go out at once, as dockerd does: clients know the wait is registered.
    void reply.hijack();
    reply.raw.writeHead(200, { 'Content-Type': 'application/json' });
    reply.raw.flushHeaders();
    try {
      const { exitCode, error } = await waiting;
      reply.raw.end(JSON.stringify({ StatusCode: exitCode, Error: error === '' ? null : { Message: error } } satisfies WaitResponse));
    } catch (err) {
      reply.raw.end(JSON.stringify({ StatusCode: -1, Error: { Message: err instanceof Error ? err.message : String(err) } } satisfies WaitResponse));
    }
  });

  app.get('/containers/:id/logs', async (request: Request, reply) => {
    const record = engine.inspect(request.params.id);
    await sendLogs(request, reply, engine, record);
  });
}
