import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBerthError } from '../../../src/base/errors.js';
import { ChildProcessRunner, type ProcessRunner, type RunOptions } from '../../../src/base/process-runner.js';
import { isMountPoint, performMounts, unmountAll } from '../../../src/mount/mount-table.js';
import { MountHelperRunner } from '../../../src/mount/mount-helper-runner.js';
import { cleanupDir, makeTempDir, notRoot } from '../../support/snapshots-fixtures.js';

const skip = notRoot();

/** The programs' runner, remembering what it was asked to run. */
class RecordingRunner implements ProcessRunner {
  readonly commands: string[] = [];
  readonly #inner = new ChildProcessRunner();
  run(command: string, args: readonly string[], options?: RunOptions): ReturnType<ProcessRunner['run']> {
    this.commands.push(command);
    return this.#inner.run(command, args, options);
  }
}

/** A lower layer with one file, an upper and a work dir, and an empty target, in a temp dir. */
async function layers(): Promise<{ dir: string; target: string; options: string[] }> {
  const dir = await makeTempDir('berth-mount-');
  for (const sub of ['1/fs', '2/fs', '2/work', 'target']) await mkdir(join(dir, sub), { recursive: true });
  await writeFile(join(dir, '1/fs/hello'), 'from the lower layer\n');
  return { dir, target: join(dir, 'target'), options: ['index=off', 'lowerdir=1/fs', `upperdir=${join(dir, '2/fs')}`, `workdir=${join(dir, '2/work')}`] };
}

async function withLayers(work: (l: Awaited<ReturnType<typeof layers>>) => Promise<void>): Promise<void> {
  const l = await layers();
  try {
    await work(l);
  } finally {
    await new ChildProcessRunner().run('umount', ['-l', l.target], { okCodes: [0, 32] }).catch(() => undefined);
    await cleanupDir(l.dir);
  }
}

describe('berth-mount: overlay mounts and umounts without a process each', { skip }, () => {
  test('an overlay with a relative lowerdir is mounted and unmounted by the helper; no mount or umount process runs', () => withLayers(async ({ dir, target, options }) => {
    const programs = new RecordingRunner();
    const runner = new MountHelperRunner(programs);
    await performMounts(runner, [{ type: 'overlay', source: 'overlay', options, cwd: dir }], target);
    assert.equal(await readFile(join(target, 'hello'), 'utf8'), 'from the lower layer\n');
    assert.equal(await isMountPoint(target), true);
    await writeFile(join(target, 'written'), 'x');
    await unmountAll(runner, target);
    assert.equal(await isMountPoint(target), false);
    assert.equal(await readFile(join(dir, '2/fs/written'), 'utf8'), 'x', 'the write went to the upper dir');
    assert.deepEqual(programs.commands, []);
  }));

  test('failures read as mount\'s own: exit code 32 and the reason, or a result when 32 is an ok code', () => withLayers(async ({ dir, target, options }) => {
    const runner = new MountHelperRunner(new RecordingRunner());
    const notMounted = await runner.run('umount', [target], { okCodes: [0, 32] });
    assert.equal(notMounted.code, 32);
    await assert.rejects(runner.run('umount', [target]), (err: unknown) => {
      assert.ok(isBerthError(err, 'internal') && err.reason === 'command-failed', String(err));
      assert.match(err.message, /umount .*target: exit code 32: .*Invalid argument/);
      return true;
    });
    const missing = options.map((o) => (o.startsWith('lowerdir=') ? 'lowerdir=nowhere/fs' : o));
    await assert.rejects(performMounts(runner, [{ type: 'overlay', source: 'overlay', options: missing, cwd: dir }], target), /No such file or directory/);
    assert.equal(await isMountPoint(target), false);
  }));

  test('without the helper program the mount and umount programs do the work', () => withLayers(async ({ dir, target, options }) => {
    const programs = new RecordingRunner();
    const runner = new MountHelperRunner(programs, join(dir, 'no-such-program'));
    await performMounts(runner, [{ type: 'overlay', source: 'overlay', options, cwd: dir }], target);
    assert.equal(await readFile(join(target, 'hello'), 'utf8'), 'from the lower layer\n');
    await unmountAll(runner, target);
    assert.equal(await isMountPoint(target), false);
    assert.deepEqual(programs.commands, ['mount', 'umount']);
  }));
});
