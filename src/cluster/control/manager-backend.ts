/**
 * What a manager answers on the cluster port (transport/protocol.ts): joins, heartbeats, a node's
 * assignments and its task reports. Any manager answers, leader or not: every change is a
 * revision-compared write to the store, so two managers never apply conflicting changes.
 */
import { errors, isBerthError } from '../../base/errors.js';
import type { Clock } from '../../base/clock.js';
import type { Assignments, TaskFileData, TaskStatusReport } from '../agent/agent-ports.js';
import type { DataKey } from '../trust/secret-sealing.js';
import type { DataKeyring } from './data-keyring.js';
import type { Node, NodeRole } from '../objects/node.js';
import { isTerminalTaskState, taskSchema, taskStateRank, type Task } from '../objects/task.js';
import type { ClusterStore } from '../store/cluster-store.js';
import type { Heartbeats } from '../store/heartbeats.js';
import { caDigest, issueNodeCertificate, joinSecretMatches, hashJoinSecret, parseJoinToken } from '../trust/index.js';
import { CLUSTER_PORT, ROLE_CHANGE_LEASE_S, type HeartbeatAnswer, type JoinAnswer, type JoinCall, type ManagerBackend, type RoleAnswer, type RoleCall } from '../transport/protocol.js';
import { readClusterRecord } from './cluster-record.js';
import { newObjectId } from './ids.js';
import type { ManagerEtcd } from './manager-etcd.js';
import { readNetworkPolicies, readNetworks, readNode, readNodes, readServices, readTask, storedValue } from './stored-objects.js';
import { overlaysForNode } from '../networking/overlay-plan.js';
import { decodeObject } from '../objects/stored-object.js';

export interface HeartbeatSettings {
  /** How often nodes beat. */
  readonly periodMs: number;
  /** A node whose lease saw no beat for this long is declared down. */
  readonly ttlSeconds: number;
}

export const DEFAULT_HEARTBEAT: HeartbeatSettings = { periodMs: 5_000, ttlSeconds: 15 };

/** How long a long poll for assignments waits for a change before it answers anyway. */
const LONG_POLL_MS = 25_000;

export interface ManagerBackendOptions {
  readonly store: ClusterStore;
  readonly heartbeats: Heartbeats;
  readonly etcd: ManagerEtcd;
  readonly clock: Clock;
  readonly heartbeat?: HeartbeatSettings;
  /** This manager's data keys: given to joining managers and, on request, to the other managers. */
  readonly keyring?: DataKeyring;
  /** The data of the secrets and configs that a node's tasks use (FileObjectControl.filesFor). */
  readonly files?: (tasks: readonly Task[]) => Promise<TaskFileData[]>;
}

/** The managers' cluster-port addresses, leader or not, from their node objects. */
export function managerAddresses(nodes: readonly Node[]): { nodeId: string; addr: string }[] {
  return nodes.filter((n) => n.spec.role === 'manager' && n.managerAddr !== undefined).map((n) => ({ nodeId: n.id, addr: n.managerAddr ?? '' }));
}

export class StoreManagerBackend implements ManagerBackend {
  readonly #heartbeat: HeartbeatSettings;

  constructor(private readonly options: ManagerBackendOptions) {
    this.#heartbeat = options.heartbeat ?? DEFAULT_HEARTBEAT;
  }

  async caCertPem(): Promise<string> {
    return (await readClusterRecord(this.options.store)).record.caCertPem;
  }

  async join(call: JoinCall, peerAddress: string): Promise<JoinAnswer> {
    const { store, clock } = this.options;
    const { record } = await readClusterRecord(store);
    const token = parseJoinToken(call.token);
    if (token.caDigest !== caDigest(record.caCertPem)) {
      throw errors.permissionDenied('join-refused', 'the join token is for another cluster: its CA digest does not match this cluster\'s CA');
    }
    const role = roleOf(token.secret, record.tokens);
    if (role === undefined) throw errors.permissionDenied('join-refused', 'the join token is not valid (wrong, or rotated): ask a manager for `berth cluster join-token`');
    const addr = call.addr === '' ? peerAddress : call.addr;
    const nodeId = newObjectId();
    const now = clock.now();
    const certPem = await issueNodeCertificate({ certPem: record.caCertPem, keyPem: record.caKeyPem }, {
      nodeId, role, clusterId: record.id, publicKeyPem: call.publicKeyPem, ipAddresses: [addr, '127.0.0.1'], dnsNames: ['localhost'], now,
    });
    const managerAddr = role === 'manager' ? `${addr}:${call.port}` : undefined;
    const node: Node = {
      id: nodeId, version: 0, createdAt: now.toISOString(), updatedAt: now.toISOString(),
      spec: { role, availability: 'active', labels: {} },
      description: call.description,
      status: { state: 'unknown', message: 'joined', addr },
      ...(managerAddr === undefined ? {} : { managerAddr }),
      portAddr: `${addr}:${call.port}`,
    };
    await store.create('node', nodeId, storedValue(node));
    await this.options.heartbeats.beat(nodeId, this.#heartbeat.ttlSeconds);
    const managers = managerAddresses(await readNodes(store));
    // Last: the new etcd member (a learner until the new manager promotes it) joins the cluster.
    const etcd = role === 'manager' ? await this.options.etcd.addMemberFor(nodeId, addr, {
      certPem: await issueNodeCertificate(record.etcdCa, { nodeId, role, clusterId: record.id, publicKeyPem: call.publicKeyPem, ipAddresses: [addr, '127.0.0.1'], dnsNames: ['localhost'], now }),
      caCertPem: record.etcdCa.certPem,
    }) : undefined;
    const dataKeys = role === 'manager' ? await this.options.keyring?.keys() : undefined;
    return { nodeId, role, clusterId: record.id, certPem, caCertPem: record.caCertPem, managers, ...(etcd === undefined ? {} : { etcd }), ...(dataKeys === undefined ? {} : { dataKeys }) };
  }

  async heartbeat(nodeId: string, transition = false): Promise<HeartbeatAnswer> {
    const node = await this.#member(nodeId);
    await this.options.heartbeats.beat(nodeId, transition ? Math.max(ROLE_CHANGE_LEASE_S, this.#heartbeat.ttlSeconds) : this.#heartbeat.ttlSeconds);
    return { periodMs: this.#heartbeat.periodMs, role: node.spec.role };
  }

  async changeRole(nodeId: string, call: RoleCall, currentRole: NodeRole): Promise<RoleAnswer> {
    const { store, clock } = this.options;
    const node = await this.#member(nodeId);
    const role = node.spec.role;
    if (role === currentRole) throw errors.failedPrecondition('role-unchanged', `node ${nodeId} already holds a ${role} certificate`);
    const { record } = await readClusterRecord(store);
    const now = clock.now();
    const addr = node.status.addr;
    const subject = { nodeId, role, clusterId: record.id, publicKeyPem: call.publicKeyPem, ipAddresses: [addr, '127.0.0.1'], dnsNames: ['localhost'], now };
    const certPem = await issueNodeCertificate({ certPem: record.caCertPem, keyPem: record.caKeyPem }, subject);
    const portAddr = node.portAddr ?? `${addr}:${CLUSTER_PORT}`;
    const { managerAddr: _formerAddr, ...rest } = node;
    const updated: Node = { ...rest, updatedAt: now.toISOString(), portAddr, ...(role === 'manager' ? { managerAddr: portAddr } : {}) };
    await store.update('node', nodeId, storedValue(updated), node.version);
    if (role === 'worker') await this.options.etcd.removeMemberOf(nodeId);
    const managers = managerAddresses(await readNodes(store));
    const etcd = role === 'manager' ? await this.options.etcd.addMemberFor(nodeId, addr, {
      certPem: await issueNodeCertificate(record.etcdCa, subject), caCertPem: record.etcdCa.certPem,
    }) : undefined;
    const dataKeys = role === 'manager' ? await this.options.keyring?.keys() : undefined;
    return { role, certPem, caCertPem: record.caCertPem, managers, ...(etcd === undefined ? {} : { etcd }), ...(dataKeys === undefined ? {} : { dataKeys }) };
  }

  async assignments(nodeId: string, sinceRevision: number, signal: AbortSignal): Promise<Assignments> {
    await this.#member(nodeId);
    if (sinceRevision > 0) await this.#changeAfter(nodeId, sinceRevision, signal);
    const { store } = this.options;
    const listing = await store.list('task');
    const [services, nodes, networks, policies] = await Promise.all([readServices(store), readNodes(store), readNetworks(store), readNetworkPolicies(store)]);
    // A task that does not parse is logged by the leader's control passes; assignments leave it out quietly.
    const all = listing.items.map((item) => decodeObject(taskSchema, item, () => undefined)).filter((task) => task !== undefined);
    const tasks = all.filter((task) => task.nodeId === nodeId);
    const serviceNames: Record<string, string> = {};
    for (const service of services) serviceNames[service.id] = service.spec.name;
    const overlays = networks.length === 0 ? [] : overlaysForNode(nodeId, { nodes, networks, services, tasks: all, policies });
    const files = this.options.files === undefined ? [] : await this.options.files(tasks);
    return { revision: listing.revision, tasks, serviceNames, overlays, ...(files.length > 0 ? { files } : {}) };
  }

  async dataKeys(): Promise<readonly DataKey[]> {
    return (await this.options.keyring?.keys()) ?? [];
  }

  async report(nodeId: string, reports: readonly TaskStatusReport[]): Promise<void> {
    await this.#member(nodeId);
    for (const report of reports) await this.#applyReport(nodeId, report);
  }

  async #applyReport(nodeId: string, report: TaskStatusReport): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      const task = await readTask(this.options.store, report.taskId);
      if (task === undefined) return; // deleted: nothing to record
      if (task.nodeId !== nodeId) throw errors.permissionDenied('task-not-assigned', `task ${task.id} is not assigned to node ${nodeId}`);
      if (!movesForward(task, report)) return;
      const updated: Task = { ...task, updatedAt: this.options.clock.now().toISOString(), status: report.status };
      try {
        await this.options.store.update('task', task.id, storedValue(updated), task.version);
        return;
      } catch (err) {
        if (!isBerthError(err, 'conflict')) throw err;
      }
    }
    throw errors.unavailable('report-contended', `task ${report.taskId}: its status kept changing; report again`);
  }

  async #member(nodeId: string): Promise<Node> {
    const node = await readNode(this.options.store, nodeId);
    if (node === undefined) throw errors.permissionDenied('node-removed', `node ${nodeId} is not (or no longer) a member of this cluster`);
    return node;
  }

  /**
   * Waits until something the node's answer depends on changed after `since` — a task of the
   * node, any task delete, a task on a cluster network (its peers, names and balancers), a
   * service, network or node — the signal aborts, or the long poll's time is up.
   */
  async #changeAfter(nodeId: string, since: number, signal: AbortSignal): Promise<void> {
    const stop = new AbortController();
    const onAbort = (): void => { stop.abort(); };
    signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(onAbort, LONG_POLL_MS);
    try {
      for await (const event of this.options.store.watch({ fromRevision: since + 1, signal: stop.signal })) {
        if (event.kind === 'service' || event.kind === 'network' || event.kind === 'node' || event.kind === 'network-policy') return;
        if (event.kind !== 'task') continue;
        const value = event.value;
        if (event.type === 'delete') return;
        if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
        if (value.nodeId === nodeId || (Array.isArray(value.networks) && value.networks.length > 0)) return;
      }
    } catch (err) {
      if (!isBerthError(err, 'failed-precondition')) throw err; // compacted: answer the current state
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      stop.abort();
    }
  }
}

function roleOf(secret: string, tokens: { worker: string; manager: string }): NodeRole | undefined {
  const hash = hashJoinSecret(secret);
  if (joinSecretMatches(tokenSecret(tokens.worker), hash)) return 'worker';
  if (joinSecretMatches(tokenSecret(tokens.manager), hash)) return 'manager';
  return undefined;
}

function tokenSecret(token: string): string {
  return parseJoinToken(token).secret;
}

/** A report moves its task forward: a later state, or the same state with news (a container id, an exit code). Never back, never out of an end. */
export function movesForward(task: Task, report: TaskStatusReport): boolean {
  const from = taskStateRank(task.status.state);
  const to = taskStateRank(report.status.state);
  if (isTerminalTaskState(task.status.state)) return false;
  if (to > from) return true;
  return to === from && report.status.containerId !== undefined && task.status.containerId === undefined;
}
