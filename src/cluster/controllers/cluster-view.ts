/**
 * What one pass of the control plane knows: every node, service and task as read from the store
 * (with their versions) and the nodes whose heartbeat lease lives. The pass's own commits update
 * it (`apply`), so later steps of the pass see earlier steps' writes without reading again; any
 * other writer's change makes a commit fail (conflict) and the pass starts over from a new read.
 */
import { clusterNetworkSchema, type ClusterNetwork } from '../objects/network.js';
import { nodeSchema, type Node } from '../objects/node.js';
import { serviceSchema, type Service } from '../objects/service.js';
import { taskSchema, type Task } from '../objects/task.js';
import type { ClusterStore } from '../store/cluster-store.js';
import type { Heartbeats } from '../store/heartbeats.js';
import type { Change } from './changes.js';
import { decodeObject } from '../objects/stored-object.js';

export class ClusterView {
  readonly nodes = new Map<string, Node>();
  readonly services = new Map<string, Service>();
  readonly tasks = new Map<string, Task>();
  readonly networks = new Map<string, ClusterNetwork>();

  private constructor(
    /** The nodes whose heartbeat lease lived when the view was read. */
    readonly alive: ReadonlySet<string>,
    /** The lowest store revision of the listings: everything up to it is in the view. */
    readonly revision: number,
  ) {}

  /** Reads everything. Throws as ClusterStore.list and Heartbeats.alive do. */
  static async read(store: ClusterStore, heartbeats: Heartbeats, log: (message: string) => void): Promise<ClusterView> {
    const alive = await heartbeats.alive();
    const [nodes, services, tasks, networks] = await Promise.all([store.list('node'), store.list('service'), store.list('task'), store.list('network')]);
    const view = new ClusterView(alive, Math.min(nodes.revision, services.revision, tasks.revision, networks.revision));
    for (const item of networks.items) {
      const network = decodeObject(clusterNetworkSchema, item, log);
      if (network !== undefined) view.networks.set(item.id, network);
    }
    for (const item of nodes.items) {
      const node = decodeObject(nodeSchema, item, log);
      if (node !== undefined) view.nodes.set(item.id, node);
    }
    for (const item of services.items) {
      const service = decodeObject(serviceSchema, item, log);
      if (service !== undefined) view.services.set(item.id, service);
    }
    for (const item of tasks.items) {
      const task = decodeObject(taskSchema, item, log);
      if (task !== undefined) view.tasks.set(item.id, task);
    }
    return view;
  }

  /** The tasks of one service. */
  tasksOf(serviceId: string): Task[] {
    return [...this.tasks.values()].filter((task) => task.serviceId === serviceId);
  }

  /** Records the pass's own committed changes, every written object at `revision`. */
  apply(changes: readonly Change[], revision: number): void {
    for (const change of changes) {
      switch (change.op) {
        case 'put-node': this.nodes.set(change.node.id, { ...change.node, version: revision }); break;
        case 'put-task': this.tasks.set(change.task.id, { ...change.task, version: revision }); break;
        case 'put-service': this.services.set(change.service.id, { ...change.service, version: revision }); break;
        case 'put-network': this.networks.set(change.network.id, { ...change.network, version: revision }); break;
        case 'delete-task': this.tasks.delete(change.id); break;
        case 'check': break;
      }
    }
  }
}
