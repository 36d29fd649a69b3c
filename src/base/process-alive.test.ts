import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeZombie } from '../../test/support/zombie.js';
import { isOwnerAlive, isProcessAlive, ownerTag } from './process-alive.js';

test('this process is alive by pid and by owner tag; another start time is another process', () => {
  assert.ok(isProcessAlive(process.pid));
  const tag = ownerTag();
  assert.match(tag, new RegExp(`^${process.pid}\\.\\d+$`));
  assert.ok(isOwnerAlive(tag));
  assert.ok(isOwnerAlive(String(process.pid)), 'a bare pid, as names from before tags have');
  const [, start] = tag.split('.');
  assert.equal(isOwnerAlive(`${process.pid}.${Number(start) + 1}`), false, 'a reused pid is not the owner');
  assert.equal(isOwnerAlive('garbage'), false);
  assert.equal(isProcessAlive(0), false);
});

test('a zombie (exited, never reaped) is not alive, though a signal still reaches its pid', async () => {
  const zombie = await makeZombie();
  try {
    process.kill(zombie.pid, 0);
    assert.equal(isProcessAlive(zombie.pid), false);
  } finally {
    zombie.parent.kill('SIGKILL');
  }
});
