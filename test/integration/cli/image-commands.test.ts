// The image commands in both modes: through berthd (the default: --host / BERTH_HOST) and
// in-process with --root. The same commands print the same output either way. Needs root.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ChildProcessRunner } from '../../../src/base/process-runner.js';
import { berth, runBerth } from '../../support/berth-cli.js';
import { CliFixture, needsRoot } from './cli-fixture.js';

interface ListedImage { Id: string; RepoTags: string[]; Names: string[]; Size: number; Platform: string }

describe('berth CLI: image commands through berthd and in-process', { skip: needsRoot() }, () => {
  let f: CliFixture;
  before(async () => { f = await CliFixture.start(); });
  after(async () => { await f.cleanup(); });

  test('images, image ls --format json and inspect agree between the API and --root', async () => {
    const remote = JSON.parse(await f.ok(['image', 'ls', '--format', 'json'])) as ListedImage[];
    const local = JSON.parse((await berth(f.root, ['image', 'ls', '--format', 'json'])).stdout) as ListedImage[];
    assert.deepEqual(remote.map((i) => [i.Id, i.RepoTags, i.Names, i.Size, i.Platform]), local.map((i) => [i.Id, i.RepoTags, i.Names, i.Size, i.Platform]));
    assert.deepEqual(remote[0]?.RepoTags, ['busybox:latest']);
    assert.match((await f.ok(['images'])).split('\n')[1] ?? '', /^busybox +latest +[0-9a-f]{12} +.+ ago +[\d.]+[kM]B$/);
    const [viaApi] = JSON.parse(await f.ok(['image', 'inspect', 'busybox'])) as { Id: string }[];
    const [inProcess] = JSON.parse((await berth(f.root, ['image', 'inspect', 'busybox'])).stdout) as { Id: string }[];
    assert.deepEqual(viaApi, inProcess);
    assert.match(await f.ok(['history', 'busybox']), /^IMAGE +CREATED +CREATED BY +SIZE +COMMENT\n/);
  });

  test('tag, save, rmi and load through berthd', async () => {
    assert.equal(await f.ok(['tag', 'busybox', 'cli-copy:1']), '');
    const archive = join(f.work, 'copy.tar');
    assert.equal(await f.ok(['save', '-o', archive, 'cli-copy:1']), '');
    assert.equal(await f.ok(['rmi', 'cli-copy:1']), 'Untagged: cli-copy:1\n');
    assert.match(await f.ok(['load', '-i', archive]), /^Loaded image: cli-copy:1$/m);
    const ids = (await f.ok(['images', '-q'])).split('\n').filter(Boolean);
    assert.equal(ids.length, 1, 'one image id with two names');
    const missing = await f.cli(['rmi', 'no-such-image']);
    assert.equal(missing.code, 3);
    const both = await f.cli(['rmi', ids[0] ?? '']);
    assert.equal(both.code, 4, 'an image id with several names needs -f');
    assert.equal(await f.ok(['rmi', 'cli-copy:1']), 'Untagged: cli-copy:1\n');
    const badFormat = await f.cli(['save', '--format', 'oci-archive', '-o', join(f.work, 'x.tar'), 'busybox']);
    assert.equal(badFormat.code, 5, 'OCI formats need --root');
    // A file that cannot be read is named as such, not taken for a daemon that cannot be reached.
    const noFile = await f.cli(['load', '-i', join(f.work, 'missing.tar')]);
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /load: cannot read .*missing\.tar: ENOENT/);
  });

  test('import a root filesystem tarball through berthd, with -c and -m', async () => {
    const tree = join(f.work, 'tree');
    await mkdir(tree);
    await writeFile(join(tree, 'hello.txt'), 'hello\n');
    const tarball = join(f.work, 'rootfs.tar');
    await new ChildProcessRunner().run('tar', ['-cf', tarball, '-C', tree, '.']);
    const id = (await f.ok(['import', '-c', 'CMD ["/bin/true"]', '-m', 'from the cli', tarball, 'cli-imported:1'])).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    const [image] = JSON.parse(await f.ok(['image', 'inspect', 'cli-imported:1'])) as { Id: string; Comment: string; Config: { Cmd: string[] } }[];
    assert.deepEqual([image?.Id, image?.Comment, image?.Config.Cmd], [id, 'from the cli', ['/bin/true']]);
    const removed = await f.ok(['rmi', 'cli-imported:1']);
    assert.match(removed, /^Untagged: cli-imported:1\nDeleted: sha256:/);
  });

  test('system df counts images and containers through berthd', async () => {
    const id = (await f.ok(['create', '--network', 'none', 'busybox', 'true'])).trim();
    const usage = JSON.parse(await f.ok(['system', 'df', '--format', 'json'])) as Record<string, { Total: number; Active: number }>;
    assert.deepEqual([usage.Images?.Total, usage.Images?.Active, usage.Containers?.Total, usage.Containers?.Active], [1, 1, 1, 0]);
    await f.ok(['rm', id]);
  });

  test('without a daemon, image commands say how to reach one; --root works without one', async () => {
    const absent = await runBerth(['--host', `unix://${f.work}/absent.sock`, 'images'], { unsetEnv: ['BERTH_ROOT', 'BERTH_HOST'] });
    assert.equal(absent.code, 6);
    assert.match(absent.stderr, /cannot connect to berthd/);
    const local = await runBerth(['images', '-q'], { env: { BERTH_ROOT: f.root, BERTH_HOST: `unix://${f.work}/absent.sock` } });
    assert.deepEqual([local.code, local.stdout.trim().length], [0, 12], 'BERTH_ROOT selects the in-process mode');
  });
});
