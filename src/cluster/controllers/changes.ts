/**
 * The writes the controllers make, as typed changes, and how they are grouped for commits.
 *
 * A `Batch` is what one controller decided for one thing (a service, a node, the scheduler's
 * plan): `units` that must each land whole (a replaced task's shutdown and its successor), and a
 * `guard` of checks that every commit of the batch repeats (the service's version it decided
 * from). A batch is one commit unless it is larger than `MAX_COMMIT_OPS` (etcd refuses
 * transactions of more than 128 operations by default): then it is split between units.
 */
import type { ClusterNetwork } from '../objects/network.js';
import type { Node } from '../objects/node.js';
import type { Service } from '../objects/service.js';
import type { Task, TaskState } from '../objects/task.js';
import type { ClusterObjectKind, Expectation } from '../store/cluster-store.js';

export type Change =
  | { readonly op: 'put-node'; readonly node: Node }
  | { readonly op: 'put-task'; readonly task: Task }
  | { readonly op: 'put-service'; readonly service: Service }
  | { readonly op: 'put-network'; readonly network: ClusterNetwork }
  | { readonly op: 'delete-task'; readonly id: string; readonly expect: number }
  | { readonly op: 'check'; readonly kind: ClusterObjectKind; readonly id: string; readonly expect: Expectation };

export interface Batch {
  readonly guard: readonly Change[];
  readonly units: readonly (readonly Change[])[];
}

/** Most operations in one commit. */
export const MAX_COMMIT_OPS = 100;

/** The expectation of a put: absent for an object never stored (version 0), else its version. */
export function expectationOf(object: { readonly version: number }): Expectation {
  return object.version === 0 ? 'absent' : object.version;
}

export function putTask(task: Task): Change {
  return { op: 'put-task', task };
}

export function putService(service: Service): Change {
  return { op: 'put-service', service };
}

export function putNetwork(network: ClusterNetwork): Change {
  return { op: 'put-network', network };
}

export function putNode(node: Node): Change {
  return { op: 'put-node', node };
}

export function deleteTask(task: Task): Change {
  return { op: 'delete-task', id: task.id, expect: task.version };
}

export function checkService(service: Service): Change {
  return { op: 'check', kind: 'service', id: service.id, expect: service.version };
}

export function checkNode(node: Node): Change {
  return { op: 'check', kind: 'node', id: node.id, expect: node.version };
}

/** The task with a new desired state (the control plane's field), touched at `now`. */
export function withDesiredState(task: Task, desiredState: TaskState, now: Date): Task {
  return { ...task, desiredState, updatedAt: now.toISOString() };
}

/** A batch of independent single-change units. */
export function batchOf(changes: readonly Change[], guard: readonly Change[] = []): Batch {
  return { guard, units: changes.map((change) => [change]) };
}
