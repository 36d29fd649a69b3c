// Tar contexts (what POST /build receives): the tree read on the way in gives the same content
// hashes as the unpacked files; a build whose steps are all cached never unpacks the context; a
// context over the memory limit is unpacked at once and builds the same; an entry that climbs out
// is refused. Needs root (the builds run on the engine).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstat, mkdir, readdir, symlink, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { isBerthError } from '../../../src/base/errors.js';
import { BuildContext } from '../../../src/build/context/build-context.js';
import { hashSource } from '../../../src/build/steps/copy-files.js';
import { BuildFixture, skipReason } from './build-fixture.js';

const runner = new ChildProcessRunner();

function tarOf(dir: string): Buffer {
  const result = spawnSync('tar', ['-C', dir, '-c', '.'], { maxBuffer: 1 << 26 });
  assert.equal(result.status, 0, result.stderr.toString());
  return result.stdout;
}

describe('tar build contexts', { skip: skipReason() }, () => {
  let f: BuildFixture;
  before(async () => { f = await BuildFixture.create(); });
  after(async () => { await f.cleanup(); });

  const tmp = (): string => f.images.root.tmp;
  const open = (tar: Buffer, memoryLimit?: number) => BuildContext.fromTar(Readable.from([tar]), tmp(), runner, memoryLimit === undefined ? {} : { memoryLimit });

  test('the tree hashes a source as the unpacked files hash, symlinks resolved inside the context', async () => {
    const dir = await f.context({ 'app/main.sh': 'echo hi', 'app/lib/x.txt': 'x', 'app/empty': '', 'Dockerfile': 'FROM busybox\n' });
    await chmod(join(dir, 'app', 'main.sh'), 0o755);
    await symlink('lib/x.txt', join(dir, 'app', 'link'));
    await symlink('/app', join(dir, 'abs-link'));
    const context = await open(tarOf(dir));
    try {
      for (const path of ['app', 'app/lib', 'app/main.sh', 'abs-link', 'abs-link/link', '.']) {
        const fromTree = await context.hash(path);
        const fromDisk = await hashSource(await context.hostPath(path));
        assert.equal(fromTree, fromDisk, path);
      }
    } finally {
      await context.close();
    }
  });

  test('a fully cached build from a tar never unpacks it; a COPY from it unpacks it once', async () => {
    const dir = await f.context({
      Dockerfile: 'FROM busybox\nCOPY src/ /src/\nCOPY *.txt /txt/\nRUN cat /src/a /txt/b.txt > /both\n',
      'src/a': 'a\n', 'b.txt': 'b\n', 'ignored.txt': 'no', '.dockerignore': 'ignored.txt\n',
    });
    const tar = tarOf(dir);
    const first = await open(tar);
    try {
      const built = await f.builder.build({ context: first, tags: ['tarctx:1'] });
      assert.equal(built.executedSteps, 3);
    } finally {
      await first.close();
    }
    assert.equal((await f.run('tarctx:1', ['sh', '-c', 'cat /both; ls /txt'])).stdout, 'a\nb\nb.txt\n');
    const second = await open(tar);
    try {
      const again = await f.builder.build({ context: second, tags: ['tarctx:2'] });
      assert.equal(again.executedSteps, 0);
      assert.equal(again.image.id, f.images.resolve('tarctx:1').id);
      const contexts = (await readdir(tmp())).filter((n) => n.startsWith('build-context-'));
      assert.equal(contexts.length, 1);
      await assert.rejects(lstat(join(tmp(), contexts[0] ?? '', 'fs')), 'nothing was unpacked');
    } finally {
      await second.close();
    }
    assert.deepEqual((await readdir(tmp())).filter((n) => n.startsWith('build-context-')), []);
  });

  test('a context over the memory limit waits in a spool file and gives the same cache keys', async () => {
    const dir = await f.context({ Dockerfile: 'FROM busybox\nCOPY big /big\n', big: Buffer.alloc(256 * 1024, 7) });
    const tar = tarOf(dir);
    const small = await open(tar);
    let id: string;
    try {
      id = (await f.builder.build({ context: small })).image.id;
    } finally {
      await small.close();
    }
    const big = await open(tar, 64 * 1024);
    try {
      const contexts = (await readdir(tmp())).filter((n) => n.startsWith('build-context-'));
      assert.deepEqual(await readdir(join(tmp(), contexts[0] ?? '')), ['context.tar']);
      const again = await f.builder.build({ context: big });
      assert.equal(again.executedSteps, 0);
      assert.equal(again.image.id, id);
      // A step that needs the files unpacks the spool.
      const copied = await f.builder.build({ context: big, dockerfileText: 'FROM busybox\nCOPY big /other\nRUN cmp /other /big 2>/dev/null || wc -c < /other > /size\n' });
      assert.equal((await f.run(copied.image.id, ['cat', '/size'])).stdout, '262144\n');
      assert.deepEqual((await readdir(join(tmp(), contexts[0] ?? ''))).sort(), ['fs']);
    } finally {
      await big.close();
    }
  });

  test('a tar entry that climbs out of the context is refused and leaves nothing', async () => {
    const tar = pack();
    tar.entry({ name: 'Dockerfile' }, 'FROM busybox\n');
    tar.entry({ name: '../escape' }, 'x');
    tar.finalize();
    await assert.rejects(BuildContext.fromTar(Readable.from(tar), tmp(), runner), (err: unknown) => isBerthError(err, 'invalid-argument'));
    assert.deepEqual((await readdir(tmp())).filter((n) => n.startsWith('build-context-')), []);
    await mkdir(join(tmp(), 'unused'), { recursive: true });
    await writeFile(join(tmp(), 'unused', 'x'), '');
  });
});
