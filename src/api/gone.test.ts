import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '../base/errors.js';
import { undefinedIfGone } from './gone.js';

test('not-found answers undefined quietly; any other failure answers undefined after a warning', async () => {
  const warned: unknown[] = [];
  const handler = undefinedIfGone((err) => { warned.push(err); });
  const size = (failure: unknown): Promise<number> => Promise.reject(failure instanceof Error ? failure : new Error(String(failure)));
  assert.equal((await size(errors.notFound('no-such-image', 'gone')).catch(handler)) ?? -1, -1);
  assert.deepEqual(warned, []);
  const broken = errors.internal('disk', 'unreadable');
  assert.equal((await size(broken).catch(handler)) ?? -1, -1);
  assert.deepEqual(warned, [broken]);
});
