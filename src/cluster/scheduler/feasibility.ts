import { firstUnmetConstraint, type Constraint } from '../objects/constraints.js';
import type { Node } from '../objects/node.js';
import type { NodeTable } from './node-table.js';

/**
 * Why one node cannot take a task: the first feasibility check it failed. Checks run cheapest
 * first: the node's status, its availability, the constraints (these three depend only on the
 * node and the task's spec, so they are computed once per node and placement group), then max
 * replicas per node and the reservations against what the node has free (these change as the
 * plan places tasks).
 */
export type Rejection =
  | { readonly check: 'status'; readonly state: 'unknown' | 'down' }
  | { readonly check: 'availability'; readonly availability: 'pause' | 'drain' }
  | { readonly check: 'constraint'; readonly expression: string }
  | { readonly check: 'max-replicas'; readonly maxReplicas: number }
  | { readonly check: 'memory'; readonly needBytes: number; readonly freeBytes: number }
  | { readonly check: 'cpu'; readonly needNanoCpus: number; readonly freeNanoCpus: number };

/** What a task asks of its node, shared by the tasks of one service with the same spec. */
export interface Requirements {
  readonly serviceId: string;
  readonly constraints: readonly Constraint[];
  readonly maxReplicas: number;
  readonly needNanoCpus: number;
  readonly needMemoryBytes: number;
}

/** The checks that depend only on the node and the spec (cached by the caller per group). */
export function staticRejection(node: Node, requirements: Requirements): Rejection | null {
  const { state } = node.status;
  if (state !== 'ready') return { check: 'status', state };
  const { availability } = node.spec;
  if (availability !== 'active') return { check: 'availability', availability };
  const unmet = firstUnmetConstraint(requirements.constraints, node);
  return unmet === undefined ? null : { check: 'constraint', expression: unmet.expression };
}

/** The checks that change as tasks are placed: max replicas per node, then memory, then CPU. */
export function dynamicRejection(table: NodeTable, i: number, requirements: Requirements, serviceTasks: Int32Array): Rejection | null {
  if (requirements.maxReplicas > 0 && (serviceTasks[i] ?? 0) >= requirements.maxReplicas) {
    return { check: 'max-replicas', maxReplicas: requirements.maxReplicas };
  }
  const freeBytes = table.freeMemoryBytes[i] ?? 0;
  if (requirements.needMemoryBytes > 0 && requirements.needMemoryBytes > freeBytes) {
    return { check: 'memory', needBytes: requirements.needMemoryBytes, freeBytes };
  }
  const freeNanoCpus = table.freeNanoCpus[i] ?? 0;
  if (requirements.needNanoCpus > 0 && requirements.needNanoCpus > freeNanoCpus) {
    return { check: 'cpu', needNanoCpus: requirements.needNanoCpus, freeNanoCpus };
  }
  return null;
}
