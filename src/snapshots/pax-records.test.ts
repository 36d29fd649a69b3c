import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { pack as tarPack, type Header } from 'tar-stream';
import { encodePaxRecords, parsePaxRecords } from './pax-records.js';
import { paxHeaderEntry } from './pax-header-entry.js';
import { rawPaxExtract, rawPaxRecords } from './raw-pax-extract.js';
import { isBerthError } from '../base/errors.js';

/** `setcap cap_setuid,cap_setgid,cap_net_bind_service+eip` (VFS_CAP_REVISION_2): not valid UTF-8. */
const CAPABILITY = Buffer.from('01000002c0040000c00400000000000000000000', 'hex');
const BINARY = Buffer.from([0xff, 0x00, 0x0a, 0x3d, 0xc3, 0x28, 0x80]); // NUL, newline, '=', broken UTF-8

/** A tar of `entries`: a header and body for tar-stream's pack, or bytes pushed between entries. */
async function tarOf(entries: ([Partial<Header> & { name: string }, Buffer] | Buffer)[]): Promise<Buffer> {
  const pack = tarPack();
  const chunks: Buffer[] = [];
  const collected = (async () => {
    for await (const chunk of pack) chunks.push(chunk as Buffer);
  })();
  for (const entry of entries) {
    if (Buffer.isBuffer(entry)) {
      pack.push(entry);
      continue;
    }
    await new Promise<void>((resolve, reject) => {
      pack.entry(entry[0], entry[1], (err) => {
        if (err) reject(err);
        else resolve();
      });
    });
  }
  pack.finalize();
  await collected;
  return Buffer.concat(chunks);
}

/** Sets the typeflag of the header block at `offset` and fixes its checksum (tar-stream's pack writes no 'g'). */
function retype(tar: Buffer, offset: number, flag: string): void {
  const block = tar.subarray(offset, offset + 512);
  block.write(flag, 156, 'latin1');
  block.fill(' ', 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
}

test('PAX records round-trip binary values byte for byte', () => {
  const data = encodePaxRecords([
    ['path', 'dir/é'],
    ['SCHILY.xattr.security.capability', CAPABILITY],
    ['SCHILY.xattr.user.bin', BINARY],
    ['SCHILY.xattr.user.empty', Buffer.alloc(0)],
  ]);
  const records = parsePaxRecords(data);
  assert.deepEqual([...records.keys()], ['path', 'SCHILY.xattr.security.capability', 'SCHILY.xattr.user.bin', 'SCHILY.xattr.user.empty']);
  assert.equal(records.get('path')?.toString('utf8'), 'dir/é');
  assert.deepEqual(records.get('SCHILY.xattr.security.capability'), CAPABILITY);
  assert.deepEqual(records.get('SCHILY.xattr.user.bin'), BINARY);
  assert.deepEqual(records.get('SCHILY.xattr.user.empty'), Buffer.alloc(0));
});

test('PAX record lengths match tar-stream at every digit boundary', async () => {
  for (const size of [0, 1, 2, 5, 6, 7, 80, 84, 85, 86, 87, 990, 991, 992, 993, 994, 995, 9985, 9986, 9987, 9988]) {
    const value = 'v'.repeat(size);
    const tar = await tarOf([[{ name: 'f', pax: { 'SCHILY.xattr.user.k': value } }, Buffer.alloc(0)]]);
    const length = parseInt(tar.toString('latin1', 124, 136), 8);
    const expected = encodePaxRecords([
      ['path', 'f'],
      ['SCHILY.xattr.user.k', Buffer.from(value)],
    ]);
    assert.deepEqual(tar.subarray(512, 512 + length), expected, `value of ${size} bytes`);
  }
});

test('paxHeaderEntry writes the PAX entry tar-stream writes for text records', async () => {
  const mtime = new Date('2021-03-04T05:06:07.890Z');
  const cases: (Partial<Header> & { name: string })[] = [
    { name: 'etc/f', type: 'file', mode: 0o4755, uid: 1000, gid: 3000000, mtime },
    { name: 'dir/', type: 'directory', mode: 0o1777, uid: 0, gid: 0, mtime },
    { name: 'l', type: 'symlink', linkname: '/target', mode: 0o777, uid: 5, gid: 6, mtime },
    { name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 300, mode: 0o660, uid: 0, gid: 6, mtime },
  ];
  for (const header of cases) {
    const value = 'x'.repeat(600);
    const tar = await tarOf([[{ ...header, pax: { 'SCHILY.xattr.user.k': value } }, Buffer.alloc(0)]]);
    const records: [string, string][] = [['path', header.name]];
    if (header.linkname !== undefined) records.push(['linkpath', header.linkname]);
    records.push(['SCHILY.xattr.user.k', value]);
    const fields = { mode: header.mode ?? 0, uid: header.uid ?? 0, gid: header.gid ?? 0, mtime, linkname: header.linkname, devmajor: header.devmajor, devminor: header.devminor };
    const entry = paxHeaderEntry(fields, records);
    assert.deepEqual(tar.subarray(0, entry.length), entry, header.name);
  }
});

test('malformed PAX records are rejected', () => {
  for (const bad of ['x a=b\n', '4 a=b\n', '5 a=b', '6 ab\n\n', '6 =ab\n', '99 a=b\n', ' 6 a=b\n', '0 \n']) {
    assert.throws(() => parsePaxRecords(Buffer.from(bad)), Error, JSON.stringify(bad));
  }
  assert.equal(parsePaxRecords(Buffer.alloc(0)).size, 0);
});

test('rawPaxExtract keeps the bytes that tar-stream decodes as text', async () => {
  const fields = { mode: 0o644, uid: 0, gid: 0, mtime: new Date('2020-01-01T00:00:00Z') };
  const tar = await tarOf([
    [{ name: 'plain' }, Buffer.from('a')],
    paxHeaderEntry(fields, [
      ['SCHILY.xattr.user.shared', Buffer.from('global')],
      ['SCHILY.xattr.user.global', BINARY],
    ]), // made a 'g' below
    paxHeaderEntry(fields, [
      ['SCHILY.xattr.security.capability', CAPABILITY],
      ['SCHILY.xattr.user.shared', Buffer.from('own')],
    ]),
    [{ name: 'ping' }, Buffer.from('b')],
    [{ name: 'after' }, Buffer.from('c')],
  ]);
  retype(tar, 1024, 'g');
  const extract = rawPaxExtract();
  const seen = new Map<string, { pax: unknown; raw: ReturnType<typeof rawPaxRecords> }>();
  const done = (async () => {
    for await (const entry of extract) {
      seen.set(entry.header.name, { pax: entry.header.pax, raw: rawPaxRecords(entry.header) });
      entry.resume();
    }
  })();
  Readable.from([tar]).pipe(extract);
  await done;
  assert.deepEqual([...seen.keys()], ['plain', 'ping', 'after']);
  assert.equal(seen.get('plain')?.raw, undefined);
  assert.equal(seen.get('after')?.raw, undefined);
  const ping = seen.get('ping');
  assert.ok(ping?.raw !== undefined);
  const raw = ping.raw;
  assert.deepEqual(raw.get('SCHILY.xattr.security.capability'), CAPABILITY);
  assert.deepEqual(raw.get('SCHILY.xattr.user.global'), BINARY);
  assert.deepEqual(raw.get('SCHILY.xattr.user.shared'), Buffer.from('own'));
  // What tar-stream alone makes of it: the same keys, but the value's bytes are gone.
  const pax = ping.pax as Record<string, string>;
  assert.deepEqual(Object.keys(pax).sort(), [...raw.keys()].sort());
  assert.notDeepEqual(Buffer.from(pax['SCHILY.xattr.security.capability'] ?? '', 'utf8'), CAPABILITY);
});

test('rawPaxRecords reports malformed records that tar-stream would half read', async () => {
  const fields = { mode: 0o644, uid: 0, gid: 0, mtime: new Date(0) };
  const good = paxHeaderEntry(fields, [['SCHILY.xattr.user.k', 'value']]);
  const bad = Buffer.from(good);
  bad.write('99', 512, 'latin1'); // the record's length now runs past the data
  const tar = await tarOf([bad, [{ name: 'f' }, Buffer.from('x')]]);
  const extract = rawPaxExtract();
  const headers: Header[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      headers.push(entry.header);
      entry.resume();
    }
  })();
  Readable.from([tar]).pipe(extract);
  await done;
  assert.equal(headers.length, 1);
  assert.throws(() => rawPaxRecords(headers[0] ?? { name: '' }), (err: unknown) => {
    assert.ok(isBerthError(err, 'invalid-argument'));
    assert.equal(err.reason, 'malformed-layer');
    return true;
  });
});
