// Volumes, bind mounts, tmpfs and --init on the real kernel, runc and conmon: data outlives its
// container, copy-up from the image, read-only binds, ownership options for non-root containers,
// anonymous volumes, tmpfs limits, propagation, init as PID 1; and no mount left behind. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readFile, readlink, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBerthError } from '../../../src/base/errors.js';
import { isMountPoint } from '../../../src/mount/mount-table.js';
import { EngineFixture, eventually, skipReason } from '../engine/engine-fixture.js';
import { DATA_IMAGE, importDataImage } from './volume-fixture.js';

describe('volumes, binds, tmpfs and --init', { skip: skipReason() }, () => {
  let f: EngineFixture;
  let host: string;

  before(async () => {
    f = await EngineFixture.create();
    host = await mkdtemp(join(f.root, '..', 'berth-vol-host-'));
    await importDataImage(f.images, host);
  });
  after(async () => {
    try {
      for (const record of f.engine.list()) await f.engine.remove(record.id, { force: true });
      for (const volume of f.services.volumes.list()) await f.services.volumes.remove(volume.name);
      assert.deepEqual(await f.leftovers().then((l) => l.mounts), []);
    } finally {
      spawnSync('umount', ['-R', join(host, 'shared')]);
      await f.cleanup();
      await rm(host, { recursive: true, force: true });
    }
  });

  test('a named volume outlives its container and is seeded from the image (modes, owners, xattrs, symlinks)', async () => {
    const first = await f.run({ cmd: ['sh', '-c', 'cat /data/owned; echo more > /data/added'] }, { image: DATA_IMAGE, mounts: [{ type: 'volume', source: 'seeded', target: '/data', readOnly: false, noCopy: false }] });
    assert.equal(first.exitCode, 0, first.stderr);
    assert.equal(first.stdout, 'from the image\n');
    await f.engine.remove(first.id, { volumes: true });
    const data = f.services.volumes.dataDir('seeded');
    const owned = await stat(join(data, 'owned'));
    assert.deepEqual([owned.uid, owned.gid, owned.mode & 0o7777], [1000, 1000, 0o640]);
    const root = await stat(data);
    assert.deepEqual([root.uid, root.gid, root.mode & 0o7777], [1000, 1000, 0o750]);
    assert.equal(await readlink(join(data, 'link')), 'owned');
    const xattr = spawnSync('getfattr', ['--only-values', '-n', 'user.kind', join(data, 'owned')], { encoding: 'utf8' });
    assert.equal(xattr.stdout, 'seed');
    assert.equal(await readFile(join(data, 'added'), 'utf8'), 'more\n');
    // A second container (busybox has no /data) sees the same data; nothing is seeded again.
    const second = await f.run({ cmd: ['cat', '/data/added'] }, { mounts: [{ type: 'volume', source: 'seeded', target: '/data', readOnly: true, noCopy: false }] });
    assert.equal(second.stdout, 'more\n');
  });

  test('volume-nocopy leaves a new volume empty; a volume in use (even stopped) cannot be removed', async () => {
    const r = await f.run({ cmd: ['ls', '-A', '/data'] }, { image: DATA_IMAGE, mounts: [{ type: 'volume', source: 'empty', target: '/data', readOnly: false, noCopy: true }] });
    assert.equal(r.stdout, '');
    await assert.rejects(f.engine.volumeUsage.remove('empty', true), (err) => isBerthError(err, 'conflict'));
    await f.reopen(); // live restore keeps the volume and who uses it
    await assert.rejects(f.engine.volumeUsage.remove('empty', false), (err) => isBerthError(err, 'conflict'));
    await f.engine.remove(r.id);
    await f.engine.volumeUsage.remove('empty', false);
    assert.equal(f.services.volumes.find('empty'), undefined);
    await assert.rejects(stat(f.services.volumes.path('empty')), /ENOENT/);
  });

  test('a read-only bind cannot be written and the host file stays as it was; -v creates a missing host dir, --mount does not', async () => {
    const dir = join(host, 'ro');
    await mkdir(dir);
    await writeFile(join(dir, 'f'), 'host\n');
    const r = await f.run({ cmd: ['sh', '-c', 'echo changed > /m/f || echo refused; cat /m/f'] }, {
      mounts: [{ type: 'bind', source: dir, target: '/m', readOnly: true, propagation: 'rprivate', createHostPath: false }],
    });
    assert.equal(r.stdout, 'refused\nhost\n');
    assert.match(r.stderr, /Read-only file system/);
    assert.equal(await readFile(join(dir, 'f'), 'utf8'), 'host\n');

    const missing = join(host, 'made', 'by', 'start');
    const made = await f.run({ cmd: ['sh', '-c', 'echo hi > /m/x'] }, { mounts: [{ type: 'bind', source: missing, target: '/m', readOnly: false, propagation: 'rprivate', createHostPath: true }] });
    assert.equal(made.exitCode, 0, made.stderr);
    assert.equal(await readFile(join(missing, 'x'), 'utf8'), 'hi\n');
    await assert.rejects(f.create({}, { mounts: [{ type: 'bind', source: join(host, 'nope'), target: '/m', readOnly: false, propagation: 'rprivate', createHostPath: false }] }),
      (err) => isBerthError(err, 'invalid-argument') && /bind source path does not exist/.test(err.message));
  });

  test('a non-root container writes to a volume made with uid/gid/mode, and not to one without', async () => {
    await f.services.volumes.create({ name: 'for-1000', options: { uid: '1000', gid: '1000', mode: '0770' } });
    await f.services.volumes.create({ name: 'root-only' });
    const ok = await f.run({ user: '1000:1000', cmd: ['sh', '-c', 'echo w > /v/file && echo wrote'] }, { mounts: [{ type: 'volume', source: 'for-1000', target: '/v', readOnly: false, noCopy: false }] });
    assert.equal(ok.stdout, 'wrote\n', ok.stderr);
    assert.equal((await stat(join(f.services.volumes.dataDir('for-1000'), 'file'))).uid, 1000);
    const denied = await f.run({ user: '1000:1000', cmd: ['sh', '-c', 'echo w > /v/file && echo wrote'] }, { mounts: [{ type: 'volume', source: 'root-only', target: '/v', readOnly: false, noCopy: false }] });
    assert.notEqual(denied.exitCode, 0);
    assert.match(denied.stderr, /Permission denied/);
  });

  test('anonymous volumes (-v /path and the image VOLUME) are per container and go with rm -v', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'echo x > /anon/f; cat /data/owned'] }, { image: DATA_IMAGE, mounts: [{ type: 'volume', target: '/anon', readOnly: false, noCopy: false }] });
    assert.equal(r.stdout, 'from the image\n', r.stderr);
    const mounts = f.engine.inspect(r.id).config.mounts ?? [];
    const names = mounts.flatMap((m) => (m.type === 'volume' ? [m.name] : []));
    assert.equal(names.length, 2);
    for (const name of names) assert.equal(f.services.volumes.get(name).anonymous, true);
    await f.engine.remove(r.id, { volumes: true });
    for (const name of names) assert.equal(f.services.volumes.find(name), undefined);

    const kept = await f.run({ cmd: ['true'] }, { mounts: [{ type: 'volume', target: '/anon', readOnly: false, noCopy: false }] });
    const keptName = (f.engine.inspect(kept.id).config.mounts ?? []).flatMap((m) => (m.type === 'volume' ? [m.name] : []))[0] ?? '';
    await f.engine.remove(kept.id);
    assert.notEqual(f.services.volumes.find(keptName), undefined, 'rm without -v keeps anonymous volumes');
    // --rm removes them with the container.
    const auto = await f.create({ cmd: ['true'] }, { autoRemove: true, mounts: [{ type: 'volume', target: '/anon', readOnly: false, noCopy: false }] });
    const autoName = (f.engine.inspect(auto).config.mounts ?? []).flatMap((m) => (m.type === 'volume' ? [m.name] : []))[0] ?? '';
    await f.engine.start(auto);
    await eventually('the --rm container and its volume are gone', () => f.engine.find(auto) === undefined && f.services.volumes.find(autoName) === undefined);
  });

  test('tmpfs: --mount type=tmpfs size and mode are enforced', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'stat -c %a /t; dd if=/dev/zero of=/t/big bs=1024 count=2048 2>&1; df -k /t | tail -1'] }, {
      mounts: [{ type: 'tmpfs', target: '/t', readOnly: false, sizeBytes: 1024 * 1024, mode: 0o1770 }],
    });
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], '1770');
    assert.match(r.stdout, /No space left on device/);
    assert.match(lines.at(-1) ?? '', /^tmpfs\s+1024\s/);
  });

  test('a tmpfs-backed volume (type/device/o) is mounted while used and unmounted after', async () => {
    await f.services.volumes.create({ name: 'ram', options: { type: 'tmpfs', device: 'tmpfs', o: 'size=2m' } });
    const id = await f.create({ cmd: ['sh', '-c', 'df -k /r | tail -1; sleep 1000'] }, { mounts: [{ type: 'volume', source: 'ram', target: '/r', readOnly: false, noCopy: false }] });
    await f.engine.start(id);
    assert.equal(await isMountPoint(f.services.volumes.dataDir('ram')), true);
    await eventually('df to report the volume', async () => /^tmpfs\s+2048\s/.test((await f.output(id)).stdout));
    await f.engine.stop(id, { timeoutS: 0 });
    assert.equal(await isMountPoint(f.services.volumes.dataDir('ram')), false);
  });

  test('rshared bind: a mount made in the container shows on the host', async () => {
    const shared = join(host, 'shared');
    await mkdir(shared);
    for (const args of [['--bind', shared, shared], ['--make-shared', shared]]) assert.equal(spawnSync('mount', args).status, 0);
    const r = await f.run({ privileged: true, cmd: ['sh', '-c', 'mkdir -p /s/inner && mount -t tmpfs none /s/inner && echo mounted'] }, {
      mounts: [{ type: 'bind', source: shared, target: '/s', readOnly: false, propagation: 'rshared', createHostPath: false }],
    });
    assert.equal(r.stdout, 'mounted\n', r.stderr);
    assert.equal(await isMountPoint(join(shared, 'inner')), true);
    assert.equal(spawnSync('umount', ['-R', shared]).status, 0);
  });

  test('--init: tini is PID 1, reaps orphans, and passes SIGTERM on (exit 143, not 137)', async () => {
    // An orphan (its parent shell exits at once) that ends soon: PID 1 must reap it, so its /proc
    // entry goes away; without a reaper it would stay a zombie until the bound.
    const script = 'cat /proc/1/cmdline | tr "\\0" " "; echo; sh -c \'sleep 0.2 & echo $! > /tmp/orphan\'; p=$(cat /tmp/orphan); i=0; '
      + 'while [ -e /proc/$p ] && [ $i -lt 300 ]; do i=$((i+1)); sleep 0.1; done; [ -e /proc/$p ] && echo zombie || echo reaped';
    const r = await f.run({ init: true, cmd: ['sh', '-c', script] });
    const [cmdline, reaped] = r.stdout.trim().split('\n');
    assert.match(cmdline ?? '', /^\/sbin\/docker-init -- sh -c /);
    assert.equal(reaped, 'reaped');
    const id = await f.create({ init: true, cmd: ['sleep', '1000'] }, { stopTimeout: 60 });
    await f.engine.start(id);
    await f.engine.stop(id);
    assert.equal(f.engine.inspect(id).state.exitCode, 143);
  });

  test('the next open removes what a crashed volume create or remove left', async () => {
    await mkdir(join(f.services.volumes.dir, '.tmp-1-abc', '_data'), { recursive: true });
    await mkdir(join(f.services.volumes.dir, 'ghost', '_data'), { recursive: true });
    await f.services.volumes.create({ name: 'real' });
    await f.reopen();
    assert.deepEqual((await readdir(f.services.volumes.dir)).filter((e) => e !== 'real' && f.services.volumes.find(e) === undefined), []);
    assert.ok((await stat(f.services.volumes.dataDir('real'))).isDirectory());
  });

  test('after everything is removed no mount remains below the state root', async () => {
    for (const record of f.engine.list()) await f.engine.remove(record.id, { force: true, volumes: true });
    assert.deepEqual((await f.leftovers()).mounts, []);
    const entries = await readdir(f.services.volumes.dir);
    for (const entry of entries) assert.ok((await lstat(join(f.services.volumes.dir, entry))).isDirectory());
  });
});
