// A busybox container through conmon + runc: exit codes, logs, daemonized conmon, stop with
// SIGKILL escalation, pause/resume, and a delete that leaves nothing behind. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '../../../src/base/process-alive.js';
import { isBerthError } from '../../../src/base/errors.js';
import { cgroupDirs } from '../../../src/runtime/cgroup-layout.js';
import { removeEmptyCgroupParents } from '../../../src/runtime/cgroup-cleanup.js';
import { startExec } from '../../../src/runtime/conmon-exec.js';
import { readExitCode, waitForExit } from '../../../src/runtime/exit-file.js';
import { readLog } from '../../../src/runtime/log-reader.js';
import { stopContainer } from '../../../src/runtime/stop-container.js';
import { CONMON, eventually, leftoverCgroupDirs, RUNC, RuntimeFixture, skipReason } from './runtime-fixtures.js';

const BOUND = (): AbortSignal => AbortSignal.timeout(60_000);

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

async function parentPid(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

describe('container lifecycle through conmon and runc', { skip: skipReason() }, () => {
  let f: RuntimeFixture;
  before(async () => { f = await RuntimeFixture.create(); });
  after(async () => { await f.cleanup(); });

  test('exit code 3 from the exit file; stdout and stderr lines in the log', async () => {
    const c = await f.launch('exit3', ['sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal((await f.runc.state(c.id)).status, 'created');
    assert.equal(await readExitCode(c.exitDir, c.id), undefined);
    await f.runc.start(c.id);
    assert.equal(await waitForExit(c.exitDir, c.id, BOUND()), 3);
    assert.equal(await readFile(join(c.persistDir, 'exit'), 'utf8'), '3');
    // conmon writes the exit file after draining the container's output.
    const entries = await readLog(c.logPath);
    assert.deepEqual(entries.map((e) => [e.stream, e.line]).sort(), [['stderr', 'err'], ['stdout', 'out']]);
    assert.equal(await exists(join(c.persistDir, 'oom')), false);
    assert.equal((await f.runc.state(c.id)).status, 'stopped');
    await f.remove(c);
  });

  test('a long-running container outlives the launcher: conmon daemonized, runc says running', async () => {
    const c = await f.launch('daemon', ['sleep', '1000']);
    await f.runc.start(c.id);
    assert.ok(isProcessAlive(c.conmonPid), 'conmon is alive');
    assert.notEqual(await parentPid(c.conmonPid), process.pid, 'conmon is not a child of the test');
    assert.equal(await parentPid(c.pid), c.conmonPid, 'conmon is the parent of the container init');
    const state = await f.runc.state(c.id);
    assert.deepEqual([state.status, state.pid], ['running', c.pid]);
    assert.deepEqual(await f.runc.pids(c.id), [c.pid]);
    assert.equal((await f.runc.list()).find((s) => s.id === c.id)?.status, 'running');
    // Network isolation: only lo in the container's network namespace.
    const nsLinks = await readFile(`/proc/${c.pid}/net/dev`, 'utf8');
    assert.deepEqual(nsLinks.split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(':')[0]), ['lo']);
    const stopped = await stopContainer({ runc: f.runc, id: c.id, exitDir: c.exitDir, timeoutMs: 0, signal: BOUND() });
    assert.deepEqual(stopped, { exitCode: 137, killed: true });
    await f.remove(c);
  });

  test('stop of a SIGTERM-ignoring PID 1 escalates to SIGKILL after the timeout: exit 137', async () => {
    const c = await f.launch('stubborn', ['sh', '-c', 'trap "" TERM; sleep 1000 & wait']);
    await f.runc.start(c.id);
    const started = Date.now();
    const result = await stopContainer({ runc: f.runc, id: c.id, exitDir: c.exitDir, timeoutMs: 1000, signal: BOUND() });
    assert.deepEqual(result, { exitCode: 137, killed: true });
    assert.ok(Date.now() - started >= 1000, 'waited the timeout before SIGKILL');
    // Stopping again is harmless and returns the same code.
    assert.deepEqual(await stopContainer({ runc: f.runc, id: c.id, exitDir: c.exitDir, timeoutMs: 1000, signal: BOUND() }),
      { exitCode: 137, killed: false });
    await f.remove(c);
  });

  test('pause and resume through the freezer cgroup', async () => {
    const c = await f.launch('pause', ['sleep', '1000']);
    await f.runc.start(c.id);
    await f.runc.pause(c.id);
    assert.equal((await f.runc.state(c.id)).status, 'paused');
    const freezer = cgroupDirs(f.layout, c.cgroupsPath).v1.get('freezer');
    if (freezer !== undefined) assert.equal((await readFile(join(freezer, 'freezer.state'), 'utf8')).trim(), 'FROZEN');
    await assert.rejects(f.runc.pause(c.id), (err) => isBerthError(err, 'failed-precondition'));
    await f.runc.resume(c.id);
    assert.equal((await f.runc.state(c.id)).status, 'running');
    // A paused container can still be stopped (the stop resumes it after queueing the signal).
    await f.runc.pause(c.id);
    assert.equal((await stopContainer({ runc: f.runc, id: c.id, exitDir: c.exitDir, timeoutMs: 0, signal: BOUND() })).exitCode, 137);
    await f.remove(c);
  });

  test('after delete nothing leaks: no runc state, no conmon, no cgroup dirs', async () => {
    const c = await f.launch('leak', ['sleep', '1000']);
    await f.runc.start(c.id);
    await stopContainer({ runc: f.runc, id: c.id, exitDir: c.exitDir, timeoutMs: 0, signal: BOUND() });
    await f.runc.delete(c.id);
    await assert.rejects(f.runc.state(c.id), (err) => isBerthError(err, 'not-found'));
    await assert.rejects(f.runc.delete(c.id), (err) => isBerthError(err, 'not-found'));
    assert.equal(await exists(join(f.runc.root, c.id)), false, 'no runc state dir');
    assert.equal((await f.runc.list()).some((s) => s.id === c.id), false);
    await eventually('conmon to exit', () => !isProcessAlive(c.conmonPid));
    for (const dir of cgroupDirs(f.layout, c.cgroupsPath).all) assert.equal(await exists(dir), false, `${dir} removed by runc`);
    await f.remove(c);
    // With no other container left, the parent berth created goes too.
    if (f.containers.every((o) => o === c || o.pid === 0 || !isProcessAlive(o.pid))) {
      await removeEmptyCgroupParents(f.layout, c.cgroupsPath, f.cgroupParent);
      assert.deepEqual(await leftoverCgroupDirs(f.cgroupParent.slice(1)), []);
    }
  });

  test('exec through conmon: pid, exit code and log of the extra process', async () => {
    const c = await f.launch('exec', ['sleep', '1000']);
    await f.runc.start(c.id);
    const exec = await startExec({
      id: c.id, runtimeRoot: f.runc.root, runcPath: RUNC, conmonPath: CONMON,
      process: { args: ['sh', '-c', 'echo exec-out; echo exec-err >&2; exit 5'], env: ['PATH=/bin'], cwd: '/', user: { uid: 0, gid: 0 } },
      execDir: join(c.dir, 'exec-1'), signal: BOUND(),
    });
    assert.ok(exec.pid > 0);
    assert.equal(await exec.wait(BOUND()), 5);
    assert.equal(await waitForExit(exec.exitDir, c.id, BOUND()), 5);
    assert.deepEqual((await readLog(exec.logPath)).map((e) => [e.stream, e.line]).sort(), [['stderr', 'exec-err'], ['stdout', 'exec-out']]);
    assert.deepEqual(await readLog(c.logPath), [], 'the container log is separate');
    assert.equal((await f.runc.state(c.id)).status, 'running');
    await stopContainer({ runc: f.runc, id: c.id, exitDir: c.exitDir, timeoutMs: 0, signal: BOUND() });
    await assert.rejects(startExec({
      id: c.id, runtimeRoot: f.runc.root, runcPath: RUNC, conmonPath: CONMON,
      process: { args: ['true'], cwd: '/', user: { uid: 0, gid: 0 } },
      execDir: join(c.dir, 'exec-2'), signal: BOUND(),
    }), (err) => isBerthError(err, 'internal'));
    await f.remove(c);
  });

  test('unknown ids are not-found', async () => {
    await assert.rejects(f.runc.state('no-such-ctr'), (err) => isBerthError(err, 'not-found'));
    await assert.rejects(f.runc.kill('no-such-ctr', 'KILL'), (err) => isBerthError(err, 'not-found'));
  });
});
