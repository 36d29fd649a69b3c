import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHostSupport } from './host-facts.js';

test('real-time CPU limits and swappiness are refused where the host has no such cgroup files', () => {
  assert.throws(() => { checkHostSupport({ cpuRealtime: false }, { cpuRealtimeRuntime: 1000 }); }, {
    kind: 'invalid-argument', reason: 'realtime-unsupported', message: /Your kernel does not support CPU real-time scheduler/,
  });
  assert.throws(() => { checkHostSupport({ cpuRealtime: false }, { cpuRealtimePeriod: 1000 }); }, { reason: 'realtime-unsupported' });
  assert.throws(() => { checkHostSupport({ memorySwappiness: false }, { memorySwappiness: 0 }); }, { reason: 'swappiness-unsupported' });
  checkHostSupport({ cpuRealtime: true, memorySwappiness: true }, { cpuRealtimeRuntime: 1000, memorySwappiness: 10 });
  checkHostSupport({ cpuRealtime: false, memorySwappiness: false }, { memorySwappiness: -1 });
  checkHostSupport({}, { cpuRealtimeRuntime: 1000 });
});
