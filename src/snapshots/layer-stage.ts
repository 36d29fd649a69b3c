import type { Digest } from '../base/digest.js';
import { errors } from '../base/errors.js';
import { componentLogger } from '../base/logger.js';
import type { UnpackFeed } from './unpack-pool.js';

const log = componentLogger('snapshots');

/**
 * A layer unpacked into a temp directory (`<root>/snapshots/.tmp-<pid>-<hex>/fs`) and not yet a
 * snapshot: OverlaySnapshotter.commitStaged makes it one, discardStaged removes it. `durable`
 * turns true once its files were flushed to disk.
 */
export class StagedLayer {
  durable = false;

  constructor(
    readonly dir: string,
    readonly diffId: Digest,
    readonly size: number,
  ) {}
}

/**
 * A layer being unpacked in a worker thread while its caller streams it: `write` every chunk of
 * the layer blob in order, then `finish` (or `abort` on any failure of the caller's own).
 */
export class LayerStage {
  private done = false;

  constructor(
    private readonly feed: UnpackFeed,
    private readonly dir: string,
    private readonly hooks: { staged: (layer: StagedLayer) => void; remove: (dir: string) => Promise<void> },
  ) {}

  /** Throws the unpack's error (e.g. an unsafe entry) as soon as the worker reports it. */
  write(chunk: Uint8Array): Promise<void> {
    return this.feed.write(chunk);
  }

  /**
   * Waits for the unpack. `diffId` is the caller's hash of exactly the bytes written, for an
   * uncompressed layer (the worker hashes compressed ones itself).
   */
  async finish(diffId?: Digest): Promise<StagedLayer> {
    this.done = true;
    try {
      const result = await this.feed.finish();
      const id = result.diffId ?? diffId;
      if (id === undefined) throw errors.internal('diff-id-unknown', 'an uncompressed staged layer needs the diff ID its caller hashed');
      const layer = new StagedLayer(this.dir, id, result.size);
      this.hooks.staged(layer);
      return layer;
    } catch (err) {
      await this.hooks.remove(this.dir);
      throw err;
    }
  }

  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    // The caller fails with its own error; the unpack of a cut-off layer is expected to fail too.
    await this.feed.finish().catch((err: unknown) => { log.debug('the unpack of an abandoned layer ended with an error', { err, dir: this.dir }); });
    await this.hooks.remove(this.dir);
  }
}
