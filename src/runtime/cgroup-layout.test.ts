import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../base/errors.js';
import { cgroupDirs, parseCgroupLayout } from './cgroup-layout.js';

const HYBRID = `22 1 8:1 / / rw,relatime - ext4 /dev/sda1 rw
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
39 31 0:36 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,release_agent=/x,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
`;

test('hybrid: v1 controllers per mount, named hierarchies, cgroup2 mount', () => {
  const layout = parseCgroupLayout(HYBRID);
  assert.equal(layout.mode, 'v1-hybrid');
  assert.equal(layout.v1.get('cpu'), '/sys/fs/cgroup/cpu,cpuacct');
  assert.equal(layout.v1.get('cpuacct'), '/sys/fs/cgroup/cpu,cpuacct');
  assert.equal(layout.v1.get('memory'), '/sys/fs/cgroup/memory');
  assert.equal(layout.v1.has('xattr'), false);
  assert.equal(layout.v1.has('release_agent'), false);
  assert.equal(layout.v1Named.get('name=systemd'), '/sys/fs/cgroup/systemd');
  assert.equal(layout.unified, '/sys/fs/cgroup/unified');
  const dirs = cgroupDirs(layout, '/berth/abc');
  assert.equal(dirs.v1.get('pids'), '/sys/fs/cgroup/pids/berth/abc');
  assert.equal(dirs.unified, '/sys/fs/cgroup/unified/berth/abc');
  assert.deepEqual([...dirs.all].sort(), [
    '/sys/fs/cgroup/cpu,cpuacct/berth/abc', '/sys/fs/cgroup/freezer/berth/abc', '/sys/fs/cgroup/memory/berth/abc',
    '/sys/fs/cgroup/pids/berth/abc', '/sys/fs/cgroup/systemd/berth/abc', '/sys/fs/cgroup/unified/berth/abc',
  ]);
});

test('legacy, unified, escapes and errors', () => {
  const legacy = parseCgroupLayout(HYBRID.split('\n').filter((l) => !l.includes('cgroup2')).join('\n'));
  assert.equal(legacy.mode, 'v1-legacy');
  const unified = parseCgroupLayout('30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n');
  assert.deepEqual([unified.mode, unified.unified, unified.v1.size], ['v2-unified', '/sys/fs/cgroup', 0]);
  const spaced = parseCgroupLayout('30 23 0:26 / /mnt/my\\040cgroups rw - cgroup2 cgroup2 rw\n');
  assert.equal(spaced.unified, '/mnt/my cgroups');
  assert.throws(() => parseCgroupLayout('22 1 8:1 / / rw - ext4 /dev/sda1 rw\n'), (err) => isBerthError(err, 'failed-precondition'));
  assert.throws(() => parseCgroupLayout('1 2 - cgroup2 x\n'), (err) => isBerthError(err, 'invalid-argument'));
  for (const bad of ['berth/x', '/', '/berth/../x', '/berth//x']) {
    assert.throws(() => cgroupDirs(unified, bad), (err) => isBerthError(err, 'invalid-argument'), bad);
  }
});
