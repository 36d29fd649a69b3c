// The disk watermark collector on a real, small filesystem (a tmpfs state root): above the high
// watermark it removes stopped containers first, then unused images, until the low watermark;
// running containers and the images they use stay. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import type { ContainerEngine } from '../../../src/engine/container-engine.js';
import { openNodeServices } from '../../../src/daemon/node-services.js';
import { DiskWatermarkCollector, filesystemUsedPercent } from '../../../src/engine/disk-watermark.js';
import type { ImageService } from '../../../src/images/image-service.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';
import { eventually, skipReason } from './engine-fixture.js';

const runner = new ChildProcessRunner();
const MiB = 1024 * 1024;

/** A one-file image of `size` random bytes (incompressible, so it takes its size on disk). */
function oneFileTar(size: number): Readable {
  const tar = pack();
  tar.entry({ name: 'payload' }, randomBytes(size));
  tar.finalize();
  return Readable.from(tar, { objectMode: false });
}

describe('disk watermark cleanup', { skip: skipReason() }, () => {
  let work: string;
  let mnt: string;
  let images: ImageService;
  let engine: ContainerEngine;
  const cgroupParent = `/${testCgroupName()}`;

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-watermark-'));
    mnt = join(work, 'fs');
    await mkdir(mnt);
    await runner.run('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'berth-test', mnt]);
    images = await openImageNode(join(mnt, 'root'));
    await images.bootstrap('busybox');
    engine = (await openNodeServices(images, { cgroupParent })).containers;
  });
  after(async () => {
    try {
      for (const record of engine.list()) await engine.remove(record.id, { force: true });
      engine.close();
      await images.close();
    } finally {
      await sweepLeftovers();
      await runner.run('umount', ['-l', mnt]).catch(() => undefined);
      await rm(work, { recursive: true, force: true });
    }
  });

  test('stopped containers go first, then unused images, down to the low watermark; what runs stays', async () => {
    const unusedA = await images.import(oneFileTar(8 * MiB), { names: ['docker.io/library/unused-a:latest'] });
    const unusedB = await images.import(oneFileTar(8 * MiB), { names: ['docker.io/library/unused-b:latest'] });
    const running = await engine.create({ image: 'busybox', options: { cmd: ['sleep', '1000'] } });
    await engine.start(running.id);
    const stopped = await engine.create({ image: 'busybox', options: { cmd: ['sh', '-c', 'head -c 12582912 /dev/urandom > /blob'] } });
    const exited = engine.wait(stopped.id, 'next-exit');
    await engine.start(stopped.id);
    assert.equal((await exited).exitCode, 0);
    // Fill the filesystem from outside berth so that it is above the high watermark.
    const used = await filesystemUsedPercent(mnt);
    const filler = Math.max(0, Math.ceil(((used < 70 ? 70 - used : 0) / 100) * 96 * MiB));
    await writeFile(join(mnt, 'filler'), Buffer.alloc(filler, 1));
    const full = await filesystemUsedPercent(mnt);
    assert.ok(full > 65, `usage ${full}%`);

    const collector = new DiskWatermarkCollector(engine, images, { highPercent: 60, lowPercent: full - 20, minAgeMs: 0 });
    const pass = await collector.check();
    assert.deepEqual(pass.removedContainers, [stopped.id], 'the stopped container went, the running one stayed');
    assert.ok(pass.removedImages.length >= 1);
    assert.ok(pass.removedImages.every((id) => id === unusedA.id || id === unusedB.id), 'only unused images');
    assert.equal(pass.removedImages[0], unusedA.id, 'the oldest unused image first');
    assert.ok(pass.after <= full - 20, `usage after ${pass.after}%`);
    assert.equal(engine.inspect(running.id).state.status, 'running');
    assert.ok(images.list().some((i) => i.names.includes('docker.io/library/busybox:latest')), 'the running container\'s image stays');
    await eventually('usage to be reported below the low watermark', async () => (await filesystemUsedPercent(mnt)) <= full - 20);

    const quiet = new DiskWatermarkCollector(engine, images, { highPercent: 95, lowPercent: 90, minAgeMs: 0 });
    const untouched = await quiet.check();
    assert.deepEqual([untouched.removedContainers, untouched.removedImages], [[], []], 'below the high watermark nothing goes');
  });

  test('bad watermarks are refused, naming the flag', () => {
    assert.throws(() => new DiskWatermarkCollector(engine, images, { highPercent: 0, lowPercent: 0, minAgeMs: 0 }), /--gc-high-watermark/);
    assert.throws(() => new DiskWatermarkCollector(engine, images, { highPercent: 80, lowPercent: 85, minAgeMs: 0 }), /--gc-low-watermark/);
  });
});
