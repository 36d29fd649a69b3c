/**
 * berthd's part in a cluster with its machinery (etcd client and gRPC, certificates, the manager's
 * controllers, the agent) loaded on first need: at start when the state root says this node is a
 * member, else at the first `init` or `join`. Until then it answers as `ClusterNode` does for a
 * node in no cluster — inactive, not-a-manager, not-in-cluster (cluster/control/membership-state.ts)
 * — so an idle single node never holds the machinery. Once loading started, every call goes to the
 * `ClusterNode` (a call made while it loads waits for it).
 */
import type { ClusterControl, ClusterInfo, ClusterNode, ClusterNodeOptions, ClusterNodeView, InitRequest, JoinRequest, LocalClusterInfo, NodeUpdate, TaskFilter } from '../cluster/control/index.js';
import type { ClusterLogLine, ServiceUpdateOptions, TaskLogQuery } from '../cluster/control/cluster-control.js';
import { hasMembership, inactiveLocalInfo, notAManager, notInCluster } from '../cluster/control/membership-state.js';
import type { NodeRole } from '../cluster/objects/node.js';
import type { ClusterNetwork, NetworkSpecInput } from '../cluster/objects/network.js';
import type { NetworkPolicy } from '../cluster/objects/network-policy.js';
import type { Service, ServiceSpecInput } from '../cluster/objects/service.js';
import type { Task } from '../cluster/objects/task.js';
import type { Config, FileObjectKind, FileObjectSpecInput, Secret } from '../cluster/objects/secret.js';
import type { Registry } from 'prom-client';

export class LazyClusterNode implements ClusterControl {
  #node: ClusterNode | undefined;
  #loading: Promise<ClusterNode> | undefined;

  private constructor(private readonly options: ClusterNodeOptions) {}

  /** Loads and opens the `ClusterNode` now when this node is a member (throwing what its `open` throws); nothing runs until `resume`. */
  static async open(options: ClusterNodeOptions): Promise<LazyClusterNode> {
    const lazy = new LazyClusterNode(options);
    if (await hasMembership(options.root)) await lazy.#load();
    return lazy;
  }

  #load(): Promise<ClusterNode> {
    this.#loading ??= import('../cluster/control/index.js')
      .then(({ ClusterNode: Node }) => Node.open(this.options))
      .then((node) => { this.#node = node; return node; }, (err: unknown) => { this.#loading = undefined; throw err; });
    return this.#loading;
  }

  /** `operation` on the loaded node, or (nothing loaded: a node in no cluster) a rejection with `idle`'s error. */
  async #delegate<T>(operation: (node: ClusterNode) => Promise<T>, idle: () => Error = notAManager): Promise<T> {
    if (this.#loading === undefined) throw idle();
    return operation(await this.#loading);
  }

  /** Starts a member's parts (see `ClusterNode.resume`); nothing for a node in no cluster. */
  async resume(): Promise<void> {
    if (this.#loading !== undefined) await (await this.#loading).resume();
  }

  /** Stops what runs (see `ClusterNode.close`). */
  async close(): Promise<void> {
    // A load that failed failed the call that asked for it (and is forgotten there): nothing to close.
    const node = await this.#loading?.catch(() => undefined);
    await node?.close();
  }

  /** The cluster's metrics registries, for `GET /metrics`: asked at each scrape, so that a node that inits or joins later shows them (none outside a cluster). */
  metricsRegistries(): readonly Registry[] { return this.#node?.metricsRegistries() ?? []; }
  local(): LocalClusterInfo { return this.#node?.local() ?? inactiveLocalInfo(); }
  async init(request: InitRequest): Promise<string> { return (await this.#load()).init(request); }
  async join(request: JoinRequest): Promise<void> { await (await this.#load()).join(request); }
  leave(force: boolean): Promise<void> { return this.#delegate((node) => node.leave(force), notInCluster); }

  inspect(): Promise<ClusterInfo> { return this.#delegate((node) => node.inspect()); }
  rotateJoinToken(role: NodeRole): Promise<void> { return this.#delegate((node) => node.rotateJoinToken(role)); }
  listNodes(): Promise<readonly ClusterNodeView[]> { return this.#delegate((node) => node.listNodes()); }
  getNode(ref: string): Promise<ClusterNodeView> { return this.#delegate((node) => node.getNode(ref)); }
  updateNode(id: string, version: number, update: NodeUpdate): Promise<void> { return this.#delegate((node) => node.updateNode(id, version, update)); }
  removeNode(ref: string, force: boolean): Promise<void> { return this.#delegate((node) => node.removeNode(ref, force)); }
  createService(spec: ServiceSpecInput): Promise<Service> { return this.#delegate((node) => node.createService(spec)); }
  listServices(): Promise<readonly Service[]> { return this.#delegate((node) => node.listServices()); }
  getService(ref: string): Promise<Service> { return this.#delegate((node) => node.getService(ref)); }
  updateService(id: string, version: number, spec: ServiceSpecInput, options?: ServiceUpdateOptions): Promise<Service> { return this.#delegate((node) => node.updateService(id, version, spec, options)); }
  removeService(ref: string): Promise<void> { return this.#delegate((node) => node.removeService(ref)); }
  promoteService(ref: string): Promise<Service> { return this.#delegate((node) => node.promoteService(ref)); }
  createNetwork(spec: NetworkSpecInput): Promise<ClusterNetwork> { return this.#delegate((node) => node.createNetwork(spec)); }
  listNetworks(): Promise<readonly ClusterNetwork[]> { return this.#delegate((node) => node.listNetworks()); }
  getNetwork(ref: string): Promise<ClusterNetwork> { return this.#delegate((node) => node.getNetwork(ref)); }
  removeNetwork(ref: string): Promise<void> { return this.#delegate((node) => node.removeNetwork(ref)); }
  createNetworkPolicy(spec: unknown): Promise<NetworkPolicy> { return this.#delegate((node) => node.createNetworkPolicy(spec)); }
  listNetworkPolicies(): Promise<readonly NetworkPolicy[]> { return this.#delegate((node) => node.listNetworkPolicies()); }
  getNetworkPolicy(ref: string): Promise<NetworkPolicy> { return this.#delegate((node) => node.getNetworkPolicy(ref)); }
  removeNetworkPolicy(ref: string): Promise<void> { return this.#delegate((node) => node.removeNetworkPolicy(ref)); }
  listTasks(filter?: TaskFilter): Promise<readonly Task[]> { return this.#delegate((node) => node.listTasks(filter)); }
  getTask(id: string): Promise<Task> { return this.#delegate((node) => node.getTask(id)); }
  createFileObject(kind: FileObjectKind, spec: FileObjectSpecInput, data: Buffer): Promise<Secret | Config> { return this.#delegate((node) => node.createFileObject(kind, spec, data)); }
  listFileObjects(kind: FileObjectKind): Promise<readonly (Secret | Config)[]> { return this.#delegate((node) => node.listFileObjects(kind)); }
  getFileObject(kind: FileObjectKind, ref: string): Promise<Secret | Config> { return this.#delegate((node) => node.getFileObject(kind, ref)); }
  updateFileObject(kind: FileObjectKind, id: string, version: number, spec: FileObjectSpecInput, data: Buffer | undefined): Promise<void> { return this.#delegate((node) => node.updateFileObject(kind, id, version, spec, data)); }
  removeFileObject(kind: FileObjectKind, ref: string): Promise<void> { return this.#delegate((node) => node.removeFileObject(kind, ref)); }
  rotateDataKey(): Promise<{ keyId: string; resealed: number }> { return this.#delegate((node) => node.rotateDataKey()); }
  serviceLogs(ref: string, query: TaskLogQuery, signal: AbortSignal): Promise<AsyncIterable<ClusterLogLine>> { return this.#delegate((node) => node.serviceLogs(ref, query, signal)); }
  taskLogs(ref: string, query: TaskLogQuery, signal: AbortSignal): Promise<AsyncIterable<ClusterLogLine>> { return this.#delegate((node) => node.taskLogs(ref, query, signal)); }
}
