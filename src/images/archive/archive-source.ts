import type { BlobInfo } from '../../store/content-store.js';
import type { Digest } from '../../base/digest.js';

/**
 * The files of an image archive (a tar, or an OCI layout directory), after berth has looked at
 * them: small metadata documents are readable as bytes, large files are in the content store.
 */
export interface ArchiveSource {
  /** A small metadata file (manifest.json, index.json, a config); undefined if absent. */
  readSmall(path: string): Promise<Buffer | undefined>;
  /**
   * The blob behind `path`, in the content store under the load's lease. With `expected`, the
   * content must have that digest (data-loss otherwise). Throws invalid-argument if absent.
   */
  blob(path: string, expected?: Digest): Promise<BlobInfo>;
  /** Whether the archive has this file at all. */
  has(path: string): boolean;
}

/** Normalizes a path inside an archive: no leading `./` or `/`, no `..` escapes. */
export function archivePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}
