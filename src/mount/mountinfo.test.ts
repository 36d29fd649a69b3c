import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { mountPointsBelow, parseMountinfo, parseMountinfoLine, unescapeMountField } from './mountinfo.js';

const MOUNTINFO = [
  '22 1 254:0 / / rw,relatime - ext4 /dev/vda rw',
  '30 22 0:5 / /tmp/x rw - tmpfs tmpfs rw',
  '31 30 0:6 / /tmp/x/proc rw - proc proc rw',
  '32 22 0:7 / /tmp/x\\040y rw - tmpfs tmpfs rw',
  '33 22 0:8 / /tmp/xy rw - tmpfs tmpfs rw',
  '',
].join('\n');

test('mount points at or below a directory, deepest first', () => {
  const mounts = parseMountinfo(MOUNTINFO);
  assert.deepEqual(mountPointsBelow(mounts, '/tmp/x'), ['/tmp/x/proc', '/tmp/x']);
  assert.deepEqual(mountPointsBelow(mounts, '/tmp/x y'), ['/tmp/x y']);
  assert.deepEqual(mountPointsBelow(mounts, '/tmp/x/'), ['/tmp/x/proc', '/tmp/x']);
  assert.deepEqual(mountPointsBelow(mounts, '/nowhere'), []);
});

test('octal escapes decode', () => {
  assert.equal(unescapeMountField('a\\040b\\011c\\134d\\012e'), 'a b\tc\\d\ne');
  assert.equal(unescapeMountField('plain'), 'plain');
});

test('every field of a line, as proc(5) lists them', () => {
  assert.deepEqual(parseMountinfoLine('36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue'), {
    mountId: 36, parentId: 35, major: 98, minor: 0, root: '/mnt1', mountPoint: '/mnt2', options: ['rw', 'noatime'],
    optionalFields: ['master:1'], fsType: 'ext3', source: '/dev/root', superOptions: ['rw', 'errors=continue'],
  });
});

test('no optional fields, several, and escapes in root, mount point and source', () => {
  const mounts = parseMountinfo([
    '602 600 254:0 /var/lib/my\\040vol/_data /data\\011x rw - ext4 /dev/my\\134disk rw',
    '27 22 0:23 / /sys rw,nosuid shared:7 master:3 propagate_from:2 unbindable - sysfs sysfs rw',
  ].join('\n'));
  assert.deepEqual(mounts.map((m) => [m.root, m.mountPoint, m.source, m.fsType, m.options, m.optionalFields]), [
    ['/var/lib/my vol/_data', '/data\tx', '/dev/my\\disk', 'ext4', ['rw'], []],
    ['/', '/sys', 'sysfs', 'sysfs', ['rw', 'nosuid'], ['shared:7', 'master:3', 'propagate_from:2', 'unbindable']],
  ]);
});

test('a malformed line is invalid-argument invalid-mountinfo naming it', () => {
  for (const bad of [
    '1 2 - cgroup2 x',
    '22 1 254:0 / / rw ext4 /dev/vda rw',
    '22 1 254:0 / / rw - ext4 /dev/vda',
    '22 1 254:0 / / rw - ext4 /dev/vda rw extra',
    'x 1 254:0 / / rw - ext4 /dev/vda rw',
    '22 1 254 / / rw - ext4 /dev/vda rw',
    '22 1 254:0:1 / / rw - ext4 /dev/vda rw',
  ]) {
    assert.throws(() => parseMountinfo(`${bad}\n`), (err) => isBerthError(err, 'invalid-argument') && err.reason === 'invalid-mountinfo' && err.message.includes(bad), bad);
  }
  assert.deepEqual(parseMountinfo('\n\n'), []);
});
