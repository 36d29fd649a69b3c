// Every lifecycle verb of the engine on the real kernel, runc and conmon, and that removing
// containers leaves nothing behind. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { isBerthError } from '../../../src/base/errors.js';
import { isProcessAlive } from '../../../src/base/process-alive.js';
import { cgroupDirs } from '../../../src/runtime/cgroup-layout.js';
import { EngineFixture, eventually, skipReason } from './engine-fixture.js';

describe('container lifecycle', { skip: skipReason() }, () => {
  let f: EngineFixture;
  before(async () => { f = await EngineFixture.create(); });
  after(async () => { await f.cleanup(); });

  test('run to completion: exit code, stdout and stderr, state and times', async () => {
    const r = await f.run({ cmd: ['sh', '-c', 'echo out; echo err >&2; exit 3'] });
    assert.equal(r.exitCode, 3);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
    const { state } = f.engine.inspect(r.id);
    assert.equal(state.status, 'exited');
    assert.equal(state.pid, 0);
    assert.ok(Date.parse(state.finishedAt) >= Date.parse(state.startedAt));
  });

  test('env, workdir, user, hostname and entrypoint merging', async () => {
    const r = await f.run({
      entrypoint: ['sh', '-c'], cmd: ['echo "$FOO $HOSTNAME"; pwd; id -u; id -g; hostname; cat /etc/hostname'],
      env: ['FOO=bar'], workingDir: '/tmp', user: 'nobody', hostname: 'box1',
    });
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), ['bar box1', '/tmp', '65534', '65534', 'box1', 'box1']);
  });

  test('a command that does not exist fails the start with 127, and the container stays created', async () => {
    const id = await f.create({ cmd: ['/no/such/binary'] });
    await assert.rejects(f.engine.start(id));
    const { state } = f.engine.inspect(id);
    assert.equal(state.status, 'created');
    assert.equal(state.exitCode, 127);
    assert.match(state.error, /no such file|not found/i);
    assert.deepEqual((await f.leftovers()).runc, []);
  });

  test('stop: TERM is ignored by a shell as PID 1, so the timeout ends in SIGKILL (137); stop again is a no-op', async () => {
    const id = await f.create({ cmd: ['sh', '-c', 'trap "" TERM; while true; do sleep 1; done'] });
    await f.engine.start(id);
    assert.equal((await f.engine.start(id)).changed, false);
    const { pid } = f.engine.inspect(id).state;
    assert.ok(isProcessAlive(pid));
    assert.equal((await f.engine.stop(id, { timeoutS: 1 })).changed, true);
    assert.equal(f.engine.inspect(id).state.exitCode, 137);
    assert.equal((await f.engine.stop(id)).changed, false);
  });

  test('kill with a signal; kill of a stopped container is a conflict', async () => {
    // PID 1 ignores signals it has no handler for: the shell installs one.
    const id = await f.create({ cmd: ['sh', '-c', 'trap "exit 42" USR1; touch /tmp/ready; while true; do sleep 1; done'] });
    const exited = f.engine.wait(id, 'next-exit');
    await f.engine.start(id);
    await eventually('the trap to be set', async () => (await stat(`${f.engine.paths.rootfs(id)}/tmp/ready`).catch(() => undefined)) !== undefined);
    await f.engine.kill(id, 'USR1');
    assert.equal((await exited).exitCode, 42);
    await assert.rejects(f.engine.kill(id), (err: unknown) => isBerthError(err, 'conflict'));
  });

  test('restart gives a new process; pause freezes and unpause thaws', async () => {
    const id = await f.create({ cmd: ['sleep', '1000'] });
    await f.engine.start(id);
    const first = f.engine.inspect(id).state.pid;
    await f.engine.restart(id, { timeoutS: 0 });
    const second = f.engine.inspect(id).state.pid;
    assert.notEqual(first, second);
    assert.ok(isProcessAlive(second) && !isProcessAlive(first));
    await f.engine.pause(id);
    assert.equal(f.engine.inspect(id).state.status, 'paused');
    const freezer = cgroupDirs(f.engine.host.cgroups, `${f.cgroupParent}/${id}`).v1.get('freezer');
    if (freezer !== undefined) assert.equal((await readFile(`${freezer}/freezer.state`, 'utf8')).trim(), 'FROZEN');
    await assert.rejects(f.engine.pause(id), (err: unknown) => isBerthError(err, 'conflict'));
    await f.engine.unpause(id);
    assert.equal(f.engine.inspect(id).state.status, 'running');
    await f.engine.stop(id, { timeoutS: 0 });
  });

  test('rm of a running container needs force; rm -f kills it and removes everything', async () => {
    const id = await f.create({ cmd: ['sleep', '1000'] });
    await f.engine.start(id);
    const { conmonPid } = f.engine.inspect(id).state;
    await assert.rejects(f.engine.remove(id), (err: unknown) => isBerthError(err, 'conflict'));
    await f.engine.remove(id, { force: true });
    assert.throws(() => f.engine.inspect(id), (err: unknown) => isBerthError(err, 'not-found'));
    await assert.rejects(stat(f.engine.paths.dir(id)));
    await eventually('conmon to exit', () => !isProcessAlive(conmonPid));
  });

  test('wait: not-running returns at once for a stopped container; removed follows --rm', async () => {
    const id = await f.create({ cmd: ['true'] });
    assert.deepEqual(await f.engine.wait(id, 'not-running'), { exitCode: 0, error: '' });
    const auto = await f.create({ cmd: ['sh', '-c', 'exit 9'] }, { autoRemove: true });
    const removed = f.engine.wait(auto, 'removed');
    await f.engine.start(auto);
    assert.equal((await removed).exitCode, 9);
    assert.equal(f.engine.find(auto), undefined);
  });

  test('names are unique and validated; unknown images and bad options are clear errors', async () => {
    await f.create({ cmd: ['true'] }, { name: 'unique-name' });
    await assert.rejects(f.create({ cmd: ['true'] }, { name: 'unique-name' }), /already in use/);
    await assert.rejects(f.create({ cmd: ['true'] }, { name: 'bad name!' }), /Invalid container name/);
    await assert.rejects(f.engine.create({ image: 'nosuch:image', options: {} }), /No such image: nosuch:image/);
    await assert.rejects(f.create({ memory: 1024 }), (err: unknown) => isBerthError(err, 'invalid-argument'));
    await assert.rejects(f.create({ capAdd: ['CAP_NOT_A_CAP'] }), (err: unknown) => isBerthError(err, 'invalid-argument'));
  });

  test('the image a container uses cannot be removed without force', async () => {
    await assert.rejects(f.images.remove(['busybox']), /container .* is using its referenced image/);
  });

  test('k8s-file log: the log starts afresh at its size limit and keeps the newest lines', async () => {
    const log = { type: 'k8s-file', config: { 'max-size': '4096' } };
    const r = await f.run({ cmd: ['sh', '-c', 'i=0; while [ $i -lt 400 ]; do echo "line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; i=$((i+1)); done'] }, { log });
    assert.equal(r.exitCode, 0);
    assert.ok((await stat(f.engine.paths.log(r.id))).size <= 8192);
    assert.match(r.stdout, /line 399 x+\n$/);
    assert.doesNotMatch(r.stdout, /line 0 /);
  });

  test('after removing every container nothing is left: mounts, cgroups, runc state, conmons', async () => {
    for (const record of f.engine.list()) await f.engine.remove(record.id, { force: true });
    await eventually('no leftovers', async () => {
      const left = await f.leftovers();
      return left.mounts.length === 0 && left.cgroups.length === 0 && left.runc.length === 0 && left.conmons.length === 0;
    });
  });
});
