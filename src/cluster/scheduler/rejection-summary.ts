import { NANO_CPUS_PER_CPU } from '../objects/object-meta.js';
import type { Rejection } from './feasibility.js';

/** How many nodes failed one way, and the words for it. */
export interface RejectionGroup {
  /** Stable key of the way (`memory`, `constraint:node.labels.zone==eu`, `status:down`…). */
  readonly key: string;
  readonly nodes: number;
  /** E.g. "insufficient memory (need 2 GiB, largest free 1.1 GiB)". */
  readonly text: string;
}

/** Binary units, at most one decimal: 2 GiB, 1.1 GiB, 512 MiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toFixed(1))} ${units[unit] ?? 'B'}`;
}

function formatCpus(nanoCpus: number): string {
  return String(Number((Math.max(0, nanoCpus) / NANO_CPUS_PER_CPU).toFixed(2)));
}

function keyOf(rejection: Rejection): string {
  switch (rejection.check) {
    case 'status': return `status:${rejection.state}`;
    case 'availability': return `availability:${rejection.availability}`;
    case 'constraint': return `constraint:${rejection.expression}`;
    case 'max-replicas': return 'max-replicas';
    case 'memory': return 'memory';
    case 'cpu': return 'cpu';
  }
}

/**
 * Groups the rejections of every node by way of failing, most nodes first (then by key), with
 * the largest free amount among the nodes short of memory or CPU.
 */
export function groupRejections(rejections: readonly Rejection[]): RejectionGroup[] {
  const groups = new Map<string, { first: Rejection; nodes: number; largestFree: number }>();
  for (const rejection of rejections) {
    const key = keyOf(rejection);
    const free = rejection.check === 'memory' ? rejection.freeBytes : rejection.check === 'cpu' ? rejection.freeNanoCpus : 0;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { first: rejection, nodes: 1, largestFree: free });
    else {
      group.nodes++;
      group.largestFree = Math.max(group.largestFree, free);
    }
  }
  return [...groups.entries()]
    .map(([key, { first, nodes, largestFree }]) => ({ key, nodes, text: describe(first, largestFree) }))
    .sort((a, b) => b.nodes - a.nodes || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function describe(rejection: Rejection, largestFree: number): string {
  switch (rejection.check) {
    case 'status': return rejection.state === 'down' ? 'down' : 'not ready';
    case 'availability': return rejection.availability === 'drain' ? 'drained' : 'paused';
    case 'constraint': return `constraint ${rejection.expression} not met`;
    case 'max-replicas': return `max replicas per node (${rejection.maxReplicas}) reached`;
    case 'memory': return `insufficient memory (need ${formatBytes(rejection.needBytes)}, largest free ${formatBytes(largestFree)})`;
    case 'cpu': return `insufficient CPU (need ${formatCpus(rejection.needNanoCpus)}, largest free ${formatCpus(largestFree)})`;
  }
}

/**
 * The sentence shown on an unplaceable task, e.g. "no suitable node: 3 nodes insufficient memory
 * (need 2 GiB, largest free 1.1 GiB); 2 nodes constraint node.labels.zone==eu not met".
 */
export function summariseRejections(groups: readonly RejectionGroup[]): string {
  if (groups.length === 0) return 'no suitable node: the cluster has no nodes';
  return `no suitable node: ${groups.map((g) => `${g.nodes} ${g.nodes === 1 ? 'node' : 'nodes'} ${g.text}`).join('; ')}`;
}
