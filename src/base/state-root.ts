import { join } from 'node:path';

/** Where berth keeps a node's state unless told otherwise (`--root`, BERTH_ROOT). */
export const DEFAULT_STATE_ROOT = '/var/lib/berth';

/** The fixed layout of a state root; every module asks this for its paths. */
export class StateRoot {
  constructor(readonly path: string) {}

  get database(): string {
    return join(this.path, 'berth.db');
  }

  /** Content-addressed blobs: content/blobs/<algorithm>/<hex>. */
  get blobs(): string {
    return join(this.path, 'content', 'blobs');
  }

  /** Blob writes in progress; never read as content. */
  get ingest(): string {
    return join(this.path, 'content', 'ingest');
  }

  /** Snapshot directories: snapshots/<id>/{fs,work}. */
  get snapshots(): string {
    return join(this.path, 'snapshots');
  }

  /** Scratch space for work that is renamed into place when complete. */
  get tmp(): string {
    return join(this.path, 'tmp');
  }
}
