// stats, top, diff, cp, export, rename and update on the real kernel, runc and conmon: figures
// read back from cgroups, files read back from the container and the host, and no mounts left.
// Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, lstat, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { currentMountPointsBelow } from '../../../src/mount/mountinfo.js';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { cgroupDirs } from '../../../src/runtime/cgroup-layout.js';
import { diffDirectory } from '../../../src/snapshots/layer-differ.js';
import { unpackLayer } from '../../../src/snapshots/layer-unpacker.js';
import { EngineFixture, eventually, skipReason } from './engine-fixture.js';

const MiB = 1024 * 1024;
const runner = new ChildProcessRunner();

async function tarNames(tar: Readable): Promise<string[]> {
  const { extract } = await import('tar-stream');
  const names: string[] = [];
  const ex = extract();
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (header, stream, next) => { names.push(header.name); stream.on('end', next); stream.resume(); });
    ex.on('finish', resolve);
    ex.on('error', reject);
  });
  tar.pipe(ex);
  await done;
  return names;
}

describe('container files and resources', { skip: skipReason() }, () => {
  let f: EngineFixture;
  let work: string;
  before(async () => {
    f = await EngineFixture.create();
    work = await mkdtemp(join(tmpdir(), 'berth-files-'));
  });
  after(async () => {
    await f.cleanup();
    await rm(work, { recursive: true, force: true });
  });

  const startSleeper = async (options: Parameters<EngineFixture['create']>[0] = {}): Promise<string> => {
    const id = await f.create({ cmd: ['sh', '-c', 'echo ready; exec sleep 1000'], ...options });
    await f.engine.start(id);
    await eventually('the container to be ready', async () => (await f.output(id)).stdout.includes('ready'));
    return id;
  };

  test('stats report memory near a known allocation, pids and CPU time', async () => {
    const id = await f.create({ cmd: ['sh', '-c', 'dd if=/dev/zero of=/dev/shm/fill bs=1M count=32 2>/dev/null; echo ready; exec sleep 1000'], memory: 256 * MiB });
    await f.engine.start(id);
    await eventually('the allocation', async () => (await f.output(id)).stdout.includes('ready'));
    const { cgroup } = await f.engine.stats(f.engine.inspect(id), new Date());
    assert.ok(cgroup !== undefined);
    assert.ok(cgroup.memory.usageBytes >= 32 * MiB && cgroup.memory.usageBytes < 48 * MiB, `usage ${cgroup.memory.usageBytes}`);
    assert.equal(cgroup.memory.limitBytes, 256 * MiB);
    assert.equal(cgroup.pids.current, 1);
    assert.ok(cgroup.cpu.totalNs > 0, 'CPU time');
    await f.engine.stop(id, { timeoutS: 0 });
    const stopped = await f.engine.stats(f.engine.inspect(id), new Date());
    assert.equal(stopped.cgroup, undefined);
  });

  test('top lists the container\'s processes only', async () => {
    const id = await startSleeper();
    const table = await f.engine.top(id);
    assert.ok(table.titles.includes('PID'));
    assert.equal(table.processes.length, 1);
    assert.match(table.processes[0]?.at(-1) ?? '', /sleep 1000/);
    await f.engine.stop(id, { timeoutS: 0 });
    await assert.rejects(f.engine.top(id), { kind: 'conflict' });
  });

  test('update changes a live memory limit (read back from the cgroup), and it holds after a restart', async () => {
    const id = await startSleeper({ memory: 64 * MiB });
    const dir = cgroupDirs(f.engine.host.cgroups, `${f.cgroupParent}/${id}`).v1.get('memory');
    assert.ok(dir !== undefined);
    const limit = async (): Promise<number> => Number((await readFile(join(dir, 'memory.limit_in_bytes'), 'utf8')).trim());
    assert.equal(await limit(), 64 * MiB);
    await f.engine.update(id, { resources: { memory: 128 * MiB, pidsLimit: 20 } });
    assert.equal(await limit(), 128 * MiB);
    const pidsDir = cgroupDirs(f.engine.host.cgroups, `${f.cgroupParent}/${id}`).v1.get('pids') ?? '';
    assert.equal((await readFile(join(pidsDir, 'pids.max'), 'utf8')).trim(), '20');
    await assert.rejects(f.engine.update(id, { resources: { memory: 1024 } }), { kind: 'invalid-argument' });
    assert.equal(await limit(), 128 * MiB);
    await f.engine.restart(id, { timeoutS: 0 });
    assert.equal(await limit(), 128 * MiB);
    assert.equal(f.engine.inspect(id).config.options.memory, 128 * MiB);
    await f.engine.stop(id, { timeoutS: 0 });
  });

  test('rename: the new name resolves, a taken one is a conflict', async () => {
    const a = await f.create({ cmd: ['true'] }, { name: 'first-name' });
    await f.create({ cmd: ['true'] }, { name: 'taken-name' });
    await f.engine.rename('first-name', 'second-name');
    assert.equal(f.engine.inspect('second-name').id, a);
    await assert.rejects(f.engine.rename(a, 'taken-name'), { kind: 'conflict', reason: 'container-name-taken' });
    await assert.rejects(f.engine.rename(a, '/bad name'), { kind: 'invalid-argument' });
  });

  test('diff reports added, changed and deleted paths, without the runtime\'s mount points', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'mkdir -p /data/sub && echo x > /data/sub/f && rm /bin/vi && echo y >> /etc/passwd'] });
    assert.equal(r.exitCode, 0, r.stderr);
    const changes = await f.engine.changes(r.id);
    assert.deepEqual(changes.map((c) => `${'CAD'[c.kind] ?? '?'} ${c.path}`), [
      'C /bin', 'D /bin/vi', 'A /data', 'A /data/sub', 'A /data/sub/f', 'C /etc', 'C /etc/passwd',
    ]);
  });

  test('cp round-trips a directory tree with modes and links, into a running and out of a stopped container', async () => {
    const tree = join(work, 'tree');
    await mkdir(join(tree, 'app', 'bin'), { recursive: true });
    await writeFile(join(tree, 'app', 'bin', 'tool'), '#!/bin/sh\necho tool\n');
    await chmod(join(tree, 'app', 'bin', 'tool'), 0o4755);
    await writeFile(join(tree, 'app', 'secret'), 'key');
    await chmod(join(tree, 'app', 'secret'), 0o600);
    await chmod(join(tree, 'app', 'bin'), 0o750);
    await symlink('bin/tool', join(tree, 'app', 'link'));
    const id = await startSleeper();
    await f.engine.files.write(id, '/tmp', diffDirectory(tree, { runner, only: 'app' }));
    const rootfs = f.engine.paths.rootfs(id);
    const modeIn = async (path: string): Promise<number> => (await lstat(join(rootfs, path))).mode & 0o7777;
    assert.deepEqual([await modeIn('tmp/app/bin'), await modeIn('tmp/app/bin/tool'), await modeIn('tmp/app/secret')], [0o750, 0o4755, 0o600]);
    assert.equal(await readlink(join(rootfs, 'tmp/app/link')), 'bin/tool');
    await f.engine.stop(id, { timeoutS: 0 });

    const stat0 = await f.engine.files.stat(id, '/tmp/app');
    assert.equal(stat0.name, 'app');
    assert.ok(stat0.mode >= 2 ** 31, 'a directory in Go FileMode bits');
    const out = join(work, 'out');
    await mkdir(out);
    await f.engine.files.read(id, '/tmp/app', (_stat, tar) => unpackLayer(tar, out, { runner, hash: false }).then(() => undefined));
    assert.equal((await stat(join(out, 'app', 'bin', 'tool'))).mode & 0o7777, 0o4755);
    assert.equal((await stat(join(out, 'app', 'secret'))).mode & 0o7777, 0o600);
    assert.equal((await stat(join(out, 'app', 'bin'))).mode & 0o7777, 0o750);
    assert.equal(await readlink(join(out, 'app', 'link')), 'bin/tool');
    assert.equal(await readFile(join(out, 'app', 'secret'), 'utf8'), 'key');
    assert.deepEqual(await currentMountPointsBelow(f.engine.paths.dir(id)), [], 'the temporary rootfs mount is gone');
    await assert.rejects(f.engine.files.stat(id, '/no/such/path'), { kind: 'not-found', reason: 'container-path-not-found' });
  });

  test('cp never writes outside the container: an absolute symlink is resolved inside it, a climbing tar entry is refused', async () => {
    const id = await f.create({ cmd: ['sh', '-c', 'ln -s / /escape && echo ready; exec sleep 1000'] });
    await f.engine.start(id);
    await eventually('the container to be ready', async () => (await f.output(id)).stdout.includes('ready'));
    const marker = `berth-cp-${process.pid}`;
    const file = pack();
    file.entry({ name: marker }, 'inside');
    file.finalize();
    await f.engine.files.write(id, '/escape/tmp', Readable.from(file));
    assert.equal(await readFile(join(f.engine.paths.rootfs(id), 'tmp', marker), 'utf8'), 'inside');
    await assert.rejects(lstat(join('/tmp', marker)), { code: 'ENOENT' });

    const climbing = pack();
    climbing.entry({ name: `../../../../../../tmp/${marker}-2` }, 'out');
    climbing.finalize();
    await assert.rejects(f.engine.files.write(id, '/tmp', Readable.from(climbing)), { kind: 'invalid-argument' });
    await assert.rejects(lstat(join('/tmp', `${marker}-2`)), { code: 'ENOENT' });
    await f.engine.stop(id, { timeoutS: 0 });
  });

  test('export writes the whole root filesystem with the container\'s changes', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'echo exported > /marker'] });
    let names: string[] = [];
    await f.engine.files.export(r.id, async (tar) => { names = await tarNames(tar); });
    assert.ok(names.includes('bin/busybox'));
    assert.ok(names.includes('marker'));
    assert.deepEqual(await currentMountPointsBelow(f.engine.paths.dir(r.id)), []);
  });
});
