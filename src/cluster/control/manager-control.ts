/**
 * The manager's side of ClusterControl: the cluster's objects as the API reads and changes them,
 * straight on the store (revision-compared writes). Tasks are the controllers' business: a service
 * written here gets its tasks from the leader's orchestrators.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../../base/clock.js';
import { errors, isBerthError } from '../../base/errors.js';
import type { Node, NodeRole } from '../objects/node.js';
import { isJobMode, type Service, type ServiceSpec, type ServiceSpecInput } from '../objects/service.js';
import { parseServiceSpec } from '../objects/service-spec-validation.js';
import type { Task } from '../objects/task.js';
import type { ClusterStore, StoreWrite } from '../store/cluster-store.js';
import type { Heartbeats } from '../store/heartbeats.js';
import { makeJoinToken, newJoinSecret, caDigest } from '../trust/index.js';
import { readClusterRecord, recordValue, CLUSTER_RECORD_ID } from './cluster-record.js';
import type { ClusterInfo, ClusterNode, NodeUpdate, ServiceUpdateOptions, TaskFilter } from './cluster-control.js';
import { newObjectId } from './ids.js';
import { resolve } from './resolve-ref.js';
import { NetworkControl } from './network-control.js';
import { PolicyControl } from './policy-control.js';
import type { DataKeyring } from './data-keyring.js';
import { FileObjectControl } from './file-object-control.js';
import { ServicePorts, withoutPortAdditions } from './service-ports.js';
import { readNode, readNodes, readService, readServices, readTask, readTasks, storedValue } from './stored-objects.js';

export interface ManagerControlOptions {
  readonly store: ClusterStore;
  readonly heartbeats: Heartbeats;
  readonly clock: Clock;
  /** The node id of the current leader, if any. */
  readonly leader: () => Promise<string | undefined>;
  /** This manager's data keys (secrets at rest). */
  readonly keyring: DataKeyring;
}

/** The `service-name` object's id for a name (names have characters ids do not). */
export function serviceNameId(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export class ManagerControl {
  /** The cluster's networks (`network create -d overlay` on a manager). */
  readonly networks: NetworkControl;
  /** The cluster's network policies (`berth network policy …` on a manager). */
  readonly policies: PolicyControl;
  /** The cluster's secrets and configs. */
  readonly files: FileObjectControl;
  readonly #ports: ServicePorts;

  constructor(private readonly options: ManagerControlOptions) {
    this.networks = new NetworkControl(options.store, options.clock);
    this.policies = new PolicyControl(options.store, options.clock);
    this.files = new FileObjectControl(options.store, options.clock, options.keyring);
    this.#ports = new ServicePorts(options.store, this.networks);
  }

  async inspect(): Promise<ClusterInfo> {
    const { record, version } = await readClusterRecord(this.options.store);
    return {
      id: record.id, version, createdAt: record.createdAt, updatedAt: record.updatedAt,
      joinTokens: { ...record.tokens }, caCertPem: record.caCertPem, caDigest: caDigest(record.caCertPem),
    };
  }

  async rotateJoinToken(role: NodeRole): Promise<void> {
    const { record, version } = await readClusterRecord(this.options.store);
    const tokens = { ...record.tokens, [role]: makeJoinToken(record.caCertPem, newJoinSecret()) };
    await this.options.store.update('cluster', CLUSTER_RECORD_ID, recordValue({ ...record, tokens, updatedAt: this.options.clock.now().toISOString() }), version);
  }

  async listNodes(): Promise<ClusterNode[]> {
    const [nodes, leader] = await Promise.all([readNodes(this.options.store), this.options.leader()]);
    return nodes.map((node) => clusterNode(node, leader));
  }

  async getNode(ref: string): Promise<ClusterNode> {
    const node = resolve('node', ref, await readNodes(this.options.store), (n) => n.description.hostname);
    return clusterNode(node, await this.options.leader());
  }

  async updateNode(id: string, version: number, update: NodeUpdate): Promise<void> {
    const node = await readNode(this.options.store, id);
    if (node === undefined) throw errors.notFound('node-not-found', `node ${id} not found`);
    if (node.version !== version) throw errors.conflict('stale-version', `update out of sequence: node ${id} is at version ${node.version}, not ${version}`);
    if (update.role === 'worker' && node.spec.role === 'manager') {
      const managers = (await readNodes(this.options.store)).filter((n) => n.spec.role === 'manager' && n.id !== id);
      if (managers.length === 0) throw errors.failedPrecondition('last-manager', 'attempting to demote the last manager of the swarm');
    }
    const updated: Node = { ...node, updatedAt: this.options.clock.now().toISOString(), spec: { role: update.role, availability: update.availability, labels: { ...update.labels } } };
    await this.options.store.update('node', id, storedValue(updated), version);
  }

  async removeNode(ref: string, force: boolean): Promise<void> {
    const node = resolve('node', ref, await readNodes(this.options.store), (n) => n.description.hostname);
    if (node.spec.role === 'manager') {
      throw errors.failedPrecondition('node-is-manager', `node ${node.id} is a cluster manager; it must leave the cluster (berth cluster leave --force on it) before it can be removed`);
    }
    if (!force && node.status.state !== 'down') {
      throw errors.failedPrecondition('node-not-down', `node ${node.id} is not down and can't be removed; use --force, or stop it first`);
    }
    await this.options.store.delete('node', node.id, node.version);
    await this.options.heartbeats.revoke(node.id);
  }

  async createService(input: ServiceSpecInput): Promise<Service> {
    const resolved = await this.#resolveReferences(withoutPortAdditions(parseServiceSpec(input)));
    const id = newObjectId();
    const { spec, endpointPorts, writes: claims } = await this.#ports.prepare(id, resolved.spec);
    const pins = [...resolved.writes, ...claims];
    const now = this.options.clock.now().toISOString();
    const service: Service = { id, version: 0, createdAt: now, updatedAt: now, spec, virtualIps: [], endpointPorts, ...firstJobRun(spec, now) };
    try {
      const { revision } = await this.options.store.commit([
        { op: 'put', kind: 'service-name', id: serviceNameId(spec.name), value: { serviceId: service.id }, expect: 'absent' },
        { op: 'put', kind: 'service', id: service.id, value: storedValue(service), expect: 'absent' },
        ...pins,
      ]);
      return { ...service, version: revision };
    } catch (err) {
      if (isBerthError(err, 'conflict') && err.details.kind === 'service-name') throw errors.conflict('service-name-in-use', `service name ${spec.name} is in use by another service`);
      if (isBerthError(err, 'conflict') && err.details.kind === 'published-port') throw errors.conflict('port-in-use', `a port of service ${spec.name} was published by another service meanwhile`);
      throw err;
    }
  }

  listServices(): Promise<Service[]> {
    return readServices(this.options.store);
  }

  async getService(ref: string): Promise<Service> {
    return resolve('service', ref, await readServices(this.options.store), (s) => s.spec.name);
  }

  async updateService(id: string, version: number, input: ServiceSpecInput, options: ServiceUpdateOptions = {}): Promise<Service> {
    const resolved = await this.#resolveReferences(withoutPortAdditions(parseServiceSpec(input)));
    const service = await readService(this.options.store, id);
    if (service === undefined) throw errors.notFound('service-not-found', `service ${id} not found`);
    if (service.version !== version) throw errors.conflict('stale-version', `update out of sequence: service ${id} is at version ${service.version}, not ${version}`);
    checkModeChange(service, resolved.spec, options.rollback === true);
    const { spec, endpointPorts, writes: claims } = await this.#ports.prepare(id, resolved.spec, service);
    const pins = [...resolved.writes, ...claims];
    const now = this.options.clock.now().toISOString();
    // As Swarm: every update keeps the spec it replaces (what a rollback restores) and starts the
    // rolling of the tasks afresh (the leader's updater sets the status); a rollback says so.
    const { updateStatus: _last, ...unchanged } = service;
    const updated: Service = {
      ...unchanged, updatedAt: now, spec, endpointPorts, previousSpec: service.spec, ...nextJobRun(service, spec, now),
      ...(options.rollback === true ? { updateStatus: { state: 'rollback_started', startedAt: now, message: 'manually requested rollback' } } : {}),
    };
    const writes: StoreWrite[] = [{ op: 'put', kind: 'service', id, value: storedValue(updated), expect: version }, ...pins];
    if (spec.name !== service.spec.name) {
      const old = await this.options.store.get('service-name', serviceNameId(service.spec.name));
      writes.push({ op: 'put', kind: 'service-name', id: serviceNameId(spec.name), value: { serviceId: id }, expect: 'absent' });
      if (old !== undefined) writes.push({ op: 'delete', kind: 'service-name', id: old.id, expect: old.version });
    }
    try {
      const { revision } = await this.options.store.commit(writes);
      return { ...updated, version: revision };
    } catch (err) {
      if (isBerthError(err, 'conflict') && err.details.kind === 'service-name') throw errors.conflict('service-name-in-use', `service name ${spec.name} is in use by another service`);
      if (isBerthError(err, 'conflict') && err.details.kind === 'published-port') throw errors.conflict('port-in-use', `a port of service ${spec.name} was published by another service meanwhile`);
      throw err;
    }
  }

  async promoteService(ref: string): Promise<Service> {
    const service = await this.getService(ref);
    const status = service.updateStatus;
    if (status?.state !== 'paused' || status.canary !== 'holding') {
      const now = status === undefined ? 'has no update under way' : `is ${status.state.replace('_', ' ')}${status.canary === 'promoted' ? ' (its canary was promoted)' : ''}`;
      throw errors.failedPrecondition('no-canary-to-promote', `service ${service.spec.name} has no canary waiting for promotion: its update ${now}`);
    }
    const promoted: Service = {
      ...service, updatedAt: this.options.clock.now().toISOString(),
      updateStatus: { ...status, state: 'updating', canary: 'promoted', message: 'canary promoted: the update goes on' },
    };
    const { revision } = await this.options.store.commit([{ op: 'put', kind: 'service', id: service.id, value: storedValue(promoted), expect: service.version }]);
    return { ...promoted, version: revision };
  }

  async removeService(ref: string): Promise<void> {
    const service = await this.getService(ref);
    const name = await this.options.store.get('service-name', serviceNameId(service.spec.name));
    await this.options.store.commit([
      { op: 'delete', kind: 'service', id: service.id, expect: service.version },
      ...(name === undefined ? [] : [{ op: 'delete' as const, kind: 'service-name' as const, id: name.id, expect: name.version }]),
      ...await this.#ports.releases(service),
    ]);
  }

  /** The spec with its networks, secrets and configs named by id, and the writes that pin them in the service's commit. */
  async #resolveReferences(parsed: ServiceSpec): Promise<{ spec: ServiceSpec; writes: StoreWrite[] }> {
    const networks = await this.networks.resolveServiceNetworks(parsed);
    const files = await this.files.resolveServiceFiles(networks.spec);
    return { spec: files.spec, writes: [...networks.writes, ...files.writes] };
  }

  async listTasks(filter: TaskFilter = {}): Promise<Task[]> {
    return (await readTasks(this.options.store)).filter((task) =>
      (filter.serviceId === undefined || task.serviceId === filter.serviceId)
      && (filter.nodeId === undefined || task.nodeId === filter.nodeId)
      && (filter.desiredState === undefined || task.desiredState === filter.desiredState));
  }

  async getTask(id: string): Promise<Task> {
    const task = await readTask(this.options.store, id);
    if (task !== undefined) return task;
    return resolve('task', id, await readTasks(this.options.store), () => '');
  }

  /** Creates the cluster's first objects: its record (CA, tokens) and the first manager's node. */
  static async bootstrap(store: ClusterStore, record: Parameters<typeof recordValue>[0], node: Node): Promise<void> {
    await store.commit([
      { op: 'put', kind: 'cluster', id: CLUSTER_RECORD_ID, value: recordValue(record), expect: 'absent' },
      { op: 'put', kind: 'node', id: node.id, value: storedValue(node), expect: 'absent' },
    ]);
  }
}

function clusterNode(node: Node, leader: string | undefined): ClusterNode {
  if (node.spec.role !== 'manager') return { node };
  return {
    node,
    manager: {
      leader: node.id === leader,
      reachability: node.status.state === 'ready' ? 'reachable' : node.status.state === 'down' ? 'unreachable' : 'unknown',
      addr: node.managerAddr ?? '',
    },
  };
}

/** A new job's first run: at once, or (scheduled) none until the schedule fires. Nothing for other modes. */
function firstJobRun(spec: ServiceSpec, now: string): Pick<Service, 'jobStatus'> {
  if (!isJobMode(spec.mode)) return {};
  return { jobStatus: spec.schedule === undefined ? { iteration: 1, lastExecution: now, message: '' } : { iteration: 0, message: '' } };
}

/**
 * An updated job runs again at once, as Swarm's (a new run: its earlier run's tasks that still
 * go are stopped); a scheduled one keeps its runs, and its next scheduled run uses the new spec.
 */
function nextJobRun(service: Service, spec: ServiceSpec, now: string): Pick<Service, 'jobStatus'> {
  if (!isJobMode(spec.mode)) return {};
  const status = service.jobStatus ?? { iteration: 0, message: '' };
  if (spec.schedule !== undefined) return { jobStatus: status };
  return { jobStatus: { ...status, iteration: status.iteration + 1, lastExecution: now, message: '' } };
}

/** A service cannot turn into a job or a job into a service (Swarm's rule), and a job has no rolling update to roll back. */
function checkModeChange(service: Service, spec: ServiceSpec, rollback: boolean): void {
  const wasJob = isJobMode(service.spec.mode);
  if (wasJob !== isJobMode(spec.mode)) {
    throw errors.invalidArgument('mode-change', `service ${service.spec.name} is ${service.spec.mode.kind}: a service cannot change between a job mode and a service mode (${service.spec.mode.kind} to ${spec.mode.kind}); remove it and create it anew`);
  }
  if (rollback && wasJob) {
    throw errors.failedPrecondition('job-rollback', `service ${service.spec.name} is a job: a job has no rolling update to roll back; update it to run its previous spec`);
  }
}
