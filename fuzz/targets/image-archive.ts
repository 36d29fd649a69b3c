/**
 * Image archives as `docker load` / `POST /images/load` read them: a tar (plain, gzip or zstd) of
 * a docker-archive (manifest.json, configs, layers) or an OCI layout (oci-layout, index.json,
 * blobs/), read in one pass into a scratch content store, then its documents parsed and checked.
 * Writing the images (unpacking layers) is the layer-tar target's. Refusals: invalid-argument,
 * data-loss (a digest or size that does not match) and failed-precondition (no image for this
 * platform).
 */
import { Readable } from 'node:stream';
import type { ErrorKind } from '../../src/base/errors.js';
import { readDockerArchive } from '../../src/images/archive/docker-archive-reader.js';
import { readOciLayout } from '../../src/images/archive/oci-layout-reader.js';
import { TarArchiveSource } from '../../src/images/archive/tar-archive-source.js';
import { LoadSession } from '../../src/images/load-session.js';
import { openLayerStream } from '../../src/snapshots/decompress.js';
import { refusingAsync } from '../support/refusal.js';
import { ScratchStates } from '../support/scratch-state.js';
import { withTarChecksums } from '../support/tar-input.js';

const REFUSALS: readonly ErrorKind[] = ['invalid-argument', 'data-loss', 'failed-precondition'];
const states = new ScratchStates();

export async function fuzz(data: Buffer): Promise<void> {
  const { content, leases } = await states.get();
  const session = new LoadSession(content, leases);
  try {
    await refusingAsync(async () => {
      const source = await TarArchiveSource.read(openLayerStream(Readable.from([withTarChecksums(data)])), session);
      if (source.has('manifest.json')) await readDockerArchive(source, session, content);
      else if (source.has('index.json')) await readOciLayout(source, { repository: 'example/app', onNote: () => undefined });
    }, REFUSALS);
  } finally {
    await session.close();
  }
}
