import type { Readable } from 'node:stream';
import type { Digest } from '../base/digest.js';
import type { StagedLayer } from '../snapshots/layer-stage.js';

/** What the image code needs of a snapshotter (OverlaySnapshotter implements it). */
export interface LayerSnapshotter {
  has(key: string): boolean;
  stat(key: string): { key: string; id: number; parent: string | null; size: number };
  /**
   * Unpacks a (compressed or plain) layer tar as the committed snapshot `key` on top of
   * `parent`; verifies the diff ID (data-loss on mismatch). Idempotent, safe concurrently.
   */
  applyLayer(key: string, parent: string | null, tar: Readable, expectedDiffId: Digest): Promise<{ size: number }>;
  /** Makes a layer unpacked during ingest (see LoadSession.ingest) the committed snapshot `key`. */
  commitStaged(key: string, parent: string | null, layer: StagedLayer): Promise<{ size: number }>;
  discardStaged(layer: StagedLayer): Promise<void>;
  /**
   * Makes the (unmounted) active snapshot `activeKey` the committed snapshot `key`, its directory
   * kept as it is. Already-exists when `key` exists; not-found for no such active snapshot.
   */
  commit(key: string, activeKey: string): Promise<unknown>;
}
