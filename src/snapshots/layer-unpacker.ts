import { Transform, type Readable } from 'node:stream';
import { errors } from '../base/errors.js';
import { Digester, type Digest } from '../base/digest.js';
import type { ProcessRunner } from '../base/process-runner.js';
import { LayerWriter } from './layer-writer.js';
import { forEachTarEntry } from './tar-entries.js';

export interface UnpackLayerOptions {
  /** Runs `mknod` (devices, fifos, whiteouts) and one `setfattr --restore` for all xattrs. */
  runner: ProcessRunner;
  /** When given, the sha256 of the uncompressed tar must equal it (checked after reading it all). */
  expectedDiffId?: Digest;
  /**
   * False when the caller hashes exactly these bytes itself (an uncompressed layer whose blob
   * digest is its diff ID): the unpacker then does not hash, and returns no diff ID.
   */
  hash?: boolean;
  /**
   * Unpacking into a container of `--userns auto`: tar ids k are written as the host ids the
   * container sees as k (uid+k, gid+k; ids of `size` or more as nobody).
   */
  idMap?: { uid: number; gid: number; size: number };
}

export interface UnpackLayerResult {
  /** sha256 of the uncompressed tar stream, every byte of it (undefined when `hash` was false). */
  diffId: Digest | undefined;
  /** Bytes of regular file content written (hard links count once). */
  size: number;
}

/**
 * Unpacks an uncompressed OCI layer tar into `target` (an existing, empty directory that nothing
 * else writes to meanwhile) as an overlayfs lower directory: OCI whiteouts become 0/0 character
 * devices, `.wh..wh..opq` makes its directory opaque (trusted.overlay.opaque=y). Entries keep their
 * mode (setuid, sticky), owner, mtime and PAX xattrs (SCHILY.xattr.* with their exact bytes, binary
 * values such as security.capability included, and LIBARCHIVE.xattr.*; trusted.overlay.* from the
 * tar is dropped). Nothing is ever written outside `target`.
 *
 * Throws invalid-argument: reason `unsafe-layer-entry` for an entry that climbs out with `..`, or
 * whose parent (or hard-link target's parent) is a symbolic link; other invalid-argument reasons for
 * malformed tars (bad header fields, names longer than the filesystem takes) and unsupported entry
 * types; data-loss `diff-id-mismatch` when `expectedDiffId` differs; internal `layer-write-failed`
 * when the filesystem refuses a write. After a throw, `target` holds partial content: the caller
 * discards it. Two unpacks into different targets may run concurrently.
 */
export async function unpackLayer(tar: Readable, target: string, options: UnpackLayerOptions): Promise<UnpackLayerResult> {
  const digester = options.hash === false ? undefined : new Digester('sha256');
  const writer = new LayerWriter(target, options.runner, options.idMap);
  await forEachTarEntry(tar, (entry) => writer.write(entry), digester === undefined ? undefined : hashing(digester));
  const diffId = digester?.digest();
  if (diffId !== undefined && options.expectedDiffId !== undefined && diffId !== options.expectedDiffId) {
    throw errors.dataLoss('diff-id-mismatch', `layer diff ID is ${diffId}, expected ${options.expectedDiffId}`, {
      details: { expected: options.expectedDiffId, actual: diffId },
    });
  }
  await writer.finish();
  return { diffId, size: writer.size };
}

/** A pass-through that feeds every chunk to the digester. */
function hashing(digester: Digester): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      digester.update(chunk);
      callback(null, chunk);
    },
  });
}
