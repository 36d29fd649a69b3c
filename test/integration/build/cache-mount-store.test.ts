// The cache-mount directories on a real filesystem: shared, locked and private sharing, seeding,
// prune of what no RUN uses, and leftovers of a crash mid-create.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CacheMountStore } from '../../../src/build/cache-mounts.js';

const fresh = { mode: 0o755, uid: 0, gid: 0 };

describe('CacheMountStore', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'berth-cache-mounts-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('shared: every RUN gets the same directory at once; locked: one after the other; private: another instance when busy', async () => {
    const store = new CacheMountStore(join(dir, 'a'));
    const one = await store.acquire('go', 'shared', fresh);
    const two = await store.acquire('go', 'shared', fresh);
    assert.equal(one.path, two.path);
    const busy = await store.acquire('npm', 'private', fresh);
    const other = await store.acquire('npm', 'private', fresh);
    assert.notEqual(busy.path, other.path);
    busy.release();
    const again = await store.acquire('npm', 'private', fresh);
    assert.equal(again.path, busy.path);
    const first = await store.acquire('apt', 'locked', fresh);
    let secondGot = false;
    const second = store.acquire('apt', 'locked', fresh).then((lease) => { secondGot = true; return lease; });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(secondGot, false, 'a locked cache waits for its holder');
    first.release();
    first.release(); // idempotent
    const lease = await second;
    assert.equal(lease.path, first.path);
    for (const l of [one, two, other, again, lease]) l.release();
  });

  test('a new directory gets mode, owner and seed; list and prune see only what no RUN holds', async () => {
    const store = new CacheMountStore(join(dir, 'b'));
    const seeded = await store.acquire('seeded', 'shared', { mode: 0o700, uid: 1000, gid: 1000, seed: (d) => writeFile(join(d, 'from-seed'), 'abc') });
    const info = await stat(seeded.path);
    assert.equal(info.mode & 0o777, 0o700);
    assert.equal(info.uid, 1000);
    assert.equal(await readFile(join(seeded.path, 'from-seed'), 'utf8'), 'abc');
    const held = await store.acquire('held', 'shared', fresh);
    seeded.release();
    // A crash while a directory was being made leaves a staging entry: listing removes it.
    await mkdir(join(dir, 'b', '.new-x'), { recursive: true });
    const listed = await store.list();
    assert.deepEqual(listed.map((m) => [m.id, m.size, m.inUse]).sort(), [['held', 0, true], ['seeded', 3, false]]);
    const pruned = await store.prune();
    assert.deepEqual(pruned, { removed: 1, bytes: 3 });
    assert.deepEqual((await store.list()).map((m) => m.id), ['held']);
    held.release();
    assert.equal((await readdir(join(dir, 'b'))).filter((n) => n.startsWith('.')).length, 0);
  });
});
