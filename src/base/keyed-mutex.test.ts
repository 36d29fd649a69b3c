import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedMutex } from './keyed-mutex.js';

test('one key runs in order, a failure does not block the next', async () => {
  const mutex = new KeyedMutex();
  const order: string[] = [];
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => { release = resolve; });
  const first = mutex.run('a', async () => { await gate; order.push('a1'); });
  const failing = mutex.run('a', () => Promise.reject(new Error('boom')));
  const third = mutex.run('a', () => { order.push('a3'); return Promise.resolve(3); });
  const other = mutex.run('b', () => { order.push('b1'); return Promise.resolve(); });
  await other;
  assert.deepEqual(order, ['b1']);
  release();
  await first;
  await assert.rejects(failing, /boom/);
  assert.equal(await third, 3);
  assert.deepEqual(order, ['b1', 'a1', 'a3']);
});
