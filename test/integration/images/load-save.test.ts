import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { arch } from 'node:os';
import { berth, berthOk, inspectImage, needsRoot } from '../../support/berth-cli.js';
import { makeTar, writeOciLayout } from '../../support/oci-fixtures.js';

/** This machine's architecture in OCI's (Go's) words. */
function hostArchitecture(): string {
  return arch() === 'x64' ? 'amd64' : arch();
}

describe('image load, save, import, tag, rm', { skip: needsRoot() }, () => {
  let work: string;
  let root: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-images-'));
    root = join(work, 'root');
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  test('bootstrap makes a runnable-looking busybox image', async () => {
    const images = JSON.parse(await berthOk(root, ['image', 'ls', '--format', 'json'])) as { RepoTags: string[]; Size: number }[];
    assert.deepEqual(images.map((i) => i.RepoTags), [['busybox:latest']]);
    const inspect = await inspectImage(root, 'busybox');
    assert.deepEqual(inspect.Config.Cmd, ['sh']);
    const layer = inspect.GraphDriver.Data.UpperDir;
    assert.ok((await stat(join(layer, 'bin', 'busybox'))).isFile());
    assert.ok((await readdir(join(layer, 'bin'))).length > 100);
  });

  for (const format of ['docker-archive', 'oci-archive', 'oci-dir']) {
    test(`save as ${format} and load into a fresh root keeps the image id and name`, async () => {
      const out = join(work, `saved-${format}`);
      await berthOk(root, ['image', 'save', '--format', format, '-o', out, 'busybox']);
      const fresh = join(work, `fresh-${format}`);
      const loaded = await berthOk(fresh, ['image', 'load', '-i', out]);
      assert.match(loaded, /Loaded image: busybox:latest/);
      const a = await inspectImage(root, 'busybox');
      const b = await inspectImage(fresh, 'busybox');
      assert.equal(b.Id, a.Id);
    });
  }

  test('load from stdin, and a gzip-compressed archive', async () => {
    const archive = join(work, 'saved-docker-archive');
    const gz = spawnSync('gzip', ['-c', archive], { maxBuffer: 1 << 30 }).stdout;
    const fresh = join(work, 'fresh-gz');
    assert.match(await berthOk(fresh, ['load'], { input: gz }), /Loaded image: busybox:latest/);
  });

  test('import a rootfs tarball with --change, then tag, history and rm', async () => {
    const tar = await makeTar([{ name: 'hello.txt', content: 'hello\n' }, { name: 'etc/', type: 'directory' }]);
    const tarball = join(work, 'rootfs.tar');
    await writeFile(tarball, tar);
    const id = (await berthOk(root, ['image', 'import', '-c', 'CMD ["cat", "/hello.txt"]', '-c', 'ENV A=1', '-m', 'from a test', tarball, 'example.com/test/hello:v1'])).trim();
    assert.match(id, /^sha256:[0-9a-f]{64}$/);
    const inspect = await inspectImage(root, 'example.com/test/hello:v1');
    assert.equal(inspect.Id, id);
    assert.deepEqual(inspect.Config.Cmd, ['cat', '/hello.txt']);
    assert.deepEqual(inspect.Config.Env, ['A=1']);
    assert.equal(inspect.Comment, 'from a test');

    await berthOk(root, ['tag', 'example.com/test/hello:v1', 'hello:latest']);
    const history = JSON.parse(await berthOk(root, ['history', '--format', 'json', 'hello'])) as { Id: string; Size: number }[];
    assert.equal(history.length, 1);
    assert.equal(history[0]?.Size, 6);

    // Removing one of two names only untags; an id with two names needs --force.
    assert.match(await berthOk(root, ['rmi', 'hello']), /Untagged: hello:latest/);
    await berthOk(root, ['tag', id, 'hello:again']);
    const refused = await berth(root, ['rmi', id.slice(7, 19)]);
    assert.equal(refused.code, 4);
    assert.match(refused.stderr, /must be forced/);
    const removed = await berthOk(root, ['rmi', '-f', id.slice(7, 19)]);
    assert.match(removed, /Deleted: sha256:/);
    const missing = await berth(root, ['image', 'inspect', 'hello:again']);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /No such image/);
  });

  test('an OCI layout with two images sharing a gzip base layer loads both and shares the layer', async () => {
    const base = await makeTar([{ name: 'base.txt', content: 'base' }]);
    const top1 = await makeTar([{ name: 'one.txt', content: '1' }]);
    const top2 = await makeTar([{ name: 'two.txt', content: '2' }, { name: '.wh.base.txt' }]);
    const dir = join(work, 'two-images');
    await writeOciLayout(dir, [
      { name: 'example.com/one:1', layers: [{ tar: base, compression: 'gzip' }, { tar: top1 }] },
      { name: 'example.com/two:2', layers: [{ tar: base, compression: 'gzip' }, { tar: top2, compression: 'gzip' }] },
    ]);
    const fresh = join(work, 'fresh-two');
    const out = await berthOk(fresh, ['load', '-i', dir]);
    assert.match(out, /example.com\/one:1/);
    assert.match(out, /example.com\/two:2/);
    const snapshots = (await readdir(join(fresh, 'snapshots'))).filter((n) => /^\d+$/.test(n));
    assert.equal(snapshots.length, 3, 'base layer unpacked once');
    // Removing one image keeps the shared base layer for the other.
    await berthOk(fresh, ['rmi', 'example.com/one:1']);
    const two = await inspectImage(fresh, 'example.com/two:2');
    const lower = two.GraphDriver.Data.LowerDir;
    assert.equal(await readFile(join(lower, 'base.txt'), 'utf8'), 'base');
    assert.equal((await readdir(join(fresh, 'snapshots'))).filter((n) => /^\d+$/.test(n)).length, 2);
  });

  test('zstd layers load, and a multi-platform index loads the manifest for this machine', async () => {
    const dir = join(work, 'multi-platform');
    const [manifestDigest] = await writeOciLayout(dir, [{ layers: [{ tar: await makeTar([{ name: 'zstd.txt', content: 'zstd!' }]), compression: 'zstd' }] }]);
    assert.ok(manifestDigest);
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { mediaType: string; digest: string; size: number }[] };
    const amd64 = index.manifests[0];
    assert.ok(amd64);
    // The other platform's manifest is absent, as in a layout saved for one machine.
    const nested = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { ...amd64, digest: `sha256:${'e'.repeat(64)}`, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { ...amd64, platform: { os: 'linux', architecture: hostArchitecture() } },
      ],
    }));
    const nestedDigest = `sha256:${createHash('sha256').update(nested).digest('hex')}`;
    await writeFile(join(dir, 'blobs', 'sha256', nestedDigest.slice(7)), nested);
    await writeFile(join(dir, 'index.json'), JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: nestedDigest, size: nested.length, annotations: { 'io.containerd.image.name': 'example.com/multi:1' } }],
    }));
    const fresh = join(work, 'fresh-multi');
    assert.match(await berthOk(fresh, ['load', '-i', dir]), /Loaded image: example.com\/multi:1/);
    const inspect = await inspectImage(fresh, 'example.com/multi:1');
    assert.equal(await readFile(join(inspect.GraphDriver.Data.UpperDir, 'zstd.txt'), 'utf8'), 'zstd!');
  });

  test('an OCI layout entry named only by a bare tag: loaded unnamed with the reason, or as a tag of --name', async () => {
    const layout = join(work, 'bare-tag');
    await writeOciLayout(layout, [{ refName: 'z1', layers: [{ tar: await makeTar([{ name: 'z', content: 'bare tag' }]) }] }]);
    const unnamed = await berthOk(join(work, 'bare-unnamed'), ['image', 'load', '-i', layout]);
    assert.match(unnamed, /only by the tag "z1": give a repository \(berth load --name REPOSITORY\) to load it as REPOSITORY:z1/);
    assert.match(unnamed, /Loaded image ID: sha256:/);
    const named = await berthOk(join(work, 'bare-named'), ['image', 'load', '-i', layout, '--name', 'example.com/team/zed']);
    assert.match(named, /^Loaded image: example.com\/team\/zed:z1$/m);
    assert.equal((await inspectImage(join(work, 'bare-named'), 'example.com/team/zed:z1')).RepoTags[0], 'example.com/team/zed:z1');
    const tagged = await berth(join(work, 'bare-bad'), ['image', 'load', '-i', layout, '--name', 'zed:v2']);
    assert.notEqual(tagged.code, 0);
    assert.match(tagged.stderr, /--name: "zed:v2" must be a repository without a tag or digest/);
  });

  test('system df and prune', async () => {
    const df = JSON.parse(await berthOk(root, ['system', 'df', '--format', 'json'])) as { Images: { Total: number; Size: number } };
    assert.ok(df.Images.Total >= 1);
    assert.ok(df.Images.Size > 1_000_000);
    const pruned = await berthOk(root, ['image', 'prune', '--all', '-f']);
    assert.match(pruned, /deleted: sha256:/);
    const after = JSON.parse(await berthOk(root, ['system', 'df', '--format', 'json'])) as { Images: { Total: number; Size: number } };
    assert.equal(after.Images.Total, 0);
    assert.equal(after.Images.Size, 0);
    assert.deepEqual((await readdir(join(root, 'snapshots'))).filter((n) => !n.startsWith('.')), []);
  });
});
