// `run --rm` cut short by a daemon crash: berthd is killed (failpoint `start-after-create-task`,
// a SIGKILL as kill -9 would) after the container's runtime and mounts exist but before its
// process starts; the next berthd removes the container and everything its run left, as dockerd
// removes such containers when it starts. A created --rm container that never started goes too.
// Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../../src/mount/mountinfo.js';
import { needsRoot } from '../../support/berth-cli.js';
import { CrashLab } from '../../support/crash-lab.js';
import { leftoverCgroupDirs } from '../runtime/runtime-fixtures.js';

describe('run --rm and a daemon crash', { skip: needsRoot() }, () => {
  let lab: CrashLab;
  before(async () => {
    lab = await CrashLab.create('berth-run-rm-crash-');
  });
  after(async () => {
    await lab.close();
  });

  test('the next berthd removes an --rm container killed while starting, and one only created', async () => {
    await lab.start('start-after-create-task');
    const created = await lab.cli(['create', '--rm', '--name', 'never-started', 'busybox', 'true']);
    assert.equal(created.code, 0, created.stderr);
    const run = await lab.cli(['run', '--rm', '--name', 'cut-short', 'busybox', 'true']);
    assert.notEqual(run.code, 0, 'berthd died under the run');
    await lab.crash();
    assert.equal((await readdir(join(lab.root, 'containers'))).length, 2, 'both records are on disk');
    assert.ok((await currentMountPointsBelow(lab.root)).length > 0, 'the cut-short run left its root filesystem mounted');

    await lab.start();
    assert.equal((await lab.cli(['ps', '-a', '-q'])).stdout, '');
    assert.deepEqual(await readdir(join(lab.root, 'containers')), []);
    assert.deepEqual(await currentMountPointsBelow(lab.root), []);
    const cgroups = (await leftoverCgroupDirs(lab.cgroup)).filter((dir) => dir.split('/').at(-1) !== lab.cgroup);
    assert.deepEqual(cgroups, [], 'no container cgroup is left');
    const again = await lab.cli(['run', '--rm', '--name', 'cut-short', '--network', 'none', 'busybox', 'echo', 'ok']);
    assert.equal(again.stdout.trim(), 'ok', again.stderr);
  });
});
