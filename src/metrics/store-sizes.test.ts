import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeSizesRegistry, type StoreSizes } from './store-sizes.js';

test('one scrape reads the store once and shows every size, the database with its WAL', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'store-sizes-'));
  try {
    writeFileSync(join(dir, 'berth.db'), Buffer.alloc(4096));
    writeFileSync(join(dir, 'berth.db-wal'), Buffer.alloc(100));
    let reads = 0;
    const sizes: StoreSizes = { images: 3, layers: { count: 5, bytes: 5000 }, blobs: { count: 9, bytes: 2000 }, volumes: 2 };
    const registry = storeSizesRegistry({ databasePath: join(dir, 'berth.db'), sizes: () => { reads += 1; return Promise.resolve(sizes); } });
    const text = await registry.metrics();
    assert.equal(reads, 1);
    for (const line of ['berth_store_images 3', 'berth_store_layers 5', 'berth_store_layer_bytes 5000', 'berth_store_blobs 9', 'berth_store_blob_bytes 2000', 'berth_store_volumes 2', 'berth_store_database_bytes 4196']) {
      assert.ok(text.split('\n').includes(line), `${line} in\n${text}`);
    }
    sizes.images = 4;
    assert.ok((await registry.metrics()).split('\n').includes('berth_store_images 4'));
    assert.equal(reads, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
