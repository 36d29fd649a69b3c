import { createReadStream } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Digest } from '../../base/digest.js';
import { errnoCode, errors } from '../../base/errors.js';
import type { BlobInfo } from '../../store/content-store.js';
import type { LoadSession } from '../load-session.js';
import { archivePath, type ArchiveSource } from './archive-source.js';

const MAX_SMALL_FILE = 16 * 1024 * 1024;

/** An OCI image layout directory; blobs are copied into the content store when asked for. */
export class DirectoryArchiveSource implements ArchiveSource {
  private readonly present = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly session: LoadSession,
  ) {}

  private async regularFile(path: string): Promise<string | undefined> {
    const full = join(this.dir, archivePath(path));
    try {
      const s = await lstat(full);
      if (!s.isFile()) return undefined;
      this.present.add(archivePath(path));
      return full;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw err;
    }
  }

  has(path: string): boolean {
    return this.present.has(archivePath(path));
  }

  /** Call once before use, so `has` knows the layout's metadata files. */
  async scan(): Promise<this> {
    for (const name of ['oci-layout', 'index.json', 'manifest.json']) await this.regularFile(name);
    return this;
  }

  async readSmall(path: string): Promise<Buffer | undefined> {
    const full = await this.regularFile(path);
    if (!full) return undefined;
    const bytes = await readFile(full);
    if (bytes.length > MAX_SMALL_FILE) throw errors.invalidArgument('archive-file-too-large', `${path} is too large for a metadata document`);
    return bytes;
  }

  async blob(path: string, expected?: Digest): Promise<BlobInfo> {
    const full = await this.regularFile(path);
    if (!full) throw errors.invalidArgument('archive-file-missing', `layout has no file ${path}`);
    return this.session.ingest(createReadStream(full), expected === undefined ? {} : { digest: expected });
  }
}
