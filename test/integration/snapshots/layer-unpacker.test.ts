import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, readlink, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { extract as tarExtract } from 'tar-stream';
import { unpackLayer } from '../../../src/snapshots/layer-unpacker.js';
import { diffDirectory } from '../../../src/snapshots/layer-differ.js';
import { isBerthError } from '../../../src/base/errors.js';
import { buildTar, cleanupDir, makeTempDir, notRoot, runner, sha256, xattrsOf, type TarEntrySpec } from '../../support/snapshots-fixtures.js';

const skip = notRoot();
const MTIME = new Date('2021-06-07T08:09:10Z');

const NORMAL_LAYER: TarEntrySpec[] = [
  { name: 'bin/', type: 'directory', mode: 0o755, mtime: MTIME },
  { name: 'bin/tool', content: '#!/bin/sh\necho hi\n', mode: 0o4755, uid: 0, gid: 0, mtime: MTIME },
  { name: 'bin/tool-link', type: 'link', linkname: 'bin/tool' },
  { name: 'bin/sh', type: 'symlink', linkname: '/bin/busybox', mtime: MTIME },
  { name: 'home/user/notes.txt', content: 'owned by 1000', uid: 1000, gid: 1001, mode: 0o600, mtime: MTIME },
  { name: 'tmp/', type: 'directory', mode: 0o1777, mtime: MTIME },
  { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, mode: 0o666, mtime: MTIME },
  { name: 'dev/loop0', type: 'block-device', devmajor: 7, devminor: 0, mode: 0o660, mtime: MTIME },
  { name: 'run/fifo', type: 'fifo', mode: 0o640, mtime: MTIME },
  { name: 'etc/attrs', content: 'x', pax: { 'SCHILY.xattr.user.color': 'blue', 'SCHILY.xattr.trusted.overlay.redirect': '/etc' } },
  { name: '/abs/contained', content: 'kept inside' },
  { name: 'big.bin', content: Buffer.alloc(3 * 1024 * 1024 + 17, 0xab) },
  { name: 'home/', type: 'directory', mode: 0o750, uid: 5, gid: 6, mtime: MTIME },
];

async function unpackTo(entries: TarEntrySpec[], target: string, compressed?: Buffer) {
  const tar = compressed ?? (await buildTar(entries));
  return unpackLayer(Readable.from([tar]), target, { runner, expectedDiffId: sha256(tar) });
}

describe('layer unpacker', { skip }, () => {
  test('a normal layer round-trips files, links, devices, modes, owners, mtimes and xattrs', async () => {
    const dir = await makeTempDir('unpack');
    try {
      const target = join(dir, 'layer');
      await mkdir(target);
      const tar = await buildTar(NORMAL_LAYER);
      const result = await unpackLayer(Readable.from([tar]), target, { runner, expectedDiffId: sha256(tar) });
      assert.equal(result.diffId, sha256(tar));
      assert.equal(result.size, '#!/bin/sh\necho hi\n'.length + 'owned by 1000'.length + 1 + 'kept inside'.length + 3 * 1024 * 1024 + 17);

      const tool = await lstat(join(target, 'bin/tool'));
      assert.equal(tool.mode & 0o7777, 0o4755);
      assert.equal(tool.mtime.getTime(), MTIME.getTime());
      assert.equal(tool.nlink, 2);
      assert.equal((await lstat(join(target, 'bin/tool-link'))).ino, tool.ino);
      assert.equal(await readFile(join(target, 'bin/tool'), 'utf8'), '#!/bin/sh\necho hi\n');
      assert.equal(await readlink(join(target, 'bin/sh')), '/bin/busybox');
      assert.equal((await lstat(join(target, 'bin/sh'))).mtime.getTime(), MTIME.getTime());

      const notes = await lstat(join(target, 'home/user/notes.txt'));
      assert.deepEqual([notes.uid, notes.gid, notes.mode & 0o7777], [1000, 1001, 0o600]);
      const home = await lstat(join(target, 'home'));
      assert.deepEqual([home.uid, home.gid, home.mode & 0o7777, home.mtime.getTime()], [5, 6, 0o750, MTIME.getTime()]);
      const tmp = await lstat(join(target, 'tmp'));
      assert.equal(tmp.mode & 0o7777, 0o1777);
      assert.equal(tmp.mtime.getTime(), MTIME.getTime());
      assert.equal((await lstat(join(target, 'bin'))).mtime.getTime(), MTIME.getTime(), 'dir mtime set after its children');

      const devNull = await lstat(join(target, 'dev/null'));
      assert.ok(devNull.isCharacterDevice());
      assert.equal(devNull.rdev, (1 << 8) | 3);
      assert.equal(devNull.mode & 0o7777, 0o666);
      assert.ok((await lstat(join(target, 'dev/loop0'))).isBlockDevice());
      const fifo = await lstat(join(target, 'run/fifo'));
      assert.ok(fifo.isFIFO());
      assert.equal(fifo.mode & 0o7777, 0o640);

      const attrs = await xattrsOf(join(target, 'etc/attrs'));
      assert.equal(attrs.get('user.color'), 'blue');
      assert.equal(attrs.has('trusted.overlay.redirect'), false, 'overlay xattrs from a tar are dropped');
      assert.equal(await readFile(join(target, 'abs/contained'), 'utf8'), 'kept inside');
      assert.equal((await lstat(join(target, 'big.bin'))).size, 3 * 1024 * 1024 + 17);
    } finally {
      await cleanupDir(dir);
    }
  });

  test('later entries replace earlier ones; a dir over a dir is kept', async () => {
    const dir = await makeTempDir('replace');
    try {
      await unpackTo(
        [
          { name: 'a/', type: 'directory' },
          { name: 'a/keep', content: 'keep' },
          { name: 'a/', type: 'directory', mode: 0o700 },
          { name: 'f', content: 'first' },
          { name: 'f', content: 'second' },
          { name: 'd/x', content: 'gone' },
          { name: 'd', type: 'symlink', linkname: 'a' },
        ],
        dir,
      );
      assert.equal(await readFile(join(dir, 'a/keep'), 'utf8'), 'keep');
      assert.equal((await lstat(join(dir, 'a'))).mode & 0o7777, 0o700);
      assert.equal(await readFile(join(dir, 'f'), 'utf8'), 'second');
      assert.equal(await readlink(join(dir, 'd')), 'a');
    } finally {
      await cleanupDir(dir);
    }
  });

  test('a diff ID mismatch throws data-loss', async () => {
    const dir = await makeTempDir('diffid');
    try {
      const tar = await buildTar([{ name: 'a', content: 'a' }]);
      const wrong = sha256(Buffer.from('something else'));
      await assert.rejects(unpackLayer(Readable.from([tar]), dir, { runner, expectedDiffId: wrong }), (err: unknown) => {
        assert.ok(isBerthError(err, 'data-loss'));
        assert.equal(err.reason, 'diff-id-mismatch');
        return true;
      });
    } finally {
      await cleanupDir(dir);
    }
  });

  test('a truncated tar is rejected as malformed', async () => {
    const dir = await makeTempDir('truncated');
    try {
      const tar = await buildTar([{ name: 'a', content: Buffer.alloc(5000, 1) }]);
      await assert.rejects(unpackLayer(Readable.from([tar.subarray(0, 1500)]), dir, { runner }), (err: unknown) => {
        assert.ok(isBerthError(err, 'invalid-argument'));
        return true;
      });
    } finally {
      await cleanupDir(dir);
    }
  });

  test('whiteouts and opaque dirs become overlay whiteouts that hide the lower layer', async () => {
    const dir = await makeTempDir('whiteout');
    try {
      const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((name) => join(dir, name)) as [string, string, string, string];
      for (const path of [lower, upper, work, merged]) await mkdir(path);
      await unpackTo(
        [
          { name: 'gone.txt', content: 'lower' },
          { name: 'kept.txt', content: 'lower' },
          { name: 'opaque/', type: 'directory' },
          { name: 'opaque/old.txt', content: 'lower' },
        ],
        lower,
      );
      await unpackTo(
        [
          { name: '.wh.gone.txt' },
          { name: 'opaque/', type: 'directory' },
          { name: 'opaque/.wh..wh..opq' },
          { name: 'opaque/new.txt', content: 'upper' },
        ],
        upper,
      );
      const whiteout = await lstat(join(upper, 'gone.txt'));
      assert.ok(whiteout.isCharacterDevice());
      assert.equal(whiteout.rdev, 0);
      assert.equal((await xattrsOf(join(upper, 'opaque'))).get('trusted.overlay.opaque'), 'y');
      await assertNoEntry(join(upper, '.wh.gone.txt'));

      // Mounted with both layers as lowers (read-only), as the snapshotter does for images.
      const options = `lowerdir=upper:lower,index=off,redirect_dir=off,metacopy=off`;
      await runner.run('mount', ['-t', 'overlay', 'overlay', '-o', options, merged], { cwd: dir });
      assert.deepEqual((await readdir(merged)).sort(), ['kept.txt', 'opaque']);
      assert.deepEqual(await readdir(join(merged, 'opaque')), ['new.txt']);
    } finally {
      await cleanupDir(dir);
    }
  });

  test('the differ writes back what the unpacker read', async () => {
    const dir = await makeTempDir('differ');
    try {
      const entries = NORMAL_LAYER.filter((entry) => entry.name !== 'big.bin');
      await unpackTo([...entries, { name: '.wh.removed' }, { name: 'op/', type: 'directory' }, { name: 'op/.wh..wh..opq' }], dir);
      const seen = new Map<string, { type: string; linkname: string | null; mode: number; uid: number; mtime: number; pax: unknown }>();
      const extract = tarExtract();
      const done = (async () => {
        for await (const entry of extract) {
          const h = entry.header;
          seen.set(h.name, { type: h.type, linkname: h.linkname, mode: h.mode, uid: h.uid, mtime: h.mtime.getTime(), pax: h.pax });
          entry.resume();
        }
      })();
      await pipeline(diffDirectory(dir, { runner }), extract);
      await done;
      assert.deepEqual([...seen.keys()].filter((name) => name.startsWith('bin')), ['bin/', 'bin/sh', 'bin/tool', 'bin/tool-link']);
      assert.equal(seen.get('bin/tool')?.mode, 0o4755);
      assert.equal(seen.get('bin/tool-link')?.type, 'link');
      assert.equal(seen.get('bin/tool-link')?.linkname, 'bin/tool');
      assert.equal(seen.get('bin/sh')?.linkname, '/bin/busybox');
      assert.equal(seen.get('home/user/notes.txt')?.uid, 1000);
      assert.equal(seen.get('tmp/')?.mtime, MTIME.getTime());
      assert.equal(seen.get('dev/null')?.type, 'character-device');
      assert.equal(seen.get('run/fifo')?.type, 'fifo');
      assert.equal(seen.get('.wh.removed')?.type, 'file');
      assert.ok(seen.has('op/.wh..wh..opq'));
      const pax = seen.get('etc/attrs')?.pax as Record<string, string>;
      assert.equal(pax['SCHILY.xattr.user.color'], 'blue');
      assert.equal(seen.get('bin/tool')?.pax ?? null, null, 'no PAX xattrs where the file has none');
      const names = [...seen.keys()];
      assert.ok(names.indexOf('op/') + 1 === names.indexOf('op/.wh..wh..opq'), 'opaque marker right after its dir');
    } finally {
      await cleanupDir(dir);
    }
  });
});

async function assertNoEntry(path: string): Promise<void> {
  await assert.rejects(lstat(path), { code: 'ENOENT' });
}

