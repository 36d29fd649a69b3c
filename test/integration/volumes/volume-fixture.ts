// An image for the volume tests: busybox plus /data with owners, modes, an xattr and a symlink,
// declared as a VOLUME, so copy-up and anonymous volumes have something to show.
import { chown, chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { buildBusyboxRootfs } from '../../../src/images/bootstrap/busybox-rootfs.js';
import type { ImageService } from '../../../src/images/image-service.js';
import { diffDirectory } from '../../../src/snapshots/layer-differ.js';

export const DATA_IMAGE = 'docker.io/library/voldata:1';

/** Imports DATA_IMAGE into `images`: /data (1000:1000, 0750) holding `owned` (1000:1000, 0640, xattr user.kind=seed) and `link` → owned. */
export async function importDataImage(images: ImageService, scratch: string): Promise<void> {
  const runner = new ChildProcessRunner();
  const dir = await mkdtemp(join(scratch, 'voldata-'));
  try {
    await buildBusyboxRootfs(dir, runner);
    await mkdir(join(dir, 'data'), { mode: 0o750 });
    await writeFile(join(dir, 'data', 'owned'), 'from the image\n');
    await chown(join(dir, 'data', 'owned'), 1000, 1000);
    await chmod(join(dir, 'data', 'owned'), 0o640);
    await runner.run('setfattr', ['-n', 'user.kind', '-v', 'seed', join(dir, 'data', 'owned')]);
    await symlink('owned', join(dir, 'data', 'link'));
    await chown(join(dir, 'data'), 1000, 1000);
    await chmod(join(dir, 'data'), 0o750);
    await images.import(diffDirectory(dir, { runner }), { names: [DATA_IMAGE], config: { Env: ['PATH=/bin'], Cmd: ['sh'] }, changes: ['VOLUME ["/data"]'] });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
