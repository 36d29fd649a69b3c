import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { xattrsFromPax } from './pax-xattrs.js';

test('LIBARCHIVE xattr names are URL-decoded', () => {
  assert.deepEqual(xattrsFromPax({ 'LIBARCHIVE.xattr.user.a%20b': 'eQ==' }, () => undefined), [['user.a b', Buffer.from('y')]]);
});

test('a LIBARCHIVE xattr name that is not URL-encoded is a malformed layer, not a URIError', () => {
  assert.throws(() => xattrsFromPax({ 'LIBARCHIVE.xattr.user.%zz': 'eQ==' }, () => undefined), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'malformed-layer');
});

test('an xattr name that could add lines to the setfattr dump, or that Linux refuses, is a malformed layer (fuzz finding)', () => {
  // The fuzzer's `#ser.x` came out as a comment line of the dump; a line break could name another file.
  const names = ['#ser.x', 'user.a\n# file: ../../etc/shadow\nsecurity.capability', 'user.a=b', 'user.', 'other.x', `user.${'n'.repeat(251)}`];
  for (const name of names) {
    assert.throws(() => xattrsFromPax({ [`SCHILY.xattr.${name}`]: 'v' }, () => new Map([[`SCHILY.xattr.${name}`, Buffer.from('v')]])), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'malformed-layer', name);
  }
  assert.throws(() => xattrsFromPax({ 'LIBARCHIVE.xattr.user.a%0Ab': 'eQ==' }, () => undefined), (err: unknown) => isBerthError(err, 'invalid-argument'));
  assert.deepEqual(xattrsFromPax({ 'SCHILY.xattr.security.capability': 'x' }, () => new Map([['SCHILY.xattr.security.capability', Buffer.from([1, 0])]])), [['security.capability', Buffer.from([1, 0])]]);
});
