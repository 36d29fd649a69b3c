/**
 * Typed calls of the cluster routes — Docker's Swarm API: `/swarm/…`, `/nodes/…`, `/services/…`,
 * `/tasks/…`. Methods throw the BerthError the daemon's answer maps to: unavailable on a node that
 * is not a manager (or in no cluster), not-found for an unknown node, service or task, conflict
 * for an update whose version moved on (read again and retry) or a name in use, invalid-argument
 * for a spec berthd refuses (its message names the field), failed-precondition for the removal of
 * a live node without `force` or the demotion of the last manager. Calls may run concurrently;
 * updates are ordered by the versions they carry.
 */
import type {
  JoinTokens, ServiceCreateResponse, ServiceUpdateResponse, SwarmInitRequest, SwarmInspect, SwarmJoinRequest, SwarmNode, SwarmNodeSpec,
  SwarmService, SwarmServiceSpecInput, SwarmSpecInput, SwarmTask,
} from '../wire/swarm.js';
import type { ApiTransport } from './api-transport.js';
import type { IncomingMessage } from 'node:http';
import type { LogsOptions } from './container-client.js';

const enc = encodeURIComponent;

/** Docker's `filters` query: `{"service":["web"],"desired-state":["running"]}`. */
export type ClusterFilters = Record<string, string[]>;

const filterQuery = (filters: ClusterFilters | undefined): string | undefined =>
  filters !== undefined && Object.keys(filters).length > 0 ? JSON.stringify(filters) : undefined;

/** berth's additions to Docker's init body. */
export interface InitOptions {
  /** Client URLs of an etcd cluster to keep the cluster's state in, instead of a member berthd supervises (sent as `EtcdEndpoints`). */
  etcdEndpoints?: string[];
}

/** Which join token `updateSwarm` replaces by a new one (the old one stops admitting nodes). */
export interface TokenRotation {
  worker?: boolean;
  manager?: boolean;
}

export class ClusterClient {
  constructor(private readonly api: ApiTransport) {}

  /** `GET /swarm`: the cluster object with its join tokens (managers only). */
  inspectSwarm(): Promise<SwarmInspect> {
    return this.api.json<SwarmInspect>('GET', '/swarm');
  }

  /** `POST /swarm/init`: makes this node the first manager of a new cluster; resolves with its node id. Conflict when already in one. */
  initSwarm(request: SwarmInitRequest, options: InitOptions = {}): Promise<string> {
    const etcd = options.etcdEndpoints ?? [];
    return this.api.json<string>('POST', '/swarm/init', { body: etcd.length === 0 ? request : { ...request, EtcdEndpoints: etcd } });
  }

  /** `POST /swarm/join`: resolves once this node is a member (as the token's role). Permission-denied for a wrong or rotated token. */
  async joinSwarm(request: SwarmJoinRequest): Promise<void> {
    await this.api.call('POST', '/swarm/join', { body: request });
  }

  /** `POST /swarm/leave`: a manager leaves only with `force`; unavailable on a node in no cluster. */
  async leaveSwarm(force = false): Promise<void> {
    await this.api.call('POST', '/swarm/leave', { query: { force: force ? true : undefined } });
  }

  /**
   * `POST /swarm/update?version=`: writes the cluster's spec as read at `version` (conflict when it
   * moved on) and rotates the join tokens asked for.
   */
  async updateSwarm(version: number, spec: SwarmSpecInput, rotate: TokenRotation = {}): Promise<void> {
    await this.api.call('POST', '/swarm/update', {
      query: {
        version,
        rotateWorkerToken: rotate.worker === true ? true : undefined,
        rotateManagerToken: rotate.manager === true ? true : undefined,
      },
      body: spec,
    });
  }

  /** The join tokens (`GET /swarm`'s JoinTokens). */
  async joinTokens(): Promise<JoinTokens> {
    return (await this.inspectSwarm()).JoinTokens;
  }

  /** `GET /nodes`: filters id, name, role, membership, label, node.label. */
  listNodes(filters?: ClusterFilters): Promise<SwarmNode[]> {
    return this.api.json<SwarmNode[]>('GET', '/nodes', { query: { filters: filterQuery(filters) } });
  }

  /** `GET /nodes/{ref}`: `ref` is an id, an unambiguous id prefix or a hostname. */
  inspectNode(ref: string): Promise<SwarmNode> {
    return this.api.json<SwarmNode>('GET', `/nodes/${enc(ref)}`);
  }

  /** `POST /nodes/{id}/update?version=`: the whole spec (read, change, write back). */
  async updateNode(id: string, version: number, spec: SwarmNodeSpec): Promise<void> {
    await this.api.call('POST', `/nodes/${enc(id)}/update`, { query: { version }, body: spec });
  }

  /** `DELETE /nodes/{ref}`: a node that is not down only with `force`. */
  async removeNode(ref: string, force = false): Promise<void> {
    await this.api.call('DELETE', `/nodes/${enc(ref)}`, { query: { force: force ? true : undefined } });
  }

  /** `GET /services`: filters id, name, label, mode; `status` adds ServiceStatus (running and desired tasks). */
  listServices(filters?: ClusterFilters, status = false): Promise<SwarmService[]> {
    return this.api.json<SwarmService[]>('GET', '/services', { query: { filters: filterQuery(filters), status: status ? true : undefined } });
  }

  /** `POST /services/create`: conflict when the name is in use; invalid-argument for a spec berthd refuses. */
  createService(spec: SwarmServiceSpecInput): Promise<ServiceCreateResponse> {
    return this.api.json<ServiceCreateResponse>('POST', '/services/create', { body: spec });
  }

  /** berth's `POST /berth/v1/services/{ref}/promote`: a canary that holds goes on; failed-precondition when none holds. */
  promoteService(ref: string): Promise<SwarmService> {
    return this.api.json<SwarmService>('POST', `/berth/v1/services/${enc(ref)}/promote`);
  }

  /** `GET /services/{ref}`: `ref` is an id, an unambiguous id prefix or a name. */
  inspectService(ref: string): Promise<SwarmService> {
    return this.api.json<SwarmService>('GET', `/services/${enc(ref)}`);
  }

  /**
   * `POST /services/{id}/update?version=`: the whole spec; conflict when `version` is no longer the
   * service's. `rollback`: restore the previous spec instead (`?rollback=previous`).
   */
  updateService(id: string, version: number, spec: SwarmServiceSpecInput, options: { rollback?: boolean } = {}): Promise<ServiceUpdateResponse> {
    const query = options.rollback === true ? { version, rollback: 'previous' } : { version };
    return this.api.json<ServiceUpdateResponse>('POST', `/services/${enc(id)}/update`, { query, body: spec });
  }

  /** `DELETE /services/{ref}`: its tasks are shut down. */
  async removeService(ref: string): Promise<void> {
    await this.api.call('DELETE', `/services/${enc(ref)}`);
  }

  /** `GET /tasks`: filters id, name, service, node, label, desired-state (running, shutdown, accepted). */
  listTasks(filters?: ClusterFilters): Promise<SwarmTask[]> {
    return this.api.json<SwarmTask[]>('GET', '/tasks', { query: { filters: filterQuery(filters) } });
  }

  /**
   * `GET /services/{ref}/logs` (or `/tasks/{ref}/logs` with `task`): the tasks' logs gathered by the
   * manager, open — multiplexed frames, one line each, `details` naming the line's node, service and
   * task after the timestamp. The caller reads or destroys it.
   */
  logs(ref: string, options: LogsOptions & { task?: boolean }, signal?: AbortSignal): Promise<IncomingMessage> {
    return this.api.open('GET', `/${options.task === true ? 'tasks' : 'services'}/${enc(ref)}/logs`, {
      query: { stdout: true, stderr: true, details: true, follow: options.follow, since: options.since, timestamps: options.timestamps, tail: options.tail },
      ...(signal === undefined ? {} : { signal }),
    });
  }

  /** `GET /tasks/{id}`. */
  inspectTask(id: string): Promise<SwarmTask> {
    return this.api.json<SwarmTask>('GET', `/tasks/${enc(id)}`);
  }
}
