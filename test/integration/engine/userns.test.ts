// `--userns auto`: container root is an unprivileged host uid of a range no other container has;
// the image's layers are id-mapped, the writable layer belongs to the range. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { currentMountPointsBelow } from '../../../src/mount/mountinfo.js';
import { isBerthError } from '../../../src/base/errors.js';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { extract, pack } from 'tar-stream';
import { EngineFixture, skipReason } from './engine-fixture.js';

const runner = new ChildProcessRunner();

/** Uid line of /proc/<pid>/status: real, effective, saved, filesystem. */
async function hostUids(pid: number): Promise<number[]> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return (/^Uid:\s+(.*)$/m.exec(status)?.[1] ?? '').split(/\s+/).map(Number);
}

describe('--userns auto', { skip: skipReason() }, () => {
  let f: EngineFixture;

  /** uid:gid of the named entries of the container's export tar. */
  async function exportedOwners(id: string, names: string[]): Promise<Record<string, string>> {
    const owners: Record<string, string> = {};
    await f.engine.files.export(id, async (tar) => {
      const ex = extract();
      const done = new Promise<void>((resolve, reject) => {
        ex.on('entry', (header, stream, next) => {
          if (names.includes(header.name)) owners[header.name] = `${header.uid}:${header.gid}`;
          stream.on('end', next);
          stream.resume();
        });
        ex.on('finish', resolve);
        ex.on('error', reject);
      });
      tar.pipe(ex);
      await done;
    });
    return owners;
  }

  before(async () => { f = await EngineFixture.create(); });
  after(async () => {
    try {
      for (const record of f.engine.list()) await f.engine.remove(record.id, { force: true });
    } finally {
      // A test that failed half-way may leave read-only views, which rm -r of the root cannot pass.
      for (const point of await currentMountPointsBelow(f.root)) await runner.run('umount', ['-l', point]).catch(() => undefined);
      await f.cleanup();
    }
  });

  test('root inside, a host range outside: writes its root filesystem, files owned by the range', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'id -u; touch /etc/x && echo wrote; cat /proc/self/uid_map; head -c 9 /etc/hosts; echo; stat -c %u /bin/sh; cat /sys/fs/cgroup/memory/memory.limit_in_bytes'], memory: 64 * 1024 * 1024 }, { usernsMode: 'auto' });
    const userns = f.engine.inspect(r.id).config.userns;
    assert.ok(userns !== undefined);
    assert.equal(r.exitCode, 0, r.stderr);
    const [uid, wrote, map, hosts, owner, limit] = r.stdout.trim().split('\n');
    assert.equal(uid, '0');
    assert.equal(wrote, 'wrote');
    assert.deepEqual(map?.trim().split(/\s+/).map(Number), [0, userns.uid, 65536]);
    assert.equal(hosts, '127.0.0.1');
    assert.equal(owner, '0', 'image files are root-owned inside');
    assert.equal(limit, String(64 * 1024 * 1024));
    const { upper } = f.images.snapshotter.layerDirs(f.engine.paths.snapshotKey(r.id));
    assert.equal((await stat(join(upper, 'etc', 'x'))).uid, userns.uid);
    // Exported (stopped: mounted for the call, views unmounted after) as the container saw it.
    const owners = await exportedOwners(r.id, ['etc/x', 'bin/sh']);
    assert.deepEqual(owners, { 'etc/x': '0:0', 'bin/sh': '0:0' });
    assert.deepEqual(await currentMountPointsBelow(f.engine.paths.dir(r.id)), []);
    // Copied in: the tar's ids are the container's (0 → the range root, 1000 → uid + 1000).
    const tar = pack();
    tar.entry({ name: 'in-root.txt', uid: 0, gid: 0, mode: 0o644 }, 'a');
    tar.entry({ name: 'in-user.txt', uid: 1000, gid: 1000, mode: 0o644 }, 'b');
    tar.finalize();
    await f.engine.files.write(r.id, '/tmp', Readable.from(tar));
    assert.equal((await stat(join(upper, 'tmp', 'in-root.txt'))).uid, userns.uid);
    assert.equal((await stat(join(upper, 'tmp', 'in-user.txt'))).gid, userns.gid + 1000);
    // Committed as the container saw it: owned by root in the new layer.
    const image = await f.engine.commit(r.id, { names: ['docker.io/library/userns-committed:latest'] });
    const check = await f.run({ cmd: ['stat', '-c', '%u:%g', '/etc/x'] }, { image: image.id });
    assert.equal(check.stdout, '0:0\n', check.stderr);
    await f.engine.remove(check.id);
  });

  test('PID 1 runs as the range root on the host; ranges are disjoint, survive a restart of the engine and are freed by rm', async () => {
    const a = await f.create({ cmd: ['sleep', '1000'] }, { usernsMode: 'auto' });
    const b = await f.create({ cmd: ['sleep', '1000'] }, { usernsMode: 'auto' });
    await f.engine.start(a);
    await f.engine.start(b);
    const [ra, rb] = [f.engine.inspect(a), f.engine.inspect(b)];
    const [ua, ub] = [ra.config.userns, rb.config.userns];
    assert.ok(ua !== undefined && ub !== undefined);
    assert.ok(ua.uid + ua.size <= ub.uid || ub.uid + ub.size <= ua.uid, `${ua.uid} and ${ub.uid} overlap`);
    assert.deepEqual(await hostUids(ra.state.pid), [ua.uid, ua.uid, ua.uid, ua.uid]);
    assert.deepEqual(await hostUids(rb.state.pid), [ub.uid, ub.uid, ub.uid, ub.uid]);
    // Live restore: the id-mapped views and the overlay outlive the engine.
    await f.reopen();
    assert.equal(f.engine.inspect(a).state.status, 'running');
    assert.ok((await currentMountPointsBelow(f.engine.paths.layerViews(a))).length > 0);
    await f.engine.remove(a, { force: true });
    await f.engine.remove(b, { force: true });
    assert.deepEqual(await currentMountPointsBelow(f.root), []);
    // The freed range is handed out again.
    const c = await f.create({ cmd: ['true'] }, { usernsMode: 'auto' });
    assert.equal(f.engine.inspect(c).config.userns?.uid, Math.min(ua.uid, ub.uid));
    await f.engine.remove(c);
  });

  test('on a bridge network it serves port 80 to another container; a volume it creates is its own; restart works', async () => {
    await f.services.networks.create({ name: 'usernsnet' });
    try {
      const web = await f.create(
        { cmd: ['sh', '-c', 'echo hi > /v/index.html && exec httpd -f -p 80 -h /v'] },
        { name: 'usweb', usernsMode: 'auto', network: { mode: 'usernsnet' }, mounts: [{ type: 'volume', source: 'usvol', target: '/v', readOnly: false, noCopy: false }] },
      );
      await f.engine.start(web);
      await f.engine.restart(web, { timeoutS: 0 });
      const client = await f.run({ cmd: ['sh', '-c', 'for i in 1 2 3 4 5; do timeout 3 wget -qO- http://usweb/ && exit 0; sleep 1; done; exit 1'] }, { network: { mode: 'usernsnet' } });
      assert.equal(client.stdout, 'hi\n', client.stderr);
      const userns = f.engine.inspect(web).config.userns;
      assert.equal((await stat(join(f.services.volumes.dataDir('usvol'), 'index.html'))).uid, userns?.uid);
    } finally {
      for (const record of f.engine.list()) await f.engine.remove(record.id, { force: true });
      await f.services.volumes.remove('usvol').catch(() => undefined);
      await f.services.networks.remove('usernsnet').catch(() => undefined);
    }
  });

  test('a start whose layers cannot be id-mapped fails with a clear error and leaves nothing mounted', async () => {
    const id = await f.create({ cmd: ['true'] }, { usernsMode: 'auto' });
    await f.reopen({ idmapProgram: join(f.root, 'no-such-berth-idmap') });
    try {
      await assert.rejects(f.engine.start(id), (err) => isBerthError(err, 'failed-precondition') && err.reason === 'idmap-program-missing');
    } finally {
      await f.reopen();
    }
    assert.deepEqual(await currentMountPointsBelow(f.engine.paths.dir(id)), []);
    assert.equal(f.engine.inspect(id).state.exitCode, 125);
    await f.engine.start(id);
    await f.engine.wait(id);
    await f.engine.remove(id);
  });

  test('without --userns the container stays in the host user namespace; --privileged needs it', async () => {
    await assert.rejects(f.create({ privileged: true, cmd: ['true'] }, { usernsMode: 'auto' }), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'userns-conflict');
    const r = await f.run({ cmd: ['cat', '/proc/self/uid_map'] });
    assert.equal(f.engine.inspect(r.id).config.userns, undefined);
    assert.deepEqual(r.stdout.trim().split(/\s+/).map(Number), [0, 0, 4294967295]);
  });
});
