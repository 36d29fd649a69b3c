import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProcessRunner } from '../base/process-runner.js';
import { parseCgroupLayout } from '../runtime/cgroup-layout.js';
import { OciRuntimes } from '../runtime/oci-runtimes.js';
import { initialState, type ContainerRecord } from './container-record.js';
import { runtimeNameOf, runtimeOf } from './container-task.js';

const runner: ProcessRunner = { run: () => Promise.reject(new Error('nothing is run')) };

function record(runtime: string | undefined): ContainerRecord {
  return {
    id: 'c1', name: 'one', imageId: 'sha256:x', createdAt: '2026-01-01T00:00:00Z', state: initialState(),
    config: {
      image: 'busybox', options: {}, autoRemove: false, stdinOnce: false, attachStdin: false, attachStdout: true, attachStderr: true,
      log: { maxSize: -1 }, ...(runtime === undefined ? {} : { runtime }),
    },
  };
}

test('a container runs with the runtime its config names; an old record without one with runc; a vanished one is failed-precondition', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'berth-container-runtime-'));
  try {
    const layout = parseCgroupLayout('41 31 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n');
    // Stand-in binaries: nothing is run.
    const runtimes = await OciRuntimes.open({ runner, layout, stateDir: (name) => join(dir, name), wrapperDir: dir, runcPath: '/bin/true', crunPath: '/bin/sh' });
    assert.equal(runtimeNameOf(record(undefined)), 'runc');
    assert.equal(runtimeOf({ runtimes }, record(undefined)).name, 'runc');
    assert.equal(runtimeOf({ runtimes }, record('crun')).name, 'crun');
    assert.throws(() => runtimeOf({ runtimes }, record('kata')), { kind: 'failed-precondition', reason: 'runtime-unavailable' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
