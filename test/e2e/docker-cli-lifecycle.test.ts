// Events, restart policies and health checks through the docker CLI (Debian's docker.io) and the
// berth CLI against a berthd of its own. Needs root, runc, conmon and the docker CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { berthAt } from '../support/berth-cli.js';
import { DOCKER_CLI, DockerCliSession, dockerCliSkip } from '../support/docker-cli-session.js';
import { eventually } from '../integration/engine/engine-fixture.js';

const unixNow = (): string => (Date.now() / 1000).toFixed(3);

describe('docker and berth CLIs: events, restart policies, health checks', { skip: dockerCliSkip() }, () => {
  let s: DockerCliSession;
  const docker = (args: string[], input?: string) => s.docker(args, input);
  const ok = (...args: string[]): string => s.ok(...args);

  before(async () => {
    s = await DockerCliSession.start('berth-lifecycle-');
  });
  after(async () => { await s.close(); });

  test('docker events --since --until shows a full lifecycle in order; berth events agrees', async () => {
    const since = unixNow();
    ok('create', '--name', 'life', '--label', 'tier=front', 'busybox', 'sleep', '1000');
    ok('start', 'life');
    ok('pause', 'life');
    ok('unpause', 'life');
    ok('kill', 'life');
    ok('wait', 'life'); // the exit is recorded: the start below is not a no-op
    ok('start', 'life');
    ok('stop', '-t', '1', 'life');
    ok('restart', '-t', '0', 'life');
    ok('rm', '-f', 'life');
    const until = unixNow();
    const expected = ['create', 'start', 'pause', 'unpause', 'kill', 'die', 'start', 'kill', 'kill', 'die', 'stop', 'start', 'restart', 'kill', 'die', 'destroy'];
    const out = ok('events', '--since', since, '--until', until, '--filter', 'container=life', '--format', '{{.Type}} {{.Action}} {{.Actor.Attributes.name}}');
    assert.deepEqual(out.trim().split('\n'), expected.map((a) => `container ${a} life`));
    assert.equal(ok('events', '--since', since, '--until', until, '--filter', 'event=die', '--filter', 'label=tier=front', '--format', '{{.Actor.Attributes.exitCode}}').trim(), '137\n137\n137');
    const json = await berthAt(s.daemon.socketPath, ['events', '--since', since, '--until', until, '--filter', 'container=life', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const events = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as { status: string; from: string; Action: string; timeNano: number; time: number });
    assert.deepEqual(events.map((e) => e.Action), expected);
    assert.equal(events[0]?.status, 'create');
    assert.equal(events[0].from, 'busybox');
    const text = await berthAt(s.daemon.socketPath, ['events', '--since', since, '--until', until, '--filter', 'event=create']);
    assert.match(text.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z container create [0-9a-f]{64} \(image=busybox, name=life, tier=front\)$/m);
    // As dockerd: a filter key it does not know is ignored.
    assert.equal(docker(['events', '--since', since, '--until', until, '--filter', 'colour=red']).code, 0);
  });

  test('docker events follows live events', async () => {
    const follower = spawn(DOCKER_CLI, ['events', '--filter', 'event=start', '--format', '{{.Actor.Attributes.name}}'], { env: s.env() });
    let seen = '';
    follower.stdout.on('data', (chunk: Buffer) => { seen += chunk.toString(); });
    try {
      // The follower subscribes once connected: start containers until it has seen one.
      let n = 0;
      await eventually('the follower to see a start', () => {
        if (!seen.includes('live-')) ok('run', '--rm', '--name', `live-${n++}`, 'busybox', 'true');
        return seen.includes('live-');
      }, 60_000);
    } finally {
      follower.kill();
    }
  });

  test('run --restart on-failure:1: restarted once, then exited; berth run --restart always comes back', async () => {
    ok('run', '-d', '--name', 'crash', '--restart', 'on-failure:1', 'busybox', 'sh', '-c', 'exit 2');
    assert.equal(ok('inspect', '-f', '{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', 'crash').trim(), 'on-failure:1');
    await eventually('one restart and the final exit', () => ok('inspect', '-f', '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}', 'crash').trim() === 'exited 1 2');
    assert.match(docker(['run', '--rm', '--restart', 'always', 'busybox', 'true']).err, /AutoRemove|restart/i);
    const run = await berthAt(s.daemon.socketPath, ['run', '-d', '--name', 'loop', '--restart', 'always', 'busybox', 'sh', '-c', 'sleep 0.2']);
    assert.equal(run.code, 0, run.stderr);
    await eventually('a restart of the always container', () => Number(ok('inspect', '-f', '{{.RestartCount}}', 'loop').trim()) >= 2);
    ok('stop', '-t', '0', 'loop');
    assert.equal(ok('inspect', '-f', '{{.State.Status}}', 'loop').trim(), 'exited');
    ok('rm', 'crash', 'loop');
  });

  test('docker update --restart applies to a running container; docker rename is a rename event', async () => {
    const since = unixNow();
    ok('run', '-d', '--name', 'upd', 'busybox', 'sh', '-c', 'while [ ! -f /tmp/go ]; do sleep 0.1; done; exit 3');
    ok('update', '--restart', 'on-failure:1', 'upd');
    assert.equal(ok('inspect', '-f', '{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', 'upd').trim(), 'on-failure:1');
    ok('update', '--memory', '64m', 'upd');
    assert.equal(ok('inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}', 'upd').trim(), `${64 * 1024 * 1024} on-failure`);
    ok('rename', 'upd', 'upd2');
    ok('exec', 'upd2', 'touch', '/tmp/go');
    await eventually('one restart and the final exit', () => ok('inspect', '-f', '{{.Name}} {{.State.Status}} {{.RestartCount}}', 'upd2').trim() === '/upd2 exited 1');
    const renamed = await berthAt(s.daemon.socketPath, ['rename', 'upd2', 'upd3']);
    assert.equal(renamed.code, 0, renamed.stderr);
    const updated = await berthAt(s.daemon.socketPath, ['update', '--restart', 'no', 'upd3']);
    assert.equal(updated.code, 0, updated.stderr);
    assert.equal(ok('inspect', '-f', '{{.HostConfig.RestartPolicy.Name}}', 'upd3').trim(), 'no');
    const events = ok('events', '--since', since, '--until', unixNow(), '--filter', 'event=rename', '--format', '{{.Actor.Attributes.oldName}} {{.Actor.Attributes.name}}');
    assert.deepEqual(events.trim().split('\n'), ['/upd upd2', '/upd2 upd3']);
    ok('rm', 'upd3');
  });

  test('run --health-cmd: healthy and unhealthy in inspect and ps, health_status events; --no-healthcheck', async () => {
    const since = unixNow();
    ok('run', '-d', '--name', 'fine', '--health-cmd', 'true', '--health-interval', '1s', 'busybox', 'sleep', '1000');
    ok('run', '-d', '--name', 'sick', '--health-cmd', 'echo no; exit 1', '--health-interval', '1s', '--health-retries', '1', 'busybox', 'sleep', '1000');
    assert.match(ok('ps', '--format', '{{.Names}} {{.Status}}', '--filter', 'name=fine'), /fine Up .*\((health: starting|healthy)\)/);
    await eventually('fine to be healthy', () => ok('inspect', '-f', '{{.State.Health.Status}}', 'fine').trim() === 'healthy');
    await eventually('sick to be unhealthy', () => ok('inspect', '-f', '{{.State.Health.Status}}', 'sick').trim() === 'unhealthy');
    assert.match(ok('ps', '--format', '{{.Names}} {{.Status}}'), /^fine Up .* \(healthy\)$/m);
    assert.match(ok('ps', '--format', '{{.Names}} {{.Status}}'), /^sick Up .* \(unhealthy\)$/m);
    assert.equal(ok('inspect', '-f', '{{(index .State.Health.Log 0).Output}}', 'sick'), 'no\n\n');
    assert.equal(ok('inspect', '-f', '{{.Config.Healthcheck.Interval}}', 'fine').trim(), '1s');
    const events = ok('events', '--since', since, '--until', unixNow(), '--filter', 'event=health_status', '--format', '{{.Actor.Attributes.name}} {{.Action}}');
    assert.match(events, /^fine health_status: healthy$/m);
    assert.match(events, /^sick health_status: unhealthy$/m);
    ok('run', '-d', '--name', 'plain', '--no-healthcheck', 'busybox', 'sleep', '1000');
    assert.equal(ok('inspect', '-f', '{{.State.Health}}', 'plain').trim(), '<nil>');
    ok('rm', '-f', 'fine', 'sick', 'plain');
  });
});
