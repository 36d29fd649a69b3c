import type { Digest } from '../base/digest.js';
import type { BlobInfo, ContentStore, WriteExpectation } from '../store/content-store.js';
import type { LeaseManager } from '../store/leases.js';
import { sniffCompression } from '../snapshots/decompress.js';
import type { LayerStage, StagedLayer } from '../snapshots/layer-stage.js';

/** Starts unpacking a layer in the background while it streams by (OverlaySnapshotter does). */
export interface LayerStager {
  openStage(compressed: boolean): Promise<LayerStage>;
  discardStaged(layer: StagedLayer): Promise<void>;
}

/** Bytes to look at before deciding whether a blob is a layer: a tar header block. */
const SNIFF_BYTES = 512;

/** Whether the first bytes of a blob are a layer, and compressed: tar (ustar magic), gzip or zstd. */
function layerKind(head: Buffer): 'plain' | 'compressed' | undefined {
  if (sniffCompression(head) !== 'none') return 'compressed';
  return head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar' ? 'plain' : undefined;
}

/**
 * One writer's unit of work on the store: everything it writes is leased, so a concurrent
 * garbage collection leaves it alone until the image that references it is recorded. Layer blobs
 * that stream through `ingest` are unpacked at the same time (in a worker, by the stager), and
 * wait in `staged` until an image claims them. `close` releases the lease and removes staged
 * layers nobody claimed.
 */
export class LoadSession {
  readonly leaseId: string;
  /** Unpacks started by `ingest`, by blob digest; they may still be running. */
  private readonly staged = new Map<Digest, Promise<StagedLayer>>();

  constructor(
    private readonly content: ContentStore,
    private readonly leases: LeaseManager,
    private readonly stager?: LayerStager,
  ) {
    this.leaseId = leases.create();
  }

  /** Writes (or finds) a blob under this session's lease. */
  writeBlob(source: Uint8Array | AsyncIterable<Uint8Array>, expected: Omit<WriteExpectation, 'beforeCommit'> = {}): Promise<BlobInfo> {
    return this.content.write(source, {
      ...expected,
      beforeCommit: (digest) => {
        this.leases.add(this.leaseId, 'blob', digest);
      },
    });
  }

  /**
   * Makes a finished file on the state root's filesystem a blob under this session's lease
   * (ContentStore.adopt: hashed, checked, renamed into place; data-loss on a mismatch).
   */
  adoptBlob(file: string, expected: Omit<WriteExpectation, 'beforeCommit'> & { digest: Digest }): Promise<BlobInfo> {
    return this.content.adopt(file, {
      ...expected,
      beforeCommit: (digest) => {
        this.leases.add(this.leaseId, 'blob', digest);
      },
    });
  }

  /**
   * Writes a blob like `writeBlob`; when it is a layer (tar, gzip or zstd) and not stored yet, also
   * unpacks it into a staged layer on the way, so it is read, hashed and unpacked in one pass. A
   * plain tar's blob digest is its diff ID, so it is hashed once.
   */
  async ingest(source: AsyncIterable<Uint8Array>, expected: Omit<WriteExpectation, 'beforeCommit'> = {}): Promise<BlobInfo> {
    const iterator = source[Symbol.asyncIterator]();
    const head: Buffer[] = [];
    let headBytes = 0;
    let ended = false;
    while (headBytes < SNIFF_BYTES) {
      const next = await iterator.next();
      if (next.done === true) {
        ended = true;
        break;
      }
      head.push(Buffer.from(next.value));
      headBytes += next.value.length;
    }
    const rest = async function* (): AsyncGenerator<Uint8Array> {
      yield* head;
      if (ended) return;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) yield next.value;
    };
    const kind = layerKind(Buffer.concat(head));
    const known = expected.digest !== undefined && (await this.content.has(expected.digest));
    if (this.stager === undefined || kind === undefined || known) return this.writeBlob(rest(), expected);

    const stage = await this.stager.openStage(kind === 'compressed');
    // An unpack failure stops feeding the worker but not the hashing: bytes that do not match
    // their digest (a corrupted download) are reported as that, not as the bad tar they make.
    const unpack: { failure?: unknown } = {};
    const tee = async function* (): AsyncGenerator<Uint8Array> {
      for await (const chunk of rest()) {
        if (!('failure' in unpack)) await stage.write(chunk).catch((err: unknown) => { unpack.failure = err; });
        yield chunk;
      }
    };
    let blob: BlobInfo;
    try {
      blob = await this.writeBlob(tee(), expected);
    } catch (err) {
      await stage.abort();
      throw err;
    }
    if ('failure' in unpack) {
      await stage.abort();
      throw unpack.failure;
    }
    // The unpack may still be running: the next blob can stream into another worker meanwhile.
    const layer = stage.finish(kind === 'plain' ? blob.digest : undefined);
    layer.catch(() => undefined); // observed by whoever takes it, or by close()
    const previous = this.staged.get(blob.digest);
    this.staged.set(blob.digest, layer);
    if (previous) await this.discard(previous);
    return blob;
  }

  /** The diff ID of a staged layer blob, once its unpack is done; undefined if it was not staged. */
  async stagedDiffId(blob: Digest): Promise<Digest | undefined> {
    return (await this.staged.get(blob))?.diffId;
  }

  /**
   * The staged unpack of a layer blob, handed over once (the caller commits or discards it).
   * Rejects with the unpack's error (e.g. an unsafe entry).
   */
  takeStaged(blob: Digest): Promise<StagedLayer> | undefined {
    const layer = this.staged.get(blob);
    this.staged.delete(blob);
    return layer;
  }

  readBlob(digest: Digest): Promise<Buffer> {
    return this.content.readBytes(digest);
  }

  /** Protects a snapshot key; call before checking whether it exists. */
  holdSnapshot(key: Digest | string): void {
    this.leases.add(this.leaseId, 'snapshot', key);
  }

  holdBlob(digest: Digest): void {
    this.leases.add(this.leaseId, 'blob', digest);
  }

  /** Waits for unpacks still running, removes staged layers no image claimed, releases the lease. */
  async close(): Promise<void> {
    const leftovers = [...this.staged.values()];
    this.staged.clear();
    for (const layer of leftovers) await this.discard(layer);
    this.leases.release(this.leaseId);
  }

  private async discard(pending: Promise<StagedLayer>): Promise<void> {
    // A failed unpack removed its own directory (LayerStage.finish), and its error went to whoever
    // took it: discarding it leaves nothing to do.
    const layer = await pending.catch(() => undefined);
    if (layer) await this.stager?.discardStaged(layer);
  }
}
