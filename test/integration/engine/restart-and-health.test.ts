// Restart policies, health checks and the event log of the engine, on the real kernel, runc and
// conmon. Needs root. Waits are bounded polls on states and counts (`eventually`), never sleeps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBerthError } from '../../../src/base/errors.js';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { buildBusyboxRootfs } from '../../../src/images/bootstrap/busybox-rootfs.js';
import { diffDirectory } from '../../../src/snapshots/layer-differ.js';
import { isProcessAlive } from '../../../src/base/process-alive.js';
import { waitForExit } from '../../../src/runtime/exit-file.js';
import { HEALTH_ON_FAILURE_LABEL } from '../../../src/engine/health/health-config.js';
import { EngineFixture, eventually, skipReason } from './engine-fixture.js';

const MS = 1_000_000;

describe('restart policies, health checks, events', { skip: skipReason() }, () => {
  let f: EngineFixture;
  before(async () => { f = await EngineFixture.create(); });
  after(async () => { await f.cleanup(); });

  const actions = (id: string): string[] => f.engine.eventLog.read().filter((e) => e.actor.id === id).map((e) => e.action);
  const count = (id: string, action: string): number => actions(id).filter((a) => a === action).length;

  test('on-failure:2: a crashing container is restarted twice, then stays exited', async () => {
    const id = await f.create({ cmd: ['sh', '-c', 'exit 3'] }, { restartPolicy: { name: 'on-failure', maximumRetryCount: 2 } });
    await f.engine.start(id);
    await eventually('two restarts and a final exit', () => {
      const { state } = f.engine.inspect(id);
      return state.status === 'exited' && state.restartCount === 2 && count(id, 'die') === 3;
    });
    assert.equal(count(id, 'start'), 3);
    assert.equal(f.engine.inspect(id).state.exitCode, 3);
    assert.deepEqual(f.engine.restarts.pendingIds(), []);
    const die = f.engine.eventLog.read().find((e) => e.actor.id === id && e.action === 'die');
    assert.equal(die?.actor.attributes.exitCode, '3');
    assert.equal(die.actor.attributes.image, 'busybox');
  });

  test('always: restarted after a clean exit; a manual stop ends it; a manual start resets RestartCount', async () => {
    const id = await f.create({ cmd: ['sh', '-c', 'sleep 0.2'] }, { restartPolicy: { name: 'always', maximumRetryCount: 0 } });
    await f.engine.start(id);
    await eventually('a restart', () => f.engine.inspect(id).state.restartCount >= 1);
    await f.engine.stop(id, { timeoutS: 0 });
    const { state } = f.engine.inspect(id);
    assert.equal(state.status, 'exited');
    assert.equal(state.manuallyStopped, true);
    assert.deepEqual(f.engine.restarts.pendingIds(), []);
    const starts = count(id, 'start');
    await f.engine.start(id);
    assert.equal(f.engine.inspect(id).state.restartCount, 0);
    await f.engine.remove(id, { force: true });
    assert.ok(count(id, 'start') >= starts + 1);
  });

  test('a crash loop waits in restarting with a growing backoff; stop cancels the pending restart', async () => {
    const id = await f.create({ cmd: ['sh', '-c', 'exit 1'] }, { restartPolicy: { name: 'always', maximumRetryCount: 0 } });
    await f.engine.start(id);
    await eventually('a wait in restarting after a few restarts', () => {
      const { state } = f.engine.inspect(id);
      return state.status === 'restarting' && state.restartCount >= 3;
    });
    await assert.rejects(f.engine.remove(id), (err: unknown) => isBerthError(err, 'conflict'));
    assert.equal((await f.engine.stop(id)).changed, true);
    const { state } = f.engine.inspect(id);
    assert.deepEqual([state.status, state.manuallyStopped], ['exited', true]);
    assert.deepEqual(f.engine.restarts.pendingIds(), []);
    const restarts = state.restartCount;
    await f.engine.remove(id);
    assert.ok(restarts >= 3);
  });

  test('a container waiting for its restart when berthd goes down is restarted when it comes back', async () => {
    const id = await f.create({ cmd: ['sh', '-c', 'exit 1'] }, { restartPolicy: { name: 'on-failure', maximumRetryCount: 0 } });
    await f.engine.start(id);
    // Waiting for the timer (not in the middle of a restart): what berthd leaves when it stops.
    await eventually('a wait in restarting', () => f.engine.inspect(id).state.restartCount >= 2 && f.engine.restarts.pendingIds().includes(id));
    f.engine.close();
    const before = f.engine.inspect(id).state.restartCount;
    await f.reopen();
    await eventually('restarts after the reopen', () => f.engine.inspect(id).state.restartCount > before);
    await f.engine.stop(id);
    await f.engine.remove(id);
  });

  test('berthd restart: always and unless-stopped come back, also after dying while down; a manual stop of unless-stopped holds', async () => {
    const always = await f.create({ cmd: ['sleep', '1000'] }, { restartPolicy: { name: 'always', maximumRetryCount: 0 } });
    const diesWhileDown = await f.create({ cmd: ['sleep', '1000'] }, { restartPolicy: { name: 'on-failure', maximumRetryCount: 1 } });
    const stopped = await f.create({ cmd: ['sleep', '1000'] }, { restartPolicy: { name: 'unless-stopped', maximumRetryCount: 0 } });
    const plain = await f.create({ cmd: ['sleep', '1000'] });
    for (const id of [always, diesWhileDown, stopped, plain]) await f.engine.start(id);
    await f.engine.stop(stopped, { timeoutS: 0 });
    const alwaysPid = f.engine.inspect(always).state.pid;

    f.engine.close();
    process.kill(f.engine.inspect(diesWhileDown).state.pid, 'SIGKILL');
    process.kill(f.engine.inspect(plain).state.pid, 'SIGKILL');
    await waitForExit(f.engine.paths.exits, diesWhileDown, AbortSignal.timeout(20_000));
    await waitForExit(f.engine.paths.exits, plain, AbortSignal.timeout(20_000));
    await f.reopen();

    assert.equal(f.engine.inspect(always).state.pid, alwaysPid);
    await eventually('the container that died while down to run again', () => {
      const { state } = f.engine.inspect(diesWhileDown);
      return state.status === 'running' && isProcessAlive(state.pid);
    });
    assert.equal(f.engine.inspect(diesWhileDown).state.restartCount, 1);
    assert.equal(f.engine.inspect(stopped).state.status, 'exited');
    assert.equal(f.engine.inspect(plain).state.status, 'exited');
    assert.equal(f.engine.inspect(plain).state.exitCode, 137);
    for (const id of [always, diesWhileDown, stopped, plain]) await f.engine.remove(id, { force: true });
  });

  test('a container whose monitor vanished while berthd was down (a host reboot) is lost with 255 and restarted by its policy', async () => {
    const id = await f.create({ cmd: ['sleep', '1000'] }, { restartPolicy: { name: 'on-failure', maximumRetryCount: 0 } });
    await f.engine.start(id);
    const { pid, conmonPid } = f.engine.inspect(id).state;
    f.engine.close();
    process.kill(conmonPid, 'SIGKILL');
    await eventually('conmon to be gone', () => !isProcessAlive(conmonPid));
    await f.reopen();
    await eventually('a restart', () => {
      const { state } = f.engine.inspect(id);
      return state.status === 'running' && state.pid !== pid && state.restartCount === 1;
    });
    const die = f.engine.eventLog.read().filter((e) => e.actor.id === id && e.action === 'die').at(-1);
    assert.equal(die?.actor.attributes.exitCode, '255');
    await f.engine.remove(id, { force: true });
  });

  test('a failing health check turns unhealthy (health_status events), a passing one healthy', async () => {
    const failing = await f.create({ cmd: ['sleep', '1000'] }, { healthcheck: { Test: ['CMD-SHELL', 'echo sick; exit 1'], Interval: 50 * MS, Retries: 2 } });
    const passing = await f.create({ cmd: ['sleep', '1000'] }, { healthcheck: { Test: ['CMD', 'true'], Interval: 50 * MS } });
    await f.engine.start(failing);
    assert.equal(f.engine.health.state(failing)?.status, 'starting');
    await f.engine.start(passing);
    await eventually('unhealthy', () => f.engine.health.state(failing)?.status === 'unhealthy');
    await eventually('healthy', () => f.engine.health.state(passing)?.status === 'healthy');
    const health = f.engine.health.state(failing);
    assert.ok((health?.failingStreak ?? 0) >= 2);
    assert.equal(health?.log.at(-1)?.output, 'sick\n');
    assert.equal(health.log.at(-1)?.exitCode, 1);
    assert.ok(actions(failing).includes('health_status: unhealthy'));
    assert.ok(actions(passing).includes('health_status: healthy'));
    assert.ok(actions(passing).some((a) => a.startsWith('exec_create: true')));
    await f.engine.stop(passing, { timeoutS: 0 });
    assert.ok(!f.engine.health.watchedIds().includes(passing), 'probes stop with the container');
    await eventually('probes to leave no exec sessions behind', () => f.engine.execs.idsOf(passing).length === 0);
    for (const id of [failing, passing]) await f.engine.remove(id, { force: true });
  });

  test('a probe over its timeout is killed; --health-on-failure=restart restarts the container', async () => {
    const id = await f.create({ cmd: ['sleep', '1000'], labels: { [HEALTH_ON_FAILURE_LABEL]: 'restart' } },
      { stopTimeout: 1, healthcheck: { Test: ['CMD', 'sleep', '100'], Interval: 50 * MS, Timeout: 100 * MS, Retries: 1 } });
    await f.engine.start(id);
    const firstPid = f.engine.inspect(id).state.pid;
    await eventually('a restart after turning unhealthy', () => count(id, 'restart') >= 1, 30_000);
    assert.ok(actions(id).includes('health_status: unhealthy'));
    await eventually('running again', () => f.engine.inspect(id).state.status === 'running');
    assert.notEqual(f.engine.inspect(id).state.pid, firstPid);
    await f.engine.remove(id, { force: true });
    const timedOut = f.engine.eventLog.read().find((e) => e.actor.id === id && e.action === 'exec_die');
    assert.equal(timedOut?.actor.attributes.exitCode, '137');
  });

  test("the image's HEALTHCHECK runs; the container's settings override it field by field", async () => {
    const rootfs = await mkdtemp(join(tmpdir(), 'berth-hc-rootfs-'));
    try {
      await buildBusyboxRootfs(rootfs, new ChildProcessRunner());
      await f.images.import(diffDirectory(rootfs, { runner: new ChildProcessRunner() }), {
        names: ['docker.io/library/hc:1'],
        config: { Cmd: ['sleep', '1000'], Healthcheck: { Test: ['CMD-SHELL', 'exit 1'], Interval: 30 * 1000 * MS, Retries: 1 } },
      });
    } finally {
      await rm(rootfs, { recursive: true, force: true });
    }
    const id = (await f.engine.create({ image: 'hc:1', options: {}, healthcheck: { Interval: 50 * MS } })).id;
    const { healthcheck } = f.engine.inspect(id).config;
    assert.deepEqual([healthcheck?.command, healthcheck?.intervalNs, healthcheck?.retries], [['/bin/sh', '-c', 'exit 1'], 50 * MS, 1]);
    await f.engine.start(id);
    await eventually('unhealthy from the image check', () => f.engine.health.state(id)?.status === 'unhealthy');
    await f.engine.remove(id, { force: true });
  });

  test('a health check survives an engine reopen; the image HEALTHCHECK NONE override disables it', async () => {
    const id = await f.create({ cmd: ['sleep', '1000'] }, { healthcheck: { Test: ['CMD', 'true'], Interval: 50 * MS } });
    const none = await f.create({ cmd: ['sleep', '1000'] }, { healthcheck: { Test: ['NONE'] } });
    assert.equal(f.engine.inspect(none).config.healthcheck, undefined);
    await f.engine.start(id);
    await eventually('healthy', () => f.engine.health.state(id)?.status === 'healthy');
    await f.reopen();
    assert.ok(f.engine.health.watchedIds().includes(id));
    assert.equal(f.engine.health.state(id)?.status, 'healthy');
    await f.engine.remove(id, { force: true });
    await f.engine.remove(none, { force: true });
    assert.equal(f.engine.health.state(id), undefined);
  });

  test('an OOM kill is an oom event before the die', async () => {
    const r = await f.run({ memory: 16 * 1024 * 1024, cmd: ['sh', '-c', 'x=aaaaaaaaaaaaaaaa; while true; do x=$x$x; done'] });
    assert.equal(r.exitCode, 137);
    assert.deepEqual(actions(r.id).slice(-2), ['oom', 'die']);
    await f.engine.remove(r.id);
  });

  test('the event log has every lifecycle step in order', async () => {
    const id = await f.create({ cmd: ['sleep', '1000'] });
    await f.engine.start(id);
    await f.engine.pause(id);
    await f.engine.unpause(id);
    await f.engine.stop(id, { timeoutS: 1 });
    await f.engine.restart(id, { timeoutS: 0 });
    await f.engine.remove(id, { force: true });
    assert.deepEqual(actions(id), ['create', 'start', 'pause', 'unpause', 'kill', 'kill', 'die', 'stop', 'start', 'restart', 'kill', 'die', 'destroy']);
  });
});
