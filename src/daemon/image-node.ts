import { mkdir } from 'node:fs/promises';
import { systemClock, type Clock } from '../base/clock.js';
import { ChildProcessRunner, type ProcessRunner } from '../base/process-runner.js';
import { StateRoot } from '../base/state-root.js';
import { buildCacheImageReferences } from '../build/build-cache-tables.js';
import { containerImageReferences } from '../engine/container-tables.js';
import { GarbageCollector } from '../images/garbage-collector.js';
import { ImageReferences } from '../images/image-references.js';
import { ImageService } from '../images/image-service.js';
import { ImageStore } from '../images/image-store.js';
import { OverlaySnapshotter } from '../snapshots/overlay-snapshotter.js';
import { UnpackPool } from '../snapshots/unpack-pool.js';
import { ContentStore } from '../store/content-store.js';
import { Database } from '../store/database.js';
import { LeaseManager } from '../store/leases.js';
import { NODE_SCHEMA } from './node-schema.js';

/** What `openImageNode` may be given instead of its defaults. */
export interface ImageNodeOptions {
  /** Default: a ChildProcessRunner (berthd and the berth process pass their one runner). */
  runner?: ProcessRunner;
  /** Default: the system clock (berthd and the berth process pass theirs). */
  clock?: Clock;
  /** Progress lines for long work (load, bootstrap). */
  onProgress?: (line: string) => void;
}

/**
 * Opens the images of the node at state root `rootPath` (creating it): the metadata database
 * migrated to every module's tables (node-schema.ts), the content store, the leases, the overlay
 * snapshotter with its unpack workers, the image store and the garbage collector, handed to an
 * `ImageService`; containers and build cache entries are registered as what keeps images. Then
 * cleans what crashed writers left behind. berthd, `berth --root` in-process and tests open a
 * node's images only this way. Throws what `Database.open` throws (`database-open`,
 * `database-too-new`). The service's `close` stops the workers and closes the database.
 */
export async function openImageNode(rootPath: string, options: ImageNodeOptions = {}): Promise<ImageService> {
  const root = new StateRoot(rootPath);
  await mkdir(root.path, { recursive: true, mode: 0o711 });
  const runner = options.runner ?? new ChildProcessRunner();
  const clock = options.clock ?? systemClock;
  const db = Database.open(root.database, NODE_SCHEMA);
  const content = new ContentStore(root);
  const leases = new LeaseManager(db, clock);
  const unpackPool = new UnpackPool();
  const snapshotter = new OverlaySnapshotter({ root, db, runner, clock, unpackPool });
  const references = new ImageReferences();
  references.register(containerImageReferences(db));
  references.register(buildCacheImageReferences(db));
  const service = new ImageService({
    root, db, content, leases, snapshotter, references, runner, clock,
    images: new ImageStore(db, clock),
    gc: new GarbageCollector(db, content, leases, snapshotter),
    release: () => unpackPool.close(),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  await service.sweepDeadWriters();
  return service;
}
