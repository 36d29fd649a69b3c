import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCgroupLayout } from './cgroup-layout.js';
import { crunNeedsWrapper, hybridWrapperScript } from './crun-hybrid-wrapper.js';

const V1 = '32 31 0:29 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n';
const UNIFIED = '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n';
const V2 = '41 31 0:38 / /sys/fs/cgroup rw,relatime - cgroup2 cgroup2 rw,nsdelegate\n';

test('only a hybrid layout needs the wrapper', () => {
  assert.equal(crunNeedsWrapper(parseCgroupLayout(V1 + UNIFIED)), true);
  assert.equal(crunNeedsWrapper(parseCgroupLayout(V1)), false);
  assert.equal(crunNeedsWrapper(parseCgroupLayout(V2)), false);
});

test('the wrapper unshares the mount namespace, unmounts cgroup2 and execs crun with its arguments', () => {
  const script = hybridWrapperScript({
    unshare: '/usr/bin/unshare', umount: '/usr/bin/umount', shell: '/bin/sh', crun: '/opt/it\'s/crun', unified: '/sys/fs/cgroup/unified',
  });
  const lines = script.split('\n');
  assert.equal(lines[0], '#!/bin/sh');
  assert.equal(lines.at(-1), '');
  assert.equal(lines[2],
    `exec '/usr/bin/unshare' -m --propagation private '/bin/sh' -c ''\\''/usr/bin/umount'\\'' "$0" && exec "$@"' '/sys/fs/cgroup/unified' '/opt/it'\\''s/crun' "$@"`);
});
