import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LayerUsageCache } from './layer-usage-cache.js';

test('measures unknown layers first, at most perScrape per refresh, again only once stale', async () => {
  let now = 0;
  const measured: string[] = [];
  const cache = new LayerUsageCache({
    clock: { now: () => new Date(now) },
    maxAgeMs: 1000,
    perScrape: 2,
    measure: (id) => {
      measured.push(id);
      if (id === 'gone') return Promise.reject(new Error('no such snapshot'));
      return Promise.resolve(id.length * 100);
    },
  });
  await cache.refresh(['a', 'bb', 'ccc']);
  assert.deepEqual(measured, ['a', 'bb']);
  assert.equal(cache.get('bb'), 200);
  assert.equal(cache.get('ccc'), undefined);
  now = 500;
  await cache.refresh(['a', 'bb', 'ccc']);
  assert.deepEqual(measured, ['a', 'bb', 'ccc']);
  now = 1200;
  await cache.refresh(['bb', 'ccc', 'gone']);
  assert.deepEqual(measured.slice(3), ['gone', 'bb']);
  assert.equal(cache.get('a'), undefined, 'a container no longer listed is forgotten');
  assert.equal(cache.get('gone'), undefined);
});
