// Dockerfile builds on the real engine: instructions, substitution, .dockerignore, multi-stage,
// the cache, and a failing step. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BuildFixture, eventually, skipReason } from './build-fixture.js';

describe('dockerfile builds', { skip: skipReason() }, () => {
  let f: BuildFixture;
  before(async () => { f = await BuildFixture.create(); });
  after(async () => { await f.cleanup(); });

  test('RUN, COPY, ENV, WORKDIR, USER, CMD: the image runs with them', async () => {
    const dir = await f.context({
      Dockerfile: [
        'FROM busybox',
        'ENV GREETING="hello world" DIR=/app',
        'WORKDIR ${DIR}',
        'COPY greet.sh ./',
        'RUN chmod +x greet.sh && echo built > /app/built.txt && echo step output',
        'USER nobody',
        'CMD ["/app/greet.sh"]',
      ].join('\n'),
      'greet.sh': '#!/bin/sh\necho "$GREETING from $(pwd) as $(id -u): $(cat built.txt)"\n',
    });
    const result = await f.build(dir, { tags: ['app:1'] });
    assert.ok(result.log.includes('step output'), result.log.join('\n'));
    const run = await f.run('app:1', undefined);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout, 'hello world from /app as 65534: built\n');
  });
});

describe('dockerfile builds: stages, substitution, context', { skip: skipReason() }, () => {
  let f: BuildFixture;
  before(async () => { f = await BuildFixture.create(); });
  after(async () => { await f.cleanup(); });

  test('multi-stage: ARG before FROM, COPY --from by name and index, --target, an unneeded stage is skipped', async () => {
    const dir = await f.context({
      Dockerfile: [
        'ARG BASE=busybox',
        'FROM ${BASE} AS builder',
        'RUN mkdir -p /out && echo artifact > /out/a.txt',
        'FROM ${BASE} AS unused',
        'RUN echo this stage must not run && exit 1',
        'FROM ${BASE}',
        'COPY --from=builder /out/a.txt /copied/',
        'COPY --from=0 /out /dir',
        'CMD cat /copied/a.txt /dir/a.txt',
      ].join('\n'),
    });
    const result = await f.build(dir, { tags: ['multi:1'] });
    assert.ok(!result.log.some((l) => l.includes('this stage must not run')));
    assert.equal((await f.run('multi:1', undefined)).stdout, 'artifact\nartifact\n');
    const target = await f.build(dir, { tags: ['multi:builder'], target: 'builder' });
    assert.deepEqual((await f.images.config(target.image)).config?.Cmd, ['sh'], 'the target stage, not the last one');
    assert.equal((await f.run('multi:builder', ['cat', '/out/a.txt'])).stdout, 'artifact\n');
  });

  test('stages that do not depend on each other run at the same time', async () => {
    // Each RUN waits for a file the test puts into its root filesystem once both run at once.
    const wait = 'RUN while [ ! -f /go ]; do sleep 0.05; done; rm /go; echo done > /$STAGE';
    const dir = await f.context({
      Dockerfile: ['FROM busybox AS a', 'ENV STAGE=a', wait, 'FROM busybox AS b', 'ENV STAGE=b', wait, 'FROM busybox', 'COPY --from=a /a /', 'COPY --from=b /b /'].join('\n'),
    });
    const building = f.build(dir, { tags: ['parallel:1'] });
    await eventually('two RUN containers running together', () => f.engine.list().filter((r) => r.state.status === 'running').length === 2);
    for (const record of f.engine.list()) await writeFile(join(f.engine.paths.rootfs(record.id), 'go'), '');
    await building;
    assert.equal((await f.run('parallel:1', ['cat', '/a', '/b'])).stdout, 'done\ndone\n');
  });

  test('ARG with --build-arg, ENV over ARG, ${a:-b} and ${a:+b}, quotes and escapes', async () => {
    const dir = await f.context({
      Dockerfile: [
        'FROM busybox',
        'ARG NAME=default',
        'ARG UNSET',
        'ARG OVERRIDDEN=fromarg',
        'ENV OVERRIDDEN=fromenv',
        'ENV A="${NAME}" B=${UNSET:-fallback} C=${NAME:+set} D=${UNSET:+never} E=\'$NAME\' F=\\$NAME',
        'LABEL version="${NAME} 1"',
        'RUN echo "$NAME $OVERRIDDEN" > /run.txt',
        'WORKDIR /w/${NAME}',
      ].join('\n'),
    });
    const result = await f.build(dir, { tags: ['args:1'], buildArgs: { NAME: 'given', EXTRA: 'x' } });
    assert.ok(result.log.some((l) => l.includes('[EXTRA] were not consumed')), result.log.join('\n'));
    const config = (await f.images.config(result.image)).config ?? {};
    const env = config.Env ?? [];
    for (const entry of ['A=given', 'B=fallback', 'C=set', 'D=', 'E=$NAME', 'F=$NAME', 'OVERRIDDEN=fromenv']) assert.ok(env.includes(entry), `${entry} in ${env.join(' ')}`);
    assert.equal(config.Labels?.version, 'given 1');
    assert.equal(config.WorkingDir, '/w/given');
    assert.equal((await f.run('args:1', ['cat', '/run.txt'])).stdout, 'given fromenv\n');
    assert.ok(!env.some((e) => e.startsWith('NAME=')), 'ARG values do not stay in the image');
  });

  test('.dockerignore: excluded files are not in the context, ! makes exceptions, ** matches directories', async () => {
    const dir = await f.context({
      Dockerfile: 'FROM busybox\nCOPY . /ctx/\n',
      '.dockerignore': '*.log\n!keep.log\n**/secret*\ndocs\n!docs/README.md\n',
      'app.txt': 'app', 'debug.log': 'x', 'keep.log': 'kept', 'a/b/secret.key': 'k', 'a/b/public.txt': 'p',
      'docs/README.md': 'readme', 'docs/other.md': 'other',
    });
    await f.build(dir, { tags: ['ignore:1'] });
    const listing = (await f.run('ignore:1', ['sh', '-c', 'cd /ctx && find . -type f | sort'])).stdout.trim().split('\n');
    assert.deepEqual(listing, ['./.dockerignore', './Dockerfile', './a/b/public.txt', './app.txt', './docs/README.md', './keep.log']);
  });

  test('config instructions: HEALTHCHECK, EXPOSE, VOLUME, STOPSIGNAL, ENTRYPOINT, SHELL, ONBUILD, LABEL from the build', async () => {
    const dir = await f.context({
      Dockerfile: [
        'FROM busybox',
        'SHELL ["/bin/sh", "-ec"]',
        'RUN echo shell-form',
        'HEALTHCHECK --interval=30s --timeout=3s --start-period=1m --retries=4 CMD wget -q -O- http://127.0.0.1/ || exit 1',
        'EXPOSE 80 53/udp',
        'VOLUME ["/data"]',
        'STOPSIGNAL SIGQUIT',
        'ENTRYPOINT ["/bin/echo"]',
        'CMD ["hello"]',
        'ONBUILD RUN echo child > /onbuild.txt',
      ].join('\n'),
    });
    const result = await f.build(dir, { tags: ['config:1'], labels: { team: 'build' } });
    const config = (await f.images.config(result.image)).config ?? {};
    assert.deepEqual(config.Healthcheck, { Test: ['CMD-SHELL', 'wget -q -O- http://127.0.0.1/ || exit 1'], Interval: 30e9, Timeout: 3e9, StartPeriod: 60e9, Retries: 4 });
    assert.deepEqual(Object.keys(config.ExposedPorts ?? {}).sort(), ['53/udp', '80/tcp']);
    assert.deepEqual(Object.keys(config.Volumes ?? {}), ['/data']);
    assert.equal(config.StopSignal, 'SIGQUIT');
    assert.deepEqual(config.Shell, ['/bin/sh', '-ec']);
    assert.deepEqual(config.OnBuild, ['RUN echo child > /onbuild.txt']);
    assert.equal(config.Labels?.team, 'build');
    assert.equal((await f.run('config:1', undefined)).stdout, 'hello\n');
    const child = await f.build(await f.context({ Dockerfile: 'FROM config:1\n' }), { tags: ['config:child'] });
    assert.deepEqual((await f.images.config(child.image)).config?.OnBuild ?? [], []);
    assert.equal((await f.run('config:child', ['cat', '/onbuild.txt'], { entrypoint: [] })).stdout, 'child\n');
  });

  test('RUN is on the default bridge; --network none opts out; --network=host only in a host build', async () => {
    const { readlink } = await import('node:fs/promises');
    const hostNs = await readlink('/proc/self/ns/net');
    // eth0 with an address of the bridge network, or only lo: no traffic is sent anywhere.
    const bridged = await f.context({ Dockerfile: 'FROM busybox\nRUN ip -4 -o addr show | cut -d" " -f2 | sort > /links\nRUN --network=none ip -4 -o addr show | cut -d" " -f2 > /none\n' });
    await f.build(bridged, { tags: ['net:bridge'] });
    assert.equal((await f.run('net:bridge', ['cat', '/links'])).stdout, 'eth0\nlo\n');
    assert.equal((await f.run('net:bridge', ['cat', '/none'])).stdout, 'lo\n');
    // The same Dockerfile off the network: its RUN steps have keys of their own (no cache hit).
    await f.build(bridged, { tags: ['net:none'], network: 'none' });
    assert.equal((await f.run('net:none', ['cat', '/links'])).stdout, 'lo\n');
    const host = await f.context({ Dockerfile: 'FROM busybox\nRUN --network=host readlink /proc/self/ns/net > /ns\n' });
    await assert.rejects(f.build(host), /Dockerfile:2: RUN --network=host is not allowed/);
    await f.build(host, { tags: ['net:host'], network: 'host' });
    assert.equal((await f.run('net:host', ['cat', '/ns'])).stdout.trim(), hostNs);
    assert.deepEqual(f.engine.list(), []);
  });

  test('RUN --mount=type=tmpfs: writes there stay out of the layer (its mount point too); unknown types are refused', async () => {
    const dir = await f.context({ Dockerfile: 'FROM busybox\nRUN --mount=type=tmpfs,target=/scratch,size=8m grep " /scratch tmpfs " /proc/mounts > /mounted && echo x > /scratch/file\n' });
    await f.build(dir, { tags: ['tmpfs:1'] });
    const out = await f.run('tmpfs:1', ['sh', '-c', 'cat /mounted; ls -A /scratch 2>&1']);
    assert.match(out.stdout, /^tmpfs \/scratch tmpfs .*size=8192k/);
    assert.match(out.stdout, /No such file or directory/);
    const nfs = await f.context({ Dockerfile: 'FROM busybox\nRUN --mount=type=nfs,target=/x true\n' });
    await assert.rejects(f.build(nfs), /Dockerfile:2: RUN --mount=type=nfs,target=\/x: unknown mount type "nfs"/);
  });

  test('COPY --chown/--chmod, globs, heredocs, ADD unpacks a local tar', async () => {
    const { execFileSync } = await import('node:child_process');
    const dir = await f.context({
      Dockerfile: [
        'FROM busybox',
        'COPY --chown=nobody:nobody --chmod=0750 *.sh /bin-scripts/',
        'ADD files.tar /unpacked/',
        'COPY c.txt /etc',
        'COPY <<EOF /etc/motd',
        'hello from a heredoc',
        'EOF',
        'RUN <<SCRIPT',
        'set -e',
        'echo one > /heredoc-run.txt',
        'echo two >> /heredoc-run.txt',
        'SCRIPT',
      ].join('\n'),
      'a.sh': 'echo a', 'b.sh': 'echo b', 'c.txt': 'into the existing directory', 'tree/x.txt': 'inside the tar',
    });
    execFileSync('tar', ['-C', join(dir, 'tree'), '-cf', join(dir, 'files.tar'), 'x.txt']);
    await f.build(dir, { tags: ['copy:1'] });
    const out = (await f.run('copy:1', ['sh', '-c', 'stat -c "%n %U %a" /bin-scripts/*; ls /bin-scripts; cat /unpacked/x.txt; echo; cat /etc/motd /heredoc-run.txt /etc/c.txt'])).stdout;
    assert.equal(out, [
      '/bin-scripts/a.sh nobody 750', '/bin-scripts/b.sh nobody 750', 'a.sh', 'b.sh', 'inside the tar', 'hello from a heredoc', 'one', 'two', 'into the existing directory', '',
    ].join('\n'));
  });
});
