// Starts a private dockerd, imports a busybox rootfs and runs it, then checks stop() leaves nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { buildBusyboxRootfs } from '../../../src/images/bootstrap/busybox-rootfs.js';
import { PrivateDockerd } from '../../support/private-dockerd.js';

const skip =
  process.getuid?.() !== 0 ? 'needs root (dockerd)' : !existsSync('/usr/sbin/dockerd') ? 'needs dockerd (docker.io)' : false;
const runner = new ChildProcessRunner();

async function processesMentioning(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(dir) && Number(pid) !== process.pid) found.push(`${pid}: ${cmdline.replaceAll('\0', ' ')}`);
  }
  return found;
}

test('private dockerd starts, imports and runs an image, and stops cleanly', { skip }, async () => {
  const work = await mkdtemp(join(tmpdir(), 'berth-dockerd-test-'));
  const daemon = await PrivateDockerd.start().catch(async (err: unknown) => {
    await rm(work, { recursive: true, force: true });
    throw err;
  });
  try {
    const { stdout: version } = await daemon.docker(['version', '--format', '{{.Server.Version}}']);
    assert.match(version.trim(), /^\d+\.\d+/);

    const rootfs = join(work, 'rootfs');
    await buildBusyboxRootfs(rootfs, runner);
    const archive = join(work, 'rootfs.tar');
    await runner.run('tar', ['-C', rootfs, '-cf', archive, '.']);
    await daemon.docker(['import', archive, 'berth-test/busybox:latest']);
    const { stdout } = await daemon.docker(['run', '--rm', '--network', 'none', 'berth-test/busybox:latest', '/bin/busybox', 'echo', 'hi']);
    assert.equal(stdout.trim(), 'hi');
  } finally {
    await daemon.stop();
    await rm(work, { recursive: true, force: true });
    assert.deepEqual(await processesMentioning(daemon.baseDir), [], 'no dockerd/containerd of it remains');
    const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
    assert.ok(!mountinfo.includes(daemon.baseDir), 'no mount under its base dir remains');
    assert.ok(!existsSync(daemon.baseDir), 'its base dir is removed');
  }
});
