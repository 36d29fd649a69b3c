// Leftovers of writers that died are recognised as such even when a signal still reaches their
// pid: a zombie (killed, not yet reaped by its parent: what a daemon restarted right after a
// kill -9 meets) and a pid reused by another process. Opening the store removes their temp files,
// snapshot work directories and scratch directories, and keeps those of live writers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ownerTag } from '../../../src/base/process-alive.js';
import { StateRoot } from '../../../src/base/state-root.js';
import { openImageNode } from '../../../src/daemon/image-node.js';
import { makeZombie, type Zombie } from '../../support/zombie.js';

describe('leftovers of dead writers', () => {
  let work: string;
  let zombie: Zombie;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-dead-writers-'));
    zombie = await makeZombie();
  });
  after(async () => {
    zombie.parent.kill('SIGKILL');
    await rm(work, { recursive: true, force: true });
  });

  test('a zombie\'s and a reused pid\'s temp files go; a live writer\'s stay', async () => {
    const root = new StateRoot(join(work, 'root'));
    await (await openImageNode(root.path)).close();
    const reused = `${process.pid}.1`; // this pid, but another start time: another process
    const files = {
      zombieIngest: join(root.ingest, `.tmp-${zombie.pid}-aaaa`),
      reusedIngest: join(root.ingest, `.tmp-${reused}-bbbb`),
      liveIngest: join(root.ingest, `.tmp-${ownerTag()}-cccc`),
    };
    const dirs = {
      zombieSnapshot: join(root.snapshots, `.tmp-${zombie.pid}-dddd`),
      reusedSnapshot: join(root.snapshots, `.tmp-${reused}-eeee`),
      liveSnapshot: join(root.snapshots, `.tmp-${ownerTag()}-ffff`),
      zombieScratch: join(root.tmp, `recompress-${zombie.pid}-x1`),
      liveScratch: join(root.tmp, `recompress-${ownerTag()}-x2`),
    };
    await mkdir(root.ingest, { recursive: true });
    for (const file of Object.values(files)) await writeFile(file, 'partial');
    for (const dir of Object.values(dirs)) await mkdir(dir, { recursive: true });
    process.kill(zombie.pid, 0); // a signal reaches the zombie: a pid check alone would keep its files
    await (await openImageNode(root.path)).close();
    const present = (paths: Record<string, string>): Record<string, boolean> => Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, existsSync(path)]));
    assert.deepEqual(present({ ...files, ...dirs }), {
      zombieIngest: false, reusedIngest: false, liveIngest: true,
      zombieSnapshot: false, reusedSnapshot: false, liveSnapshot: true,
      zombieScratch: false, liveScratch: true,
    });
  });
});
