import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isKillSignal } from './kill-container.js';

test('SIGKILL by any of its names', () => {
  for (const name of ['KILL', 'SIGKILL', 'kill', '9']) assert.equal(isKillSignal(name), true, name);
  for (const name of ['TERM', 'SIGTERM', '15', 'SIGKILLX', '19']) assert.equal(isKillSignal(name), false, name);
});
