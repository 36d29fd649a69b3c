import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { failpoint } from '../base/failpoint.js';
import { errors } from '../base/errors.js';
import type { ContentStore } from '../store/content-store.js';
import { openLayerStream } from '../snapshots/decompress.js';
import type { ArchiveSource } from './archive/archive-source.js';
import { DirectoryArchiveSource } from './archive/directory-archive-source.js';
import { readDockerArchive } from './archive/docker-archive-reader.js';
import { readOciLayout, type OciLayoutOptions } from './archive/oci-layout-reader.js';
import { TarArchiveSource } from './archive/tar-archive-source.js';
import type { ImageRecord } from './image-record.js';
import type { ImageWriter } from './image-writer.js';
import type { LoadSession } from './load-session.js';
import { componentLogger } from '../base/logger.js';
import { statIfPresent } from '../base/fs-probe.js';

const log = componentLogger('images');

/** Where `load` reads from: a file (tar, optionally gzip/zstd), an OCI layout directory, or a stream. */
export type LoadInput = { path: string } | { stream: Readable };

/**
 * Loads every image of a docker-archive or an OCI layout (tar or directory). The format is found
 * from the content (manifest.json → docker-archive, else index.json → OCI layout). A failure
 * records nothing; blobs already written stay leased only until `session.close()`.
 */
export async function loadImages(input: LoadInput, session: LoadSession, content: ContentStore, writer: ImageWriter, options: OciLayoutOptions = {}): Promise<ImageRecord[]> {
  let source: ArchiveSource;
  // A path that cannot be read is reported as missing (the reason logged).
  const found = 'path' in input ? await statIfPresent(input.path, log) : undefined;
  if ('path' in input && found?.isDirectory() === true) {
    source = await new DirectoryArchiveSource(input.path, session).scan();
  } else {
    if ('path' in input && found === undefined) {
      throw errors.notFound('input-not-found', `${input.path}: no such file or directory`);
    }
    const raw = 'path' in input ? createReadStream(input.path, { highWaterMark: 1024 * 1024 }) : input.stream;
    source = await TarArchiveSource.read(openLayerStream(raw), session);
  }
  failpoint('load-after-blobs');
  let candidates;
  if (source.has('manifest.json')) candidates = await readDockerArchive(source, session, content);
  else if (source.has('index.json')) candidates = await readOciLayout(source, options);
  else throw errors.invalidArgument('unknown-archive-format', 'not an image archive: found neither manifest.json (docker-archive) nor index.json (OCI layout)');
  if (candidates.length === 0) throw errors.invalidArgument('empty-archive', 'the archive holds no image');
  const prepared = [];
  for (const candidate of candidates) {
    prepared.push(await writer.prepare(candidate, session));
    failpoint('load-after-layers');
  }
  return writer.recordAll(prepared);
}
