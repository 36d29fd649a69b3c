import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { resolveUser } from './resolve-user.js';

const passwd = ['root:x:0:0:root:/root:/bin/sh', '# comment', 'www:x:33:33:www:/var/www:/bin/false', 'app:x:1000:1000::/home/app:/bin/sh', ''].join('\n');
const group = ['root:x:0:', 'www:x:33:', 'app:x:1000:', 'audio:x:29:app,www', 'video:x:44:app', 'staff:x:50:'].join('\n');

test('empty user is root with root group', () => {
  assert.deepEqual(resolveUser('', passwd, group), { uid: 0, gid: 0, additionalGids: [0] });
});

test('a name gives uid, primary gid and supplementary groups', () => {
  assert.deepEqual(resolveUser('app', passwd, group), { uid: 1000, gid: 1000, additionalGids: [1000, 29, 44] });
  assert.deepEqual(resolveUser('www', passwd, group), { uid: 33, gid: 33, additionalGids: [33, 29] });
});

test('a uid matching an entry behaves like its name', () => {
  assert.deepEqual(resolveUser('1000', passwd, group), { uid: 1000, gid: 1000, additionalGids: [1000, 29, 44] });
});

test('a numeric uid without entry is fine, also without passwd file', () => {
  assert.deepEqual(resolveUser('4242', passwd, group), { uid: 4242, gid: 0, additionalGids: [0] });
  assert.deepEqual(resolveUser('4242:4343', undefined, undefined), { uid: 4242, gid: 4343, additionalGids: [4343] });
});

test('explicit group by name or gid, no supplementary groups', () => {
  assert.deepEqual(resolveUser('app:staff', passwd, group), { uid: 1000, gid: 50, additionalGids: [50] });
  assert.deepEqual(resolveUser('app:7', passwd, group), { uid: 1000, gid: 7, additionalGids: [7] });
  assert.deepEqual(resolveUser('33:44', passwd, group), { uid: 33, gid: 44, additionalGids: [44] });
});

test('unknown names are invalid-argument', () => {
  assert.throws(() => resolveUser('nobody', passwd, group), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'unknown-user' && err.message.includes('nobody'));
  assert.throws(() => resolveUser('app', undefined, undefined), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'unknown-user');
  assert.throws(() => resolveUser('app:wheel', passwd, group), (err: unknown) => isBerthError(err, 'invalid-argument') && err.reason === 'unknown-group');
  assert.throws(() => resolveUser('a:b:c', passwd, group), (err: unknown) => isBerthError(err, 'invalid-argument'));
});
