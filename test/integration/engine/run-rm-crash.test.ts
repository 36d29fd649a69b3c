// `run --rm` cut short by a daemon crash: berthd is killed (failpoint `start-after-create-task`,
// a SIGKILL as kill -9 would) after the container's runtime and mounts exist but before its
// process starts; the next berthd removes the container and everything its run left, as dockerd
// removes such containers when it starts. A created --rm container that never started goes too.
// Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, rm, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../../src/base/mount-points.js';
import { berthAt, berthOk, needsRoot } from '../../support/berth-cli.js';
import { BerthdProcess } from '../../support/berthd-process.js';
import { leftoverCgroupDirs, sweepLeftovers, testCgroupName } from '../runtime/runtime-fixtures.js';

describe('run --rm and a daemon crash', { skip: needsRoot() }, () => {
  let work: string;
  let root: string;
  let cgroup: string;
  let daemon: BerthdProcess | undefined;
  const socket = (): string => join(work, 'berth.sock');
  const start = async (failpoint?: string): Promise<BerthdProcess> => {
    if (failpoint !== undefined) process.env.BERTH_FAILPOINT = failpoint;
    try {
      return await BerthdProcess.start(root, socket(), ['--cgroup-parent', `/${cgroup}`]);
    } finally {
      delete process.env.BERTH_FAILPOINT;
    }
  };

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-run-rm-crash-'));
    root = join(work, 'root');
    cgroup = testCgroupName();
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
  });
  after(async () => {
    try {
      await daemon?.stop();
      await sweepLeftovers();
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  test('the next berthd removes an --rm container killed while starting, and one only created', async () => {
    daemon = await start('start-after-create-task');
    const created = await berthAt(socket(), ['create', '--rm', '--name', 'never-started', 'busybox', 'true']);
    assert.equal(created.code, 0, created.stderr);
    const run = await berthAt(socket(), ['run', '--rm', '--name', 'cut-short', 'busybox', 'true']);
    assert.notEqual(run.code, 0, 'berthd died under the run');
    await daemon.kill();
    daemon = undefined;
    assert.equal((await readdir(join(root, 'containers'))).length, 2, 'both records are on disk');
    assert.ok((await currentMountPointsBelow(root)).length > 0, 'the cut-short run left its root filesystem mounted');

    daemon = await start();
    assert.equal((await berthAt(socket(), ['ps', '-a', '-q'])).stdout, '');
    assert.deepEqual(await readdir(join(root, 'containers')), []);
    assert.deepEqual(await currentMountPointsBelow(root), []);
    const cgroups = (await leftoverCgroupDirs(cgroup)).filter((dir) => dir.split('/').at(-1) !== cgroup);
    assert.deepEqual(cgroups, [], 'no container cgroup is left');
    const again = await berthAt(socket(), ['run', '--rm', '--name', 'cut-short', '--network', 'none', 'busybox', 'echo', 'ok']);
    assert.equal(again.stdout.trim(), 'ok', again.stderr);
  });
});
