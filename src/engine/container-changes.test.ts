import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutRuntimeMountPoints, type Change } from './container-changes.js';

test('runtime mount points and the directories modified only by them are left out', () => {
  const changes: Change[] = [
    { path: '/bin', kind: 0 }, { path: '/bin/vi', kind: 2 },
    { path: '/dev', kind: 1 }, { path: '/dev/null', kind: 1 },
    { path: '/etc', kind: 0 }, { path: '/etc/hostname', kind: 1 },
    { path: '/proc', kind: 1 },
  ];
  assert.deepEqual(withoutRuntimeMountPoints(changes), [{ path: '/bin', kind: 0 }, { path: '/bin/vi', kind: 2 }]);
});

test('a directory with real changes stays, next to a hidden mount point', () => {
  const changes: Change[] = [{ path: '/etc', kind: 0 }, { path: '/etc/hostname', kind: 1 }, { path: '/etc/motd', kind: 1 }];
  assert.deepEqual(withoutRuntimeMountPoints(changes), [{ path: '/etc', kind: 0 }, { path: '/etc/motd', kind: 1 }]);
});

test('an added directory is kept even when only a mount point is below it', () => {
  const changes: Change[] = [{ path: '/data', kind: 1 }, { path: '/etc', kind: 0 }, { path: '/etc/hosts', kind: 1 }];
  assert.deepEqual(withoutRuntimeMountPoints(changes), [{ path: '/data', kind: 1 }]);
});
