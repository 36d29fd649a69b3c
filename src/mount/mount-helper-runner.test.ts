import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mountRequestOf } from './mount-helper-runner.js';

const overlay = ['-t', 'overlay', '-o', 'index=off,lowerdir=1/fs:2/fs,upperdir=/s/3/fs,workdir=/s/3/work', 'overlay', '/c/x/rootfs'];

test('the rootfs mount and a plain umount become helper requests; relative lowerdirs keep the cwd', () => {
  assert.equal(mountRequestOf('mount', overlay, { cwd: '/s' }), 'mount\toverlay\toverlay\t/c/x/rootfs\tindex=off,lowerdir=1/fs:2/fs,upperdir=/s/3/fs,workdir=/s/3/work\t/s');
  assert.equal(mountRequestOf('umount', ['/c/x/rootfs'], {}), 'umount\t/c/x/rootfs');
});

test('anything else stays with the programs: flags, other types, lazy umounts, relative or odd paths, input', () => {
  assert.equal(mountRequestOf('mount', ['-t', 'overlay', '-o', 'ro,lowerdir=/a', 'overlay', '/t'], {}), undefined);
  assert.equal(mountRequestOf('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', '/t'], {}), undefined);
  assert.equal(mountRequestOf('mount', ['-o', 'rbind,rw', '/a', '/t'], {}), undefined);
  assert.equal(mountRequestOf('umount', ['-l', '/t'], {}), undefined);
  assert.equal(mountRequestOf('umount', ['t'], {}), undefined);
  assert.equal(mountRequestOf('umount', ['/t\nmount'], {}), undefined);
  assert.equal(mountRequestOf('mount', [...overlay.slice(0, 5), '/c/x\t/rootfs'], {}), undefined);
  assert.equal(mountRequestOf('mount', overlay, { input: 'x' }), undefined);
  assert.equal(mountRequestOf('runc', ['delete', 'x'], {}), undefined);
});
