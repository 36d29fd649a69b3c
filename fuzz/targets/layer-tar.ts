/**
 * Image layers: a layer blob (plain tar, gzip or zstd, sniffed as pulls and loads do) unpacked by
 * the real unpacker into a scratch directory. Refusals are invalid-argument (malformed tars,
 * unsafe or unsupported entries). Checked besides: nothing appears outside the target directory,
 * and the xattr dump handed to setfattr reads back unchanged.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openLayerStream } from '../../src/snapshots/decompress.js';
import { unpackLayer } from '../../src/snapshots/layer-unpacker.js';
import { check, refusingAsync } from '../support/refusal.js';
import { InProcessRunner, scratchDir, withTarChecksums } from '../support/tar-input.js';

const runner = new InProcessRunner();

export async function fuzz(data: Buffer): Promise<void> {
  const dir = await scratchDir('layer');
  try {
    const target = join(dir, 'layer');
    const beside = join(dir, 'beside');
    await mkdir(target);
    await mkdir(beside);
    const blob = Readable.from([withTarChecksums(data)]);
    await refusingAsync(() => unpackLayer(openLayerStream(blob), target, { runner }));
    const outside = (await readdir(dir)).filter((name) => name !== 'layer' && name !== 'beside');
    check(outside.length === 0 && (await readdir(beside)).length === 0, `unpack wrote outside the target: ${outside.join(', ')}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
