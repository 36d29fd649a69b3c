/**
 * This berthd's part in a cluster: ClusterControl for the API. A node is in no cluster, or a
 * member (worker or manager) whose membership is on disk, so a restarted berthd resumes it.
 * `init`, `join` and `leave` run one at a time; a failed one leaves the node as it was.
 */
import { mkdir, readFile } from 'node:fs/promises';
import type { Registry } from 'prom-client';
import type { Clock, Timers } from '../../base/clock.js';
import type { ProcessRunner } from '../../base/process-runner.js';
import { taskFilesDir, TmpfsTaskFiles } from '../agent/tmpfs-task-files.js';
import { errors, messageOf } from '../../base/errors.js';
import type { NodeRole } from '../objects/node.js';
import type { ClusterNetwork, NetworkSpecInput } from '../objects/network.js';
import type { NetworkPolicy } from '../objects/network-policy.js';
import type { Service, ServiceSpecInput } from '../objects/service.js';
import type { Task } from '../objects/task.js';
import type { Config, FileObjectKind, FileObjectSpecInput, Secret } from '../objects/secret.js';
import { connectEtcd } from '../store/etcd-client.js';
import { EtcdClusterStore } from '../store/etcd-cluster-store.js';
import type { EtcdMember } from '../store/etcd-member.js';
import { createClusterCa, ETCD_CA_COMMON_NAME, generateNodeKey, newDataKey, type DataKey, issueNodeCertificate, makeJoinToken, newJoinSecret, parseJoinToken, tlsFilesIn, writeTlsFiles, type NodeTlsMaterial } from '../trust/index.js';
import { fetchClusterCa, requestJoin } from '../transport/join-client.js';
import { CLUSTER_PORT, type JoinAnswer } from '../transport/protocol.js';
import { gatherTaskLogs, startedTasks, type ClusterLogLine, type LaterTask, type OpenTaskLog } from './cluster-logs.js';
import { decodeObject } from '../objects/stored-object.js';
import { taskSchema } from '../objects/task.js';
import type { TaskLogQuery } from '../transport/protocol.js';
import type { ClusterControl, ClusterInfo, ClusterNode as ClusterNodeView, InitRequest, JoinRequest, LocalClusterInfo, NodeUpdate, ServiceUpdateOptions, TaskFilter } from './cluster-control.js';
import { newObjectId } from './ids.js';
import { writeDataKeys } from './data-keyring.js';
import type { HeartbeatSettings } from './manager-backend.js';
import { ManagerControl } from './manager-control.js';
import { etcdClientUrl, etcdPeerUrl } from './manager-etcd.js';
import { changeRole, promoteLearner } from './role-change.js';
import { removeTaskContainers, retireManager } from './leaving.js';
import { inactiveLocalInfo, notAManager, notInCluster } from './membership-state.js';
import { clusterPaths, etcdMembership, readMembership, removeMembership, writeMembership, type ClusterPaths, type Membership } from './membership.js';
import { startEtcdMember, startMemberParts, stopMemberParts, type MemberParts, type PartsContext } from './member-parts.js';
import { advertiseAddress, describeThisNode, listenAddress } from './node-description.js';
import type { ClusterEvent } from './cluster-events.js';
import { ClusterMetrics } from './cluster-metrics.js';

export interface ClusterNodeOptions {
  /** berthd's state root; the cluster's files go to `<root>/cluster/`. */
  readonly root: string;
  /** This berthd's API socket: the agent drives the engine through it. */
  readonly socketPath: string;
  /** The node's name in the cluster (`node ls`' HOSTNAME). */
  readonly hostname: string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log: (message: string) => void;
  readonly heartbeat?: HeartbeatSettings;
  readonly electionTtlSeconds?: number;
  /** Mounts the tmpfs of tasks' secret and config files (without it, such tasks fail to start). */
  readonly runner?: ProcessRunner;
  /** While a manager: the cluster's events (services, nodes, networks, secrets, configs changed). */
  readonly onClusterEvent?: (event: ClusterEvent) => void;
}

export class ClusterNode implements ClusterControl {
  readonly #paths: ClusterPaths;
  /** Where the agent puts its tasks' secret and config files (tmpfs); none without a process runner. */
  readonly #taskFiles: TmpfsTaskFiles | undefined;
  #membership: Membership | undefined;
  #parts: MemberParts | undefined;
  #error = '';
  #busy: Promise<unknown> = Promise.resolve();
  /** The role a change under way moves to (heartbeats keep asking for it meanwhile). */
  #changingTo: NodeRole | undefined;
  /** The cluster's series, kept across role changes and memberships (counters and histograms go on). */
  readonly #metrics: ClusterMetrics;

  private constructor(private readonly options: ClusterNodeOptions) {
    this.#paths = clusterPaths(options.root);
    this.#metrics = new ClusterMetrics(options.log);
    const { runner } = options;
    this.#taskFiles = runner === undefined ? undefined : new TmpfsTaskFiles({ runner, dir: taskFilesDir(options.root) });
  }

  /** Reads the node's membership; nothing runs until `resume`. */
  static async open(options: ClusterNodeOptions): Promise<ClusterNode> {
    const node = new ClusterNode(options);
    node.#membership = await readMembership(node.#paths);
    return node;
  }

  /**
   * Starts a member's parts (once berthd serves its API: the agent drives the engine through it).
   * A failure is kept as the state's error (`/info`, `berth cluster status`), not thrown.
   */
  resume(): Promise<void> {
    return this.#serial(() => this.#resumeParts());
  }

  async #resumeParts(): Promise<void> {
    const membership = this.#membership;
    if (membership === undefined || this.#parts !== undefined) return;
    try {
      const ctx = await this.#readTls(membership);
      this.#parts = await startMemberParts(membership, await startEtcdMember(membership, ctx), ctx);
      this.#error = '';
    } catch (err) {
      this.#error = messageOf(err);
      this.options.log(`cluster: could not resume membership: ${this.#error}`);
    }
  }

  /** The registries berthd serves at `GET /metrics` beside its own: the cluster's while this node is a member, none otherwise. */
  metricsRegistries(): readonly Registry[] {
    return this.#membership === undefined ? [] : [this.#metrics.registry];
  }

  local(): LocalClusterInfo {
    const m = this.#membership;
    if (m === undefined) return inactiveLocalInfo();
    return {
      state: this.#error === '' ? 'active' : 'error',
      nodeId: m.nodeId, nodeAddr: m.addr, controlAvailable: m.role === 'manager', error: this.#error,
      remoteManagers: m.managers.map((manager) => ({ nodeId: manager.nodeId, addr: manager.addr })),
      ...(m.role === 'manager' ? { clusterId: m.clusterId } : {}),
    };
  }

  init(request: InitRequest): Promise<string> {
    return this.#serial(async () => {
      this.#refuseMember();
      const addr = advertiseAddress(request.advertiseAddr);
      const listen = listenAddress(request.listenAddr, CLUSTER_PORT);
      const now = this.options.clock.now();
      const clusterId = newObjectId();
      const nodeId = newObjectId();
      const ca = await createClusterCa(clusterId, now);
      const key = await generateNodeKey();
      const certPem = await issueNodeCertificate(ca, { nodeId, role: 'manager', clusterId, publicKeyPem: key.publicKeyPem, ipAddresses: [addr, '127.0.0.1'], dnsNames: ['localhost'], now });
      const tls: NodeTlsMaterial = { keyPem: key.keyPem, certPem, caCertPem: ca.certPem };
      const etcdCa = await createClusterCa(clusterId, now, ETCD_CA_COMMON_NAME);
      const etcdCertPem = await issueNodeCertificate(etcdCa, { nodeId, role: 'manager', clusterId, publicKeyPem: key.publicKeyPem, ipAddresses: [addr, '127.0.0.1'], dnsNames: ['localhost'], now });
      const etcdTls: NodeTlsMaterial = { keyPem: key.keyPem, certPem: etcdCertPem, caCertPem: etcdCa.certPem };
      const external = request.etcdEndpoints !== undefined && request.etcdEndpoints.length > 0;
      const membership: Membership = {
        clusterId, nodeId, role: 'manager', addr, port: listen.port, listenHost: listen.host,
        managers: [{ nodeId, addr: `${addr}:${listen.port}` }],
        etcd: external
          ? { mode: 'external', endpoints: [...(request.etcdEndpoints ?? [])] }
          : { mode: 'member', name: nodeId, clientUrl: etcdClientUrl(addr), peerUrl: etcdPeerUrl(addr), initialCluster: [{ name: nodeId, peerUrl: etcdPeerUrl(addr) }], clusterState: 'new', peerClientUrls: [] },
      };
      const time = now.toISOString();
      const dataKey = newDataKey(now);
      await this.#becomeMember(membership, tls, external ? undefined : etcdTls, [dataKey], async (ctx, member) => {
        const store = new EtcdClusterStore(connectEtcd(member === undefined ? [...(request.etcdEndpoints ?? [])] : [member.clientUrl], {
          ...(ctx.etcdTls === undefined ? {} : { tls: ctx.etcdTls }), timing: this.#metrics.etcdTiming,
        }), {}, true);
        try {
          await ManagerControl.bootstrap(store, {
            id: clusterId, createdAt: time, updatedAt: time, caCertPem: ca.certPem, caKeyPem: ca.keyPem, etcdCa,
            tokens: { worker: makeJoinToken(ca.certPem, newJoinSecret()), manager: makeJoinToken(ca.certPem, newJoinSecret()) },
            dataKeyId: dataKey.id,
          }, {
            id: nodeId, version: 0, createdAt: time, updatedAt: time,
            spec: { role: 'manager', availability: 'active', labels: {} },
            description: describeThisNode(this.options.hostname),
            status: { state: 'unknown', message: 'initialised the cluster', addr },
            managerAddr: `${addr}:${listen.port}`, portAddr: `${addr}:${listen.port}`,
          });
        } finally {
          await store.close();
        }
      });
      return nodeId;
    });
  }

  join(request: JoinRequest): Promise<void> {
    return this.#serial(async () => {
      this.#refuseMember();
      if (request.remoteAddrs.length === 0) throw errors.invalidArgument('invalid-join', 'join needs the address of a manager (HOST:PORT)');
      const token = parseJoinToken(request.joinToken);
      const addr = advertiseAddress(request.advertiseAddr);
      const listen = listenAddress(request.listenAddr, CLUSTER_PORT);
      const key = await generateNodeKey();
      let answer: JoinAnswer | undefined;
      let lastError: unknown;
      for (const remote of request.remoteAddrs) {
        const target = remote.includes(':') ? remote : `${remote}:${CLUSTER_PORT}`;
        try {
          const caCertPem = await fetchClusterCa(target, token.caDigest);
          answer = await requestJoin(target, caCertPem, { token: request.joinToken, publicKeyPem: key.publicKeyPem, description: describeThisNode(this.options.hostname), addr, port: listen.port });
          break;
        } catch (err) {
          lastError = err;
          if (err instanceof Error && 'kind' in err && (err.kind === 'permission-denied' || err.kind === 'invalid-argument')) throw err;
        }
      }
      if (answer === undefined) throw lastError instanceof Error ? lastError : errors.unavailable('managers-unreachable', 'no manager answered');
      const etcd = answer.etcd;
      const membership: Membership = {
        clusterId: answer.clusterId, nodeId: answer.nodeId, role: answer.role, addr, port: listen.port, listenHost: listen.host,
        managers: answer.managers.map((m) => ({ nodeId: m.nodeId, addr: m.addr })),
        ...(etcd === undefined ? {} : { etcd: etcdMembership(etcd, addr) }),
      };
      // A new etcd member joins as a learner: once it runs and has caught up, it becomes a voter.
      const etcdTls = etcd?.mode === 'member' ? { keyPem: key.keyPem, certPem: etcd.certPem, caCertPem: etcd.caCertPem } : undefined;
      await this.#becomeMember(membership, { keyPem: key.keyPem, certPem: answer.certPem, caCertPem: answer.caCertPem }, etcdTls, answer.dataKeys ?? [], async (ctx) => {
        if (etcd?.mode !== 'member' || ctx.etcdTls === undefined) return;
        await promoteLearner(etcd.clientUrls, etcd.name, ctx.etcdTls);
      });
    });
  }

  leave(force: boolean): Promise<void> {
    return this.#serial(async () => {
      const membership = this.#membership;
      if (membership === undefined) throw notInCluster();
      if (membership.role === 'manager' && !force) {
        throw errors.failedPrecondition('manager-leave', 'You are attempting to leave the swarm on a node that is participating as a manager. Removing this node leaves the cluster without its etcd member and control plane. Use `--force` to leave anyway.');
      }
      const parts = this.#parts;
      this.#parts = undefined;
      if (parts !== undefined) {
        if (parts.manager !== undefined) await retireManager(parts, membership, this.options.log);
        await stopMemberParts(parts);
        await removeTaskContainers(parts, this.options.log, this.#taskFiles);
      }
      await removeMembership(this.#paths);
      this.#membership = undefined;
      this.#error = '';
    });
  }

  /** Stops what runs; the membership stays on disk (berthd shutting down). */
  async close(): Promise<void> {
    // Waits for the operation under way to end; its failure went to its own caller.
    await this.#busy.catch(() => undefined);
    const parts = this.#parts;
    this.#parts = undefined;
    if (parts !== undefined) await stopMemberParts(parts);
  }

  inspect(): Promise<ClusterInfo> { return this.#call((control) => control.inspect()); }
  rotateJoinToken(role: NodeRole): Promise<void> { return this.#call((control) => control.rotateJoinToken(role)); }
  listNodes(): Promise<readonly ClusterNodeView[]> { return this.#call((control) => control.listNodes()); }
  getNode(ref: string): Promise<ClusterNodeView> { return this.#call((control) => control.getNode(ref)); }
  updateNode(id: string, version: number, update: NodeUpdate): Promise<void> { return this.#call((control) => control.updateNode(id, version, update)); }
  removeNode(ref: string, force: boolean): Promise<void> { return this.#call((control) => control.removeNode(ref, force)); }
  createService(spec: ServiceSpecInput): Promise<Service> { return this.#call((control) => control.createService(spec)); }
  listServices(): Promise<readonly Service[]> { return this.#call((control) => control.listServices()); }
  createNetwork(spec: NetworkSpecInput): Promise<ClusterNetwork> { return this.#call((control) => control.networks.create(spec)); }
  listNetworks(): Promise<readonly ClusterNetwork[]> { return this.#call((control) => control.networks.list()); }
  getNetwork(ref: string): Promise<ClusterNetwork> { return this.#call((control) => control.networks.get(ref)); }
  removeNetwork(ref: string): Promise<void> { return this.#call((control) => control.networks.remove(ref)); }
  createNetworkPolicy(spec: unknown): Promise<NetworkPolicy> { return this.#call((control) => control.policies.create(spec)); }
  listNetworkPolicies(): Promise<readonly NetworkPolicy[]> { return this.#call((control) => control.policies.list()); }
  getNetworkPolicy(ref: string): Promise<NetworkPolicy> { return this.#call((control) => control.policies.get(ref)); }
  removeNetworkPolicy(ref: string): Promise<void> { return this.#call((control) => control.policies.remove(ref)); }
  getService(ref: string): Promise<Service> { return this.#call((control) => control.getService(ref)); }
  updateService(id: string, version: number, spec: ServiceSpecInput, options?: ServiceUpdateOptions): Promise<Service> { return this.#call((control) => control.updateService(id, version, spec, options)); }
  removeService(ref: string): Promise<void> { return this.#call((control) => control.removeService(ref)); }
  promoteService(ref: string): Promise<Service> { return this.#call((control) => control.promoteService(ref)); }
  listTasks(filter?: TaskFilter): Promise<readonly Task[]> { return this.#call((control) => control.listTasks(filter)); }
  getTask(id: string): Promise<Task> { return this.#call((control) => control.getTask(id)); }
  createFileObject(kind: FileObjectKind, spec: FileObjectSpecInput, data: Buffer): Promise<Secret | Config> { return this.#call((control) => control.files.create(kind, spec, data)); }
  listFileObjects(kind: FileObjectKind): Promise<readonly (Secret | Config)[]> { return this.#call((control) => control.files.list(kind)); }
  getFileObject(kind: FileObjectKind, ref: string): Promise<Secret | Config> { return this.#call((control) => control.files.get(kind, ref)); }
  updateFileObject(kind: FileObjectKind, id: string, version: number, spec: FileObjectSpecInput, data: Buffer | undefined): Promise<void> { return this.#call((control) => control.files.updateLabels(kind, id, version, spec, data)); }
  removeFileObject(kind: FileObjectKind, ref: string): Promise<void> { return this.#call((control) => control.files.remove(kind, ref)); }
  rotateDataKey(): Promise<{ keyId: string; resealed: number }> { return this.#call((control) => control.files.rotateDataKey()); }

  async serviceLogs(ref: string, query: TaskLogQuery, signal: AbortSignal): Promise<AsyncIterable<ClusterLogLine>> {
    const control = this.#manager();
    const store = this.#parts?.manager?.store;
    const service = await control.getService(ref);
    if (!query.follow || store === undefined) return this.#logs(await control.listTasks({ serviceId: service.id }), query, signal);
    const listing = await store.list('task');
    const tasks = listing.items.map((item) => decodeObject(taskSchema, item, this.options.log)).filter((t): t is Task => t !== undefined && t.serviceId === service.id);
    return this.#logs(tasks, query, signal, startedTasks(store, service.id, listing.revision, signal, this.options.log));
  }

  async taskLogs(ref: string, query: TaskLogQuery, signal: AbortSignal): Promise<AsyncIterable<ClusterLogLine>> {
    return this.#logs([await this.#manager().getTask(ref)], query, signal);
  }

  async #logs(tasks: readonly Task[], query: TaskLogQuery, signal: AbortSignal, later?: AsyncIterable<LaterTask>): Promise<AsyncIterable<ClusterLogLine>> {
    const manager = this.#parts?.manager;
    if (manager === undefined) throw notAManager();
    const nodes = (await manager.control.listNodes()).map((view) => view.node);
    const open: OpenTaskLog = (addr, taskId, taskQuery, taskSignal) => manager.taskLogs.open(addr, taskId, taskQuery, taskSignal);
    return gatherTaskLogs(tasks, nodes, open, query, signal, later);
  }

  /** A manager operation; rejects (never throws) with not-a-manager on a worker or while the node changes role. */
  #call<T>(operation: (control: ManagerControl) => Promise<T>): Promise<T> {
    try {
      return operation(this.#manager());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  #manager(): ManagerControl {
    const control = this.#parts?.manager?.control;
    if (control === undefined) throw notAManager();
    return control;
  }

  #refuseMember(): void {
    if (this.#membership !== undefined) {
      throw errors.conflict('already-in-cluster', 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.');
    }
  }

  #ctx(tls: NodeTlsMaterial, etcdTls: NodeTlsMaterial | undefined): PartsContext {
    const o = this.options;
    return {
      socketPath: o.socketPath, etcdDataDir: this.#paths.etcd, tls, etcdTls, etcdTlsFiles: tlsFilesIn(this.#paths.etcdTls), clock: o.clock, timers: o.timers, log: o.log,
      ...(o.heartbeat === undefined ? {} : { heartbeat: o.heartbeat }),
      ...(o.electionTtlSeconds === undefined ? {} : { electionTtlSeconds: o.electionTtlSeconds }),
      onRole: (role) => { this.#onDesiredRole(role); },
      dataKeysFile: this.#paths.dataKeys,
      ...(this.#taskFiles === undefined ? {} : { taskFiles: this.#taskFiles }),
      ...(o.onClusterEvent === undefined ? {} : { onClusterEvent: o.onClusterEvent }),
      metrics: this.#metrics,
    };
  }

  /** A heartbeat answer's role: when it is not this node's, the node moves to it (one change at a time). */
  #onDesiredRole(role: NodeRole): void {
    if (this.#membership === undefined || this.#membership.role === role || this.#changingTo !== undefined) return;
    this.#changingTo = role;
    void this.#serial(() => this.#changeRole(role)).finally(() => { this.#changingTo = undefined; });
  }

  async #changeRole(role: NodeRole): Promise<void> {
    const membership = this.#membership;
    const parts = this.#parts;
    if (membership === undefined || parts === undefined || membership.role === role) return;
    const log = this.options.log;
    log(`cluster: this node becomes a ${role}`);
    try {
      const current = await this.#readTls(membership);
      const stopParts = async (): Promise<void> => {
        this.#parts = undefined;
        await stopMemberParts(parts);
      };
      const changed = await changeRole({ role, paths: this.#paths, membership, parts, stopParts, tls: current.tls, log, context: (tls, etcdTls) => this.#ctx(tls, etcdTls) });
      if (changed === undefined) return;
      this.#membership = changed.membership;
      this.#parts = await startMemberParts(changed.membership, changed.member, changed.context);
      this.#error = '';
    } catch (err) {
      this.#error = messageOf(err);
      log(`cluster: becoming a ${role} failed: ${this.#error}`);
      if (this.#parts !== undefined) return; // nothing was stopped
      await this.#resumeParts();
    }
  }

  /** The node's TLS material (and its etcd material, for a manager with a supervised member) as written at init or join. */
  async #readTls(membership: Membership): Promise<PartsContext> {
    const read = async (dir: string): Promise<NodeTlsMaterial> => {
      const files = tlsFilesIn(dir);
      const [keyPem, certPem, caCertPem] = await Promise.all([files.keyFile, files.certFile, files.caFile].map((f) => readFile(f, 'utf8')));
      return { keyPem: keyPem ?? '', certPem: certPem ?? '', caCertPem: caCertPem ?? '' };
    };
    return this.#ctx(await read(this.#paths.tls), membership.etcd?.mode === 'member' ? await read(this.#paths.etcdTls) : undefined);
  }

  /**
   * Writes the TLS files, starts the etcd member (if supervised), runs `seed` (the first objects of
   * a new cluster), writes the membership and starts the parts. On failure everything made is undone.
   */
  async #becomeMember(membership: Membership, tls: NodeTlsMaterial, etcdTls: NodeTlsMaterial | undefined, dataKeys: readonly DataKey[], seed: (ctx: PartsContext, member: EtcdMember | undefined) => Promise<void>): Promise<void> {
    await mkdir(this.#paths.dir, { recursive: true, mode: 0o700 });
    let member: EtcdMember | undefined;
    try {
      await writeTlsFiles(this.#paths.tls, tls);
      if (etcdTls !== undefined) await writeTlsFiles(this.#paths.etcdTls, etcdTls);
      if (dataKeys.length > 0) await writeDataKeys(this.#paths.dataKeys, dataKeys);
      const ctx = this.#ctx(tls, etcdTls);
      member = await startEtcdMember(membership, ctx);
      await seed(ctx, member);
      await writeMembership(this.#paths, membership);
      this.#parts = await startMemberParts(membership, member, ctx);
      this.#membership = membership;
      this.#error = '';
    } catch (err) {
      // The failure that stopped init or join is the one thrown; a cleanup that fails too is logged.
      await member?.stop().catch((stopErr: unknown) => { this.options.log(`cluster: stopping the etcd member after a failed init or join: ${messageOf(stopErr)}`); });
      await removeMembership(this.#paths).catch((rmErr: unknown) => { this.options.log(`cluster: removing ${this.#paths.dir} after a failed init or join: ${messageOf(rmErr)}`); });
      throw err;
    }
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    // After the previous operation, whatever its outcome: its failure went to its own caller.
    const run = this.#busy.catch(() => undefined).then(work);
    this.#busy = run;
    return run;
  }
}
