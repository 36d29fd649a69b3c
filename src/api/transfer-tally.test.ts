import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TransferTally } from './transfer-tally.js';

test('a pull counts each layer\'s highest Downloading figure once; other messages count nothing', () => {
  const tally = new TransferTally('Downloading');
  for (const message of [
    { status: 'Pulling from library/busybox', id: 'latest' },
    { status: 'Downloading', id: 'a1', progressDetail: { current: 100, total: 300 } },
    { status: 'Downloading', id: 'b2', progressDetail: { current: 50, total: 50 } },
    { status: 'Downloading', id: 'a1', progressDetail: { current: 300, total: 300 } },
    { status: 'Pushing', id: 'c3', progressDetail: { current: 999, total: 999 } },
    { status: 'Already exists', id: 'd4' },
    { aux: { Digest: 'sha256:00' } },
  ]) tally.see(message);
  assert.equal(tally.bytes, 350);
});
