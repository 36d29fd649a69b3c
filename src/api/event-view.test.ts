import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventJson } from './event-view.js';

test("Docker's event JSON: exact timeNano, legacy fields for containers and images only", () => {
  const line = eventJson({
    seq: 1, type: 'container', action: 'die', actor: { id: 'abc', attributes: { image: 'busybox', name: 'web', exitCode: '3' } }, scope: 'local', timeNano: 1_700_000_000_123_456_789n,
  });
  assert.match(line, /"timeNano":1700000000123456789}$/);
  const parsed = JSON.parse(line) as Record<string, unknown>;
  assert.deepEqual({ ...parsed, timeNano: 0 }, {
    status: 'die', id: 'abc', from: 'busybox', Type: 'container', Action: 'die',
    Actor: { ID: 'abc', Attributes: { image: 'busybox', name: 'web', exitCode: '3' } }, scope: 'local', time: 1_700_000_000, timeNano: 0,
  });
  const volume = JSON.parse(eventJson({ seq: 2, type: 'volume', action: 'create', actor: { id: 'v1', attributes: {} }, scope: 'local', timeNano: 5n })) as Record<string, unknown>;
  assert.equal(volume.status, undefined);
  assert.equal(volume.Type, 'volume');
});
