// Builds a busybox rootfs into a temp dir and runs a shell in it with chroot (needs root).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { isBerthError } from '../../../src/base/errors.js';
import { buildBusyboxRootfs } from '../../../src/images/bootstrap/busybox-rootfs.js';

const notRoot = process.getuid?.() !== 0 ? 'needs root (chroot)' : false;
const runner = new ChildProcessRunner();

test('busybox rootfs runs a shell under chroot', { skip: notRoot }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-busybox-'));
  try {
    await buildBusyboxRootfs(dir, runner);
    const { stdout } = await runner.run('chroot', [dir, '/bin/sh', '-c', 'echo hi; ls /bin | wc -l']);
    const [greeting, count] = stdout.trim().split('\n');
    assert.equal(greeting, 'hi');
    assert.ok(Number(count) > 100, `expected >100 entries in /bin, got ${count ?? '(none)'}`);
    assert.match(await readFile(join(dir, 'etc/passwd'), 'utf8'), /^nobody:x:65534:65534:/m);
    assert.equal((await stat(join(dir, 'tmp'))).mode & 0o7777, 0o1777);
    assert.equal((await stat(join(dir, 'root'))).mode & 0o7777, 0o700);
    const { stdout: id } = await runner.run('chroot', [dir, '/bin/id', '-un']);
    assert.equal(id.trim(), 'root');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('busybox rootfs refuses a non-empty dir and a missing busybox', { skip: notRoot }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-busybox-'));
  try {
    await assert.rejects(buildBusyboxRootfs(join(dir, 'a'), runner, { busyboxPath: join(dir, 'nope') }), (err) =>
      isBerthError(err, 'not-found'),
    );
    await buildBusyboxRootfs(join(dir, 'b'), runner);
    await assert.rejects(buildBusyboxRootfs(join(dir, 'b'), runner), (err) => isBerthError(err, 'failed-precondition'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
