import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { allocateUserns, DEFAULT_USERNS_POOL, subordinateRange, USERNS_SIZE, usernsPoolOf, type UsernsConfig } from './id-ranges.js';

const range = (uid: number, gid = uid): UsernsConfig => ({ mode: 'auto', uid, gid, size: USERNS_SIZE });

test('the lowest free slot, skipping ranges in use, also when only the gids collide', () => {
  const pool = { uidStart: 1_000_000, gidStart: 2_000_000, count: 4 * USERNS_SIZE };
  assert.deepEqual(allocateUserns(pool, []), range(1_000_000, 2_000_000));
  const first = range(1_000_000, 2_000_000);
  assert.deepEqual(allocateUserns(pool, [first]), range(1_000_000 + USERNS_SIZE, 2_000_000 + USERNS_SIZE));
  // A range recorded under an earlier pool that overlaps slot 1's gids only.
  const odd: UsernsConfig = { mode: 'auto', uid: 5, gid: 2_000_000 + USERNS_SIZE + 10, size: 10 };
  assert.equal(allocateUserns(pool, [first, odd]).uid, 1_000_000 + 2 * USERNS_SIZE);
  // Freed (its record gone): handed out again.
  assert.equal(allocateUserns(pool, [odd]).uid, 1_000_000);
});

test('a full pool is resource-exhausted', () => {
  const pool = { uidStart: 100_000, gidStart: 100_000, count: 2 * USERNS_SIZE + 5 };
  const used = [range(100_000), range(100_000 + USERNS_SIZE)];
  assert.throws(() => allocateUserns(pool, used), (err) => isBerthError(err, 'resource-exhausted') && err.reason === 'userns-ranges-exhausted');
});

test('the pool: the berth entries of subuid and subgid, else the default from 2^20', () => {
  assert.deepEqual(subordinateRange('alice:100000:65536\nberth:200000:1000000\n', 'berth'), { start: 200_000, count: 1_000_000 });
  assert.equal(subordinateRange('berth:x:10\n# berth\n', 'berth'), undefined);
  assert.deepEqual(usernsPoolOf('berth:200000:1000000\n', 'berth:300000:700000\n'), { uidStart: 200_000, gidStart: 300_000, count: 700_000 });
  assert.deepEqual(usernsPoolOf('berth:200000:1000000\n', ''), DEFAULT_USERNS_POOL);
  assert.equal(DEFAULT_USERNS_POOL.uidStart, 1_048_576);
  assert.throws(() => usernsPoolOf('berth:1:10\n', 'berth:1:10\n'), (err) => isBerthError(err, 'failed-precondition'));
});
