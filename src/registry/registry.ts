import { systemClock, type Clock } from '../base/clock.js';
import { ContentStore } from '../store/content-store.js';
import type { Database } from '../store/database.js';
import { LeaseManager } from '../store/leases.js';
import { ManifestStore } from './storage/manifest-store.js';
import { openRegistryDatabase } from './storage/registry-db.js';
import { RegistryPaths } from './storage/registry-paths.js';
import { RepositoryBlobs } from './storage/repository-blobs.js';
import { UploadSessions } from './storage/upload-sessions.js';
import { RegistryCollector } from './gc/registry-collector.js';

export interface RegistryStorageOptions {
  /** The registry's state directory (its own, not a node's state root). */
  root: string;
  clock?: Clock;
  /** An upload session with no chunk for this long expires (default 24 h). */
  uploadTtlMs?: number;
  /** Blobs and untagged manifests younger than this are never collected (default 1 h). */
  gcGraceMs?: number;
}

/**
 * The registry's storage, opened on its state directory: the content store (berth's own, under
 * `<root>/content`), the metadata database `<root>/registry.db`, upload sessions and the
 * collector. On open, temp files of dead writers and expired uploads are removed.
 */
export class RegistryStorage {
  private constructor(
    readonly paths: RegistryPaths,
    readonly db: Database,
    readonly content: ContentStore,
    readonly blobs: RepositoryBlobs,
    readonly manifests: ManifestStore,
    readonly uploads: UploadSessions,
    readonly collector: RegistryCollector,
    readonly clock: Clock,
  ) {}

  static async open(options: RegistryStorageOptions): Promise<RegistryStorage> {
    const clock = options.clock ?? systemClock;
    const paths = new RegistryPaths(options.root);
    const db = openRegistryDatabase(paths.database);
    const content = new ContentStore(paths.content);
    const blobs = new RepositoryBlobs(db, content, clock);
    const leases = new LeaseManager(db, clock);
    const manifests = new ManifestStore(db, content, clock, leases);
    const uploads = new UploadSessions(db, paths, blobs, clock, options.uploadTtlMs ?? 24 * 3600_000);
    const collector = new RegistryCollector(db, content, leases, clock, options.gcGraceMs ?? 3600_000);
    const storage = new RegistryStorage(paths, db, content, blobs, manifests, uploads, collector, clock);
    await content.cleanupIngest();
    await uploads.expire();
    return storage;
  }

  close(): void {
    this.db.close();
  }
}
