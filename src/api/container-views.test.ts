import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContainerPaths } from '../engine/container-paths.js';
import { initialState, type ContainerRecord } from '../engine/container-record.js';
import { inspectView } from './container-views.js';

function record(userns?: ContainerRecord['config']['userns']): ContainerRecord {
  return {
    id: 'd'.repeat(64), name: 'box', imageId: 'sha256:x', createdAt: '2026-01-01T00:00:00Z', state: initialState(),
    config: {
      image: 'busybox', options: {}, autoRemove: false, stdinOnce: false, attachStdin: false, attachStdout: true, attachStderr: true,
      log: { maxSize: -1 }, ...(userns === undefined ? {} : { userns }),
    },
  };
}

test('inspect: HostConfig.UsernsMode and the mappings of --userns auto; empty and null without', () => {
  const paths = new ContainerPaths('/var/lib/berth');
  const auto = inspectView(record({ mode: 'auto', uid: 1_048_576, gid: 1_048_576, size: 65536 }), undefined, paths, []);
  assert.equal((auto['HostConfig'] as Record<string, unknown>)['UsernsMode'], 'auto');
  assert.deepEqual(auto['UserNamespace'], {
    UidMap: [{ ContainerID: 0, HostID: 1_048_576, Size: 65536 }],
    GidMap: [{ ContainerID: 0, HostID: 1_048_576, Size: 65536 }],
  });
  const host = inspectView(record(), undefined, paths, []);
  assert.equal((host['HostConfig'] as Record<string, unknown>)['UsernsMode'], '');
  assert.equal(host['UserNamespace'], null);
});
