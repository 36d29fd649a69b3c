/**
 * The cluster port: how nodes talk to managers (DESIGN §5). HTTPS on `CLUSTER_PORT`; every route
 * but `GET /cluster/v1/ca` and `POST /cluster/v1/join` requires a client certificate issued by the
 * cluster's CA (mutual TLS), and the node it names (its CN) is the caller. Bodies are JSON.
 *
 * | route | caller | body → answer |
 * |---|---|---|
 * | `GET /cluster/v1/ca` | a joining node (no certificate yet) | → `{ caCertPem }`; the node checks its digest against its join token before trusting it |
 * | `POST /cluster/v1/join` | a joining node, over TLS verified with that CA | `JoinCall` → `JoinAnswer` |
 * | `POST /cluster/v1/heartbeat[?transition=1]` | a member | → `{ periodMs, role }` (the role its spec asks for); `transition`: a longer lease while the node changes role |
 * | `POST /cluster/v1/role` | a member whose spec asks for another role | `RoleCall` → `RoleAnswer` |
 * | `GET /cluster/v1/assignments?since=N` | a member | → `Assignments`: its tasks and its overlays (long poll when N > 0) |
 * | `POST /cluster/v1/status` | a member | `{ reports: TaskStatusReport[] }` → 204 |
 * | `GET /cluster/v1/task-logs?task=ID&…` | a manager, on any member | → the task container's log (Docker's log stream) |
 * | `GET /cluster/v1/data-keys` | a manager, on a manager | → `{ keys: DataKey[] }`: the cluster's data keys (secrets at rest) |
 *
 * Every member serves the cluster port: managers all of it, workers only `task-logs`.
 *
 * Errors answer `{ message, kind, reason }` (the BerthError) with a matching HTTP status; the client
 * rebuilds the BerthError from them.
 */
import type { Assignments, TaskStatusReport } from '../agent/agent-ports.js';
import type { NodeDescription, NodeRole } from '../objects/node.js';
import type { DataKey } from '../trust/secret-sealing.js';
import type { TaskUsage } from '../scheduler/autoscale.js';

/** Swarm's cluster management port. */
export const CLUSTER_PORT = 2377;

/** The paths of the cluster port's routes. */
export const CLUSTER_ROUTES = {
  ca: '/cluster/v1/ca',
  join: '/cluster/v1/join',
  heartbeat: '/cluster/v1/heartbeat',
  role: '/cluster/v1/role',
  assignments: '/cluster/v1/assignments',
  status: '/cluster/v1/status',
  taskLogs: '/cluster/v1/task-logs',
  taskUsage: '/cluster/v1/task-usage',
  dataKeys: '/cluster/v1/data-keys',
} as const;

export interface JoinCall {
  readonly token: string;
  /** The joining node's public key (SPKI PEM); its private key never leaves it. */
  readonly publicKeyPem: string;
  readonly description: NodeDescription;
  /** The IP other nodes reach the joining node at. */
  readonly addr: string;
  /** The joining node's cluster port (managers listen on it). */
  readonly port: number;
}

export interface ManagerAddress {
  readonly nodeId: string;
  /** `ip:port` of its cluster port. */
  readonly addr: string;
}

export interface JoinAnswer {
  readonly nodeId: string;
  readonly role: NodeRole;
  readonly clusterId: string;
  /** The node's certificate (PEM), CN = node id, for the public key it sent. */
  readonly certPem: string;
  readonly caCertPem: string;
  readonly managers: readonly ManagerAddress[];
  /** Managers only: the etcd cluster it now belongs to. */
  readonly etcd?: EtcdJoin;
  /** Managers only: the cluster's data keys (they open the secrets at rest), kept in the state root. */
  readonly dataKeys?: readonly DataKey[] | undefined;
}

export type EtcdJoin =
  /** A supervised member was added for the new manager: start it with `clusterState: 'existing'`. */
  | {
    readonly mode: 'member'; readonly name: string; readonly initialCluster: readonly { readonly name: string; readonly peerUrl: string }[]; readonly clientUrls: readonly string[];
    /** The manager's certificate of the etcd CA (for the public key it sent), and that CA. */
    readonly certPem: string; readonly caCertPem: string;
  }
  /** The cluster uses an etcd it does not supervise. */
  | { readonly mode: 'external'; readonly endpoints: readonly string[] };

/** A member asking for the role its node spec now asks for (after `node promote|demote`). */
export interface RoleCall {
  /** The node's public key (SPKI PEM): the same key, certified for the new role. */
  readonly publicKeyPem: string;
}

/** The node's new certificate and, for a manager, the etcd it now belongs to (as a joining manager's). */
export type RoleAnswer = Omit<JoinAnswer, 'nodeId' | 'clusterId'>;

/** How long the lease of a node changing role lasts: its parts stop and start again meanwhile. */
export const ROLE_CHANGE_LEASE_S = 30;

/** A heartbeat's answer: the period to beat at, and the role the node's spec asks for. */
export interface HeartbeatAnswer {
  readonly periodMs: number;
  readonly role?: NodeRole | undefined;
}

/** What a manager does for the cluster port's routes (implemented by the manager; served by transport/). */
export interface ManagerBackend {
  caCertPem(): Promise<string>;
  /** `peerAddress`: the TCP peer, for the node's record when `call.addr` is empty. */
  join(call: JoinCall, peerAddress: string): Promise<JoinAnswer>;
  /** Renews the node's lease; with `transition` for `ROLE_CHANGE_LEASE_S` (the node is about to restart its parts in another role). */
  heartbeat(nodeId: string, transition?: boolean): Promise<HeartbeatAnswer>;
  /**
   * Certifies the node for the role its spec asks for: a new node certificate for its key; for a
   * manager also an etcd certificate and its etcd member (a learner, as for a joining manager); for
   * a worker its etcd member removed. failed-precondition `role-unchanged` when the node already
   * holds a certificate of that role.
   */
  changeRole(nodeId: string, call: RoleCall, currentRole: NodeRole): Promise<RoleAnswer>;
  assignments(nodeId: string, sinceRevision: number, signal: AbortSignal): Promise<Assignments>;
  report(nodeId: string, reports: readonly TaskStatusReport[]): Promise<void>;
  /** The data keys this manager holds (served to managers only: one that lacks a key asks the others). */
  dataKeys?(): Promise<readonly DataKey[]>;
}

/** Which part of a task's log to send (the container log query's fields, already validated). */
export interface TaskLogQuery {
  readonly follow: boolean;
  readonly timestamps: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  /** A line count, or absent for all. */
  readonly tail?: number | undefined;
  /** Unix seconds with a fraction, or RFC 3339. */
  readonly since?: string | undefined;
}

/** A task's log as its node's engine streams it. */
export interface TaskLog {
  /** A TTY's raw bytes rather than multiplexed frames. */
  readonly tty: boolean;
  readonly body: AsyncIterable<Buffer>;
}

/** What every member does on the cluster port, for managers. */
export interface NodeBackend {
  /** The log of the task's container on this node; not-found `task-container-not-found` when it has none here. */
  taskLogs(taskId: string, query: TaskLogQuery, signal: AbortSignal): Promise<TaskLog>;
  /** What this node's running task containers use now (those measured once before: CPU is a rate). */
  taskUsage(): Promise<readonly TaskUsage[]>;
}
