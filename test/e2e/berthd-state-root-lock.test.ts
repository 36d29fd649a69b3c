// One berthd per state root and per socket: a second berthd on a root, or on a socket, that a live
// one serves exits at once with a clear error and changes nothing; after a kill -9 the next berthd
// takes the root and the stale socket over. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berthAt, needsRoot } from '../support/berth-cli.js';
import { BERTHD_BIN, BerthdProcess } from '../support/berthd-process.js';
import { testCgroupName } from '../integration/runtime/runtime-fixtures.js';

describe('one berthd per state root', { skip: needsRoot() }, () => {
  let work: string;
  const cgroupParent = `/${testCgroupName()}`;
  before(async () => { work = await mkdtemp(join(tmpdir(), 'berth-rootlock-')); });
  after(async () => { await rm(work, { recursive: true, force: true }); });

  test('a second berthd on a served root is refused; a killed one\'s root is taken over', async () => {
    const root = join(work, 'root');
    const first = await BerthdProcess.start(root, join(work, 'a.sock'), ['--cgroup-parent', cgroupParent]);
    try {
      assert.equal((await readFile(join(root, 'berthd.pid'), 'utf8')).trim(), String(first.child.pid));
      const second = spawnSync(process.execPath, [BERTHD_BIN, '--root', root, '--socket', join(work, 'b.sock'), '--cgroup-parent', cgroupParent], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(second.status, 1);
      assert.match(second.stderr, /another berthd \(pid \d+\) serves the state root/);
      assert.equal((await readFile(join(root, 'berthd.pid'), 'utf8')).trim(), String(first.child.pid));
      await first.kill();
      const next = await BerthdProcess.start(root, join(work, 'c.sock'), ['--cgroup-parent', cgroupParent]);
      assert.equal((await readFile(join(root, 'berthd.pid'), 'utf8')).trim(), String(next.child.pid));
      await next.stop();
      await assert.rejects(readFile(join(root, 'berthd.pid'), 'utf8'), { code: 'ENOENT' });
    } finally {
      await first.stop().catch(() => undefined);
    }
  });

  test('a second berthd on a served socket is refused, naming the daemon; a stale socket is taken over', async () => {
    const socket = join(work, 'shared.sock');
    const first = await BerthdProcess.start(join(work, 'root-a'), socket, ['--cgroup-parent', cgroupParent]);
    try {
      const second = spawnSync(process.execPath, [BERTHD_BIN, '--root', join(work, 'root-b'), '--socket', socket, '--cgroup-parent', cgroupParent], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(second.status, 1);
      assert.match(second.stderr, new RegExp(`shared\\.sock is served by another daemon \\(state root ${join(work, 'root-a').replace(/[.]/g, '\\.')}`));
      const info = JSON.parse((await berthAt(socket, ['info', '--format', 'json'])).stdout) as { DockerRootDir: string };
      assert.equal(info.DockerRootDir, join(work, 'root-a'), 'the first daemon still answers');
      await first.kill();
      const next = await BerthdProcess.start(join(work, 'root-b'), socket, ['--cgroup-parent', cgroupParent]);
      await next.stop();
    } finally {
      await first.stop().catch(() => undefined);
    }
  });
});
