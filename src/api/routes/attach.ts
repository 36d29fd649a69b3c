import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Duplex } from 'node:stream';
import { isBerthError } from '../../base/errors.js';
import type { ContainerEngine } from '../../engine/container-engine.js';
import { DEFAULT_DETACH_KEYS, parseDetachKeys } from '../../stdio/detach-keys.js';
import { pumpStdio } from '../hijack/stdio-pump.js';
import type { ContainerRecord } from '../../engine/container-record.js';
import type { LogStream } from '../../runtime/k8s-file-log.js';
import { logSettingsOf } from '../../engine/container-log-config.js';
import { encodeLogEntry } from '../streams/log-stream.js';
import type { UpgradeRouter } from '../hijack/upgrade-router.js';
import { queryBool, queryInt, queryString, type Query } from '../query.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string } }>;

/** `logs=1`: the container's past output (the streams asked for), framed as the attach stream is. */
async function pastOutput(engine: ContainerEngine, record: ContainerRecord, query: Query): Promise<Buffer> {
  const streams: LogStream[] = [];
  if (queryBool(query, 'stdout')) streams.push('stdout');
  if (queryBool(query, 'stderr')) streams.push('stderr');
  if (!queryBool(query, 'logs') || streams.length === 0) return Buffer.alloc(0);
  // A driver that keeps no log (none) has no past output to send.
  const entries = logSettingsOf(record).driver === 'none' ? [] : await engine.logs.read(record, { streams });
  return Buffer.concat(entries.map((entry) => encodeLogEntry(entry, record.config.options.tty === true, false)));
}

/**
 * Attaches `client` to the container's stdio until the container's output ends or the client
 * detaches or goes away. A container that is not running yet is attached when it starts. With
 * `logs=1` the past output comes first; with `stream=0` only that, as dockerd.
 */
async function attachClient(engine: ContainerEngine, id: string, query: Query, client: Duplex, beforeStream: (tty: boolean) => void): Promise<void> {
  const record = engine.inspect(id);
  const tty = record.config.options.tty === true;
  const detachKeys = parseDetachKeys(queryString(query, 'detachKeys') || DEFAULT_DETACH_KEYS);
  const past = await pastOutput(engine, record, query);
  if (!queryBool(query, 'stream')) {
    engine.events.emit('action', record.id, 'attach', {});
    beforeStream(tty);
    client.end(past);
    return;
  }
  beforeStream(tty);
  if (past.length > 0) client.write(past);
  const aborter = new AbortController();
  client.once('close', () => { aborter.abort(); });
  const { connection } = await engine.stdio.attach(record.id, aborter.signal);
  await pumpStdio(connection, client, {
    tty,
    stdin: queryBool(query, 'stdin') && record.config.options.openStdin === true,
    stdout: queryBool(query, 'stdout'),
    stderr: queryBool(query, 'stderr'),
    detachKeys,
  });
  client.end();
}

/** `POST /containers/{id}/attach` (hijacked, or a plain output-only stream) and `/resize`. */
export function attachRoutes(app: FastifyInstance, upgrades: UpgradeRouter, engine: ContainerEngine): void {
  upgrades.post('/containers/:id/attach', async ({ params, query, socket, switchProtocols }) => {
    await attachClient(engine, params.id ?? '', query, socket, switchProtocols);
  });

  app.post('/containers/:id/attach', async (request: Request, reply) => {
    engine.inspect(request.params.id);
    void reply.hijack();
    const socket = request.raw.socket;
    await attachClient(engine, request.params.id, { ...request.query, stdin: '0' }, socket, (tty) => {
      const type = tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream';
      socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nConnection: close\r\n\r\n`);
    }).catch((err: unknown) => {
      // Headers may be out already: the answer is the cut connection. The client going away
      // (canceled) or the container's removal (not-found) is no failure of berthd's.
      if (!socket.destroyed && !isBerthError(err, 'canceled') && !isBerthError(err, 'not-found')) {
        request.log.warn({ err, id: request.params.id }, 'attaching a client to a container failed');
      }
      socket.destroy();
    });
  });

  app.post('/containers/:id/resize', async (request: Request, reply) => {
    await engine.stdio.resize(request.params.id, queryInt(request.query, 'h') ?? 0, queryInt(request.query, 'w') ?? 0);
    return reply.status(200).send();
  });
}
