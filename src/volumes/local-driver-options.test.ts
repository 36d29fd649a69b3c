import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mountArguments, parseLocalOptions } from './local-driver-options.js';

test('uid, gid, mode and Docker\'s type/device/o', () => {
  assert.deepEqual(parseLocalOptions({ uid: '1000', gid: '1000', mode: '0770' }), { uid: 1000, gid: 1000, mode: 0o770 });
  const tmpfs = parseLocalOptions({ type: 'tmpfs', device: 'tmpfs', o: 'size=64m,uid=1000' });
  assert.deepEqual(mountArguments(tmpfs, '/v/_data'), ['-t', 'tmpfs', '-o', 'size=64m,uid=1000', 'tmpfs', '/v/_data']);
  assert.deepEqual(mountArguments(parseLocalOptions({ type: 'none', device: '/srv/x', o: 'bind' }), '/d'), ['-o', 'bind', '/srv/x', '/d']);
});

test('bad options are refused by key', () => {
  assert.throws(() => parseLocalOptions({ size: '1g' }), /invalid option key: "size"/);
  assert.throws(() => parseLocalOptions({ uid: 'bob' }), /uid=bob: want a numeric id/);
  assert.throws(() => parseLocalOptions({ mode: '999' }), /mode=999/);
  assert.throws(() => parseLocalOptions({ type: 'tmpfs' }), /type and device go together/);
  assert.throws(() => parseLocalOptions({ o: 'size=1m' }), /needs type and device/);
  assert.throws(() => parseLocalOptions({ type: 'tmpfs', device: '-x' }), /invalid value/);
});
