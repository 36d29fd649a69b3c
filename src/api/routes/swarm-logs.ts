/**
 * `GET /services/{id}/logs` and `GET /tasks/{id}/logs` on a manager: the tasks' logs gathered from
 * their nodes (`ClusterControl.serviceLogs`), as dockerd streams them — multiplexed frames, one line
 * each, `details` first naming the line's node, service and task (what `docker service logs` reads
 * to print `name.slot.task@node | line`), after the timestamp when one is asked for. A task whose
 * log cannot be read ends the stream with an error frame, as dockerd's "Error grabbing logs".
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../base/errors.js';
import type { ClusterControl, ClusterLogLine, TaskLogQuery } from '../../cluster/control/cluster-control.js';
import { stdioFrame } from '../../stdio/stdio-frames.js';
import { queryBool, queryString, queryTimeNs, type Query } from '../query.js';
import { parseTail } from '../streams/log-stream.js';
import { requireManager, swarmCall } from '../swarm-errors.js';

type Request = FastifyRequest<{ Querystring: Query; Params: { id: string } }>;

interface LogRequest {
  readonly query: TaskLogQuery;
  readonly details: boolean;
}

function logRequest(query: Query): LogRequest {
  const stdout = queryBool(query, 'stdout');
  const stderr = queryBool(query, 'stderr');
  if (!stdout && !stderr) throw errors.invalidArgument('no-streams', 'Bad parameters: you must choose at least one stream');
  const sinceNs = queryTimeNs(query, 'since');
  const since = sinceNs === undefined ? undefined : `${sinceNs / 1_000_000_000n}.${(sinceNs % 1_000_000_000n).toString().padStart(9, '0')}`;
  return {
    query: {
      follow: queryBool(query, 'follow'), timestamps: queryBool(query, 'timestamps'), stdout, stderr,
      tail: parseTail(queryString(query, 'tail')), ...(since === undefined ? {} : { since }),
    },
    details: queryBool(query, 'details'),
  };
}

/** The line's details as dockerd writes log attributes: `key=value` pairs sorted by key, query-escaped. */
export function logDetails(line: ClusterLogLine): string {
  const pairs: [string, string][] = [
    ['com.docker.swarm.node.id', line.nodeId], ['com.docker.swarm.service.id', line.serviceId], ['com.docker.swarm.task.id', line.taskId],
  ];
  return pairs.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`).join(',');
}

/** One line as a frame: `[timestamp ]details message` (details only when asked). */
export function encodeClusterLogLine(line: ClusterLogLine, request: LogRequest): Buffer {
  if (line.stream === 'error') return stdioFrame('systemerr', line.payload);
  if (!request.details) return stdioFrame(line.stream, line.payload);
  let timestamp: Buffer = Buffer.alloc(0);
  let message: Buffer = line.payload;
  if (request.query.timestamps) {
    const space = message.indexOf(0x20);
    timestamp = message.subarray(0, space + 1);
    message = message.subarray(space + 1);
  }
  return stdioFrame(line.stream, Buffer.concat([timestamp, Buffer.from(`${logDetails(line)} `), message]));
}

async function stream(request: Request, reply: FastifyReply, open: (query: TaskLogQuery, signal: AbortSignal) => Promise<AsyncIterable<ClusterLogLine>>): Promise<void> {
  const asked = logRequest(request.query);
  const aborter = new AbortController();
  request.raw.socket.once('close', () => { aborter.abort(); });
  const lines = await swarmCall(() => open(asked.query, aborter.signal));
  void reply.hijack();
  reply.raw.writeHead(200, { 'Content-Type': 'application/vnd.docker.multiplexed-stream' });
  reply.raw.flushHeaders();
  try {
    for await (const line of lines) {
      if (!reply.raw.write(encodeClusterLogLine(line, asked))) {
        await new Promise((resolve) => { reply.raw.once('drain', resolve); reply.raw.once('close', resolve); });
      }
      if (aborter.signal.aborted) break;
    }
  } finally {
    aborter.abort();
    reply.raw.end();
  }
}

export function swarmLogRoutes(app: FastifyInstance, cluster: ClusterControl): void {
  app.get('/services/:id/logs', async (request: Request, reply) => {
    requireManager(cluster);
    await stream(request, reply, (query, signal) => cluster.serviceLogs(request.params.id, query, signal));
  });
  app.get('/tasks/:id/logs', async (request: Request, reply) => {
    requireManager(cluster);
    await stream(request, reply, (query, signal) => cluster.taskLogs(request.params.id, query, signal));
  });
}
