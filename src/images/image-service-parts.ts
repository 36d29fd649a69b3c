import type { Clock } from '../base/clock.js';
import type { ProcessRunner } from '../base/process-runner.js';
import type { StateRoot } from '../base/state-root.js';
import type { OverlaySnapshotter } from '../snapshots/overlay-snapshotter.js';
import type { ContentStore } from '../store/content-store.js';
import type { Database } from '../store/database.js';
import type { LeaseManager } from '../store/leases.js';
import type { GarbageCollector } from './garbage-collector.js';
import type { ImageReferences } from './image-references.js';
import type { ImageStore } from './image-store.js';

/**
 * The collaborators of an `ImageService`, made by the composition (daemon/image-node.ts) on one
 * state root and one database; the service owns them from then on (`close` closes them).
 */
export interface ImageServiceParts {
  root: StateRoot;
  /** The node's metadata database (shared with the container engine). */
  db: Database;
  content: ContentStore;
  leases: LeaseManager;
  images: ImageStore;
  snapshotter: OverlaySnapshotter;
  gc: GarbageCollector;
  /** Who else keeps images (containers, the build cache); see image-references.ts. */
  references: ImageReferences;
  runner: ProcessRunner;
  clock: Clock;
  /** Progress lines for long work (load, bootstrap). */
  onProgress?: (line: string) => void;
  /** Releases what the collaborators hold besides the database (run by `close` before it closes). */
  release?: () => Promise<void>;
}
