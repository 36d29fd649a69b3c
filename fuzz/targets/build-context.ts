/**
 * Build contexts as `POST /build` receives them: a tar (plain, gzip or zstd) read into the context
 * tree while it streams in, or unpacked with the layer unpacker when the tree cannot read it; then
 * the tree's lookups a build makes (symlink resolution, directory listings, source hashes).
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readContextTar } from '../../src/build/context/context-tar.js';
import { refusing, refusingAsync } from '../support/refusal.js';
import { InProcessRunner, scratchDir, withTarChecksums } from '../support/tar-input.js';

const runner = new InProcessRunner();

export async function fuzz(data: Buffer): Promise<void> {
  const dir = await scratchDir('context');
  try {
    const work = join(dir, 'work');
    await mkdir(work);
    const read = await refusingAsync(() => readContextTar(Readable.from([withTarChecksums(data)]), work, runner, 4096));
    const tree = read?.tree;
    if (tree === undefined) return;
    for (const path of ['', 'Dockerfile', 'src', 'a/b/../c', 'link/x']) {
      const resolved = refusing(() => tree.resolve(path));
      if (resolved === undefined) continue;
      tree.readdir(resolved);
      refusing(() => tree.hash(resolved), ['invalid-argument', 'not-found']);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
