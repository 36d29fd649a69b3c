/**
 * The cluster's objects as the Docker Engine API shows them: Node, Service, Task, the Swarm of
 * `GET /swarm` and `/info`'s `Swarm` object. Pure functions of what `ClusterControl` returns.
 * A node's NodeSpec.Name is not stored: it is left out (empty), as dockerd shows an unnamed node.
 */
import type { ClusterInfo, ClusterNode, LocalClusterInfo } from '../cluster/control/cluster-control.js';
import type { ClusterNetwork, Service, Task } from '../cluster/objects/index.js';
import type { ObjectMeta } from '../cluster/objects/object-meta.js';
import { desiredTasks } from '../cluster/objects/desired-tasks.js';
// Not the folder's index: that one brings the X.509 library, which showing a CA does not need.
import { caIssuerInfo } from '../cluster/trust/ca-certificate.js';
import type { SwarmClusterInfo, SwarmInspect, SwarmNode, SwarmObjectMeta, SwarmService, SwarmSpec, SwarmTask, TLSInfo } from '../wire/swarm.js';
import { ENGINE_PLUGINS } from './info-view.js';
import type { SwarmInfo } from '../wire/system.js';
import { portsView, serviceSpecView, taskSpecView } from './swarm-spec-views.js';
import { swarmNetworkView } from './cluster-network-views.js';
import { updateStatusView } from './swarm-update-views.js';
import { jobStatusView } from './swarm-jobs.js';
import { autoscaleStatusView } from './swarm-autoscale.js';

function metaView(meta: ObjectMeta): SwarmObjectMeta {
  return { ID: meta.id, Version: { Index: meta.version }, CreatedAt: meta.createdAt, UpdatedAt: meta.updatedAt };
}

/** The cluster CA as a node's and the swarm's TLSInfo. */
function tlsInfoView(caCertPem: string): TLSInfo {
  if (caCertPem === '') return {};
  const issuer = caIssuerInfo(caCertPem);
  return { TrustRoot: caCertPem, CertIssuerSubject: issuer.subject, CertIssuerPublicKey: issuer.publicKey };
}

/** A node; `trustRoot` is the cluster CA's certificate (PEM), every node's TLSInfo.TrustRoot. */
export function nodeView(clusterNode: ClusterNode, trustRoot: string): SwarmNode {
  const { node, manager } = clusterNode;
  const { description, status } = node;
  return {
    ...metaView(node),
    Spec: { Labels: { ...node.spec.labels }, Role: node.spec.role, Availability: node.spec.availability },
    Description: {
      Hostname: description.hostname,
      Platform: { Architecture: description.platform.arch, OS: description.platform.os },
      Resources: {
        ...(description.resources.nanoCpus > 0 ? { NanoCPUs: description.resources.nanoCpus } : {}),
        ...(description.resources.memoryBytes > 0 ? { MemoryBytes: description.resources.memoryBytes } : {}),
      },
      Engine: {
        ...(description.engineVersion === undefined ? {} : { EngineVersion: description.engineVersion }),
        ...(Object.keys(description.engineLabels).length > 0 ? { Labels: { ...description.engineLabels } } : {}),
        Plugins: (['Log', 'Network', 'Volume'] as const).flatMap((type) => ENGINE_PLUGINS[type].map((name) => ({ Type: type, Name: name }))),
      },
      TLSInfo: tlsInfoView(trustRoot),
    },
    Status: {
      State: status.state,
      ...(status.message === '' ? {} : { Message: status.message }),
      ...(status.addr === '' ? {} : { Addr: status.addr }),
    },
    ...(manager === undefined
      ? {}
      : { ManagerStatus: { ...(manager.leader ? { Leader: true } : {}), Reachability: manager.reachability, Addr: manager.addr } }),
  };
}

/** How many of a service's tasks run, how many it wants, and (jobs) how many completed (`GET /services?status=true`). */
export interface ServiceTaskCounts {
  readonly running: number;
  readonly desired: number;
  readonly completed: number;
}

/**
 * Counts a service's tasks as dockerd does: running ones; desired, the replicas (replicated),
 * the tasks desired running (global), a replicated job's concurrency (MaxConcurrent, at most
 * TotalCompletions; also once the run ended, as dockerd) or a global job's tasks of its current
 * run still to finish (the docker CLI adds the completed ones for the run's total); completed, a
 * job's current run's completed tasks.
 */
export function serviceTaskCounts(service: Service, tasks: readonly Task[]): ServiceTaskCounts {
  const own = tasks.filter((task) => task.serviceId === service.id);
  const running = own.filter((task) => task.status.state === 'running').length;
  const isJob = service.spec.mode.kind === 'replicated-job' || service.spec.mode.kind === 'global-job';
  const completed = isJob ? own.filter((task) => task.jobIteration !== undefined && task.jobIteration === service.jobStatus?.iteration && task.status.state === 'complete').length : 0;
  return { running, desired: desiredTasks(service, own), completed };
}

export function serviceView(service: Service, counts?: ServiceTaskCounts): SwarmService {
  return {
    ...metaView(service),
    Spec: serviceSpecView(service.spec),
    Endpoint: {
      Spec: { Mode: service.spec.endpointMode, ...(service.spec.ports.length > 0 ? { Ports: portsView(service.spec.ports) } : {}) },
      ...(service.endpointPorts.length > 0 ? { Ports: portsView(service.endpointPorts) } : {}),
      ...(service.virtualIps.length > 0 ? { VirtualIPs: service.virtualIps.map((v) => ({ NetworkID: v.networkId, Addr: v.address })) } : {}),
    },
    ...(counts === undefined ? {} : { ServiceStatus: { RunningTasks: counts.running, DesiredTasks: counts.desired, CompletedTasks: counts.completed } }),
    ...(service.previousSpec === undefined ? {} : { PreviousSpec: serviceSpecView(service.previousSpec) }),
    ...(service.updateStatus === undefined ? {} : { UpdateStatus: updateStatusView(service.updateStatus) }),
    ...(service.jobStatus === undefined ? {} : { JobStatus: jobStatusView(service.jobStatus) }),
    ...(service.autoscaleStatus === undefined ? {} : { AutoscaleStatus: autoscaleStatusView(service.autoscaleStatus) }),
  };
}

/** A task in Docker's shape; `networks` (by id) gives its NetworksAttachments their Network. */
export function taskView(task: Task, networks: ReadonlyMap<string, ClusterNetwork> = new Map()): SwarmTask {
  const { status } = task;
  const hasContainer = status.containerId !== undefined || status.exitCode !== undefined;
  return {
    ...metaView(task),
    Labels: {},
    Spec: taskSpecView(task.spec),
    ServiceID: task.serviceId,
    ...(task.slot === undefined || task.slot === 0 ? {} : { Slot: task.slot }),
    ...(task.nodeId === undefined ? {} : { NodeID: task.nodeId }),
    Status: {
      Timestamp: status.timestamp,
      State: status.state,
      ...(status.message === '' ? {} : { Message: status.message }),
      ...(status.err === undefined || status.err === '' ? {} : { Err: status.err }),
      ...(hasContainer
        ? {
            ContainerStatus: {
              ...(status.containerId === undefined ? {} : { ContainerID: status.containerId }),
              ...(status.exitCode === undefined || status.exitCode === 0 ? {} : { ExitCode: status.exitCode }),
            },
          }
        : {}),
      PortStatus: {},
    },
    DesiredState: task.desiredState,
    ...(task.jobIteration === undefined ? {} : { JobIteration: { Index: task.jobIteration } }),
    ...attachmentsView(task, networks),
  };
}

function attachmentsView(task: Task, networks: ReadonlyMap<string, ClusterNetwork>): Pick<SwarmTask, 'NetworksAttachments'> {
  const attachments = task.networks.flatMap((a) => {
    const network = networks.get(a.networkId);
    return network === undefined ? [] : [{ Network: swarmNetworkView(network), Addresses: [a.address] }];
  });
  return attachments.length === 0 ? {} : { NetworksAttachments: attachments };
}

/** The swarm's settings: Swarm's defaults, which berth's cluster does not change. */
export function defaultSwarmSpec(): SwarmSpec {
  return {
    Name: 'default',
    Labels: {},
    Orchestration: { TaskHistoryRetentionLimit: 5 },
    Raft: { SnapshotInterval: 10000, KeepOldSnapshots: 0, LogEntriesForSlowFollowers: 500, ElectionTick: 10, HeartbeatTick: 1 },
    Dispatcher: { HeartbeatPeriod: 5_000_000_000 },
    CAConfig: { NodeCertExpiry: 7_776_000_000_000_000 },
    TaskDefaults: {},
    EncryptionConfig: { AutoLockManagers: false },
  };
}

/** The swarm without its join tokens (`/info`'s `Swarm.Cluster`). */
export function clusterInfoView(cluster: ClusterInfo): SwarmClusterInfo {
  return {
    ID: cluster.id,
    Version: { Index: cluster.version },
    CreatedAt: cluster.createdAt,
    UpdatedAt: cluster.updatedAt,
    Spec: defaultSwarmSpec(),
    TLSInfo: tlsInfoView(cluster.caCertPem),
    RootRotationInProgress: false,
    DefaultAddrPool: ['10.0.0.0/8'],
    SubnetSize: 24,
    DataPathPort: 4789,
  };
}

/** `GET /swarm`. */
export function swarmView(cluster: ClusterInfo): SwarmInspect {
  return { ...clusterInfoView(cluster), JoinTokens: { Worker: cluster.joinTokens.worker, Manager: cluster.joinTokens.manager } };
}

/** `/info`'s `Swarm`; `cluster` for a manager. */
export function swarmInfoView(local: LocalClusterInfo, cluster?: ClusterInfo): SwarmInfo {
  return {
    NodeID: local.nodeId,
    NodeAddr: local.nodeAddr,
    LocalNodeState: local.state,
    ControlAvailable: local.controlAvailable,
    Error: local.error,
    RemoteManagers: local.remoteManagers.length === 0 ? null : local.remoteManagers.map((m) => ({ NodeID: m.nodeId, Addr: m.addr })),
    ...(local.nodes === undefined || local.nodes === 0 ? {} : { Nodes: local.nodes }),
    ...(local.managers === undefined || local.managers === 0 ? {} : { Managers: local.managers }),
    ...(cluster === undefined ? {} : { Cluster: clusterInfoView(cluster) }),
  };
}
