// `commit` of a running container cut short by a daemon crash (failpoints: `commit-after-diff`,
// once the layer is written and being unpacked, and `image-before-record`, once its layer is
// committed but the image not recorded). The next berthd shows no new image, keeps no blob, layer,
// lease or temp file the commit wrote, and thaws the container the commit had paused; the commit,
// redone, works. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { needsRoot } from '../../support/berth-cli.js';
import { CrashLab } from '../../support/crash-lab.js';
import { leftovers } from '../../support/crash-leftovers.js';

interface Inspected {
  Id: string;
  State: { Running: boolean; Paused: boolean };
}

describe('commit and a daemon crash', { skip: needsRoot() }, () => {
  let lab: CrashLab;
  before(async () => {
    lab = await CrashLab.create('berth-commit-crash-');
  });
  after(async () => {
    await lab.close();
  });

  /** Blobs and layer directories on disk. */
  const storeFiles = async (): Promise<string[]> => [
    ...(await readdir(join(lab.root, 'content', 'blobs', 'sha256'))).map((hex) => `blob ${hex}`),
    ...(await readdir(join(lab.root, 'snapshots'))).map((dir) => `snapshot ${dir}`),
  ].sort();

  for (const point of ['commit-after-diff', 'image-before-record']) {
    test(`killed at ${point}: no image, nothing it wrote, the container runs on; the commit, redone, works`, async () => {
      await lab.daemon?.stop();
      await lab.start(point);
      const name = `source-${point}`;
      await lab.ok(['run', '-d', '--name', name, 'busybox', 'sleep', '1000']);
      await lab.ok(['exec', name, 'sh', '-c', `echo ${point} > /made`]);
      const images = await lab.ok(['images', '-a', '-q']);
      const files = await storeFiles();
      const before_ = await leftovers(lab);

      const commit = await lab.cli(['commit', name, `snap:${point}`]);
      assert.notEqual(commit.code, 0, 'berthd died under the commit');
      await lab.crash();

      await lab.start();
      assert.equal(await lab.ok(['images', '-a', '-q']), images, 'no image, not even a dangling one');
      assert.deepEqual(await storeFiles(), files, 'no blob or layer of the commit is kept');
      assert.deepEqual(await leftovers(lab), before_, 'no lease or temp file; the run is as it was');
      const [inspected] = JSON.parse(await lab.ok(['inspect', name])) as Inspected[];
      assert.deepEqual(inspected?.State && { running: inspected.State.Running, paused: inspected.State.Paused }, { running: true, paused: false });
      await lab.ok(['exec', name, 'true']);

      await lab.ok(['commit', name, `snap:${point}`]);
      assert.equal(await lab.ok(['run', '--rm', '--network', 'none', `snap:${point}`, 'cat', '/made']), point);
      await lab.ok(['rm', '-f', name]);
      await lab.ok(['rmi', `snap:${point}`]);
    });
  }
});
