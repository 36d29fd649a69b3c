/**
 * What runs while this node is a member: on every node the agent (its tasks on this engine) and the
 * cluster port (the logs of its tasks, for managers); on a manager also its etcd member (supervised
 * mode), the store, the cluster's routes of the cluster port, the leader loop (the controllers
 * and the autoscaler, while it leads) and the cluster event feed. `stopMemberParts` ends them in reverse order.
 */
import type { Etcd3 } from 'etcd3';
import type { Clock, Timers } from '../../base/clock.js';
import { messageOf } from '../../base/errors.js';
import { BerthClient } from '../../client/berth-client.js';
import { ClientNodeEngine, runAgent } from '../agent/index.js';
import { TaskLogSource } from '../agent/task-log-source.js';
import { TaskUsageMeter } from '../agent/task-usage-meter.js';
import type { NodeBackend } from '../transport/protocol.js';
import { runAutoscaler, runControlPlane } from '../controllers/index.js';
import { TaskUsageClient } from '../transport/task-usage-client.js';
import { clusterPortOf } from './cluster-logs.js';
import { systemRandom } from '../scheduler/index.js';
import { connectEtcd } from '../store/etcd-client.js';
import { EtcdClusterStore } from '../store/etcd-cluster-store.js';
import { EtcdHeartbeats } from '../store/etcd-heartbeats.js';
import { EtcdLeaderElection } from '../store/etcd-leader-election.js';
import { EtcdMember } from '../store/etcd-member.js';
import type { NodeTlsMaterial, TlsFiles } from '../trust/index.js';
import { startClusterPortServer, type ClusterPortServer } from '../transport/cluster-port-server.js';
import { ManagerClient } from '../transport/manager-client.js';
import { TaskLogClient } from '../transport/task-log-client.js';
import { newObjectId } from './ids.js';
import { runLeaderLoop } from './leader-loop.js';
import { ExternalEtcd, SupervisedEtcd } from './manager-etcd.js';
import { StoreManagerBackend, type HeartbeatSettings } from './manager-backend.js';
import { ManagerControl } from './manager-control.js';
import type { Membership } from './membership.js';
import type { NodeRole } from '../objects/node.js';
import { CONTROL_PLANE_ELECTION } from './leader-loop.js';
import type { TaskFiles } from '../agent/agent-ports.js';
import { fetchDataKeys } from '../transport/data-key-client.js';
import { DataKeyring } from './data-keyring.js';
import { managerAddresses } from './manager-backend.js';
import { readNodes } from './stored-objects.js';
import { runClusterEventFeed } from './cluster-event-feed.js';
import type { ClusterEvent } from './cluster-events.js';
import { readClusterState, type ClusterMetrics } from './cluster-metrics.js';

export interface PartsContext {
  readonly socketPath: string;
  readonly etcdDataDir: string;
  readonly tls: NodeTlsMaterial;
  /** Managers with a supervised member: the node's certificate of the etcd CA (etcd trusts only that CA). */
  readonly etcdTls: NodeTlsMaterial | undefined;
  readonly etcdTlsFiles: TlsFiles;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log: (message: string) => void;
  readonly heartbeat?: HeartbeatSettings;
  readonly electionTtlSeconds?: number;
  /** The role the managers' heartbeat answers ask this node for (see role-change.ts). */
  readonly onRole?: (role: NodeRole) => void;
  /** A manager's data keys file (membership.ts). */
  readonly dataKeysFile: string;
  /** Where the agent puts its tasks' secret and config files; without it, tasks that use some fail to start. */
  readonly taskFiles?: TaskFiles;
  /** A manager's cluster events (cluster-events.ts), for the daemon's event stream. */
  readonly onClusterEvent?: (event: ClusterEvent) => void;
  /** The cluster's metrics (cluster-metrics.ts): etcd calls timed, leadership, scheduling, and a manager's state read at scrape time. */
  readonly metrics?: ClusterMetrics;
}

export interface ManagerParts {
  readonly member: EtcdMember | undefined;
  readonly client: Etcd3;
  readonly store: EtcdClusterStore;
  readonly heartbeats: EtcdHeartbeats;
  readonly control: ManagerControl;
  /** Reads task logs from the nodes' cluster ports. */
  readonly taskLogs: TaskLogClient;
  /** Reads what the nodes' tasks use, for the autoscaler. */
  readonly taskUsage: TaskUsageClient;
  readonly leaderLoop: Promise<void>;
  /** The cluster event feed, while this node is a manager (resolved at once without a listener). */
  readonly eventFeed: Promise<void>;
  /** The metrics whose state gauges read this manager's store (stopped with the parts). */
  readonly metrics: ClusterMetrics | undefined;
}

export interface MemberParts {
  readonly manager: ManagerParts | undefined;
  /** The cluster port: a manager's routes on managers, the task-logs route on every member. */
  readonly server: ClusterPortServer;
  readonly engineClient: BerthClient;
  readonly stop: AbortController;
  readonly agent: Promise<void>;
}

/**
 * A deadline for each etcd call of a manager (watches excepted): a call to a member that cannot
 * answer (it lost its quorum, or is cut off) fails in time for the caller to try elsewhere — a
 * node's heartbeat, in particular, must fail over to another manager well before its lease (15 s) ends.
 */
const ETCD_CALL_TIMEOUT_MS = 3_000;

/** Starts this manager's etcd member, or returns undefined with an external etcd. */
export async function startEtcdMember(membership: Membership, ctx: PartsContext): Promise<EtcdMember | undefined> {
  const etcd = membership.etcd;
  if (etcd?.mode !== 'member') return undefined;
  return EtcdMember.start({
    name: etcd.name, dataDir: ctx.etcdDataDir, clientUrl: etcd.clientUrl, peerUrl: etcd.peerUrl,
    initialCluster: etcd.initialCluster, clusterState: etcd.clusterState, tls: ctx.etcdTlsFiles,
    onLog: (line) => { if (/"level":"(error|fatal|panic)"/.test(line)) ctx.log(`etcd: ${line}`); },
  });
}

/** The etcd client URLs a manager uses. */
function endpointsOf(membership: Membership): string[] {
  const etcd = membership.etcd;
  if (etcd === undefined) return [];
  return etcd.mode === 'member' ? [etcd.clientUrl, ...etcd.peerClientUrls.filter((url) => url !== etcd.clientUrl)] : [...etcd.endpoints];
}

/** The manager's store, control and backend; its leader loop starts once the cluster port listens (`lead`). */
function openManagerParts(membership: Membership, member: EtcdMember | undefined, ctx: PartsContext) {
  const external = membership.etcd?.mode === 'external';
  const metrics = ctx.metrics;
  const connect = (): Etcd3 => connectEtcd(endpointsOf(membership), {
    callTimeoutMs: ETCD_CALL_TIMEOUT_MS, ...(external || ctx.etcdTls === undefined ? {} : { tls: ctx.etcdTls }),
    ...(metrics === undefined ? {} : { timing: metrics.etcdTiming }),
  });
  const client = connect();
  const store = new EtcdClusterStore(client);
  const heartbeats = new EtcdHeartbeats(client);
  const election = new EtcdLeaderElection(client, { ttlSeconds: ctx.electionTtlSeconds ?? 5 });
  const keyring = new DataKeyring({
    file: ctx.dataKeysFile,
    fetch: async () => fetchDataKeys(ctx.tls, managerAddresses(await readNodes(store)).filter((m) => m.nodeId !== membership.nodeId).map((m) => m.addr)),
  });
  const control = new ManagerControl({ store, heartbeats, clock: ctx.clock, leader: () => election.leader(CONTROL_PLANE_ELECTION), keyring });
  const etcd = membership.etcd?.mode === 'external' ? new ExternalEtcd(membership.etcd.endpoints) : new SupervisedEtcd(connect);
  const backend = new StoreManagerBackend({
    store, heartbeats, etcd, clock: ctx.clock, ...(ctx.heartbeat === undefined ? {} : { heartbeat: ctx.heartbeat }),
    keyring, files: (tasks) => control.files.filesFor(tasks, ctx.log),
  });
  const onEvent = ctx.onClusterEvent;
  const taskUsage = new TaskUsageClient(ctx.tls);
  const lead = (stop: AbortSignal): ManagerParts => {
    metrics?.readFrom(() => readClusterState(store, ctx.log));
    return {
      member, client, store, heartbeats, control, taskLogs: new TaskLogClient(ctx.tls), taskUsage, metrics,
      eventFeed: onEvent === undefined ? Promise.resolve() : runClusterEventFeed({ store, timers: ctx.timers, signal: stop, emit: onEvent, log: ctx.log }),
      leaderLoop: runLeaderLoop({
        election, nodeId: membership.nodeId, signal: stop, timers: ctx.timers, log: ctx.log,
        ...(metrics === undefined ? {} : { onLeadership: (leading: boolean) => { metrics.leadership(leading); } }),
        lead: async (leadership) => {
          const { fence, signal } = leadership;
          await Promise.all([
            runControlPlane({
              store, heartbeats, fence, signal, clock: ctx.clock, timers: ctx.timers, random: systemRandom, newId: newObjectId, log: ctx.log,
              ...(metrics === undefined ? {} : { onTaskScheduled: (seconds: number) => { metrics.scheduled(seconds); } }),
            }),
            runAutoscaler({ store, heartbeats, fence, signal, clock: ctx.clock, timers: ctx.timers, log: ctx.log, usageOf: (node) => taskUsage.usage(clusterPortOf(node)) }),
          ]);
        },
      }),
    };
  };
  return { client, backend, lead };
}

/** What this member answers managers on the cluster port: its tasks' logs and usage, read from its engine. */
function nodeBackend(engineClient: BerthClient): NodeBackend {
  const logs = new TaskLogSource(engineClient);
  const meter = new TaskUsageMeter(engineClient);
  return { taskLogs: (taskId, query, signal) => logs.taskLogs(taskId, query, signal), taskUsage: () => meter.taskUsage() };
}

/** Starts everything a member runs (the etcd member, when supervised, is started by the caller). */
export async function startMemberParts(membership: Membership, member: EtcdMember | undefined, ctx: PartsContext): Promise<MemberParts> {
  const stop = new AbortController();
  const engineClient = new BerthClient(ctx.socketPath);
  const opened = membership.role === 'manager' ? openManagerParts(membership, member, ctx) : undefined;
  let server: ClusterPortServer;
  try {
    server = await startClusterPortServer({
      host: membership.listenHost, port: membership.port, tls: ctx.tls, clusterId: membership.clusterId,
      node: nodeBackend(engineClient), ...(opened === undefined ? {} : { manager: opened.backend }),
    });
  } catch (err) {
    opened?.client.close();
    throw err;
  }
  const manager = opened?.lead(stop.signal);
  const link = new ManagerClient(ctx.tls, membership.managers.map((m) => m.addr));
  const agent = runAgent({
    nodeId: membership.nodeId, link, engine: new ClientNodeEngine(engineClient), clock: ctx.clock, timers: ctx.timers, signal: stop.signal, log: ctx.log,
    ...(ctx.taskFiles === undefined ? {} : { files: ctx.taskFiles }),
    ...(ctx.onRole === undefined ? {} : { onRole: ctx.onRole }),
  }).catch((err: unknown) => { ctx.log(`cluster: agent stopped: ${messageOf(err)}`); });
  return { manager, server, engineClient, stop, agent };
}

/** Stops the agent (its containers keep running), then the manager's parts, then etcd. */
export async function stopMemberParts(parts: MemberParts): Promise<void> {
  parts.stop.abort();
  await parts.agent;
  const manager = parts.manager;
  if (manager !== undefined) {
    manager.metrics?.readFrom(undefined);
    await manager.leaderLoop;
    await manager.eventFeed;
  }
  await parts.server.close();
  if (manager !== undefined) {
    manager.taskLogs.close();
    manager.taskUsage.close();
    await manager.store.close();
    manager.client.close();
    await manager.member?.stop();
  }
}
