// The docker CLI from Debian's docker.io drives berthd's volumes: run -v (named, bind, anonymous),
// run --mount, run --tmpfs, run --init, volume create/ls/inspect/rm/prune, rm -v, Mounts in
// inspect; a volume survives a berthd restart and no mount is left at the end. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../src/mount/mountinfo.js';
import { DockerCliSession, dockerCliSkip } from '../support/docker-cli-session.js';

describe('the docker CLI drives berthd volumes', { skip: dockerCliSkip() }, () => {
  let s: DockerCliSession;
  const docker = (args: string[], input?: string) => s.docker(args, input);
  const ok = (...args: string[]): string => s.ok(...args);

  before(async () => {
    s = await DockerCliSession.start('berth-dockercli-v-');
  });
  after(async () => { await s.close({
    volumes: true,
    extra: () => {
      const volumes = docker(['volume', 'ls', '-q']).out.split('\n').filter(Boolean);
      if (volumes.length > 0) docker(['volume', 'rm', ...volumes]);
    },
  }); });

  test('volume create/ls/inspect with options and labels; a named volume outlives its container and is seeded', () => {
    assert.equal(ok('volume', 'create', '--opt', 'uid=1000', '--opt', 'gid=1000', '--opt', 'mode=0770', '--label', 'team=db', 'shared').trim(), 'shared');
    const volume = (JSON.parse(ok('volume', 'inspect', 'shared')) as { Name: string; Driver: string; Mountpoint: string; Labels: Record<string, string>; Options: Record<string, string> }[]).at(0);
    assert.ok(volume);
    assert.equal(volume.Driver, 'local');
    assert.equal(volume.Mountpoint, join(s.root, 'volumes', 'shared', '_data'));
    assert.deepEqual(volume.Labels, { team: 'db' });
    assert.deepEqual(volume.Options, { uid: '1000', gid: '1000', mode: '0770' });
    assert.match(ok('volume', 'ls'), /^local\s+shared$/m);
    assert.equal(ok('volume', 'ls', '-q', '--filter', 'label=team=db'), 'shared\n');
    assert.equal(ok('volume', 'ls', '-q', '--filter', 'label=team=web'), '');

    assert.equal(ok('run', '--rm', '-u', '1000:1000', '-v', 'shared:/v', 'busybox', 'sh', '-c', 'echo kept > /v/f; id -u').trim(), '1000');
    assert.equal(ok('run', '--rm', '-v', 'shared:/v:ro', 'busybox', 'cat', '/v/f'), 'kept\n');
    // A new volume over /etc starts with the image's /etc.
    assert.match(ok('run', '--rm', '-v', 'etc-copy:/etc', 'busybox', 'cat', '/etc/passwd'), /^root:/);
    assert.match(ok('volume', 'inspect', '--format', '{{.Name}} {{.Driver}}', 'etc-copy'), /^etc-copy local$/m);
  });

  test('run --mount: volume with volume-opt and nocopy, read-only bind, tmpfs with size and mode', async () => {
    const host = join(s.work, 'bind');
    await mkdir(host);
    await writeFile(join(host, 'f'), 'host\n');
    const r = docker(['run', '--rm', '--mount', `type=bind,source=${host},target=/b,readonly`, 'busybox', 'sh', '-c', 'echo x > /b/f']);
    assert.notEqual(r.code, 0);
    assert.match(r.err, /Read-only file system/);
    assert.equal(await readFile(join(host, 'f'), 'utf8'), 'host\n');
    assert.match(docker(['run', '--rm', '--mount', `type=bind,source=${join(s.work, 'missing')},target=/b`, 'busybox', 'true']).err, /bind source path does not exist/);

    assert.equal(ok('run', '--rm', '--mount', 'type=volume,source=empty-etc,target=/etc,volume-nocopy', 'busybox', 'ls', '-A', '/etc').split('\n').filter((n) => !['hosts', 'hostname', 'resolv.conf', ''].includes(n)).length, 0);
    ok('run', '--rm', '--mount', 'type=volume,src=by-mount,dst=/m,volume-opt=uid=1000,volume-opt=gid=1000,volume-opt=mode=0700', '-u', '1000', 'busybox', 'touch', '/m/ok');
    assert.equal((await stat(join(s.root, 'volumes', 'by-mount', '_data', 'ok'))).uid, 1000);

    const tmpfs = ok('run', '--rm', '--mount', 'type=tmpfs,destination=/t,tmpfs-size=1m,tmpfs-mode=1770', '--tmpfs', '/u:size=2m,mode=1777', 'busybox', 'sh', '-c', 'stat -c %a /t /u; df -k /t /u | tail -2');
    const [tMode, uMode, tDf, uDf] = tmpfs.trim().split('\n');
    assert.deepEqual([tMode, uMode], ['1770', '1777']);
    assert.match(tDf ?? '', /^tmpfs\s+1024\s/);
    assert.match(uDf ?? '', /^tmpfs\s+2048\s/);
  });

  test('anonymous volumes: inspect Mounts, rm keeps them, rm -v removes them; volume in use refuses rm; prune', () => {
    const bindDir = join(s.work, 'rshared');
    const id = ok('create', '-v', '/anon', '-v', 'named:/named:ro', '-v', `${bindDir}:/h:rshared`, 'busybox', 'true').trim();
    const mounts = JSON.parse(ok('inspect', '--format', '{{json .Mounts}}', id)) as { Type: string; Name?: string; Source: string; Destination: string; RW: boolean; Propagation: string; Driver?: string }[];
    const byTarget = new Map(mounts.map((m) => [m.Destination, m]));
    assert.equal(byTarget.get('/anon')?.Type, 'volume');
    assert.match(byTarget.get('/anon')?.Name ?? '', /^[0-9a-f]{64}$/);
    assert.equal(byTarget.get('/named')?.Name, 'named');
    assert.equal(byTarget.get('/named')?.RW, false);
    assert.equal(byTarget.get('/named')?.Driver, 'local');
    assert.deepEqual([byTarget.get('/h')?.Type, byTarget.get('/h')?.Source, byTarget.get('/h')?.Propagation], ['bind', bindDir, 'rshared']);
    const anon = byTarget.get('/anon')?.Name ?? '';
    assert.equal(ok('ps', '-aq', '--no-trunc', '--filter', 'volume=named').trim(), id);
    assert.equal(ok('inspect', '--format', '{{json .Config.Volumes}}', id).trim(), '{"/anon":{}}');

    const inUse = docker(['volume', 'rm', 'named']);
    assert.equal(inUse.code, 1);
    assert.match(inUse.err, /volume is in use/);
    ok('rm', id);
    assert.match(ok('volume', 'ls', '-q'), new RegExp(`^${anon}$`, 'm'));
    ok('volume', 'rm', anon);

    const second = ok('run', '-d', '-v', '/anon', 'busybox', 'sleep', '1000').trim();
    const secondAnon = (JSON.parse(ok('inspect', '--format', '{{json .Mounts}}', second)) as { Name: string }[])[0]?.Name ?? '';
    assert.equal(docker(['volume', 'rm', '-f', secondAnon]).code, 1, 'force does not remove a volume in use');
    ok('rm', '-f', '-v', second);
    assert.doesNotMatch(ok('volume', 'ls', '-q'), new RegExp(secondAnon));
    assert.equal(docker(['volume', 'inspect', secondAnon]).code, 1);
    ok('run', '--rm', '-v', '/gone-with-rm', 'busybox', 'true');
    assert.equal(ok('volume', 'ls', '-q', '--filter', 'dangling=true').split('\n').filter((n) => /^[0-9a-f]{64}$/.test(n)).length, 0);

    ok('volume', 'create', 'unused');
    const pruned = ok('volume', 'prune', '-f');
    assert.match(pruned, /^unused$/m);
    assert.match(pruned, /Total reclaimed space/);
    assert.equal(docker(['volume', 'inspect', 'unused']).code, 1);
  });

  test('run --init: tini is PID 1 and passes the stop signal on (exit 143)', () => {
    assert.match(ok('run', '--rm', '--init', 'busybox', 'cat', '/proc/1/cmdline'), /^\/sbin\/docker-init\0--\0cat\0/);
    ok('run', '-d', '--init', '--name', 'init-sleep', '--stop-timeout', '60', 'busybox', 'sleep', '1000');
    ok('stop', 'init-sleep');
    assert.equal(ok('inspect', '--format', '{{.State.ExitCode}} {{.HostConfig.Init}}', 'init-sleep').trim(), '143 true');
    ok('rm', 'init-sleep');
  });

  test('a berthd restart keeps volumes and who uses them; at the end no mount is left', async () => {
    ok('volume', 'create', '--opt', 'type=tmpfs', '--opt', 'device=tmpfs', '--opt', 'o=size=4m', 'ram');
    ok('run', '-d', '--name', 'holder', '-v', 'ram:/r', '-v', 'kept:/k', 'busybox', 'sh', '-c', 'echo in-ram > /r/f; sleep 1000');
    await s.daemon.kill();
    await s.startDaemon();
    assert.match(docker(['volume', 'rm', 'kept']).err, /volume is in use/);
    assert.equal(ok('exec', 'holder', 'cat', '/r/f'), 'in-ram\n');
    ok('rm', '-f', 'holder');
    ok('volume', 'rm', 'ram', 'kept');
    const ids = ok('ps', '-aq').split('\n').filter(Boolean);
    if (ids.length > 0) ok('rm', '-f', '-v', ...ids);
    assert.deepEqual(await currentMountPointsBelow(s.root), []);
  });
});
