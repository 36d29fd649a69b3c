import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { openLayerStream, sniffCompression } from './decompress.js';
import { normalizeEntryPath } from './layer-path.js';
import { formatXattrDump, parseXattrDump } from './xattr-dump.js';

const PLAIN = Buffer.from('hello zstd layer\n'.repeat(50));
// `printf ... | zstd -c` of PLAIN (made with zstd 1.5.4).
const ZSTD = Buffer.from('KLUv/QRYxQAAiGhlbGxvIHpzdGQgbGF5ZXIKAQB9UjWXWwFUiw==', 'base64');

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A source that hands out `data` one byte per chunk, to prove sniffing joins split heads. */
function byteByByte(data: Buffer): Readable {
  return Readable.from([...data].map((byte) => Buffer.from([byte])), { objectMode: false });
}

test('sniffCompression recognises gzip, zstd and plain', () => {
  assert.equal(sniffCompression(gzipSync(PLAIN)), 'gzip');
  assert.equal(sniffCompression(ZSTD), 'zstd');
  assert.equal(sniffCompression(PLAIN), 'none');
  assert.equal(sniffCompression(Buffer.alloc(0)), 'none');
});

test('openLayerStream passes plain data through unchanged', async () => {
  assert.deepEqual(await collect(openLayerStream(byteByByte(PLAIN))), PLAIN);
});

test('openLayerStream decompresses gzip', async () => {
  assert.deepEqual(await collect(openLayerStream(Readable.from([gzipSync(PLAIN)]))), PLAIN);
  assert.deepEqual(await collect(openLayerStream(byteByByte(gzipSync(PLAIN)))), PLAIN);
});

test('openLayerStream decompresses zstd', async () => {
  assert.deepEqual(await collect(openLayerStream(Readable.from([ZSTD]))), PLAIN);
  assert.deepEqual(await collect(openLayerStream(byteByByte(ZSTD))), PLAIN);
});

test('openLayerStream handles empty and tiny inputs', async () => {
  assert.deepEqual(await collect(openLayerStream(Readable.from([], { objectMode: false }))), Buffer.alloc(0));
  assert.deepEqual(await collect(openLayerStream(Readable.from([Buffer.from('ab')]))), Buffer.from('ab'));
});

test('openLayerStream reports corrupt gzip as a stream error', async () => {
  const corrupt = Buffer.concat([gzipSync(PLAIN).subarray(0, 12), Buffer.alloc(40, 7)]);
  await assert.rejects(collect(openLayerStream(Readable.from([corrupt]))));
});

test('openLayerStream reports a failing source as a stream error', async () => {
  const source = new Readable({
    read() {
      this.destroy(new Error('network gone'));
    },
  });
  await assert.rejects(collect(openLayerStream(source)), /network gone/);
});

test('normalizeEntryPath strips, resolves and rejects', () => {
  assert.equal(normalizeEntryPath('/etc/x'), 'etc/x');
  assert.equal(normalizeEntryPath('./a/./b/'), 'a/b');
  assert.equal(normalizeEntryPath('a/../b'), 'b');
  assert.equal(normalizeEntryPath('./'), '');
  for (const bad of ['../escape', 'a/../../escape', '/../x']) {
    assert.throws(() => normalizeEntryPath(bad), (err: unknown) => {
      assert.ok(err instanceof Error && 'reason' in err && err.reason === 'unsafe-layer-entry');
      assert.match(err.message, new RegExp(bad.replaceAll('.', '\\.')));
      return true;
    });
  }
});

test('xattr dumps round-trip odd paths and binary values', () => {
  const value = Buffer.from([0, 255, 1]);
  const text = formatXattrDump([['a b/c\\d/é\nx', new Map([['user.k', value]])]]);
  const parsed = parseXattrDump(text);
  assert.deepEqual(parsed.get('a b/c\\d/é\nx')?.get('user.k'), value);
  // getfattr's own escaping: only control characters and the backslash.
  const fromGetfattr = parseXattrDump('# file: /t/a b/c\\134d/é\\012x\nuser.k=0x00ff01\n\n');
  assert.deepEqual(fromGetfattr.get('/t/a b/c\\d/é\nx')?.get('user.k'), value);
});
