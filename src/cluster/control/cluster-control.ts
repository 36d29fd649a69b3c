/**
 * The cluster as this node's API sees it: what the Swarm routes (`/swarm`, `/nodes`, `/services`,
 * `/tasks`) and `/info` call. The API layer translates Swarm's JSON to and from these objects; the
 * implementation (this folder) runs the node's part of the cluster (membership, the manager's
 * server and controllers, the agent).
 *
 * Errors (BerthError kinds): unavailable `not-a-manager` (the Swarm routes of a worker or a node in
 * no cluster; dockerd's 503 "This node is not a swarm manager…"), unavailable `not-in-cluster`
 * (leave, join-token on a node in no cluster), conflict `already-in-cluster` (init or join twice),
 * invalid-argument naming the field for bad specs (`invalid-service-spec`, `invalid-constraint`,
 * `invalid-join-token`, `invalid-node-spec`…), permission-denied `join-refused` (a wrong or rotated
 * token, a CA that does not match the token), not-found (`node-not-found`, `service-not-found`,
 * `task-not-found`), conflict `stale-version` (an update with a version that moved on), conflict
 * `service-name-in-use`, failed-precondition `node-not-down` (rm of a live node without force),
 * failed-precondition `last-manager` (demote or leave of the last manager).
 */
import type { Node, NodeAvailability, NodeRole } from '../objects/node.js';
import type { ClusterNetwork, NetworkSpecInput } from '../objects/network.js';
import type { NetworkPolicy } from '../objects/network-policy.js';
import type { Service, ServiceSpecInput } from '../objects/service.js';
import type { Labels } from '../objects/object-meta.js';
import type { Task } from '../objects/task.js';
import type { Config, FileObjectKind, FileObjectSpecInput, Secret } from '../objects/secret.js';
import type { TaskLogQuery } from '../transport/protocol.js';
import type { ClusterLogLine } from './cluster-logs.js';

export type { ClusterLogLine } from './cluster-logs.js';
export type { TaskLogQuery } from '../transport/protocol.js';

export type LocalClusterState = 'inactive' | 'pending' | 'active' | 'error';

/** This node's part, for `/info`'s Swarm object and `berth cluster status`. */
export interface LocalClusterInfo {
  readonly state: LocalClusterState;
  readonly nodeId: string;
  /** The address other nodes reach this node at (no port). */
  readonly nodeAddr: string;
  /** Whether this node is a manager (serves the cluster's objects). */
  readonly controlAvailable: boolean;
  /** Why the state is `error`, else empty. */
  readonly error: string;
  /** The managers this node knows, as `addr:port`. */
  readonly remoteManagers: readonly { readonly nodeId: string; readonly addr: string }[];
  /** Managers only. */
  readonly clusterId?: string;
  readonly nodes?: number;
  readonly managers?: number;
}

/** The cluster object (Swarm's `GET /swarm`). */
export interface ClusterInfo {
  readonly id: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly joinTokens: { readonly worker: string; readonly manager: string };
  /** The cluster CA's certificate (PEM): Swarm's TLSInfo.TrustRoot. */
  readonly caCertPem: string;
  /** sha256 of the CA certificate's DER, hex (what join tokens carry). */
  readonly caDigest: string;
}

export interface InitRequest {
  /** The address (IP, optionally `:port`) other nodes reach this node at; default: the first non-loopback IPv4. */
  readonly advertiseAddr?: string;
  /** Where the cluster port listens (default `0.0.0.0:2377`). */
  readonly listenAddr?: string;
  /** Use this etcd cluster instead of a supervised member (comma-separated client URLs). */
  readonly etcdEndpoints?: readonly string[];
}

export interface JoinRequest {
  /** `addr:port` of managers to try, in order. */
  readonly remoteAddrs: readonly string[];
  readonly joinToken: string;
  readonly advertiseAddr?: string;
  readonly listenAddr?: string;
}

/** A node with what only the control plane knows of managers (Swarm's ManagerStatus). */
export interface ClusterNode {
  readonly node: Node;
  /** Managers only. */
  readonly manager?: {
    readonly leader: boolean;
    readonly reachability: 'reachable' | 'unreachable' | 'unknown';
    /** `ip:port` of its cluster port. */
    readonly addr: string;
  };
}

export interface NodeUpdate {
  readonly role: NodeRole;
  readonly availability: NodeAvailability;
  readonly labels: Labels;
}

export interface TaskFilter {
  readonly serviceId?: string;
  readonly nodeId?: string;
  /** Only tasks whose desired state is this (`running`, `shutdown`, `accepted`). */
  readonly desiredState?: string;
}

/** How `updateService` came about. */
export interface ServiceUpdateOptions {
  /** The spec is the service's previous one, restored (`docker service rollback`). */
  readonly rollback?: boolean;
}

export interface ClusterControl {
  local(): LocalClusterInfo;
  /** Makes this node the first manager of a new cluster; returns its node id. */
  init(request: InitRequest): Promise<string>;
  /** Joins a cluster as the token's role; resolves once the node is a member. */
  join(request: JoinRequest): Promise<void>;
  /** Leaves the cluster (a manager only with `force`, or when others remain); its tasks' containers are removed. */
  leave(force: boolean): Promise<void>;

  // Managers only (else unavailable `not-a-manager`):
  inspect(): Promise<ClusterInfo>;
  rotateJoinToken(role: NodeRole): Promise<void>;
  listNodes(): Promise<readonly ClusterNode[]>;
  /** By id, id prefix or hostname. */
  getNode(ref: string): Promise<ClusterNode>;
  updateNode(id: string, version: number, update: NodeUpdate): Promise<void>;
  removeNode(ref: string, force: boolean): Promise<void>;
  /** Validates (parseServiceSpec), refuses a name in use, stores the service; its tasks follow. */
  createService(spec: ServiceSpecInput): Promise<Service>;
  listServices(): Promise<readonly Service[]>;
  /** By id, id prefix or name. */
  getService(ref: string): Promise<Service>;
  /**
   * Validates and stores the new spec at `version` (conflict `stale-version` when the service
   * moved on); the spec it replaces becomes `previousSpec` and the leader rolls the tasks over.
   * `rollback`: the spec given is the previous one being restored (`rollback_started`).
   */
  updateService(id: string, version: number, spec: ServiceSpecInput, options?: ServiceUpdateOptions): Promise<Service>;
  removeService(ref: string): Promise<void>;
  /**
   * Lets a canary update go past its canary tasks (berth's): failed-precondition
   * `no-canary-to-promote` unless the service's update holds at its canary.
   */
  promoteService(ref: string): Promise<Service>;
  /** Plans (subnet, gateway, VXLAN id) and stores an overlay network; conflict `network-name-in-use` / `subnet-overlap` naming the other. */
  createNetwork(spec: NetworkSpecInput): Promise<ClusterNetwork>;
  listNetworks(): Promise<readonly ClusterNetwork[]>;
  /** By id, id prefix or name; not-found `network-not-found`. */
  getNetwork(ref: string): Promise<ClusterNetwork>;
  /** failed-precondition `network-in-use` naming a service on it. */
  removeNetwork(ref: string): Promise<void>;
  /** Validates and stores a network policy; not-found `service-not-found` for a service it names, conflict `network-policy-name-in-use`. */
  createNetworkPolicy(spec: unknown): Promise<NetworkPolicy>;
  listNetworkPolicies(): Promise<readonly NetworkPolicy[]>;
  /** By id, id prefix or name; not-found `network-policy-not-found`. */
  getNetworkPolicy(ref: string): Promise<NetworkPolicy>;
  removeNetworkPolicy(ref: string): Promise<void>;
  listTasks(filter?: TaskFilter): Promise<readonly Task[]>;
  getTask(id: string): Promise<Task>;
  /**
   * Stores a secret (sealed under the cluster's data key) or a config. conflict
   * `<kind>-name-in-use`; invalid-argument `invalid-<kind>-spec`, `<kind>-too-large` (500 KiB; a config 1000 KiB), `<kind>-empty`.
   */
  createFileObject(kind: FileObjectKind, spec: FileObjectSpecInput, data: Buffer): Promise<Secret | Config>;
  listFileObjects(kind: FileObjectKind): Promise<readonly (Secret | Config)[]>;
  /** By id, name or unique id prefix; not-found `<kind>-not-found`. */
  getFileObject(kind: FileObjectKind, ref: string): Promise<Secret | Config>;
  /** Labels only: invalid-argument `<kind>-immutable` for another name or data; conflict `stale-version`. */
  updateFileObject(kind: FileObjectKind, id: string, version: number, spec: FileObjectSpecInput, data: Buffer | undefined): Promise<void>;
  /** invalid-argument `<kind>-in-use` naming the services that use it. */
  removeFileObject(kind: FileObjectKind, ref: string): Promise<void>;
  /** A new data key seals every secret from now on (all of them resealed in one commit); returns its id. */
  rotateDataKey(): Promise<{ readonly keyId: string; readonly resealed: number }>;
  /**
   * The logs of the service's tasks (by id, id prefix or name), read from the nodes that run them
   * and merged line by line; not-found `service-not-found` before anything is read. With `follow`
   * the lines keep coming until each task's container stops or `signal` aborts.
   */
  serviceLogs(ref: string, query: TaskLogQuery, signal: AbortSignal): Promise<AsyncIterable<ClusterLogLine>>;
  /** As `serviceLogs`, of one task (by id or id prefix); not-found `task-not-found`. */
  taskLogs(ref: string, query: TaskLogQuery, signal: AbortSignal): Promise<AsyncIterable<ClusterLogLine>>;
}
