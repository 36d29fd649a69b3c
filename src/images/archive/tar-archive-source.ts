import type { Readable } from 'node:stream';
import { posix } from 'node:path';
import { extract as tarExtract, type Extract } from 'tar-stream';
import type { Digest } from '../../base/digest.js';
import { errors } from '../../base/errors.js';
import type { BlobInfo } from '../../store/content-store.js';
import type { LoadSession } from '../load-session.js';
import { archivePath, type ArchiveSource } from './archive-source.js';
import { malformedTarField } from '../../snapshots/tar-header-fields.js';

type TarEntry = Extract extends AsyncIterable<infer T> ? T : never;

/** Metadata documents are kept in memory up to this size; anything larger is refused. */
const MAX_SMALL_FILE = 16 * 1024 * 1024;

function isSmallFile(path: string): boolean {
  return !path.includes('/') && (path.endsWith('.json') || path === 'oci-layout' || path === 'repositories');
}

/** Legacy per-layer files of old docker-archives that berth does not need. */
function isIgnored(path: string): boolean {
  return /^[^/]+\/(json|VERSION)$/.test(path);
}

/**
 * Reads an image archive tar in ONE pass (docker save puts manifest.json last): metadata files are
 * kept in memory, every other regular file is written to the content store as it streams by.
 * Symlinks between files of the archive (old docker-archives link duplicate layers) are followed
 * inside the archive only.
 */
export class TarArchiveSource implements ArchiveSource {
  private readonly small = new Map<string, Buffer>();
  private readonly blobs = new Map<string, BlobInfo>();
  private readonly links = new Map<string, string>();

  private constructor(private readonly session: LoadSession) {}

  static async read(tar: Readable, session: LoadSession): Promise<TarArchiveSource> {
    const source = new TarArchiveSource(session);
    const extract = tarExtract();
    tar.on('error', (err) => { extract.destroy(err); });
    tar.pipe(extract);
    try {
      for await (const entry of extract) {
        await source.take(entry);
      }
    } catch (cause) {
      if (cause instanceof Error && cause.name === 'BerthError') throw cause;
      throw errors.invalidArgument('invalid-archive', `not a readable tar archive: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    return source;
  }

  private async take(entry: TarEntry): Promise<void> {
    const { header } = entry;
    const malformed = malformedTarField(header);
    if (malformed !== undefined) throw errors.invalidArgument('invalid-archive', `archive entry "${header.name}" has a malformed ${malformed} field`);
    const path = archivePath(header.name);
    if (header.type === 'symlink' && header.linkname) {
      this.links.set(path, archivePath(posix.join(posix.dirname(path), header.linkname)));
    } else if (header.type === 'link' && header.linkname) {
      this.links.set(path, archivePath(header.linkname));
    }
    if (header.type !== 'file' || isIgnored(path)) {
      entry.resume();
      return;
    }
    if (isSmallFile(path)) {
      if (header.size > MAX_SMALL_FILE) throw errors.invalidArgument('archive-file-too-large', `archive file ${path} is larger than ${MAX_SMALL_FILE} bytes`);
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
      this.small.set(path, Buffer.concat(chunks));
      return;
    }
    const blob = await this.session.ingest(entry as AsyncIterable<Buffer>, { size: header.size });
    this.blobs.set(path, blob);
  }

  private resolve(path: string): string {
    let current = archivePath(path);
    for (let hops = 0; hops < 16 && this.links.has(current); hops++) current = this.links.get(current) ?? current;
    return current;
  }

  has(path: string): boolean {
    const resolved = this.resolve(path);
    return this.small.has(resolved) || this.blobs.has(resolved);
  }

  readSmall(path: string): Promise<Buffer | undefined> {
    const resolved = this.resolve(path);
    const bytes = this.small.get(resolved);
    if (bytes) return Promise.resolve(bytes);
    const blob = this.blobs.get(resolved);
    if (!blob) return Promise.resolve(undefined);
    if (blob.size > MAX_SMALL_FILE) throw errors.invalidArgument('archive-file-too-large', `archive file ${path} is too large for a metadata document`);
    return this.session.readBlob(blob.digest);
  }

  async blob(path: string, expected?: Digest): Promise<BlobInfo> {
    const resolved = this.resolve(path);
    const small = this.small.get(resolved);
    const found = this.blobs.get(resolved) ?? (small ? await this.session.writeBlob(small) : undefined);
    if (!found) throw errors.invalidArgument('archive-file-missing', `archive has no file ${path}`);
    if (expected !== undefined && found.digest !== expected) {
      throw errors.dataLoss('digest-mismatch', `archive file ${path} hashes to ${found.digest}, expected ${expected}`);
    }
    return found;
  }
}
