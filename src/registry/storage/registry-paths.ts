import { join } from 'node:path';
import { StateRoot } from '../../base/state-root.js';

/**
 * The layout of a registry's state directory. Blobs and manifests use the content store's layout
 * (`content/blobs/<alg>/<hex>`, `content/ingest/`), so the same ContentStore code serves them.
 */
export class RegistryPaths {
  readonly content: StateRoot;

  constructor(readonly root: string) {
    this.content = new StateRoot(root);
  }

  get database(): string {
    return join(this.root, 'registry.db');
  }

  /** Upload session data: uploads/<id>, appended chunk by chunk, adopted as a blob when complete. */
  get uploads(): string {
    return join(this.root, 'uploads');
  }

  upload(id: string): string {
    return join(this.uploads, id);
  }

  /** The key that signs bearer tokens, made at first start when none is configured. */
  get tokenKey(): string {
    return join(this.root, 'token.key');
  }
}
