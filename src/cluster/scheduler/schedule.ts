import { isBerthError, messageOf } from '../../base/errors.js';
import { parseConstraints } from '../objects/constraints.js';
import type { Node } from '../objects/node.js';
import type { Task } from '../objects/task.js';
import { dynamicRejection, staticRejection, type Rejection, type Requirements } from './feasibility.js';
import { NodeTable } from './node-table.js';
import { NodeRanker, type ResourceStrategy } from './rankers.js';
import { shuffledIndexes, type Random } from './random.js';
import { ringsByValue, ScanRing } from './scan-ring.js';
import { groupRejections, summariseRejections, type RejectionGroup } from './rejection-summary.js';

/** What the scheduler reads: the nodes and every task that may hold one (any state). */
export interface SchedulingSnapshot {
  readonly nodes: readonly Node[];
  /** Tasks already placed; those not yet ended hold their node's resources (node-table.ts). */
  readonly tasks: readonly Task[];
}

export interface SchedulerOptions {
  /** Orders the scan of nodes; inject a seeded one in tests. */
  readonly random: Random;
  /**
   * Most feasible nodes scored per task (Nomad's limit): the scan stops there, and the next task
   * goes on from where it stopped. Default 100; clusters of at most that many nodes are scored
   * whole.
   */
  readonly scoreLimit?: number;
  readonly resourceStrategy?: ResourceStrategy;
}

export interface Assignment {
  readonly taskId: string;
  readonly nodeId: string;
  /** The winning node's score in [0, 1]. */
  readonly score: number;
}

export interface Unplaced {
  readonly taskId: string;
  /** The sentence for the task's status message ("no suitable node: …"). */
  readonly reason: string;
  /** Every node's first failed check, grouped. */
  readonly rejections: readonly RejectionGroup[];
}

/** task → node for the tasks that fit, and why for those that do not. Applied with compare-and-swap. */
export interface Plan {
  readonly assignments: readonly Assignment[];
  readonly unplaced: readonly Unplaced[];
}

export const DEFAULT_SCORE_LIMIT = 100;
/** A first spread preference with more values than this (node.id…) is only a score, not a filter. */
const MAX_PARTITION_VALUES = 256;

/** What the tasks of one service with one spec share during one call. */
interface PlacementGroup {
  readonly requirements: Requirements;
  readonly preferenceKeys: readonly string[];
  /** Per node: undefined = not checked yet, null = passes the static checks. */
  readonly staticVerdicts: (Rejection | null | undefined)[];
  /** Set once a task of the group found no node: later ones cannot fit either (usage only grows). */
  failure?: Unplaced;
}

function groupKey(task: Task): string {
  const { placement, resources } = task.spec;
  return `${task.serviceId}\0${JSON.stringify(placement)}\0${resources.reservations.nanoCpus}\0${resources.reservations.memoryBytes}`;
}

/**
 * Places `pending` tasks (in the given order) on the snapshot's nodes: a pure function, the same
 * inputs and seed giving the same plan. For each task: scan the nodes from where the previous
 * task stopped (in one shuffled order per call), drop those failing a feasibility check, score
 * the feasible ones with the rankers until `scoreLimit` were scored, take the best (the first
 * scanned among equals). A task with `nodeId` already set (a global service's) is only checked
 * against that node. Tasks placed earlier in the call count against later ones.
 * A task whose spec cannot be read (a constraint that does not parse) is unplaced with the error.
 */
export function schedule(snapshot: SchedulingSnapshot, pending: readonly Task[], options: SchedulerOptions): Plan {
  const table = new NodeTable(snapshot.nodes, snapshot.tasks);
  const n = snapshot.nodes.length;
  const order = shuffledIndexes(n, options.random);
  const whole = new ScanRing(order);
  const partitions = new Map<string, ScanRing[]>();
  const ringsFor = (attributeKey: string): ScanRing[] => {
    let rings = partitions.get(attributeKey);
    if (rings === undefined) {
      const { valueOfNode, values } = table.partition(attributeKey);
      rings = ringsByValue(order, valueOfNode, values);
      partitions.set(attributeKey, rings);
    }
    return rings;
  };
  const limit = Math.max(1, options.scoreLimit ?? DEFAULT_SCORE_LIMIT);
  const strategy = options.resourceStrategy ?? 'spread';
  const groups = new Map<string, PlacementGroup | Unplaced>();
  const assignments: Assignment[] = [];
  const unplaced: Unplaced[] = [];

  const verdict = (group: PlacementGroup, i: number, serviceTasks: Int32Array): Rejection | null => {
    let fixed = group.staticVerdicts[i];
    if (fixed === undefined) {
      fixed = staticRejection(snapshot.nodes[i] as Node, group.requirements);
      group.staticVerdicts[i] = fixed;
    }
    return fixed ?? dynamicRejection(table, i, group.requirements, serviceTasks);
  };

  for (const task of pending) {
    const key = groupKey(task);
    let group = groups.get(key);
    if (group === undefined) {
      group = makeGroup(task, n);
      groups.set(key, group);
    }
    if (!('requirements' in group)) {
      unplaced.push({ ...group, taskId: task.id });
      continue;
    }
    const placing: PlacementGroup = group;
    if (placing.failure !== undefined) {
      unplaced.push({ ...placing.failure, taskId: task.id });
      continue;
    }
    const serviceTasks = table.serviceTasks(task.serviceId);
    const spreads = placing.preferenceKeys.map((attribute) => table.spread(task.serviceId, attribute));
    const ranker = new NodeRanker(table, placing.requirements, serviceTasks, spreads, strategy);
    let best = -1;
    let bestScore = -1;

    const consider = (i: number): boolean => {
      if (verdict(placing, i, serviceTasks) !== null) return false;
      const score = ranker.score(i);
      if (score > bestScore) [best, bestScore] = [i, score];
      return true;
    };
    if (task.nodeId !== undefined) {
      const i = table.indexById.get(task.nodeId);
      if (i === undefined) {
        unplaced.push({ taskId: task.id, reason: `no suitable node: node ${task.nodeId} is not in the cluster`, rejections: [] });
        continue;
      }
      consider(i);
    } else if (spreads[0] !== undefined && spreads[0].counts.length <= MAX_PARTITION_VALUES) {
      // The first spread preference is honoured strictly (Swarm's): the values holding fewest of
      // the service's tasks are tried first, each from its own ring; the rankers choose within.
      const { counts } = spreads[0];
      const rings = ringsFor(placing.preferenceKeys[0] ?? '');
      const values = Array.from(counts.keys()).sort((a, b) => (counts[a] ?? 0) - (counts[b] ?? 0) || a - b);
      for (const value of values) {
        rings[value]?.scan(limit, consider);
        if (best >= 0) break;
      }
    } else {
      whole.scan(limit, consider);
    }

    if (best < 0) {
      // No node fits: ask every node why (the slow path, once per group).
      const rejections = task.nodeId === undefined ? snapshot.nodes.map((_, i) => verdict(placing, i, serviceTasks)) : [verdict(placing, table.indexById.get(task.nodeId) ?? 0, serviceTasks)];
      const grouped = groupRejections(rejections.filter((r): r is Rejection => r !== null));
      const failure = { taskId: task.id, reason: summariseRejections(grouped), rejections: grouped };
      // A pinned task fails for its own node only; the rest of its group may still fit elsewhere.
      if (task.nodeId === undefined) placing.failure = failure;
      unplaced.push(failure);
      continue;
    }
    table.place(best, task);
    assignments.push({ taskId: task.id, nodeId: snapshot.nodes[best]?.id ?? '', score: bestScore });
  }
  return { assignments, unplaced };
}

/** Reads a task's requirements; a spec that does not parse makes every task of it unplaceable. */
function makeGroup(task: Task, nodes: number): PlacementGroup | Unplaced {
  const { placement, resources } = task.spec;
  try {
    return {
      requirements: {
        serviceId: task.serviceId,
        constraints: parseConstraints(placement.constraints, 'placement.constraints'),
        // A port published in host mode can be held by one task per node.
        maxReplicas: task.spec.hostPorts.some((p) => p.publishedPort !== undefined) ? 1 : placement.maxReplicas,
        needNanoCpus: resources.reservations.nanoCpus,
        needMemoryBytes: resources.reservations.memoryBytes,
      },
      preferenceKeys: placement.preferences.map((p) => p.spread),
      staticVerdicts: new Array<Rejection | null | undefined>(nodes),
    };
  } catch (err) {
    if (!isBerthError(err, 'invalid-argument')) throw err;
    return { taskId: task.id, reason: `cannot place: ${messageOf(err)}`, rejections: [] };
  }
}
