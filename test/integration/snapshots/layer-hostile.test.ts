import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readdir, readlink, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { unpackLayer } from '../../../src/snapshots/layer-unpacker.js';
import { isBerthError } from '../../../src/base/errors.js';
import { buildTar, cleanupDir, makeTempDir, notRoot, runner, type TarEntrySpec } from '../../support/snapshots-fixtures.js';

const skip = notRoot();

/** A temp dir holding `target/` (the unpack target) and `outside/` (must stay empty). */
async function arena(prefix: string): Promise<{ dir: string; target: string; outside: string }> {
  const dir = await makeTempDir(prefix);
  const target = join(dir, 'target');
  const outside = join(dir, 'outside');
  await mkdir(target);
  await mkdir(outside);
  return { dir, target, outside };
}

async function unpack(entries: TarEntrySpec[], target: string): Promise<void> {
  await unpackLayer(Readable.from([await buildTar(entries)]), target, { runner });
}

async function assertUnsafe(entries: TarEntrySpec[], target: string, named: string): Promise<void> {
  await assert.rejects(unpack(entries, target), (err: unknown) => {
    assert.ok(isBerthError(err, 'invalid-argument'), `expected invalid-argument, got ${String(err)}`);
    assert.equal(err.reason, 'unsafe-layer-entry');
    assert.ok(err.message.includes(named), `message "${err.message}" names "${named}"`);
    return true;
  });
}

async function assertAbsent(path: string): Promise<void> {
  await assert.rejects(lstat(path), { code: 'ENOENT' }, `${path} must not exist`);
}

describe('hostile layers', { skip }, () => {
  test('".." that climbs out is rejected and nothing lands outside', async () => {
    const { dir, target, outside } = await arena('dotdot');
    try {
      await assertUnsafe([{ name: '../escape', content: 'x' }], target, '../escape');
      await assertUnsafe([{ name: 'a/', type: 'directory' }, { name: 'a/../../escape', content: 'x' }], target, 'a/../../escape');
      await assertUnsafe([{ name: '../outside/escape', type: 'symlink', linkname: '/' }], target, '../outside/escape');
      await assertUnsafe([{ name: '.wh...', content: '' }], target, '.wh...');
      await assertAbsent(join(dir, 'escape'));
      assert.deepEqual(await readdir(outside), []);
    } finally {
      await cleanupDir(dir);
    }
  });

  test('absolute paths are made relative to the target', async () => {
    const { dir, target } = await arena('absolute');
    const name = `berth-test-${randomBytes(6).toString('hex')}`;
    try {
      await unpack([{ name: `/etc/${name}`, content: 'contained' }], target);
      assert.equal(await readFile(join(target, 'etc', name), 'utf8'), 'contained');
      await assertAbsent(join('/etc', name));
    } finally {
      await cleanupDir(dir);
    }
  });

  test('a symlink to / is never written through', async () => {
    const { dir, target } = await arena('symlink-root');
    const name = `berth-pwned-${randomBytes(6).toString('hex')}`;
    try {
      await assertUnsafe([{ name: 'evil', type: 'symlink', linkname: '/' }, { name: `evil/etc/${name}`, content: 'pwned' }], target, `evil/etc/${name}`);
      await assertAbsent(join('/etc', name));
    } finally {
      await cleanupDir(dir);
    }
  });

  test('a symlink to an outside dir or to .. is never written through', async () => {
    const { dir, target, outside } = await arena('symlink-out');
    try {
      await assertUnsafe([{ name: 'out', type: 'symlink', linkname: outside }, { name: 'out/pwned', content: 'x' }], target, 'out/pwned');
      await assertUnsafe([{ name: 'up', type: 'symlink', linkname: '..' }, { name: 'up/escape', content: 'x' }], target, 'up/escape');
      await assertUnsafe(
        [{ name: 'd/', type: 'directory' }, { name: 'd/up', type: 'symlink', linkname: '../..' }, { name: 'd/up/outside/x', type: 'directory' }],
        target,
        'd/up/outside/x',
      );
      // A directory entry over an outside symlink replaces the link; it does not follow it.
      await unpack([{ name: 'out', type: 'symlink', linkname: outside }, { name: 'out/', type: 'directory', mode: 0o700 }], target);
      assert.ok((await lstat(join(target, 'out'))).isDirectory());
      assert.equal((await lstat(outside)).mode & 0o777, 0o755);
      assert.deepEqual(await readdir(outside), []);
      await assertAbsent(join(dir, 'escape'));
    } finally {
      await cleanupDir(dir);
    }
  });

  test('hard links cannot reach outside the target', async () => {
    const { dir, target, outside } = await arena('hardlink');
    try {
      await assertUnsafe([{ name: 'passwd', type: 'link', linkname: '../../etc/passwd' }], target, '../../etc/passwd');
      await assertUnsafe(
        [{ name: 'etc', type: 'symlink', linkname: '/etc' }, { name: 'passwd', type: 'link', linkname: 'etc/passwd' }],
        target,
        'passwd',
      );
      for (const linkname of ['missing', '/etc/passwd', 'no/such/dir/file']) {
        // An absolute target is a path of the layer, as in Docker; one no earlier entry made is
        // refused naming the entry (never a raw ENOENT showing a host path).
        const fresh = join(dir, `fresh-${linkname.replace(/\W/g, '')}`);
        await mkdir(fresh);
        await assert.rejects(unpack([{ name: 'h', type: 'link', linkname }], fresh), (err: unknown) => {
          assert.ok(isBerthError(err, 'invalid-argument'), String(err));
          assert.equal(err.reason, 'hard-link-target-missing');
          assert.doesNotMatch(err.message, new RegExp(dir));
          return true;
        });
      }
      const layer = join(dir, 'absolute-link');
      await mkdir(layer);
      await unpack([{ name: 'etc/', type: 'directory' }, { name: 'etc/passwd', content: 'root:x:0:0::/root:/bin/sh\n' }, { name: 'hard', type: 'link', linkname: '/etc/passwd' }], layer);
      assert.equal((await readFile(join(layer, 'hard'), 'utf8')).trim(), 'root:x:0:0::/root:/bin/sh');
      await assertAbsent(join(target, 'passwd'));
      assert.deepEqual(await readdir(outside), []);
    } finally {
      await cleanupDir(dir);
    }
  });

  test('a symlink planted by an earlier layer is not followed by a later one, nor by the merged view', async () => {
    const { dir, outside } = await arena('planted');
    try {
      const [layer1, layer2, merged] = ['layer1', 'layer2', 'merged'].map((name) => join(dir, name)) as [string, string, string];
      for (const path of [layer1, layer2, merged]) await mkdir(path);
      await unpack([{ name: 'etc', type: 'symlink', linkname: outside }, { name: 'root', type: 'symlink', linkname: '/' }], layer1);
      await unpack([{ name: 'etc/pwned', content: 'in layer 2' }, { name: 'root/etc/pwned2', content: 'x' }], layer2);
      // Layer 2 got real directories of its own: nothing went through layer 1's links.
      assert.ok((await lstat(join(layer2, 'etc'))).isDirectory());
      assert.ok((await lstat(join(layer2, 'root/etc'))).isDirectory());
      assert.deepEqual(await readdir(outside), []);
      await assertAbsent('/etc/pwned2');
      assert.equal(await readlink(join(layer1, 'etc')), outside);

      await runner.run('mount', ['-t', 'overlay', 'overlay', '-o', 'lowerdir=layer2:layer1,index=off,redirect_dir=off,metacopy=off', merged], {
        cwd: dir,
      });
      assert.ok((await lstat(join(merged, 'etc'))).isDirectory(), 'the upper dir hides the lower symlink');
      assert.equal(await realpath(join(merged, 'etc/pwned')), join(merged, 'etc/pwned'));
      assert.equal(await readFile(join(merged, 'etc/pwned'), 'utf8'), 'in layer 2');
      assert.deepEqual(await readdir(outside), []);
    } finally {
      await cleanupDir(dir);
    }
  });
});
