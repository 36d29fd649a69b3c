// Containers run with crun (`--runtime crun`) next to runc ones on the same engine: the lifecycle,
// exec, limits, live restore after a reopen (what a berthd restart does), and that removal leaves
// no crun state, mounts or cgroups. On a hybrid cgroup host crun runs through berth's wrapper.
// Needs root and crun.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isBerthError } from '../../../src/base/errors.js';
import { findExecutable } from '../../../src/base/find-executable.js';
import { isProcessAlive } from '../../../src/base/process-alive.js';
import { cgroupDirs } from '../../../src/runtime/cgroup-layout.js';
import { ContainerStore } from '../../../src/engine/container-store.js';
import { EngineFixture, eventually, skipReason } from './engine-fixture.js';

const MiB = 1024 * 1024;

function crunMissing(): string | undefined {
  try {
    findExecutable('crun');
    return undefined;
  } catch {
    return 'needs crun (apt-get install crun)';
  }
}

describe('crun as a container runtime', { skip: skipReason() ?? crunMissing() }, () => {
  let f: EngineFixture;
  const crun = { runtime: 'crun' };
  before(async () => { f = await EngineFixture.create(); });
  after(async () => { await f.cleanup(); });

  const crunState = (): Promise<string[]> => readdir(f.engine.paths.runtimeState('crun')).catch(() => []);
  const cgroup = (id: string, controller: string): string => {
    const dir = cgroupDirs(f.engine.host.cgroups, `${f.cgroupParent}/${id}`).v1.get(controller);
    assert.ok(dir !== undefined, `no ${controller} hierarchy`);
    return dir;
  };
  const startSleeper = async (extra: Parameters<EngineFixture['create']>[0] = {}): Promise<string> => {
    const id = await f.create({ cmd: ['sleep', '1000'], ...extra }, crun);
    await f.engine.start(id);
    return id;
  };

  test('a crun container runs to completion: exit code, logged output, recorded runtime', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'] }, crun);
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    assert.equal(f.engine.inspect(r.id).config.runtime, 'crun');
    // It ran under crun's state root, not runc's; both are empty once it exited.
    assert.deepEqual(await crunState(), []);
    assert.deepEqual((await f.leftovers()).runc, []);
  });

  test('while it runs crun knows it (and runc does not); exec works and reports its exit code', async () => {
    const id = await startSleeper();
    assert.deepEqual(await crunState(), [id]);
    assert.deepEqual(await readdir(f.engine.paths.runtimeRoot).catch(() => []), []);
    const session = f.engine.execs.create(id, { cmd: ['sh', '-c', 'echo from-exec > /tmp/exec-out; exit 7'] });
    await f.engine.execs.start(session.id, false);
    assert.equal(await session.exited, 7);
    assert.equal(await readFile(join(f.engine.paths.rootfs(id), 'tmp/exec-out'), 'utf8'), 'from-exec\n');
    await f.engine.stop(id, { timeoutS: 0 });
  });

  test('stop: TERM ignored by PID 1 ends in SIGKILL (137); kill with a signal gives its trap\'s code', async () => {
    const stubborn = await f.create({ cmd: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'] }, crun);
    await f.engine.start(stubborn);
    assert.equal((await f.engine.stop(stubborn, { timeoutS: 1 })).changed, true);
    assert.equal(f.engine.inspect(stubborn).state.exitCode, 137);

    const trapper = await f.create({ cmd: ['sh', '-c', 'trap "exit 42" USR1; touch /tmp/ready; while true; do sleep 1; done'] }, crun);
    const exited = f.engine.wait(trapper, 'next-exit');
    await f.engine.start(trapper);
    await eventually('the trap to be set', async () => (await stat(join(f.engine.paths.rootfs(trapper), 'tmp/ready')).catch(() => undefined)) !== undefined);
    await f.engine.kill(trapper, 'USR1');
    assert.equal((await exited).exitCode, 42);
    await assert.rejects(f.engine.kill(trapper), (err: unknown) => isBerthError(err, 'conflict'));
  });

  test('pause freezes and unpause thaws (freezer cgroup)', async () => {
    const id = await startSleeper();
    await f.engine.pause(id);
    assert.equal(f.engine.inspect(id).state.status, 'paused');
    assert.equal((await readFile(join(cgroup(id, 'freezer'), 'freezer.state'), 'utf8')).trim(), 'FROZEN');
    await assert.rejects(f.engine.pause(id), (err: unknown) => isBerthError(err, 'conflict'));
    await f.engine.unpause(id);
    assert.equal(f.engine.inspect(id).state.status, 'running');
    assert.equal((await readFile(join(cgroup(id, 'freezer'), 'freezer.state'), 'utf8')).trim(), 'THAWED');
    await f.engine.stop(id, { timeoutS: 0 });
  });

  test('update changes the live memory limit, read back from the cgroup', async () => {
    const id = await startSleeper({ memory: 64 * MiB });
    const limit = async (): Promise<number> => Number((await readFile(join(cgroup(id, 'memory'), 'memory.limit_in_bytes'), 'utf8')).trim());
    assert.equal(await limit(), 64 * MiB);
    await f.engine.update(id, { resources: { memory: 128 * MiB } });
    assert.equal(await limit(), 128 * MiB);
    await f.engine.stop(id, { timeoutS: 0 });
  });

  test('a memory hog is OOM-killed and reported; top lists a running container\'s processes', async () => {
    const r = await f.run({ memory: 16 * MiB, cmd: ['sh', '-c', 'x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done'] }, crun);
    assert.equal(r.exitCode, 137);
    assert.equal(f.engine.inspect(r.id).state.oomKilled, true);
    const id = await startSleeper();
    const table = await f.engine.top(id);
    assert.ok(table.processes.some((row) => row.join(' ').includes('sleep 1000')), JSON.stringify(table));
    await f.engine.stop(id, { timeoutS: 0 });
  });

  test('a reopened engine (berthd restart) adopts running crun and runc containers and can still stop them', async () => {
    const id = await startSleeper();
    const withRunc = await f.create({ cmd: ['sleep', '1000'] }, { runtime: 'runc' });
    await f.engine.start(withRunc);
    const { pid } = f.engine.inspect(id).state;
    await f.reopen();
    const { state } = f.engine.inspect(id);
    assert.equal(state.status, 'running');
    assert.equal(state.pid, pid);
    assert.ok(isProcessAlive(pid));
    assert.equal(f.engine.inspect(withRunc).state.status, 'running');
    assert.deepEqual(await crunState(), [id]);
    assert.deepEqual(await readdir(f.engine.paths.runtimeRoot), [withRunc]);
    await f.engine.stop(id, { timeoutS: 0 });
    assert.equal(f.engine.inspect(id).state.exitCode, 137);
    assert.ok(!isProcessAlive(pid));
    await f.engine.stop(withRunc, { timeoutS: 0 });
    assert.equal(f.engine.inspect(withRunc).state.exitCode, 137);
  });

  test('a reopened engine removes a running crun container that has no record (what a crash mid-remove leaves)', async () => {
    const id = await startSleeper();
    const { pid } = f.engine.inspect(id).state;
    new ContainerStore(f.images.db).delete(id); // the table, as berthd's engine keeps it
    await f.reopen();
    assert.deepEqual(await crunState(), []);
    await eventually('the orphan\'s process to be gone', () => !isProcessAlive(pid));
    await assert.rejects(stat(f.engine.paths.dir(id)));
  });

  test('--userns auto with crun: root inside, the container\'s host range outside, a writable root filesystem', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'id -u; touch /etc/x && echo wrote; cat /proc/self/uid_map'] }, { ...crun, usernsMode: 'auto' });
    const { userns } = f.engine.inspect(r.id).config;
    assert.ok(userns !== undefined);
    assert.equal(r.exitCode, 0, r.stderr);
    const [uid, wrote, map] = r.stdout.trim().split('\n');
    assert.equal(uid, '0');
    assert.equal(wrote, 'wrote');
    assert.deepEqual(map?.trim().split(/\s+/).map(Number), [0, userns.uid, 65536]);
  });

  test('an unknown runtime name is rejected at create, naming it, and leaves nothing', async () => {
    const before = f.engine.list().length;
    await assert.rejects(f.create({ cmd: ['true'] }, { runtime: 'nosuch-runtime' }),
      (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'unknown-runtime' && /nosuch-runtime/.test(err.message));
    assert.equal(f.engine.list().length, before);
  });

  test('rm -f of a running crun container leaves no crun state, mounts, cgroups or conmons', async () => {
    await startSleeper();
    for (const record of f.engine.list()) await f.engine.remove(record.id, { force: true });
    await eventually('no leftovers', async () => {
      const left = await f.leftovers();
      return left.mounts.length === 0 && left.cgroups.length === 0 && left.runc.length === 0 && left.conmons.length === 0
        && (await crunState()).length === 0;
    });
  });
});
