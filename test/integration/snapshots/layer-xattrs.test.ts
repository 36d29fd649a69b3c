import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, chown, lutimes, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack as tarPack } from 'tar-stream';
import { unpackLayer } from '../../../src/snapshots/layer-unpacker.js';
import { diffDirectory } from '../../../src/snapshots/layer-differ.js';
import { buildTar, cleanupDir, hexXattrsOf, makeTempDir, notRoot, runner, sha256, type TarEntrySpec } from '../../support/snapshots-fixtures.js';

const skip = notRoot();

// Values as `setcap ... f && getfattr -e hex -n security.capability f` prints them (VFS_CAP_REVISION_2).
/** `cap_net_raw+ep` (what ping has): happens to be valid UTF-8, so it survived even text decoding. */
const CAP_NET_RAW = Buffer.from('0100000200200000000000000000000000000000', 'hex');
/** `cap_setuid,cap_setgid,cap_net_bind_service+eip`: 0xc0 bytes, not valid UTF-8. */
const CAP_SETID = Buffer.from('01000002c0040000c00400000000000000000000', 'hex');
/** NUL, newline, '=', a broken UTF-8 sequence and a lone continuation byte. */
const USER_BINARY = Buffer.from([0xff, 0x00, 0x0a, 0x3d, 0xc3, 0x28, 0x80]);

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function unpack(tar: Buffer, target: string): Promise<void> {
  await unpackLayer(Readable.from([tar]), target, { runner, expectedDiffId: sha256(tar) });
}

/** The PAX record `key=value` exactly as it must appear in a tar. */
function recordBytes(key: string, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from(` ${key}=`), value, Buffer.from('\n')]);
}

/** A tree with binary xattrs on files (one owned by uid 1000) and on a directory. */
async function makeTree(dir: string): Promise<void> {
  await mkdir(join(dir, 'bin'));
  await writeFile(join(dir, 'bin/ping'), 'ping');
  await writeFile(join(dir, 'bin/su'), 'su');
  await chown(join(dir, 'bin/su'), 1000, 1000); // before setcap: chown clears security.capability
  await runner.run('setfattr', ['-n', 'security.capability', '-v', `0x${CAP_NET_RAW.toString('hex')}`, join(dir, 'bin/ping')]);
  await runner.run('setfattr', ['-n', 'security.capability', '-v', `0x${CAP_SETID.toString('hex')}`, join(dir, 'bin/su')]);
  await runner.run('setfattr', ['-n', 'user.bin', '-v', `0x${USER_BINARY.toString('hex')}`, join(dir, 'bin/su')]);
  await runner.run('setfattr', ['-n', 'user.dir', '-v', `0x${USER_BINARY.toString('hex')}`, join(dir, 'bin')]);
}

async function assertTree(dir: string): Promise<void> {
  assert.deepEqual((await hexXattrsOf(join(dir, 'bin/ping'))).get('security.capability'), CAP_NET_RAW);
  const su = await hexXattrsOf(join(dir, 'bin/su'));
  assert.deepEqual(su.get('security.capability'), CAP_SETID, 'binary capability kept (and not cleared by chown)');
  assert.deepEqual(su.get('user.bin'), USER_BINARY);
  assert.deepEqual((await hexXattrsOf(join(dir, 'bin'))).get('user.dir'), USER_BINARY);
  assert.equal(await readFile(join(dir, 'bin/su'), 'utf8'), 'su');
}

describe('binary xattrs in layer tars', { skip }, () => {
  test('the unpacker writes SCHILY.xattr values byte for byte', async () => {
    const dir = await makeTempDir('xattr-unpack');
    try {
      const entries: TarEntrySpec[] = [
        { name: 'bin/', type: 'directory', rawPax: { 'SCHILY.xattr.user.dir': USER_BINARY } },
        { name: 'bin/ping', content: 'ping', rawPax: { 'SCHILY.xattr.security.capability': CAP_NET_RAW } },
        {
          name: 'bin/su',
          content: 'su',
          uid: 1000,
          gid: 1000,
          rawPax: { 'SCHILY.xattr.security.capability': CAP_SETID, 'SCHILY.xattr.user.bin': USER_BINARY },
        },
        { name: 'plain', content: 'no xattrs' },
      ];
      await unpack(await buildTar(entries), dir);
      await assertTree(dir);
      assert.equal((await hexXattrsOf(join(dir, 'plain'))).size, 0);
    } finally {
      await cleanupDir(dir);
    }
  });

  test('a tar made by GNU tar --xattrs unpacks with the exact bytes', async () => {
    const dir = await makeTempDir('xattr-gnutar');
    try {
      const [source, target] = [join(dir, 'source'), join(dir, 'target')];
      await mkdir(source);
      await mkdir(target);
      await makeTree(source);
      await runner.run('tar', ['--xattrs', '--xattrs-include=*', '--format=posix', '-cf', join(dir, 'layer.tar'), '-C', source, 'bin']);
      await unpack(await readFile(join(dir, 'layer.tar')), target);
      await assertTree(target);
    } finally {
      await cleanupDir(dir);
    }
  });

  test('the differ writes binary xattrs byte for byte, and the tar round-trips', async () => {
    const dir = await makeTempDir('xattr-diff');
    try {
      const [upper, back, gnu] = [join(dir, 'upper'), join(dir, 'back'), join(dir, 'gnu')];
      for (const path of [upper, back, gnu]) await mkdir(path);
      await makeTree(upper);
      const tar = await collect(diffDirectory(upper, { runner }));
      assert.ok(tar.includes(recordBytes('SCHILY.xattr.security.capability', CAP_SETID)));
      assert.ok(tar.includes(recordBytes('SCHILY.xattr.security.capability', CAP_NET_RAW)));
      assert.ok(tar.includes(recordBytes('SCHILY.xattr.user.bin', USER_BINARY)));
      assert.ok(tar.includes(recordBytes('SCHILY.xattr.user.dir', USER_BINARY)));

      await unpack(tar, back);
      await assertTree(back);
      assert.deepEqual(await collect(diffDirectory(back, { runner })), tar, 'diff → unpack → diff gives the same tar');

      // Another reader (GNU tar) sees the same bytes.
      await writeFile(join(dir, 'layer.tar'), tar);
      await runner.run('tar', ['--xattrs', '--xattrs-include=*', '-xf', join(dir, 'layer.tar'), '-C', gnu]);
      await assertTree(gnu);
    } finally {
      await cleanupDir(dir);
    }
  });

  test('text xattrs give the same tar bytes as tar-stream writes them', async () => {
    const dir = await makeTempDir('xattr-text');
    try {
      const mtime = new Date('2022-02-03T04:05:06Z');
      await writeFile(join(dir, 'f'), 'text');
      await chmod(join(dir, 'f'), 0o644);
      await runner.run('setfattr', ['-n', 'user.color', '-v', 'blue', join(dir, 'f')]);
      await lutimes(join(dir, 'f'), mtime, mtime);
      const pack = tarPack();
      pack.entry({ name: 'f', type: 'file', mode: 0o644, uid: 0, gid: 0, mtime, pax: { 'SCHILY.xattr.user.color': 'blue' } }, 'text');
      pack.finalize();
      assert.deepEqual(await collect(diffDirectory(dir, { runner })), await collect(Readable.from(pack)));
    } finally {
      await cleanupDir(dir);
    }
  });
});
