// RUN --mount on the real engine: cache directories that outlive a build and stay out of the
// image, secrets that a RUN reads and nothing stores, binds of the context and of another stage,
// and a failing RUN that leaves no mount behind. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { currentMountPointsBelow } from '../../../src/mount/mountinfo.js';
import { isBerthError } from '../../../src/base/errors.js';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { Builder } from '../../../src/build/builder.js';
import { BuildFixture, builderServices, skipReason } from './build-fixture.js';

const SECRET = 'berth-secret-value-7f3a9c';

/** Paths of files under `dir` whose bytes contain `needle`. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const info = await lstat(path).catch(() => undefined);
    if (info === undefined) return;
    if (info.isDirectory()) {
      for (const name of await readdir(path)) await visit(join(path, name));
    } else if (info.isFile() && (await readFile(path)).includes(needle)) found.push(path);
  };
  await visit(dir);
  return found;
}

describe('RUN --mount', { skip: skipReason() }, () => {
  let f: BuildFixture;
  before(async () => { f = await BuildFixture.create(); });
  after(async () => { await f.cleanup(); });

  const root = (): string => f.engineFixture.root;

  test('type=cache: the directory keeps its content across builds, is not in the image, and builder prune removes it', async () => {
    const dir = await f.context({
      Dockerfile: 'FROM busybox\nRUN --mount=type=cache,target=/var/cache/app,id=app-cache,uid=1000,mode=0750 echo run >> /var/cache/app/log && ls -ln /var/cache/app > /seen && stat -c "%u %a" /var/cache/app >> /seen\n',
    });
    await f.build(dir, { tags: ['cache:1'] });
    await f.build(dir, { tags: ['cache:2'], noCache: true });
    const seen = (await f.run('cache:2', ['cat', '/seen'])).stdout;
    assert.match(seen, /1000 750/);
    const store = await f.builder.cacheMounts.list();
    assert.equal(store.length, 1);
    assert.equal(store[0]?.id, 'app-cache');
    assert.ok(store.every((c) => !c.inUse));
    const [name] = (await readdir(join(root(), 'build-cache-mounts'))).filter((n) => !n.startsWith('.'));
    assert.equal(await readFile(join(root(), 'build-cache-mounts', name ?? '', 'fs', 'log'), 'utf8'), 'run\nrun\n');
    // Neither the cache's content nor its mount point is in the image.
    const listing = await f.run('cache:2', ['sh', '-c', 'ls /var/cache/app 2>&1; ls /var/cache']);
    assert.match(listing.stdout, /No such file or directory/);
    assert.doesNotMatch(listing.stdout, /log/);
    // A target below a symlink of the image: the mount point runc made at the link's target goes too.
    const linked = await f.context({ Dockerfile: 'FROM busybox\nRUN mkdir -p /real && ln -s /real /linked\nRUN --mount=type=cache,target=/linked/cache/dir,id=linked true\n' });
    await f.build(linked, { tags: ['cache:linked'] });
    assert.equal((await f.run('cache:linked', ['ls', '-A', '/real'])).stdout, '');
    const pruned = await f.builder.prune();
    assert.ok(pruned.entries >= 1);
    assert.deepEqual(await f.builder.cacheMounts.list(), []);
  });

  test('type=secret: readable in RUN as a file and as a variable, absent from layers, history and config', async () => {
    const digest = createHash('sha256').update(SECRET).digest('hex');
    const dir = await f.context({
      Dockerfile: [
        'FROM busybox',
        `RUN --mount=type=secret,id=token test "$(sha256sum < /run/secrets/token | cut -d" " -f1)" = ${digest} && stat -c "%a %u" /run/secrets/token > /mode`,
        `RUN --mount=type=secret,id=token,env=TOKEN,target=/etc/app/token,mode=0444,uid=1000 test "$(printf %s "$TOKEN" | sha256sum | cut -d" " -f1)" = ${digest} && test "$(cat /etc/app/token)" = "$TOKEN" && stat -c "%a %u" /etc/app/token >> /mode`,
        'RUN --mount=type=secret,id=absent ls /run/secrets/absent > /absent 2>&1 || echo missing > /absent',
      ].join('\n'),
    });
    const { image } = await f.build(dir, { tags: ['secret:1'], secrets: new Map([['token', Buffer.from(SECRET)]]) });
    assert.equal((await f.run('secret:1', ['cat', '/mode'])).stdout, '400 0\n444 1000\n');
    assert.equal((await f.run('secret:1', ['cat', '/absent'])).stdout, 'missing\n');
    const listing = await f.run('secret:1', ['sh', '-c', 'ls -A /run /etc/app 2>&1']);
    assert.doesNotMatch(listing.stdout, /token/);
    const config = await f.images.config(image);
    assert.ok(!JSON.stringify(config).includes(SECRET));
    // Blobs (layers, configs, manifests) and unpacked layers: the value is nowhere.
    assert.deepEqual(await filesContaining(join(root(), 'content'), SECRET), []);
    assert.deepEqual(await filesContaining(join(root(), 'snapshots'), SECRET), []);
  });

  test('a required secret nobody gave fails naming the line; a secret value never reaches history', async () => {
    const dir = await f.context({ Dockerfile: 'FROM busybox\nRUN true\nRUN --mount=type=secret,id=npmrc,required cat /run/secrets/npmrc\n' });
    await assert.rejects(f.build(dir), (err: unknown) => {
      assert.ok(isBerthError(err, 'invalid-argument'));
      assert.equal(err.reason, 'build-secret-missing');
      assert.match(err.message, /^Dockerfile:3: .*"npmrc" is required/);
      return true;
    });
    const given = await f.context({ Dockerfile: 'FROM busybox\nRUN --mount=type=secret,id=npmrc,required cat /run/secrets/npmrc > /dev/null\n' });
    const { image } = await f.build(given, { secrets: new Map([['npmrc', Buffer.from(SECRET)]]) });
    const config = await f.images.config(image);
    assert.doesNotMatch(JSON.stringify(config), new RegExp(SECRET));
    assert.deepEqual(await filesContaining(join(root(), 'content'), SECRET), []);
  });

  test('type=bind from the context: read-only, rw writes discarded, the key follows the content', async () => {
    const dir = await f.context({
      Dockerfile: 'FROM busybox\nRUN --mount=type=bind,source=data,target=/ctx cat /ctx/a.txt > /copied && ! touch /ctx/x 2>/dev/null\nRUN --mount=type=bind,target=/all,rw echo new > /all/data/written && cat /all/data/written > /rw\n',
      'data/a.txt': 'one',
    });
    const first = await f.build(dir, { tags: ['bind:1'] });
    assert.equal(first.executedSteps, 2);
    assert.equal((await f.run('bind:1', ['cat', '/copied', '/rw'])).stdout, 'onenew\n');
    await assert.rejects(lstat(join(dir, 'data', 'written')));
    assert.equal((await f.run('bind:1', ['sh', '-c', 'ls /ctx /all 2>&1 | grep -c "No such"'])).stdout, '2\n');
    const again = await f.build(dir, { tags: ['bind:2'] });
    assert.equal(again.executedSteps, 0);
    await writeFile(join(dir, 'data', 'a.txt'), 'two');
    const changed = await f.build(dir, { tags: ['bind:3'] });
    assert.equal(changed.executedSteps, 2);
    assert.equal((await f.run('bind:3', ['cat', '/copied'])).stdout, 'two\n');
  });

  test('type=bind from another stage, and a cache seeded from a stage', async () => {
    const dir = await f.context({
      Dockerfile: [
        'FROM busybox AS tool',
        'RUN mkdir /out && echo built > /out/artifact',
        'FROM busybox',
        'RUN --mount=type=bind,from=tool,source=/out,target=/tool cat /tool/artifact > /got',
        'RUN --mount=type=cache,id=seeded,from=tool,source=/out,target=/seed cat /seed/artifact > /seeded',
      ].join('\n'),
    });
    await f.build(dir, { tags: ['from:1'] });
    assert.equal((await f.run('from:1', ['cat', '/got', '/seeded'])).stdout, 'built\nbuilt\n');
    assert.match((await f.run('from:1', ['sh', '-c', 'ls /tool 2>&1'])).stdout, /No such file/);
  });

  test('the mounts of a killed builder (a secret tmpfs, an overlay over the context) are removed when the next one opens', async () => {
    const dead = 2 ** 22 + 12345; // above pid_max's default: no such process
    const secretDir = join(root(), 'tmp', `build-${dead}-aaaaaa`);
    const merged = join(root(), 'tmp', `build-${dead}-bbbbbb`);
    const layers = join(root(), 'tmp', `build-${dead}-cccccc`);
    const lower = await f.context({ 'file.txt': 'context' });
    for (const dir of [secretDir, merged, join(layers, 'upper'), join(layers, 'work')]) await mkdir(dir, { recursive: true });
    const runner = new ChildProcessRunner();
    await runner.run('mount', ['-t', 'tmpfs', '-o', 'mode=0700', 'tmpfs', secretDir]);
    await runner.run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${join(layers, 'upper')},workdir=${join(layers, 'work')}`, merged]);
    await Builder.open(builderServices(f.engineFixture));
    assert.deepEqual(await currentMountPointsBelow(join(root(), 'tmp')), []);
    assert.deepEqual((await readdir(join(root(), 'tmp'))).filter((n) => n.startsWith(`build-${dead}-`)), []);
    assert.equal(await readFile(join(lower, 'file.txt'), 'utf8'), 'context');
  });

  test('a failing RUN with every kind of mount leaves no mount, no temp dir and no busy cache', async () => {
    const before = await currentMountPointsBelow(root());
    const dir = await f.context({
      Dockerfile: 'FROM busybox\nRUN --mount=type=cache,target=/c,sharing=locked --mount=type=secret,id=s --mount=type=bind,target=/ctx,rw --mount=type=tmpfs,target=/t cat /run/secrets/s && exit 7\n',
      'file.txt': 'x',
    });
    await assert.rejects(f.build(dir, { secrets: new Map([['s', Buffer.from('v')]]) }), (err: unknown) => isBerthError(err, 'failed-precondition') && /Dockerfile:2: .* returned a non-zero code: 7/.test(err.message));
    assert.deepEqual(await currentMountPointsBelow(root()), before);
    assert.deepEqual((await readdir(join(root(), 'tmp'))).filter((n) => n.startsWith('build-')), []);
    assert.ok((await f.builder.cacheMounts.list()).every((c) => !c.inUse));
    // The locked cache was given back: the next build that takes it is not stuck.
    const next = await f.context({ Dockerfile: 'FROM busybox\nRUN --mount=type=cache,target=/c,sharing=locked true\n' });
    await f.build(next);
  });
});
