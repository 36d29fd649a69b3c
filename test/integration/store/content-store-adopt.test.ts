import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestOf } from '../../../src/base/digest.js';
import { isBerthError } from '../../../src/base/errors.js';
import { StateRoot } from '../../../src/base/state-root.js';
import { ContentStore } from '../../../src/store/content-store.js';

describe('content store: adopting a written file', () => {
  let dir: string;
  let store: ContentStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-adopt-'));
    store = new ContentStore(new StateRoot(join(dir, 'root')));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('a matching file becomes the blob, after beforeCommit, and is consumed', async () => {
    const file = join(dir, 'upload-1');
    await writeFile(file, 'adopted bytes');
    const digest = digestOf('adopted bytes');
    const seen: string[] = [];
    const info = await store.adopt(file, { digest, beforeCommit: (d) => { seen.push(d); } });
    assert.deepEqual(info, { digest, size: 13 });
    assert.deepEqual(seen, [digest]);
    assert.equal(await readFile(store.path(digest), 'utf8'), 'adopted bytes');
    assert.ok(!existsSync(file));
    const again = join(dir, 'upload-2');
    await writeFile(again, 'adopted bytes');
    assert.deepEqual(await store.adopt(again, { digest }), info, 'a blob already there is kept');
    assert.ok(!existsSync(again));
  });

  test('a mismatch is data-loss, leaves the file and stores nothing', async () => {
    const file = join(dir, 'upload-3');
    await writeFile(file, 'other bytes');
    const claimed = digestOf('claimed');
    await assert.rejects(store.adopt(file, { digest: claimed }), (err: unknown) => isBerthError(err, 'data-loss') && err.reason === 'digest-mismatch');
    await assert.rejects(store.adopt(file, { digest: digestOf('other bytes'), size: 3 }), (err: unknown) => isBerthError(err, 'data-loss') && err.reason === 'size-mismatch');
    assert.ok(existsSync(file));
    assert.ok(!(await store.has(claimed)));
  });
});
