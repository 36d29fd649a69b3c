/**
 * Routes over a container's files: `archive` (HEAD: stat, GET: a path as a tar, PUT: a tar into a
 * directory — what `docker cp` uses) and `export` (the whole root filesystem as a tar).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errnoCode, errors } from '../../base/errors.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import type { PathStat } from '../../engine/container-files.js';
import { queryBool, queryString, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string } }>;

const STAT_HEADER = 'X-Docker-Container-Path-Stat';

/** How a pipeline into a response fails when the client goes away. */
const CLIENT_GONE = new Set(['ERR_STREAM_PREMATURE_CLOSE', 'EPIPE', 'ECONNRESET']);

function pathParam(query: Query): string {
  const path = queryString(query, 'path');
  if (path === undefined || path === '') throw errors.invalidArgument('missing-path', 'path: a path in the container is required');
  return path;
}

function encodeStat(stat: PathStat): string {
  return Buffer.from(JSON.stringify(stat)).toString('base64');
}

/** Sends a tar that must be read while the container's rootfs is mounted; headers go out first. */
async function sendTar(reply: FastifyReply, tar: Readable, headers: Record<string, string> = {}): Promise<void> {
  void reply.hijack();
  reply.raw.writeHead(200, { 'Content-Type': 'application/x-tar', ...headers });
  try {
    await pipeline(tar, reply.raw);
  } catch (err) {
    // The client went away, or reading failed mid-way (logged): the tar is cut short.
    if (!CLIENT_GONE.has(errnoCode(err) ?? '')) reply.log.warn({ err }, 'sending a container\'s files as a tar failed');
    reply.raw.destroy();
  }
}

export function containerFileRoutes(app: FastifyInstance, engine: ContainerEngine): void {
  app.head('/containers/:id/archive', async (request: Request, reply) => {
    const stat = await engine.files.stat(request.params.id, pathParam(request.query));
    return reply.header(STAT_HEADER, encodeStat(stat)).header('Content-Type', 'application/x-tar').status(200).send();
  });

  // dockerd's events for a copy out (`archive-path`) and in (`extract-to-dir`), once it is done.
  app.get('/containers/:id/archive', async (request: Request, reply) => {
    await engine.files.read(request.params.id, pathParam(request.query), (stat, tar) => sendTar(reply, tar, { [STAT_HEADER]: encodeStat(stat) }));
    engine.events.emit('action', engine.inspect(request.params.id).id, 'archive-path', {});
  });

  app.put('/containers/:id/archive', async (request: Request, reply) => {
    const path = pathParam(request.query);
    await engine.files.write(request.params.id, path, request.body as Readable, {
      noOverwriteDirNonDir: queryBool(request.query, 'noOverwriteDirNonDir'),
      copyUIDGID: queryBool(request.query, 'copyUIDGID'),
    });
    engine.events.emit('action', engine.inspect(request.params.id).id, 'extract-to-dir', {});
    return reply.status(200).send();
  });

  app.get('/containers/:id/export', async (request: Request, reply) => {
    await engine.files.export(request.params.id, (tar) => sendTar(reply, tar));
  });
}
