// The build cache on the real engine: a fully cached rebuild starts no container and gives the same
// image; only the files a step copies count; --no-cache; the cache survives a restart; GC and
// `builder prune`; a failing step leaves the store as it was; commit of a container. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isBerthError } from '../../../src/base/errors.js';
import { Builder } from '../../../src/build/builder.js';
import { currentMountPointsBelow } from '../../../src/mount/mountinfo.js';
import { conmonsUnder } from '../engine/engine-fixture.js';
import { BuildFixture, builderServices, eventually, skipReason } from './build-fixture.js';

const DOCKERFILE = [
  'FROM busybox',
  'COPY app.txt /app/',
  'RUN cat /app/app.txt > /app/copy.txt && echo ran',
  'COPY other.txt /app/',
  'CMD ["cat", "/app/copy.txt"]',
].join('\n');

describe('build cache', { skip: skipReason() }, () => {
  let f: BuildFixture;
  before(async () => { f = await BuildFixture.create(); });
  after(async () => { await f.cleanup(); });

  test('a fully cached rebuild starts no container and gives the same image id', async () => {
    const dir = await f.context({ Dockerfile: DOCKERFILE, 'app.txt': 'v1', 'other.txt': 'o1', 'unrelated.txt': 'u1' });
    const first = await f.build(dir, { tags: ['cached:1'] });
    assert.equal(first.executedSteps, 4);
    const started = f.started.length;
    const second = await f.build(dir, { tags: ['cached:2'] });
    assert.equal(second.image.id, first.image.id);
    assert.equal(second.cachedSteps, 4);
    assert.equal(f.started.length, started, 'no container started');
    assert.deepEqual(await conmonsUnder(f.engineFixture.root), []);
    assert.ok(second.log.filter((l) => l === ' ---> Using cache').length === 4);

    // A file no step copies changes nothing; a copied file invalidates its step and what follows.
    await writeFile(join(dir, 'unrelated.txt'), 'u2');
    assert.equal((await f.build(dir)).image.id, first.image.id);
    await writeFile(join(dir, 'other.txt'), 'o2');
    const third = await f.build(dir);
    assert.equal(third.cachedSteps, 2);
    assert.equal(f.started.length, started, 'the RUN before the changed COPY is still cached');
    await writeFile(join(dir, 'app.txt'), 'v2');
    const fourth = await f.build(dir, { tags: ['cached:3'] });
    assert.equal(fourth.cachedSteps, 0);
    assert.equal(f.started.length, started + 1);
    assert.equal((await f.run('cached:3', undefined)).stdout, 'v2\n');

    const beforeNoCache = f.started.length;
    const noCache = await f.build(dir, { noCache: true });
    assert.equal(noCache.cachedSteps, 0);
    assert.equal(f.started.length, beforeNoCache + 1);
  });

  test('a build arg a RUN sees is part of its key', async () => {
    const dir = await f.context({ Dockerfile: 'FROM busybox\nARG V=1\nRUN echo $V > /v\n' });
    const a = await f.build(dir, { buildArgs: { V: 'a' } });
    const b = await f.build(dir, { buildArgs: { V: 'b' } });
    const again = await f.build(dir, { buildArgs: { V: 'a' } });
    assert.notEqual(a.image.id, b.image.id);
    assert.equal(again.image.id, a.image.id);
    assert.equal(again.cachedSteps, 1);
  });

  test('the cache survives a restart; image prune keeps it, builder prune and prune --all remove it', async () => {
    const dir = await f.context({ Dockerfile: DOCKERFILE, 'app.txt': 'restart', 'other.txt': 'o' });
    const first = await f.build(dir, { tags: ['restart:1'] });
    await f.engineFixture.reopen();
    const builder = await Builder.open(builderServices(f.engineFixture));
    const started = f.started.length;
    const { BuildContext } = await import('../../../src/build/context/build-context.js');
    const context = await BuildContext.fromDirectory(dir);
    const again = await builder.build({ context, tags: ['restart:2'] });
    await context.close();
    assert.equal(again.image.id, first.image.id);
    assert.equal(again.cachedSteps, 4);
    assert.equal(f.started.length, started);

    // Dangling-image prune leaves the intermediate images the cache keeps.
    await f.images.prune(false);
    assert.ok(builder.cache.count() > 0);
    const intermediates = f.images.list().filter((i) => i.names.length === 0).length;
    assert.ok(intermediates > 0);
    const pruned = await builder.prune();
    assert.ok(pruned.entries > 0);
    assert.equal(builder.cache.count(), 0);
    assert.equal(f.images.list().filter((i) => i.names.length === 0).length, 0, 'no intermediate image is left');
    // The named image still runs: its layers are its own.
    assert.equal((await f.run('restart:1', undefined)).stdout, 'restart\n');
  });
});

describe('failing builds and commit', { skip: skipReason() }, () => {
  let f: BuildFixture;
  before(async () => { f = await BuildFixture.create(); });
  after(async () => { await f.cleanup(); });

  const world = async () => ({
    images: f.images.list().map((i) => i.id).sort(),
    snapshots: f.images.snapshotter.list().map((s) => s.key).sort(),
    containers: f.engine.list().map((r) => r.id),
    mounts: await currentMountPointsBelow(f.engineFixture.root),
    cache: f.builder.cache.count(),
  });

  test('a failing RUN reports its output and line, and leaves the store as it was', async () => {
    const before = await world();
    const dir = await f.context({
      Dockerfile: ['FROM busybox', 'COPY a.txt /', 'RUN echo first > /first', 'RUN echo "about to fail" && exit 3', 'CMD ["true"]'].join('\n'),
      'a.txt': 'a',
    });
    const log: string[] = [];
    await assert.rejects(f.build(dir, { tags: ['broken:1'], onEvent: (e) => log.push(e.text) }), (err: unknown) => {
      assert.ok(isBerthError(err, 'failed-precondition'));
      assert.match(err.message, /^Dockerfile:4: The command '\/bin\/sh -c echo "about to fail" && exit 3' returned a non-zero code: 3$/);
      return true;
    });
    assert.ok(log.includes('about to fail'));
    assert.deepEqual(await world(), before);
    assert.deepEqual(await conmonsUnder(f.engineFixture.root), []);
    assert.throws(() => f.images.resolve('broken:1'));
  });

  test('a canceled build kills its RUN and leaves the store as it was', async () => {
    const before = await world();
    const dir = await f.context({ Dockerfile: 'FROM busybox\nRUN echo started; sleep 1000\n' });
    const aborter = new AbortController();
    const building = f.build(dir, { tags: ['canceled:1'], signal: aborter.signal });
    await eventually('the RUN container to run', () => f.engine.list().some((r) => r.state.status === 'running'));
    aborter.abort();
    await assert.rejects(building, (err: unknown) => isBerthError(err, 'canceled'));
    assert.deepEqual(await world(), before);
  });

  test('a failing stage stops the stages running beside it', async () => {
    const before = await world();
    const dir = await f.context({
      Dockerfile: ['FROM busybox AS slow', 'RUN sleep 1000', 'FROM busybox AS bad', 'RUN exit 4', 'FROM busybox', 'COPY --from=slow /etc/passwd /a', 'COPY --from=bad /etc/passwd /b'].join('\n'),
    });
    await assert.rejects(f.build(dir), /Dockerfile:4: The command '\/bin\/sh -c exit 4' returned a non-zero code: 4/);
    assert.deepEqual(await world(), before);
  });

  test('parse errors name the file and line', async () => {
    const dir = await f.context({ Dockerfile: 'FROM busybox\nRUN true\nFROBNICATE x\n' });
    await assert.rejects(f.build(dir), /Dockerfile:3: unknown instruction: FROBNICATE/);
    const missing = await f.context({ Dockerfile: 'FROM busybox\nCOPY nothere.txt /\n' });
    await assert.rejects(f.build(missing), (err: unknown) => isBerthError(err, 'not-found') && /Dockerfile:2/.test(err.message));
    const url = await f.context({ Dockerfile: 'FROM busybox\nADD http://127.0.0.1:1/x /\n' });
    await assert.rejects(f.build(url), (err: unknown) => isBerthError(err, 'invalid-argument') && /not supported/.test(err.message));
  });

  test('commit: a container\'s changes become an image that runs, with changes applied', async () => {
    const record = await f.engine.create({ image: 'busybox', options: { cmd: ['sh', '-c', 'echo committed > /state.txt'] } });
    const exited = f.engine.wait(record.id, 'next-exit');
    await f.engine.start(record.id);
    await exited;
    const image = await f.engine.commit(record.id, {
      names: ['docker.io/library/snap:1'], changes: ['CMD ["cat", "/state.txt"]', 'ENV COMMITTED=yes'], comment: 'by the test', author: 'tester',
    });
    const config = await f.images.config(image);
    assert.equal(config.author, 'tester');
    assert.equal(config.history?.at(-1)?.comment, 'by the test');
    assert.ok(config.config?.Env?.includes('COMMITTED=yes'));
    assert.equal((await f.run('snap:1', undefined)).stdout, 'committed\n');
    await f.engine.remove(record.id);
    assert.equal((await f.run('snap:1', undefined)).stdout, 'committed\n', 'the image does not depend on the container');
  });
});
