import type { Requirements } from './feasibility.js';
import type { NodeTable, SpreadCounts } from './node-table.js';

/**
 * How to weigh free resources: `spread` prefers the node with the most left free (Swarm's
 * habit: fewer tasks per node, less harm when one is lost); `binpack` the one with the least
 * (Nomad's default: fewer nodes busy, room kept for large tasks).
 */
export type ResourceStrategy = 'spread' | 'binpack';

/**
 * The rankers, each a score in [0, 1] (1 = best), and their weights. The node's score is the
 * weighted mean. Spread preferences come first, each twice the weight of the next, so the first
 * preference is honoured before the second and before the service's own anti-affinity.
 * - preference: the node's value of the attribute holds few of the service's tasks, relative to
 *   the least and most filled values: (most − here) / (most − least), 1 when all are equal;
 * - anti-affinity: few of the service's own tasks on the node: 1 / (1 + tasks of the service);
 * - resources: the free fraction of CPU and memory after placement (spread) or its complement
 *   (binpack), over the dimensions the node offers;
 * - load (spread only): few tasks of any service on the node: 1 / (1 + tasks).
 */
export const WEIGHTS = { antiAffinity: 1, resources: 0.5, load: 0.25, firstPreference: 4 } as const;

/** One spread preference as seen by the task being placed: its counts and their range now. */
interface PreferenceView {
  readonly spread: SpreadCounts;
  readonly weight: number;
  readonly least: number;
  readonly most: number;
}

/** Ranks candidate nodes for one task; built per task (the spread ranges move as tasks land). */
export class NodeRanker {
  private readonly preferences: PreferenceView[];
  private readonly totalWeight: number;

  constructor(
    private readonly table: NodeTable,
    private readonly requirements: Requirements,
    private readonly serviceTasks: Int32Array,
    spreads: readonly SpreadCounts[],
    private readonly strategy: ResourceStrategy,
  ) {
    this.preferences = spreads.map((spread, k) => {
      let least = Number.POSITIVE_INFINITY;
      let most = 0;
      for (const count of spread.counts) {
        if (count < least) least = count;
        if (count > most) most = count;
      }
      return { spread, weight: WEIGHTS.firstPreference / 2 ** k, least: Number.isFinite(least) ? least : 0, most };
    });
    this.totalWeight = this.preferences.reduce((sum, p) => sum + p.weight, 0) + WEIGHTS.antiAffinity + WEIGHTS.resources + (strategy === 'spread' ? WEIGHTS.load : 0);
  }

  /** The node's score in [0, 1]. */
  score(i: number): number {
    let sum = 0;
    for (const p of this.preferences) {
      const here = p.spread.counts[p.spread.valueOfNode[i] ?? 0] ?? 0;
      sum += p.weight * (p.most === p.least ? 1 : (p.most - here) / (p.most - p.least));
    }
    sum += WEIGHTS.antiAffinity / (1 + (this.serviceTasks[i] ?? 0));
    sum += WEIGHTS.resources * this.resourceScore(i);
    if (this.strategy === 'spread') sum += WEIGHTS.load / (1 + (this.table.taskCount[i] ?? 0));
    return sum / this.totalWeight;
  }

  private resourceScore(i: number): number {
    const offered = this.table.nodes[i]?.description.resources;
    let fraction = 0;
    let dimensions = 0;
    if (offered !== undefined && offered.nanoCpus > 0) {
      fraction += Math.max(0, (this.table.freeNanoCpus[i] ?? 0) - this.requirements.needNanoCpus) / offered.nanoCpus;
      dimensions++;
    }
    if (offered !== undefined && offered.memoryBytes > 0) {
      fraction += Math.max(0, (this.table.freeMemoryBytes[i] ?? 0) - this.requirements.needMemoryBytes) / offered.memoryBytes;
      dimensions++;
    }
    if (dimensions === 0) return 0.5;
    const free = fraction / dimensions;
    return this.strategy === 'spread' ? free : 1 - free;
  }
}
