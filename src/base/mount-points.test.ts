import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mountPointsBelow, unescapeMountField } from './mount-points.js';

const MOUNTINFO = [
  '22 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '30 22 0:5 / /tmp/x rw - tmpfs tmpfs rw',
  '31 30 0:6 / /tmp/x/proc rw - proc proc rw',
  '32 22 0:7 / /tmp/x\\040y rw - tmpfs tmpfs rw',
  '33 22 0:8 / /tmp/xy rw - tmpfs tmpfs rw',
  '',
].join('\n');

test('mount points at or below a directory, deepest first', () => {
  assert.deepEqual(mountPointsBelow(MOUNTINFO, '/tmp/x'), ['/tmp/x/proc', '/tmp/x']);
  assert.deepEqual(mountPointsBelow(MOUNTINFO, '/tmp/x y'), ['/tmp/x y']);
  assert.deepEqual(mountPointsBelow(MOUNTINFO, '/nowhere'), []);
});

test('octal escapes decode', () => {
  assert.equal(unescapeMountField('a\\040b\\011c\\134d'), 'a b\tc\\d');
});
