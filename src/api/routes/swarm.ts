/**
 * The Swarm routes of a node with a cluster (`ClusterControl`), registered instead of
 * `swarm-inactive.ts`: `/swarm` (inspect, init, join, leave, update: token rotation) here, nodes,
 * services and tasks in their own modules. Every cluster call's error is worded as dockerd's
 * (`../swarm-errors.ts`). Secrets and configs in `swarm-file-objects.ts`; autolock (unlock,
 * unlock key) is not served yet: 501 on a manager (a worker answers as dockerd's, 503 not a manager).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors, isBerthError } from '../../base/errors.js';
import { componentLogger } from '../../base/logger.js';
import type { ClusterControl, InitRequest, JoinRequest } from '../../cluster/control/cluster-control.js';
import { parseSchema } from '../../oci/parse-json.js';
import { swarmInitRequestSchema, swarmJoinRequestSchema, swarmSpecSchema } from '../../wire/swarm.js';
import type { SwarmInfo } from '../../wire/system.js';
import { withSchemaFieldNames } from '../go-field-names.js';
import { queryBool, type Query } from '../query.js';
import { OUT_OF_SEQUENCE_MESSAGE, requireManager, swarmCall } from '../swarm-errors.js';
import { updateVersion } from '../swarm-query.js';
import { checkSwarmSpecUnchanged } from '../swarm-spec-check.js';
import { swarmInfoView, swarmView } from '../swarm-views.js';
import { swarmLogRoutes } from './swarm-logs.js';
import { swarmNodeRoutes } from './swarm-nodes.js';
import { networkPolicyRoutes } from './network-policies.js';
import { swarmServiceRoutes, type ServiceAdmission } from './swarm-services.js';
import { unservedSwarmRoutes } from './swarm-unserved.js';
import { swarmFileObjectRoutes } from './swarm-file-objects.js';
import { swarmTaskRoutes } from './swarm-tasks.js';

type Request = FastifyRequest<{ Querystring: Query; Body: unknown }>;

const log = componentLogger('api');

/**
 * `/info` shows what of the cluster can be read now: a part that cannot is left out. No leader or
 * no quorum (unavailable), or no manager any more (failed-precondition), are routine: debug.
 */
function leftOutOfInfo(what: string): (err: unknown) => undefined {
  return (err) => {
    const routine = isBerthError(err, 'unavailable') || isBerthError(err, 'failed-precondition');
    if (routine) log.debug(`${what} for /info failed`, { err });
    else log.warn(`${what} for /info failed`, { err });
    return undefined;
  };
}

/** `/info`'s `Swarm` of a node with a cluster (a manager's with its cluster object). */
export function clusterSwarmInfo(cluster: ClusterControl): () => Promise<SwarmInfo> {
  return async () => {
    const local = cluster.local();
    if (!local.controlAvailable) return swarmInfoView(local);
    const [info, nodes = []] = await Promise.all([cluster.inspect().catch(leftOutOfInfo('reading the cluster')), cluster.listNodes().catch(leftOutOfInfo('listing the nodes'))]);
    const managers = nodes.filter((n) => n.node.spec.role === 'manager').length;
    return swarmInfoView({ ...local, nodes: nodes.length, managers }, info);
  };
}

const nonEmpty = (value: string | null | undefined): value is string => value !== undefined && value !== null && value !== '';

function initRequest(body: unknown): { request: InitRequest; availability: 'active' | 'pause' | 'drain' } {
  const init = parseSchema(swarmInitRequestSchema, withSchemaFieldNames(body ?? {}, swarmInitRequestSchema), 'swarm init request');
  if (init.ForceNewCluster === true) throw errors.invalidArgument('unsupported-swarm-setting', 'ForceNewCluster: not supported yet');
  if (init.AutoLockManagers === true) throw errors.invalidArgument('unsupported-swarm-setting', 'AutoLockManagers: swarm autolock is not supported yet');
  const spec = init.Spec;
  // Only what would be silently lost: the docker CLI's other init settings are Swarm's defaults.
  checkSwarmSpecUnchanged({
    ...(spec?.CAConfig ? { CAConfig: { ExternalCAs: spec.CAConfig.ExternalCAs, SigningCACert: spec.CAConfig.SigningCACert, SigningCAKey: spec.CAConfig.SigningCAKey } } : {}),
    ...(spec?.EncryptionConfig ? { EncryptionConfig: spec.EncryptionConfig } : {}),
    ...(spec?.TaskDefaults ? { TaskDefaults: spec.TaskDefaults } : {}),
  });
  return {
    request: {
      ...(nonEmpty(init.AdvertiseAddr) ? { advertiseAddr: init.AdvertiseAddr } : {}),
      ...(nonEmpty(init.ListenAddr) ? { listenAddr: init.ListenAddr } : {}),
      ...(init.EtcdEndpoints !== undefined && init.EtcdEndpoints !== null && init.EtcdEndpoints.length > 0 ? { etcdEndpoints: init.EtcdEndpoints } : {}),
    },
    availability: init.Availability ?? 'active',
  };
}

function joinRequest(body: unknown): JoinRequest {
  const join = parseSchema(swarmJoinRequestSchema, withSchemaFieldNames(body ?? {}, swarmJoinRequestSchema), 'swarm join request');
  const remoteAddrs = (join.RemoteAddrs ?? []).filter(nonEmpty);
  if (remoteAddrs.length === 0) throw errors.invalidArgument('invalid-join-request', 'RemoteAddrs: at least one manager address is required');
  if (!nonEmpty(join.JoinToken)) throw errors.invalidArgument('invalid-join-token', 'JoinToken: a join token is required');
  if ((join.Availability ?? 'active') !== 'active') {
    throw errors.invalidArgument('unsupported-swarm-setting', `Availability: joining as "${join.Availability ?? ''}" is not supported yet; join, then "docker node update --availability"`);
  }
  return {
    remoteAddrs,
    joinToken: join.JoinToken,
    ...(nonEmpty(join.AdvertiseAddr) ? { advertiseAddr: join.AdvertiseAddr } : {}),
    ...(nonEmpty(join.ListenAddr) ? { listenAddr: join.ListenAddr } : {}),
  };
}

/** Registers the Swarm routes over `cluster`. */
export function swarmRoutes(app: FastifyInstance, cluster: ClusterControl, admission?: ServiceAdmission): void {
  app.get('/swarm', async () => swarmView(await swarmCall(() => cluster.inspect())));

  app.post('/swarm/init', async (request: Request, reply: FastifyReply) => {
    const { request: init, availability } = initRequest(request.body);
    const nodeId = await swarmCall(() => cluster.init(init));
    if (availability !== 'active') {
      const { node } = await swarmCall(() => cluster.getNode(nodeId));
      await swarmCall(() => cluster.updateNode(node.id, node.version, { role: node.spec.role, availability, labels: node.spec.labels }));
    }
    return reply.type('application/json').send(JSON.stringify(nodeId));
  });

  app.post('/swarm/join', async (request: Request, reply: FastifyReply) => {
    await swarmCall(() => cluster.join(joinRequest(request.body)));
    return reply.send();
  });

  app.post('/swarm/leave', async (request: Request, reply: FastifyReply) => {
    await swarmCall(() => cluster.leave(queryBool(request.query, 'force')));
    return reply.send();
  });

  app.post('/swarm/update', async (request: Request, reply: FastifyReply) => {
    const version = updateVersion(request.query, 'swarm');
    requireManager(cluster);
    checkSwarmSpecUnchanged(parseSchema(swarmSpecSchema, withSchemaFieldNames(request.body ?? {}, swarmSpecSchema), 'swarm spec'));
    if (queryBool(request.query, 'rotateManagerUnlockKey')) throw errors.invalidArgument('unsupported-swarm-setting', 'rotateManagerUnlockKey: swarm autolock is not supported yet');
    const current = await swarmCall(() => cluster.inspect());
    if (current.version !== version) throw errors.internal('stale-version', OUT_OF_SEQUENCE_MESSAGE);
    if (queryBool(request.query, 'rotateWorkerToken')) await swarmCall(() => cluster.rotateJoinToken('worker'));
    if (queryBool(request.query, 'rotateManagerToken')) await swarmCall(() => cluster.rotateJoinToken('manager'));
    return reply.send();
  });

  swarmNodeRoutes(app, cluster);
  swarmServiceRoutes(app, cluster, admission);
  swarmTaskRoutes(app, cluster);
  swarmLogRoutes(app, cluster);
  swarmFileObjectRoutes(app, cluster);
  networkPolicyRoutes(app, cluster);
  unservedSwarmRoutes(app, cluster);
}
