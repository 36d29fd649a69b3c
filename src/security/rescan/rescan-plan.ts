import type { RescanTrigger } from './rescan-metrics.js';

/** An image in use (berthd: the image of at least one existing container). */
export interface WatchedImage { imageId: string; containerIds: string[] }

export interface RescanState {
  /** Every image in use now. */
  watched: readonly WatchedImage[];
  /** The database generation now. */
  generation: number;
  /** The generation the previous pass saw; undefined before the first. */
  lastGeneration: number | undefined;
  /** Image id → generation its findings were last matched against and reported. */
  matchedAt: ReadonlyMap<string, number>;
  /** A full rescan (the schedule): every image in use. */
  full: boolean;
}

export interface RescanPlan {
  /** The images to rescan now. */
  stale: WatchedImage[];
  /** Images that were matched before and are no longer in use: forgotten, and gone from the metrics. */
  unused: string[];
  trigger: RescanTrigger;
}

/**
 * What one pass does, level-based: rescan each image in use not yet matched against the current
 * generation (all of them when the database changed; a newly used image otherwise), or every image
 * on a full pass. Undefined when there is nothing to do. Pure.
 */
export function planRescan(state: RescanState): RescanPlan | undefined {
  const inUse = new Set(state.watched.map((w) => w.imageId));
  const unused = [...state.matchedAt.keys()].filter((id) => !inUse.has(id));
  const stale = state.full ? [...state.watched] : state.watched.filter((w) => state.matchedAt.get(w.imageId) !== state.generation);
  const trigger: RescanTrigger = state.full ? 'schedule'
    : state.lastGeneration === undefined ? 'start'
    : state.lastGeneration !== state.generation ? 'database'
    : 'images';
  if (stale.length === 0 && unused.length === 0 && trigger === 'images') return undefined;
  return { stale, unused, trigger };
}
