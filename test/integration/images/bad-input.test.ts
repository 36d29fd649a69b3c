import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { berth, berthOk, needsRoot } from '../../support/berth-cli.js';
import { makeTar, writeOciLayout, type FixtureImage } from '../../support/oci-fixtures.js';
import { storeState, type StoreState } from './store-state.js';

/**
 * Every bad archive is refused with a clear error and leaves the store exactly as it was:
 * same images, same blobs, same snapshots, no temp files.
 */
describe('bad input to image load is refused and loses nothing', { skip: needsRoot() }, () => {
  let work: string;
  let root: string;
  let before_: StoreState;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'berth-bad-'));
    root = join(work, 'root');
    await berthOk(root, ['image', 'bootstrap', 'busybox']);
    before_ = await storeState(root);
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function refuse(name: string, images: FixtureImage[], code: number, pattern: RegExp, tamper?: (dir: string) => Promise<void>): Promise<void> {
    const dir = join(work, name);
    await writeOciLayout(dir, images);
    await tamper?.(dir);
    const result = await berth(root, ['load', '-i', dir]);
    assert.equal(result.code, code, `${name}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
    assert.deepEqual(await storeState(root), before_, `${name}: the store changed`);
  }

  test('a layer that escapes with ..', async () => {
    const tar = await makeTar([{ name: 'ok.txt', content: 'x' }, { name: '../../../escape.txt', content: 'pwned' }]);
    await refuse('dotdot', [{ name: 'example.com/evil:1', layers: [{ tar }] }], 2, /unsafe|\.\./);
    await assert.rejects(stat(join(work, 'escape.txt')));
  });

  test('a layer that writes through a symlink it planted', async () => {
    const tar = await makeTar([{ name: 'evil', type: 'symlink', linkname: work }, { name: 'evil/pwned.txt', content: 'pwned' }]);
    await refuse('symlink', [{ name: 'example.com/evil:2', layers: [{ tar }] }], 2, /symbolic link|unsafe/);
    await assert.rejects(stat(join(work, 'pwned.txt')));
  });

  test('a layer whose content does not match its diff id', async () => {
    const tar = await makeTar([{ name: 'a.txt', content: 'a' }]);
    await refuse('diffid', [{ name: 'example.com/bad:diffid', layers: [{ tar, diffId: `sha256:${'0'.repeat(64)}` }] }], 9, /diff/i);
  });

  test('a blob whose bytes do not match its digest', async () => {
    const tar = await makeTar([{ name: 'a.txt', content: 'original' }]);
    const [manifest] = await writeOciLayout(join(work, 'tamper-src'), [{ layers: [{ tar }] }]);
    assert.ok(manifest);
    await refuse('tampered', [{ name: 'example.com/bad:tampered', layers: [{ tar }] }], 9, /hashes to|digest/, async (dir) => {
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
      const digest = index.manifests[0]?.digest ?? '';
      const path = join(dir, 'blobs', 'sha256', digest.slice(7));
      await writeFile(path, (await readFile(path, 'utf8')).replace('"schemaVersion":2', '"schemaVersion":2 '));
    });
  });

  test('a config that lists a different number of layers than the manifest', async () => {
    const tar = await makeTar([{ name: 'a.txt', content: 'a' }]);
    await refuse('count', [{ name: 'example.com/bad:count', layers: [{ tar }] }], 2, /rootfs\.diff_ids|layers/, async (dir) => {
      // Rewrite index.json to point at a manifest with zero layers but the same config.
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string; size: number }[] };
      const entry = index.manifests[0];
      assert.ok(entry);
      const manifest = JSON.parse(await readFile(join(dir, 'blobs', 'sha256', entry.digest.slice(7)), 'utf8')) as { layers: unknown[] };
      manifest.layers = [];
      const bytes = Buffer.from(JSON.stringify(manifest));
      const { createHash } = await import('node:crypto');
      const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
      await writeFile(join(dir, 'blobs', 'sha256', digest.slice(7)), bytes);
      entry.digest = digest;
      entry.size = bytes.length;
      await writeFile(join(dir, 'index.json'), JSON.stringify(index));
    });
  });

  test('a manifest with a malformed field names the field', async () => {
    const tar = await makeTar([{ name: 'a.txt', content: 'a' }]);
    await refuse('schema', [{ name: 'example.com/bad:schema', layers: [{ tar }] }], 2, /index\.json: field manifests\.0\.size/, async (dir) => {
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: { size: unknown }[] };
      const entry = index.manifests[0];
      assert.ok(entry);
      entry.size = 'big';
      await writeFile(join(dir, 'index.json'), JSON.stringify(index));
    });
  });

  test('an invalid image name in the archive', async () => {
    const tar = await makeTar([{ name: 'a.txt', content: 'a' }]);
    await refuse('name', [{ name: 'Not A Name', layers: [{ tar }] }], 2, /invalid image name/);
  });

  test('a file that is not an archive, and one that does not exist', async () => {
    const junk = join(work, 'junk.tar');
    await writeFile(junk, 'this is not a tar file at all'.repeat(100));
    const result = await berth(root, ['load', '-i', junk]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /not a readable tar|not an image archive/);
    const missing = await berth(root, ['load', '-i', join(work, 'nope.tar')]);
    assert.equal(missing.code, 3);
    assert.match(missing.stderr, /no such file/);
    assert.deepEqual(await storeState(root), before_);
  });

  test('a docker-archive whose manifest.json names a missing layer', async () => {
    const archiveDir = join(work, 'docker-missing');
    const tar = await makeTar([{ name: 'a.txt', content: 'a' }]);
    await writeOciLayout(archiveDir, [{ layers: [{ tar }] }]);
    await writeFile(join(archiveDir, 'manifest.json'), JSON.stringify([{ Config: 'config.json', RepoTags: ['x:1'], Layers: ['nope/layer.tar'] }]));
    await writeFile(join(archiveDir, 'config.json'), JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
    const { spawnSync } = await import('node:child_process');
    const archive = join(work, 'docker-missing.tar');
    spawnSync('tar', ['-C', archiveDir, '-cf', archive, 'manifest.json', 'config.json']);
    const result = await berth(root, ['load', '-i', archive]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /nope\/layer\.tar/);
    assert.deepEqual(await storeState(root), before_);
  });
});
