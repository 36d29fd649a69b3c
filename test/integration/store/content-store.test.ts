import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createHash, randomBytes } from 'node:crypto';
import { ContentStore } from '../../../src/store/content-store.js';
import { StateRoot } from '../../../src/base/state-root.js';
import { isBerthError } from '../../../src/base/errors.js';
import { parseDigest, type Digest } from '../../../src/base/digest.js';

function digestOf(data: Buffer, algorithm: 'sha256' | 'sha512' = 'sha256'): Digest {
  return parseDigest(`${algorithm}:${createHash(algorithm).update(data).digest('hex')}`);
}

/** A stream that yields `data` in small chunks across several event-loop turns. */
function slowStream(data: Buffer): Readable {
  return Readable.from((async function* () {
    for (let i = 0; i < data.length; i += 4096) {
      await new Promise((resolve) => setImmediate(resolve));
      yield data.subarray(i, i + 4096);
    }
  })());
}

describe('content store', () => {
  let dir: string;
  let store: ContentStore;
  let root: StateRoot;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'berth-content-'));
    root = new StateRoot(dir);
    store = new ContentStore(root);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('writes verify digest and size, and a mismatch leaves nothing behind', async () => {
    const data = randomBytes(100_000);
    const good = await store.write(slowStream(data), { digest: digestOf(data), size: data.length });
    assert.equal(good.size, data.length);
    assert.deepEqual(await store.readBytes(good.digest), data);

    const other = randomBytes(1000);
    await assert.rejects(store.write(other, { digest: digestOf(randomBytes(10)) }), (err: unknown) => isBerthError(err, 'data-loss'));
    await assert.rejects(store.write(other, { size: 999 }), (err: unknown) => isBerthError(err, 'data-loss'));
    assert.equal(await store.has(digestOf(other)), false);
    assert.deepEqual(await readdir(root.ingest), []);
  });

  test('sha512 digests are accepted', async () => {
    const data = Buffer.from('sha512 content');
    const info = await store.write(data, { digest: digestOf(data, 'sha512') });
    assert.match(info.digest, /^sha512:/);
    assert.deepEqual(await store.readBytes(info.digest), data);
  });

  test('many concurrent writers of the same blob all succeed and one copy stays', async () => {
    const data = randomBytes(300_000);
    const digest = digestOf(data);
    const results = await Promise.all(Array.from({ length: 8 }, () => new ContentStore(root).write(slowStream(data))));
    for (const r of results) assert.equal(r.digest, digest);
    assert.deepEqual(await store.readBytes(digest), data);
    assert.deepEqual(await readdir(root.ingest), []);
  });

  test('cleanup removes temp files of dead writers only', async () => {
    await mkdir(root.ingest, { recursive: true });
    await writeFile(join(root.ingest, '.tmp-999999999-dead'), 'partial');
    await writeFile(join(root.ingest, `.tmp-${process.pid}-alive`), 'partial');
    assert.equal(await store.cleanupIngest(), 1);
    assert.deepEqual(await readdir(root.ingest), [`.tmp-${process.pid}-alive`]);
    await rm(join(root.ingest, `.tmp-${process.pid}-alive`));
  });

  test('a missing blob is not-found', async () => {
    await assert.rejects(store.readBytes(digestOf(Buffer.from('never written'))), (err: unknown) => isBerthError(err, 'not-found'));
  });
});
