// The docker CLI from Debian's docker.io drives berthd's container API: run (attached, detached,
// --rm, -i, -it), ps, logs, exec, attach, lifecycle verbs, inspect; then live restore after
// kill -9 of berthd, and no leftovers. Needs root, runc, conmon and the docker CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../src/mount/mountinfo.js';
import { berthAt, berthOk, needsRoot } from '../support/berth-cli.js';
import { BerthdProcess } from '../support/berthd-process.js';
import { conmonsUnder, eventually } from '../integration/engine/engine-fixture.js';
import { leftoverCgroupDirs, sweepLeftovers, testCgroupName } from '../integration/runtime/runtime-fixtures.js';

const CLI = '/usr/bin/docker';

describe('the docker CLI drives berthd containers', { skip: needsRoot() || (!existsSync(CLI) && 'no docker CLI (apt-get install docker.io)') }, () => {
  let work: string;
  let root: string;
  let daemon: BerthdProcess;
  const cgroupParent = `/${testCgroupName()}`;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, DOCKER_HOST: `unix://${daemon.socketPath}`, DOCKER_CONFIG: join(work, 'docker-config') });
  const docker = (args: string[], input?: string) => {
    const result = spawnSync(CLI, args, { env: env(), encoding: 'utf8', input, timeout: 120_000 });
    return { code: result.status, out: result.stdout, err: result.stderr };
  };
  const ok = (...args: string[]): string => {
    const r = docker(args);
    assert.equal(r.code, 0, `docker ${args.join(' ')}: ${r.err}`);
    return r.out;
  };
  const startDaemon = async (): Promise<void> => {
    daemon = await BerthdProcess.start(root, join(work, 'run', 'berth.sock'), ['--cgroup-parent', cgroupParent]);
  };

  before(async () => {
    await sweepLeftovers();
    work = await mkdtemp(join(tmpdir(), 'berth-dockercli-c-'));
    root = join(work, 'root');
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    await startDaemon();
  });
  after(async () => {
    try {
      const ids = docker(['ps', '-aq']).out.split('\n').filter(Boolean);
      if (ids.length > 0) docker(['rm', '-f', ...ids]);
    } finally {
      await (daemon as BerthdProcess | undefined)?.stop();
      await sweepLeftovers();
      await rm(work, { recursive: true, force: true });
    }
  });

  test('run: attached output, exit code, --rm, -e -w -u --hostname --entrypoint', () => {
    const r = docker(['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(r.code, 3);
    assert.equal(r.out, 'out\n');
    assert.equal(r.err, 'err\n');
    const out = ok('run', '--rm', '-e', 'FOO=bar', '-w', '/tmp', '-u', '1000:1000', '--hostname', 'h1', '--entrypoint', 'sh', 'busybox', '-c', 'echo $FOO; pwd; id -u; hostname');
    assert.deepEqual(out.trim().split('\n'), ['bar', '/tmp', '1000', 'h1']);
    assert.equal(ok('ps', '-aq'), '');
  });

  test('run -i passes stdin; run -it gets a terminal of the right size', () => {
    assert.equal(docker(['run', '--rm', '-i', 'busybox', 'cat'], 'piped\n').out, 'piped\n');
    const tty = spawnSync('script', ['-qec', `stty rows 33 cols 99; ${CLI} run -it --rm busybox sh -c 'tty; exit 4'`, '/dev/null'], { env: env(), encoding: 'utf8', timeout: 120_000 });
    assert.equal(tty.status, 4, tty.stderr);
    assert.match(tty.stdout, /\/dev\/pts\/0/);
  });

  test('run -d, ps with filters and formats, logs, inspect, limits', () => {
    const id = ok('run', '-d', '--name', 'web', '--memory', '64m', '--cpus', '0.5', '--pids-limit', '50', '--read-only', '--cap-drop', 'NET_RAW',
      '--ulimit', 'nofile=512:1024', '--label', 'tier=front', 'busybox', 'sh', '-c', 'echo started; ulimit -n; while true; do sleep 1; done').trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.match(ok('ps', '--format', '{{.Names}} {{.Status}}'), /^web Up /m);
    assert.equal(ok('ps', '-q', '--filter', 'label=tier=front').trim(), id.slice(0, 12));
    assert.equal(ok('ps', '-q', '--filter', 'name=nothing-like-it'), '');
    assert.equal(ok('inspect', '--format', '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}} {{.HostConfig.ReadonlyRootfs}} {{.State.Running}}', 'web').trim(),
      `${64 * 1024 * 1024} 500000000 50 true true`);
    assert.equal(ok('logs', 'web'), 'started\n512\n');
    assert.equal(ok('logs', '--tail', '1', 'web'), '512\n');
    assert.match(ok('logs', '-t', 'web'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z started$/m);
  });

  test('exec with env, user, workdir, stdin, exit code', () => {
    assert.equal(ok('exec', '-e', 'A=1', '-u', 'nobody', '-w', '/tmp', 'web', 'sh', '-c', 'echo $A $(id -u) $(pwd)'), '1 65534 /tmp\n');
    assert.equal(docker(['exec', '-i', 'web', 'cat'], 'to exec\n').out, 'to exec\n');
    assert.equal(docker(['exec', 'web', 'sh', '-c', 'exit 7']).code, 7);
    const tty = spawnSync('script', ['-qec', `stty rows 20 cols 70; ${CLI} exec -it web sh -c 'stty size'`, '/dev/null'], { env: env(), encoding: 'utf8', timeout: 120_000 });
    assert.equal(tty.status, 0, tty.stderr);
  });

  test('stop, start -a, restart, kill, pause, unpause, wait, rm -f, attach', () => {
    ok('pause', 'web');
    assert.match(ok('ps', '--format', '{{.Status}}', '--filter', 'name=web'), /\(Paused\)/);
    ok('unpause', 'web');
    ok('stop', '-t', '1', 'web');
    assert.equal(ok('inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'web').trim(), 'exited 137');
    ok('restart', '-t', '0', 'web');
    assert.equal(ok('inspect', '--format', '{{.State.Status}}', 'web').trim(), 'running');
    ok('kill', 'web');
    assert.equal(ok('wait', 'web').trim(), '137');
    ok('create', '--name', 'once', 'busybox', 'echo', 'created-then-started');
    assert.equal(ok('start', '-a', 'once'), 'created-then-started\n');
    ok('run', '-d', '-i', '--name', 'reader', 'busybox', 'sh', '-c', 'read line; echo got $line');
    assert.equal(docker(['attach', 'reader'], 'hello\n').out, 'got hello\n');
    assert.equal(docker(['rm', 'web']).code, 0);
    const running = ok('run', '-d', 'busybox', 'sleep', '1000').trim();
    assert.notEqual(docker(['rm', running]).code, 0);
    ok('rm', '-f', running, 'once', 'reader');
    assert.equal(docker(['inspect', 'web']).code, 1);
    assert.match(docker(['start', 'no-such-container']).err, /No such container: no-such-container/);
  });

  test('docker info and berth info count the containers by state', async () => {
    const running = ok('run', '-d', 'busybox', 'sleep', '1000').trim();
    const paused = ok('run', '-d', 'busybox', 'sleep', '1000').trim();
    ok('pause', paused);
    const created = ok('create', 'busybox', 'true').trim();
    const states = ok('ps', '-a', '--format', '{{.State}}').split('\n').filter(Boolean);
    const n = (...wanted: string[]): number => states.filter((st) => wanted.includes(st)).length;
    const expected = `${states.length} ${n('running', 'restarting')} ${n('paused')} ${states.length - n('running', 'restarting', 'paused')}`;
    assert.equal(ok('info', '--format', '{{.Containers}} {{.ContainersRunning}} {{.ContainersPaused}} {{.ContainersStopped}}').trim(), expected);
    assert.ok(n('paused') >= 1 && n('running') >= 1, states.join(' '));
    const info = await berthAt(daemon.socketPath, ['info']);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, new RegExp(`^Containers: ${states.length}\n Running: ${n('running', 'restarting')}\n Paused: ${n('paused')}\n`, 'm'));
    assert.match(info.stdout, /^Runtimes: .*runc/m);
    ok('rm', '-f', running, paused, created);
  });

  test('live restore: kill -9 berthd; containers keep running; an exit meanwhile is recorded', async () => {
    ok('run', '-d', '--name', 'survivor', 'busybox', 'sh', '-c', 'echo before; while true; do sleep 1; done');
    const victim = ok('run', '-d', '--name', 'victim', 'busybox', 'sleep', '1000').trim();
    await daemon.kill();
    // While berthd is down, the victim dies; conmon records it.
    spawnSync('runc', ['--root', join(root, 'runc'), 'kill', victim, 'KILL']);
    await eventually('the exit file', () => access(join(root, 'exits', victim)).then(() => true, () => false));
    await startDaemon();
    assert.match(ok('ps', '--format', '{{.Names}} {{.Status}}'), /^survivor Up /m);
    const survivor = ok('inspect', '--format', '{{.Id}}', 'survivor').trim();
    assert.ok((await currentMountPointsBelow(root)).includes(join(root, 'containers', survivor, 'rootfs')), 'the survivor keeps its rootfs mount');
    assert.equal(ok('inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', 'victim').trim(), 'exited 137');
    assert.equal(ok('logs', 'survivor'), 'before\n');
    assert.equal(ok('exec', 'survivor', 'echo', 'exec-after-restore'), 'exec-after-restore\n');
    ok('stop', '-t', '0', 'survivor');
    assert.equal(ok('inspect', '--format', '{{.State.Status}}', 'survivor').trim(), 'exited');
  });

  test('after rm of everything (and a crash and restart), nothing is left', async () => {
    ok('run', '-d', '--name', 'last', 'busybox', 'sleep', '1000');
    await daemon.kill();
    await startDaemon();
    const ids = ok('ps', '-aq').split('\n').filter(Boolean);
    ok('rm', '-f', ...ids);
    await eventually('no leftovers', async () => {
      const cgroups = (await leftoverCgroupDirs(cgroupParent.slice(1))).filter((dir) => !dir.endsWith(cgroupParent));
      const runc = await readdir(join(root, 'runc')).catch(() => []);
      const mounts = await currentMountPointsBelow(root);
      const conmons = await conmonsUnder(root);
      return cgroups.length === 0 && runc.length === 0 && mounts.length === 0 && conmons.length === 0;
    });
  });
});
