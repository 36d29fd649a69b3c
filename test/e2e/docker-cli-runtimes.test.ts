// OCI runtime selection through the docker CLI (Debian's docker.io) and the berth CLI against a
// berthd started with `--default-runtime crun`: `docker info` lists both runtimes, `--runtime`
// picks one per container, inspect shows it, an unknown name is refused, and a crun container is
// adopted by a restarted berthd. Needs root, runc, crun, conmon and the docker CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findExecutable } from '../../src/base/find-executable.js';
import { berthAt } from '../support/berth-cli.js';
import { BERTHD_BIN } from '../support/berthd-process.js';
import { DockerCliSession, dockerCliSkip } from '../support/docker-cli-session.js';

function skip(): string | false {
  const docker = dockerCliSkip();
  if (docker !== false) return docker;
  try {
    findExecutable('crun');
    return false;
  } catch {
    return 'needs crun (apt-get install crun)';
  }
}

describe('docker and berth CLIs: runc and crun', { skip: skip() }, () => {
  let s: DockerCliSession;
  const ok = (...args: string[]): string => s.ok(...args);

  before(async () => {
    s = await DockerCliSession.start('berth-runtimes-', ['--default-runtime', 'crun']);
  });
  after(async () => { await s.close(); });

  test('docker info lists runc and crun, with crun as the default', () => {
    assert.equal(ok('info', '--format', '{{.DefaultRuntime}}').trim(), 'crun');
    const runtimes = JSON.parse(ok('info', '--format', '{{json .Runtimes}}')) as Record<string, { path: string }>;
    assert.deepEqual(Object.keys(runtimes).sort(), ['crun', 'runc']);
    assert.match(runtimes.crun?.path ?? '', /\/crun$/);
  });

  test('docker run --rm --runtime picks the runtime; inspect shows it; the default applies without the flag', () => {
    assert.equal(ok('run', '--rm', '--runtime', 'crun', 'busybox', 'echo', 'hello from crun'), 'hello from crun\n');
    assert.equal(ok('run', '--rm', '--runtime', 'runc', 'busybox', 'echo', 'hello from runc'), 'hello from runc\n');
    assert.match(ok('run', '--rm', '-t', '--runtime', 'crun', 'busybox', 'tty'), /^\/dev\/pts\/\d+\r?\n$/);
    // On the default bridge network, as any container.
    assert.match(ok('run', '--rm', '--runtime', 'crun', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0'), /eth0\s+inet \d+\.\d+\.\d+\.\d+\//);
    const piped = s.docker(['run', '--rm', '-i', '--runtime', 'crun', 'busybox', 'cat'], 'through stdin\n');
    assert.equal(piped.code, 0, piped.err);
    assert.equal(piped.out, 'through stdin\n');
    ok('create', '--name', 'by-default', 'busybox', 'true');
    ok('create', '--name', 'with-runc', '--runtime', 'runc', 'busybox', 'true');
    assert.equal(ok('inspect', '--format', '{{.HostConfig.Runtime}}', 'by-default').trim(), 'crun');
    assert.equal(ok('inspect', '--format', '{{.HostConfig.Runtime}}', 'with-runc').trim(), 'runc');
    ok('rm', 'by-default', 'with-runc');
  });

  test('an unknown runtime is refused at create, naming it', async () => {
    const r = s.docker(['run', '--rm', '--runtime', 'nosuch', 'busybox', 'true']);
    assert.equal(r.code, 125);
    assert.match(r.err, /unknown or invalid runtime name: nosuch/);
    const berth = await berthAt(s.daemon.socketPath, ['run', '--rm', '--runtime', 'nosuch', 'busybox', 'true']);
    assert.equal(berth.code, 2); // invalid-argument
    assert.match(berth.stderr, /unknown or invalid runtime name: nosuch/);
    assert.equal(ok('ps', '-aq').trim(), '');
  });

  test('berth run --runtime crun; exec, top and stats of a crun container; a restarted berthd adopts it', async () => {
    const run = await berthAt(s.daemon.socketPath, ['run', '-d', '--runtime', 'crun', '--name', 'kept', 'busybox', 'sleep', '1000']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(ok('exec', 'kept', 'echo', 'in crun'), 'in crun\n');
    assert.match(ok('exec', '-t', 'kept', 'tty'), /^\/dev\/pts\/\d+\r?\n$/);
    assert.match(ok('top', 'kept'), /sleep 1000/);
    assert.match(ok('stats', '--no-stream', '--format', '{{.MemUsage}}', 'kept'), /^\d+(\.\d+)?[KMG]i?B \/ /);
    const pid = ok('inspect', '--format', '{{.State.Pid}}', 'kept').trim();
    assert.equal(await s.daemon.stop(), 0);
    await s.startDaemon();
    assert.equal(ok('inspect', '--format', '{{.State.Status}} {{.State.Pid}} {{.HostConfig.Runtime}}', 'kept').trim(), `running ${pid} crun`);
    assert.equal(ok('exec', 'kept', 'echo', 'still here'), 'still here\n');
    ok('stop', '-t', '0', 'kept');
    assert.equal(ok('inspect', '--format', '{{.State.ExitCode}}', 'kept').trim(), '137');
    ok('rm', 'kept');
  });

  test('berthd refuses an unknown --default-runtime with a clear error', async () => {
    const work = await mkdtemp(join(tmpdir(), 'berth-bad-runtime-'));
    try {
      const r = spawnSync(process.execPath, [BERTHD_BIN, '--root', join(work, 'root'), '--socket', join(work, 'berth.sock'), '--default-runtime', 'nosuch'], {
        encoding: 'utf8', timeout: 60_000,
      });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /unknown or invalid runtime name: nosuch/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
});
