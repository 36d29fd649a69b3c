/**
 * A member's side of the cluster port (protocol.ts): HTTPS with optional client certificates. A
 * manager serves the cluster's routes: `/ca` and `/join` are open; every other route first checks
 * the caller's node certificate (peer-identity.ts) before its body is read, and passes the node id
 * it names to the backend. Every member serves its tasks' logs, to managers only.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { BerthError, isBerthError } from '../../base/errors.js';
import { serverTlsOptions, type NodeTlsMaterial } from '../trust/index.js';
import { errorAnswer } from './error-answers.js';
import { peerNode, type PeerNode } from './peer-identity.js';
import { CLUSTER_ROUTES, type ManagerBackend, type NodeBackend } from './protocol.js';
import { assignmentsQuerySchema, heartbeatQuerySchema, joinCallSchema, parseWith, roleCallSchema, statusReportsSchema, taskLogQuerySchema } from './protocol-schemas.js';
import { MULTIPLEXED_STREAM, RAW_STREAM } from '../../client/stdio-output.js';

/** The largest join body (a public key and a node description). */
export const MAX_JOIN_BODY_BYTES = 64 * 1024;
/** The largest status body (`MAX_REPORTS_PER_CALL` reports of a few hundred bytes). */
export const MAX_STATUS_BODY_BYTES = 4 * 1024 * 1024;

export interface ClusterPortServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** The member's own key and certificate, and the cluster's CA (which client certificates must chain to). */
  readonly tls: NodeTlsMaterial;
  /** Managers only: the cluster's routes. */
  readonly manager?: ManagerBackend;
  readonly node: NodeBackend;
  /** Client certificates must name this cluster. */
  readonly clusterId: string;
}

export interface ClusterPortServer {
  /** The port it listens on. */
  readonly port: number;
  /** Stops listening and ends every connection (long polls see their signal abort). */
  close(): Promise<void>;
}

/** A Fastify parse or limit error as the BerthError the caller gets. */
function requestError(err: unknown): unknown {
  if (isBerthError(err)) return err;
  const fastifyError = err as Partial<FastifyError>;
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new BerthError('invalid-argument', 'body-too-large', 'the request body is larger than this route accepts');
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    return new BerthError('invalid-argument', 'invalid-request', `invalid request: ${fastifyError.message ?? 'unreadable'}`);
  }
  return err;
}

function sendError(err: unknown, reply: FastifyReply): void {
  const answer = errorAnswer(requestError(err));
  void reply.status(answer.status).send(answer.body);
}

/** An AbortSignal that aborts when the caller goes away before its answer was sent. */
function signalOfCaller(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new BerthError('canceled', 'caller-gone', 'the node went away before its answer'));
  });
  return controller.signal;
}

/** Starts the cluster port on `host:port`; resolves once it listens. */
export async function startClusterPortServer(options: ClusterPortServerOptions): Promise<ClusterPortServer> {
  const { manager: backend, node, tls, clusterId } = options;
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: MAX_JOIN_BODY_BYTES, https: serverTlsOptions(tls) });
  const members = new WeakMap<IncomingMessage, PeerNode>();
  const peerOf = (request: FastifyRequest): PeerNode => {
    const peer = members.get(request.raw);
    if (peer === undefined) throw new BerthError('internal', 'peer-not-checked', 'member route served without a checked peer');
    return peer;
  };
  // A connection's certificate is checked once (reading it is most of an idle request's cost):
  // TLS 1.3 cannot renegotiate, so it stays the same while the connection lives.
  const checked = new WeakMap<Socket, PeerNode>();
  const peerOfConnection = (socket: Socket): PeerNode => {
    let peer = checked.get(socket);
    if (peer === undefined) {
      peer = peerNode(socket, tls.caCertPem, clusterId);
      checked.set(socket, peer);
    }
    return peer;
  };
  // Checked before the body is read; a refusal (thrown in the executor) rejects the hook.
  const memberOnly = { onRequest: (request: FastifyRequest) => new Promise<void>((resolve) => {
    members.set(request.raw, peerOfConnection(request.raw.socket));
    resolve();
  }) };
  const managersOnly = { onRequest: (request: FastifyRequest) => new Promise<void>((resolve) => {
    const peer = peerOfConnection(request.raw.socket);
    if (peer.role !== 'manager') throw new BerthError('permission-denied', 'manager-route', 'only managers may call this route of the cluster port');
    members.set(request.raw, peer);
    resolve();
  }) };

  app.setErrorHandler((err, _request, reply) => { sendError(err, reply); });
  app.setNotFoundHandler((request, reply) => {
    sendError(new BerthError('not-found', 'no-such-route', `the cluster port has no route ${request.method} ${request.url.split('?')[0] ?? ''}`), reply);
  });

  if (backend !== undefined) managerRoutes(app, backend, memberOnly, peerOf);
  const dataKeys = backend?.dataKeys?.bind(backend);
  if (dataKeys !== undefined) app.get(CLUSTER_ROUTES.dataKeys, managersOnly, async () => ({ keys: await dataKeys() }));
  app.get(CLUSTER_ROUTES.taskLogs, managersOnly, async (request, reply) => {
    const { task, ...query } = parseWith(taskLogQuerySchema, request.query, 'task-logs', 'invalid-task-log-query');
    const log = await node.taskLogs(task, query, signalOfCaller(reply));
    return reply.type(log.tty ? RAW_STREAM : MULTIPLEXED_STREAM).send(Readable.from(log.body));
  });

  app.get(CLUSTER_ROUTES.taskUsage, managersOnly, async () => ({ usage: await node.taskUsage() }));

  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { port, close: () => app.close() };
}

type MemberHook = { onRequest: (request: FastifyRequest) => Promise<void> };

function managerRoutes(app: FastifyInstance, backend: ManagerBackend, memberOnly: MemberHook, peerOf: (request: FastifyRequest) => PeerNode): void {
  const member = (request: FastifyRequest): string => peerOf(request).nodeId;
  app.get(CLUSTER_ROUTES.ca, async () => ({ caCertPem: await backend.caCertPem() }));
  app.post(CLUSTER_ROUTES.join, async (request) => {
    const call = parseWith(joinCallSchema, request.body, 'join', 'invalid-join-call');
    const peer = (request.raw.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    return backend.join(call, peer);
  });
  app.post(CLUSTER_ROUTES.heartbeat, memberOnly, async (request) => {
    const { transition } = parseWith(heartbeatQuerySchema, request.query, 'heartbeat', 'invalid-heartbeat-query');
    return backend.heartbeat(member(request), transition);
  });
  app.post(CLUSTER_ROUTES.role, memberOnly, async (request) => {
    const call = parseWith(roleCallSchema, request.body, 'role', 'invalid-role-call');
    const peer = peerOf(request);
    return backend.changeRole(peer.nodeId, call, peer.role);
  });
  app.get(CLUSTER_ROUTES.assignments, memberOnly, async (request, reply) => {
    const { since } = parseWith(assignmentsQuerySchema, request.query, 'assignments', 'invalid-assignments-query');
    return backend.assignments(member(request), since, signalOfCaller(reply));
  });
  app.post(CLUSTER_ROUTES.status, { ...memberOnly, bodyLimit: MAX_STATUS_BODY_BYTES }, async (request, reply) => {
    const { reports } = parseWith(statusReportsSchema, request.body, 'status', 'invalid-status-report');
    await backend.report(member(request), reports);
    await reply.status(204).send();
  });
}
