import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lstat, mkdir, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gzipSync } from 'node:zlib';
import { extract as tarExtract } from 'tar-stream';
import { StateRoot } from '../../../src/base/state-root.js';
import { isBerthError } from '../../../src/base/errors.js';
import { Database } from '../../../src/store/database.js';
import { NODE_SCHEMA } from '../../../src/daemon/node-schema.js';
import { OverlaySnapshotter } from '../../../src/snapshots/overlay-snapshotter.js';
import { buildTar, cleanupDir, makeTempDir, notRoot, runner, sha256 } from '../../support/snapshots-fixtures.js';

const skip = notRoot();

interface Fixture {
  dir: string;
  root: StateRoot;
  db: Database;
  snapshotter: OverlaySnapshotter;
}

async function withFixture(prefix: string, body: (f: Fixture) => Promise<void>): Promise<void> {
  const dir = await makeTempDir(prefix);
  const root = new StateRoot(join(dir, 'root'));
  const db = Database.open(root.database, NODE_SCHEMA);
  try {
    await body({ dir, root, db, snapshotter: new OverlaySnapshotter({ root, db, runner }) });
  } finally {
    db.close();
    await cleanupDir(dir);
  }
}

async function tarEntries(stream: Readable): Promise<string[]> {
  const names: string[] = [];
  const extract = tarExtract();
  const done = (async () => {
    for await (const entry of extract) {
      names.push(entry.header.name);
      entry.resume();
    }
  })();
  await pipeline(stream, extract);
  await done;
  return names;
}

const LAYER1 = buildTar([
  { name: 'keep.txt', content: 'keep' },
  { name: 'del.txt', content: 'delete me' },
  { name: 'mod.txt', content: 'original' },
  { name: 'gone.txt', content: 'whited out by layer 2' },
  { name: 'dir/', type: 'directory' },
  { name: 'dir/inner.txt', content: 'inner' },
]);
const LAYER2 = buildTar([{ name: 'two.txt', content: 'layer two' }, { name: '.wh.gone.txt' }]);

describe('overlay snapshotter', { skip }, () => {
  test('apply two layers, prepare, mount, change, diff, commit, remove', async () => {
    await withFixture('lifecycle', async ({ dir, root, snapshotter }) => {
      const [tar1, tar2] = [await LAYER1, await LAYER2];
      const one = await snapshotter.applyLayer('chain-1', null, Readable.from([gzipSync(tar1)]), sha256(tar1));
      const two = await snapshotter.applyLayer('chain-2', 'chain-1', Readable.from([tar2]), sha256(tar2));
      assert.equal(one.kind, 'committed');
      assert.equal(one.size, 'keep'.length + 'delete me'.length + 'original'.length + 'whited out by layer 2'.length + 'inner'.length);
      assert.equal(two.parent, 'chain-1');
      assert.deepEqual((await readdir(root.snapshots)).sort(), [String(one.id), String(two.id)].sort());
      await assert.rejects(snapshotter.applyLayer('orphan', 'missing', Readable.from([tar2]), sha256(tar2)), (err: unknown) =>
        isBerthError(err, 'failed-precondition'),
      );

      const mounts = await snapshotter.prepare('ctr', 'chain-2', { purpose: 'test' });
      const ctr = snapshotter.stat('ctr');
      assert.deepEqual([ctr.kind, ctr.labels], ['active', { purpose: 'test' }]);
      assert.equal(mounts.length, 1);
      const [mount] = mounts;
      assert.ok(mount !== undefined);
      assert.equal(mount.cwd, root.snapshots);
      assert.ok(mount.options.includes(`lowerdir=${two.id}/fs:${one.id}/fs`));
      assert.ok(['index=off', 'redirect_dir=off', 'metacopy=off'].every((option) => mount.options.includes(option)));
      await assert.rejects(snapshotter.prepare('ctr', 'chain-2'), (err: unknown) => isBerthError(err, 'already-exists'));

      const merged = join(dir, 'merged');
      await mkdir(merged);
      await snapshotter.mount('ctr', merged);
      try {
        assert.deepEqual((await readdir(merged)).sort(), ['del.txt', 'dir', 'keep.txt', 'mod.txt', 'two.txt']);
        await writeFile(join(merged, 'new.txt'), 'new');
        await unlink(join(merged, 'del.txt'));
        await writeFile(join(merged, 'mod.txt'), 'modified');
        await rm(join(merged, 'dir'), { recursive: true });
        await mkdir(join(merged, 'dir'));
        await writeFile(join(merged, 'dir/fresh.txt'), 'fresh');
      } finally {
        await snapshotter.unmount(merged);
      }
      await snapshotter.unmount(merged); // not mounted any more: tolerated

      const names = await tarEntries(snapshotter.diff('ctr'));
      assert.deepEqual(names, ['.wh.del.txt', 'dir/', 'dir/.wh..wh..opq', 'dir/fresh.txt', 'mod.txt', 'new.txt']);

      const committed = await snapshotter.commit('chain-3', 'ctr');
      assert.deepEqual([committed.kind, committed.parent, committed.size], ['committed', 'chain-2', 'fresh'.length + 'modified'.length + 'new'.length]);
      assert.equal(snapshotter.has('ctr'), false);
      await assertAbsent(join(root.snapshots, String(committed.id), 'work'));
      assert.ok((await snapshotter.usage('chain-3')) > 0);

      await assert.rejects(snapshotter.remove('chain-1'), (err: unknown) => isBerthError(err, 'conflict'));
      await snapshotter.remove('chain-3');
      await assert.rejects(snapshotter.remove('chain-3'), (err: unknown) => isBerthError(err, 'not-found'));
      await assertAbsent(join(root.snapshots, String(committed.id)));
      assert.deepEqual(snapshotter.list().map((info) => info.key), ['chain-1', 'chain-2']);
    });
  });

  test('a snapshot with no parent is a bind mount of its own dir', async () => {
    await withFixture('bind', async ({ dir, snapshotter }) => {
      const mounts = await snapshotter.prepare('scratch', null);
      assert.equal(mounts[0]?.type, 'bind');
      const target = join(dir, 'target');
      await mkdir(target);
      await snapshotter.mount('scratch', target);
      try {
        await writeFile(join(target, 'hello'), 'hi');
      } finally {
        await snapshotter.unmount(target);
      }
      assert.deepEqual(await tarEntries(snapshotter.diff('scratch')), ['hello']);
    });
  });

  test('concurrent applyLayer of one key from two connections gives one snapshot and one dir', async () => {
    await withFixture('concurrent', async ({ root, snapshotter }) => {
      const otherDb = Database.open(root.database, NODE_SCHEMA);
      const other = new OverlaySnapshotter({ root, db: otherDb, runner });
      const tar = await LAYER1;
      const results = await Promise.all([
        snapshotter.applyLayer('same', null, Readable.from([tar]), sha256(tar)),
        other.applyLayer('same', null, Readable.from([tar]), sha256(tar)),
        snapshotter.applyLayer('same', null, Readable.from([gzipSync(tar)]), sha256(tar)),
      ]);
      otherDb.close();
      assert.deepEqual(new Set(results.map((info) => info.id)).size, 1);
      assert.deepEqual(await readdir(root.snapshots), [String(results[0].id)]);
      // Applying again drains the input and returns the same snapshot.
      const source = Readable.from([tar]);
      assert.equal((await snapshotter.applyLayer('same', null, source, sha256(tar))).id, results[0].id);
      assert.equal(source.readableEnded, true);
    });
  });

  test('a failed apply leaves no directory and no row', async () => {
    await withFixture('failed', async ({ root, snapshotter }) => {
      const tar = await LAYER1;
      await assert.rejects(snapshotter.applyLayer('bad', null, Readable.from([tar]), sha256(Buffer.from('x'))), (err: unknown) =>
        isBerthError(err, 'data-loss'),
      );
      assert.equal(snapshotter.has('bad'), false);
      assert.deepEqual(await readdir(root.snapshots), []);
    });
  });

  test('an image of 150 layers mounts', async () => {
    await withFixture('many', async ({ dir, snapshotter }) => {
      let parent: string | null = null;
      for (let i = 0; i < 150; i++) {
        const tar = await buildTar([{ name: `layer-${i}.txt`, content: String(i) }, { name: 'top.txt', content: String(i) }]);
        const key = `chain-${i}`;
        await snapshotter.applyLayer(key, parent, Readable.from([tar]), sha256(tar));
        parent = key;
      }
      const mounts = await snapshotter.prepare('big', parent);
      const optionString = mounts[0]?.options.join(',') ?? '';
      assert.ok(optionString.length > 0 && optionString.length < 4096, `option string of ${optionString.length} bytes`);
      const merged = join(dir, 'merged');
      await mkdir(merged);
      await snapshotter.mount('big', merged);
      try {
        assert.equal((await readdir(merged)).length, 151);
        assert.equal(await readFile(join(merged, 'layer-0.txt'), 'utf8'), '0');
        assert.equal(await readFile(join(merged, 'top.txt'), 'utf8'), '149');
      } finally {
        await snapshotter.unmount(merged);
      }
    });
  });

  test('cleanup removes dead temp dirs and dirs without a row', async () => {
    await withFixture('cleanup', async ({ root, snapshotter }) => {
      const tar = await LAYER2;
      const live = await snapshotter.applyLayer('live', null, Readable.from([tar]), sha256(tar));
      const dead = join(root.snapshots, '.tmp-2147483646-abcdef');
      const mine = join(root.snapshots, `.tmp-${process.pid}-abcdef`);
      const orphan = join(root.snapshots, '9999');
      for (const path of [dead, mine, orphan]) await mkdir(join(path, 'fs'), { recursive: true });
      await snapshotter.cleanup();
      assert.deepEqual((await readdir(root.snapshots)).sort(), [String(live.id), `.tmp-${process.pid}-abcdef`].sort());
      assert.ok((await lstat(join(root.snapshots, String(live.id), 'fs', 'two.txt'))).isFile());
    });
  });
});

async function assertAbsent(path: string): Promise<void> {
  await assert.rejects(lstat(path), { code: 'ENOENT' });
}
