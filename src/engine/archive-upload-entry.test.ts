import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostOwner, rootOwner, uploadEntryOf } from './archive-upload-entry.js';

test('a file entry: normalized path, mode bits, owner and mtime as the tar has them', () => {
  const mtime = new Date(1_700_000_000_000);
  const entry = uploadEntryOf({ name: './/app/./bin/../tool', type: 'file', mode: 0o104755, uid: 5, gid: 6, mtime }, {});
  assert.deepEqual(entry, {
    name: './/app/./bin/../tool', path: 'app/tool', kind: 'file', mode: 0o4755, owner: { uid: 5, gid: 6 }, mtime,
    linkname: '', linkPath: '', devmajor: 0, devminor: 0,
  });
});

test('missing fields take defaults: 0755 for a directory, 0644 otherwise, root, the epoch', () => {
  const dir = uploadEntryOf({ name: 'd/', type: 'directory' }, {});
  assert.equal(dir.mode, 0o755);
  assert.deepEqual(dir.owner, { uid: 0, gid: 0 });
  assert.equal(dir.mtime.getTime(), 0);
  assert.equal(uploadEntryOf({ name: 'f', type: 'contiguous-file' }, {}).kind, 'file');
  assert.equal(uploadEntryOf({ name: 'f', type: 'file' }, {}).mode, 0o644);
});

test('names and hard-link targets that climb out are refused; absolute names stay inside', () => {
  assert.throws(() => uploadEntryOf({ name: '../../x', type: 'file' }, {}), { kind: 'invalid-argument', reason: 'unsafe-layer-entry', message: 'layer entry "../../x" climbs out of the layer with ".."' });
  assert.throws(() => uploadEntryOf({ name: 'a/../../x', type: 'file' }, {}), { reason: 'unsafe-layer-entry' });
  assert.throws(() => uploadEntryOf({ name: 'h', type: 'link', linkname: '../etc/passwd' }, {}), { reason: 'unsafe-layer-entry' });
  assert.equal(uploadEntryOf({ name: '/etc/x', type: 'file' }, {}).path, 'etc/x');
  const link = uploadEntryOf({ name: 'h', type: 'link', linkname: '/etc//passwd' }, {});
  assert.deepEqual([link.linkname, link.linkPath], ['/etc//passwd', 'etc/passwd']);
  // A symlink's target is the container's business: it is kept as written.
  assert.equal(uploadEntryOf({ name: 'l', type: 'symlink', linkname: '../../../etc' }, {}).linkname, '../../../etc');
});

test('the extraction directory itself may only be named by a directory entry', () => {
  assert.equal(uploadEntryOf({ name: './', type: 'directory' }, {}).path, '');
  assert.throws(() => uploadEntryOf({ name: '.', type: 'file' }, {}), { reason: 'unsafe-layer-entry' });
  assert.throws(() => uploadEntryOf({ name: 'h', type: 'link', linkname: './' }, {}), { reason: 'unsafe-layer-entry' });
});

test('headers with bad numeric fields and over-long names are refused, as in image layers', () => {
  assert.throws(() => uploadEntryOf({ name: 'f', type: 'file', size: Number.NaN }, {}), { kind: 'invalid-argument', reason: 'malformed-layer', message: 'layer entry "f" has a malformed size field' });
  assert.throws(() => uploadEntryOf({ name: 'f', type: 'file', uid: -1 }, {}), { reason: 'malformed-layer' });
  assert.throws(() => uploadEntryOf({ name: 'f', type: 'file', mtime: new Date(Number.NaN) }, {}), { reason: 'malformed-layer' });
  assert.throws(() => uploadEntryOf({ name: `d/${'x'.repeat(256)}`, type: 'file' }, {}), { reason: 'layer-entry-name-too-long' });
});

test('entry types berth does not write are refused', () => {
  assert.throws(() => uploadEntryOf({ name: 'x', type: null }, {}), { kind: 'invalid-argument', reason: 'unsupported-layer-entry', message: 'layer entry "x" has unsupported type unknown' });
  const device = uploadEntryOf({ name: 'null', type: 'character-device', devmajor: 1, devminor: 3 }, {});
  assert.deepEqual([device.kind, device.devmajor, device.devminor], ['character-device', 1, 3]);
});

test('copyUIDGID replaces the tar ids; a user namespace maps them to host ids', () => {
  const header = { name: 'f', type: 'file' as const, uid: 1000, gid: 1000 };
  assert.deepEqual(uploadEntryOf(header, { override: { uid: 33, gid: 34 } }).owner, { uid: 33, gid: 34 });
  const idMap = { uid: 200_000, gid: 300_000, size: 65_536 };
  assert.deepEqual(uploadEntryOf(header, { idMap }).owner, { uid: 201_000, gid: 301_000 });
  assert.deepEqual(uploadEntryOf(header, { idMap, override: { uid: 33, gid: 34 } }).owner, { uid: 200_033, gid: 300_034 });
  assert.deepEqual(hostOwner({ idMap }, 70_000, 0), { uid: 200_000 + 65_534, gid: 300_000 });
  assert.deepEqual(hostOwner({}, 7, 8), { uid: 7, gid: 8 });
  // The parents an upload makes belong to the container's root, copyUIDGID or not.
  assert.deepEqual(rootOwner({ idMap, override: { uid: 33, gid: 34 } }), { uid: 200_000, gid: 300_000 });
});
