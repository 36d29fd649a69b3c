import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSummary } from '../../wire/container-inspect.js';
import { containerRows, parseFilters } from './container-list.js';

const summary = (fields: Partial<ContainerSummary>): ContainerSummary => ({
  Id: 'a'.repeat(64), Names: ['/web'], Image: 'busybox', ImageID: 'sha256:1', Command: 'sleep 3600', Created: 1_767_000_000,
  Ports: [], Labels: {}, State: 'running', Status: 'Up 3 minutes', HostConfig: { NetworkMode: 'bridge' }, NetworkSettings: { Networks: {} }, Mounts: [],
  ...fields,
});

test('ps rows as docker prints them: short id, quoted and shortened command, relative time', () => {
  const now = new Date((1_767_000_000 + 180) * 1000);
  assert.deepEqual(containerRows([summary({ Command: 'sh -c "while true; do sleep 1; done"' })], now, true), [
    ['aaaaaaaaaaaa', 'busybox', '"sh -c \\"while true; …"', '3 minutes ago', 'Up 3 minutes', '', 'web'],
  ]);
  assert.deepEqual(containerRows([summary({ Image: `sha256:${'b'.repeat(64)}`, Names: ['/web', '/other/link'] })], now, false)[0], [
    'a'.repeat(64), `sha256:${'b'.repeat(64)}`, '"sleep 3600"', '3 minutes ago', 'Up 3 minutes', '', 'web',
  ]);
});

test('filters: repeated keys collect, a key without value is refused', () => {
  assert.deepEqual(parseFilters(['status=exited', 'status=created', 'label=a=b']), { status: ['exited', 'created'], label: ['a=b'] });
  assert.throws(() => parseFilters(['status']), /want key=value/);
});
