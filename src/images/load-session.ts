import type { Digest } from '../base/digest.js';
import type { BlobInfo, ContentStore, WriteExpectation } from '../store/content-store.js';
import type { LeaseManager } from '../store/leases.js';

/**
 * One writer's unit of work on the store: everything it writes is leased, so a concurrent
 * garbage collection leaves it alone until the image that references it is recorded. `close`
 * releases the lease (after success, the image now holds what it needs; after a failure, what
 * was written becomes garbage for the next collection).
 */
export class LoadSession {
  readonly leaseId: string;

  constructor(
    private readonly content: ContentStore,
    private readonly leases: LeaseManager,
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

  close(): void {
    this.leases.release(this.leaseId);
  }
}
