import type { Node } from '../objects/node.js';
import { parseNodeAttribute, readNodeAttribute } from '../objects/node-attribute.js';
import { isDesiredToRun, isTerminalTaskState, type Task } from '../objects/task.js';


/** Whether a task still takes its node's resources: placed and its container not yet gone. */
export function holdsResources(task: Task): boolean {
  return task.nodeId !== undefined && !isTerminalTaskState(task.status.state);
}

/**
 * Whether a task counts as one of its service's tasks on its node (anti-affinity, max replicas,
 * spread): it holds resources and the control plane still wants it to run.
 */
export function countsForService(task: Task): boolean {
  return holdsResources(task) && isDesiredToRun(task);
}

/**
 * How the tasks of one service are spread over the values of one node attribute (a spread
 * preference): the value index of every node and the service's task count per value.
 */
export interface SpreadCounts {
  /** Per node: the index of its value; nodes without the attribute share one index. */
  readonly valueOfNode: Int32Array;
  /** Per value index: the service's tasks on nodes with that value. */
  readonly counts: Int32Array;
}

/**
 * The nodes of a snapshot and what their tasks use, updated as a plan places tasks (incremental
 * accounting: nothing is summed again per placement). Not shared: one table per schedule call.
 */
export class NodeTable {
  readonly nodes: readonly Node[];
  readonly indexById = new Map<string, number>();
  /** Offered minus reserved, per node. */
  readonly freeNanoCpus: Float64Array;
  readonly freeMemoryBytes: Float64Array;
  /** Tasks holding each node (all services). */
  readonly taskCount: Int32Array;
  private readonly serviceCounts = new Map<string, Int32Array>();
  private readonly attributeValues = new Map<string, { valueOfNode: Int32Array; values: number }>();
  private readonly spreads = new Map<string, Map<string, SpreadCounts>>();

  constructor(nodes: readonly Node[], tasks: readonly Task[]) {
    this.nodes = nodes;
    const n = nodes.length;
    this.freeNanoCpus = new Float64Array(n);
    this.freeMemoryBytes = new Float64Array(n);
    this.taskCount = new Int32Array(n);
    nodes.forEach((node, i) => {
      this.indexById.set(node.id, i);
      this.freeNanoCpus[i] = node.description.resources.nanoCpus;
      this.freeMemoryBytes[i] = node.description.resources.memoryBytes;
    });
    for (const task of tasks) {
      if (!holdsResources(task)) continue;
      const i = this.indexById.get(task.nodeId ?? '');
      if (i !== undefined) this.take(i, task, countsForService(task));
    }
  }

  /** The service's task count per node (zeros for a service with no tasks yet). */
  serviceTasks(serviceId: string): Int32Array {
    let counts = this.serviceCounts.get(serviceId);
    if (counts === undefined) {
      counts = new Int32Array(this.nodes.length);
      this.serviceCounts.set(serviceId, counts);
    }
    return counts;
  }

  /** The service's spread over an attribute key (e.g. `node.labels.zone`), built on first use. */
  spread(serviceId: string, attributeKey: string): SpreadCounts {
    let byKey = this.spreads.get(serviceId);
    if (byKey === undefined) {
      byKey = new Map();
      this.spreads.set(serviceId, byKey);
    }
    let spread = byKey.get(attributeKey);
    if (spread === undefined) {
      const { valueOfNode, values } = this.partition(attributeKey);
      const counts = new Int32Array(values);
      const perNode = this.serviceTasks(serviceId);
      for (let i = 0; i < perNode.length; i++) {
        const value = valueOfNode[i] ?? 0;
        counts[value] = (counts[value] ?? 0) + (perNode[i] ?? 0);
      }
      spread = { valueOfNode, counts };
      byKey.set(attributeKey, spread);
    }
    return spread;
  }

  /** Records that `task` (of the plan being built) now holds node `i`. */
  place(i: number, task: Task): void {
    this.take(i, task, true);
  }

  private take(i: number, task: Task, forService: boolean): void {
    const { reservations } = task.spec.resources;
    this.freeNanoCpus[i] = (this.freeNanoCpus[i] ?? 0) - reservations.nanoCpus;
    this.freeMemoryBytes[i] = (this.freeMemoryBytes[i] ?? 0) - reservations.memoryBytes;
    this.taskCount[i] = (this.taskCount[i] ?? 0) + 1;
    if (!forService) return;
    const perNode = this.serviceTasks(task.serviceId);
    perNode[i] = (perNode[i] ?? 0) + 1;
    for (const spread of this.spreads.get(task.serviceId)?.values() ?? []) {
      const value = spread.valueOfNode[i] ?? 0;
      spread.counts[value] = (spread.counts[value] ?? 0) + 1;
    }
  }

  /** Each node's value index for an attribute key (nodes without it share one), and the count of values. */
  partition(attributeKey: string): { valueOfNode: Int32Array; values: number } {
    let entry = this.attributeValues.get(attributeKey);
    if (entry === undefined) {
      const attribute = parseNodeAttribute(attributeKey);
      const index = new Map<string | undefined, number>();
      const valueOfNode = new Int32Array(this.nodes.length);
      this.nodes.forEach((node, i) => {
        const value = attribute === undefined ? undefined : readNodeAttribute(node, attribute);
        let at = index.get(value);
        if (at === undefined) {
          at = index.size;
          index.set(value, at);
        }
        valueOfNode[i] = at;
      });
      entry = { valueOfNode, values: index.size };
      this.attributeValues.set(attributeKey, entry);
    }
    return entry;
  }
}
