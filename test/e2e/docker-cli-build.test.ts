// Builds and commits through berthd with real clients: Debian's docker CLI with its classic
// builder (DOCKER_BUILDKIT=0) and `docker commit`, and `berth build`; then the built image runs in
// a real Docker after `berth image save` + `docker load`. Needs root, runc, conmon, docker.io.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { berthAt } from '../support/berth-cli.js';
import { DockerCliSession, dockerCliSkip } from '../support/docker-cli-session.js';
import { PrivateDockerd } from '../support/private-dockerd.js';

describe('builds through berthd with the docker CLI and berth build', { skip: dockerCliSkip() }, () => {
  let s: DockerCliSession;
  let work: string;
  let context: string;
  const docker = (args: string[]) => s.docker(args);
  const ok = (...args: string[]): string => s.ok(...args);

  before(async () => {
    s = await DockerCliSession.start('berth-e2e-build-');
    work = s.work;
    context = join(work, 'ctx');
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), [
      'FROM busybox',
      'ARG WHO=world',
      'COPY greeting.txt /srv/',
      'RUN echo "hello $WHO" >> /srv/greeting.txt',
      'WORKDIR /srv',
      'CMD ["cat", "greeting.txt"]',
    ].join('\n'));
    await writeFile(join(context, 'greeting.txt'), 'from the context\n');
  });
  after(async () => { await s.close(); });

  test('DOCKER_BUILDKIT=0 docker build builds and tags; a rebuild is cached; the image runs', () => {
    const out = ok('build', '-t', 'e2e/app:1', '--build-arg', 'WHO=docker', context);
    assert.match(out, /Step 4\/6 : RUN echo "hello \$WHO" >> \/srv\/greeting.txt/);
    assert.match(out, /Successfully built [0-9a-f]{12}\nSuccessfully tagged e2e\/app:1\n/);
    const again = ok('build', '-t', 'e2e/app:2', '--build-arg', 'WHO=docker', context);
    assert.equal(again.match(/Using cache/g)?.length, 4);
    assert.equal(ok('image', 'inspect', '--format', '{{.Id}}', 'e2e/app:1'), ok('image', 'inspect', '--format', '{{.Id}}', 'e2e/app:2'));
    assert.equal(ok('run', '--rm', 'e2e/app:1'), 'from the context\nhello docker\n');
  });

  test('docker images hides the step images, -a shows them; docker builder prune removes them', () => {
    const listed = (...flags: string[]) => ok('images', ...flags, '--format', '{{.Repository}}').split('\n').filter(Boolean);
    assert.ok(!listed().includes('<none>'));
    assert.ok(listed('-a').includes('<none>'));
    ok('builder', 'prune', '-af');
    assert.ok(!listed('-a').includes('<none>'));
    assert.equal(ok('run', '--rm', 'e2e/app:1'), 'from the context\nhello docker\n', 'named images keep their layers');
  });

  test('a failing docker build exits non-zero with the step and its output', async () => {
    const bad = join(work, 'bad');
    await mkdir(bad);
    await writeFile(join(bad, 'Dockerfile'), 'FROM busybox\nRUN echo visible-output && exit 7\n');
    const r = docker(['build', '-t', 'e2e/bad:1', bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.out, /visible-output/);
    assert.match(r.err + r.out, /Dockerfile:2: The command '\/bin\/sh -c echo visible-output && exit 7' returned a non-zero code: 7/);
    assert.equal(ok('ps', '-aq'), '');
  });

  test('docker commit makes an image that runs', () => {
    const id = ok('create', 'busybox', 'sh', '-c', 'echo state > /state.txt').trim();
    ok('start', '-a', id);
    const image = ok('commit', '-c', 'CMD ["cat", "/state.txt"]', '-m', 'committed', id, 'e2e/committed:1').trim();
    assert.match(image, /^sha256:[0-9a-f]{64}$/);
    assert.equal(ok('run', '--rm', 'e2e/committed:1'), 'state\n');
    ok('rm', id);
  });

  test('berth build through berthd prints the id; the image runs in a real Docker after save and load', async () => {
    const built = await berthAt(s.daemon.socketPath, ['build', '-t', 'e2e/berth:1', '--progress', 'plain', '--build-arg', 'WHO=berth', context]);
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.match(built.stderr, /Step 1\/6 : FROM busybox/);
    // The context as a tar on stdin.
    const tar = spawnSync('tar', ['-C', context, '-c', '.'], { maxBuffer: 1 << 24 });
    const piped = await berthAt(s.daemon.socketPath, ['build', '-q', '-t', 'e2e/piped:1', '--build-arg', 'WHO=berth', '-'], { input: tar.stdout });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, built.stdout, 'the same steps from the same files: the same image');
    const plain = await berthAt(s.daemon.socketPath, ['build', '-q', '-t', 'e2e/stdin:1', '-'], { input: Buffer.from('FROM busybox\nCMD ["echo", "a Dockerfile on stdin"]\n') });
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(ok('run', '--rm', 'e2e/stdin:1'), 'a Dockerfile on stdin\n');
    const archive = join(work, 'berth-built.tar');
    const saved = await berthAt(s.daemon.socketPath, ['image', 'save', '-o', archive, 'e2e/berth:1']);
    assert.equal(saved.code, 0, saved.stderr);
    if (!existsSync('/usr/sbin/dockerd')) return;
    const dockerd = await PrivateDockerd.start();
    try {
      await dockerd.docker(['load', '-i', archive]);
      const run = await dockerd.docker(['run', '--rm', '--network', 'none', 'e2e/berth:1']);
      assert.equal(run.stdout, 'from the context\nhello berth\n');
    } finally {
      await dockerd.stop();
    }
  });

  test('berth build --secret: the RUN reads it from a file and a variable; image inspect and history never show it', async () => {
    const value = 'e2e-secret-5d1c0b';
    const dir = join(work, 'secret-ctx');
    await mkdir(dir);
    await writeFile(join(dir, 'Dockerfile'), [
      'FROM busybox',
      'RUN --mount=type=secret,id=tok,required wc -c < /run/secrets/tok > /len',
      'RUN --mount=type=secret,id=env,env=FROM_ENV test -n "$FROM_ENV" && echo set > /env',
      'RUN --mount=type=cache,target=/cache echo x >> /cache/n && wc -l < /cache/n > /runs',
    ].join('\n'));
    await writeFile(join(dir, 'tok.txt'), value);
    const missing = await berthAt(s.daemon.socketPath, ['build', '-q', dir]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /Dockerfile:2: .*"tok" is required/);
    const built = await berthAt(s.daemon.socketPath, ['build', '-q', '-t', 'e2e/secret:1', '--secret', `id=tok,src=${join(dir, 'tok.txt')}`, '--secret', 'id=env,env=E2E_SECRET', dir], {
      env: { E2E_SECRET: value },
    });
    assert.equal(built.code, 0, built.stderr);
    assert.equal(ok('run', '--rm', 'e2e/secret:1', 'cat', '/len', '/env', '/runs'), `${value.length}\nset\n1\n`);
    const inspect = await berthAt(s.daemon.socketPath, ['image', 'inspect', 'e2e/secret:1']);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.ok(!inspect.stdout.includes(value));
    assert.ok(!ok('history', '--no-trunc', 'e2e/secret:1').includes(value));
    // The cache mount's directory counts as build cache, and builder prune removes it.
    assert.match(ok('system', 'df'), /Build Cache\s+1\s/);
    ok('builder', 'prune', '-af');
    assert.match(ok('system', 'df'), /Build Cache\s+0\s/);
  });
});
