import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mountLayout } from './archive-upload-destination.js';

// A container's mountinfo: its root, /proc, a volume with a bind inside it, a file mount and a
// mount point with a space.
const MOUNTINFO = [
  '600 500 0:90 / / rw,relatime - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w',
  '601 600 0:91 / /proc rw - proc proc rw',
  '602 600 254:0 /var/lib/berth/volumes/data/_data /data rw - ext4 /dev/vda rw',
  '603 602 254:0 /srv/app /data/app rw - ext4 /dev/vda rw',
  '604 600 254:0 /var/lib/berth/containers/x/hostname /etc/hostname rw - ext4 /dev/vda rw',
  '605 600 0:92 / /srv/my\\040files rw - tmpfs tmpfs rw',
  '',
].join('\n');

test('a path in the root filesystem: the root is its mount, the mount points below it are listed', () => {
  assert.deepEqual(mountLayout(MOUNTINFO, '/'), { root: '/', below: ['proc', 'data', 'data/app', 'etc/hostname', 'srv/my files'] });
  assert.deepEqual(mountLayout(MOUNTINFO, '/etc'), { root: '/', below: ['hostname'] });
  assert.deepEqual(mountLayout(MOUNTINFO, '/tmp'), { root: '/', below: [] });
});

test('a path in a mount: the deepest mount point above it, never a sibling with a longer name', () => {
  assert.deepEqual(mountLayout(MOUNTINFO, '/data'), { root: '/data', below: ['app'] });
  assert.deepEqual(mountLayout(MOUNTINFO, '/data/sub'), { root: '/data', below: [] });
  assert.deepEqual(mountLayout(MOUNTINFO, '/data/app/x'), { root: '/data/app', below: [] });
  assert.deepEqual(mountLayout(MOUNTINFO, '/dat'), { root: '/', below: [] });
  assert.deepEqual(mountLayout(MOUNTINFO, '/srv/my files/a'), { root: '/srv/my files', below: [] });
});
