import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resourceUpdateFromBody } from './container-update.js';
import { containerUpdateBodySchema } from '../../wire/containers.js';

test('zero and absent fields of Docker\'s update body change nothing', () => {
  const body = containerUpdateBodySchema.parse({ Memory: 67108864, MemorySwap: 0, CpuShares: 0, CpusetCpus: '', PidsLimit: 100, RestartPolicy: { Name: 'no' } });
  assert.deepEqual(resourceUpdateFromBody(body), { memory: 67108864, pidsLimit: 100 });
});

test('a non-integer limit is rejected by the schema', () => {
  assert.equal(containerUpdateBodySchema.safeParse({ Memory: 1.5 }).success, false);
});

test('limits beyond ±(2^53−1) reach the engine as ±(2^53−1)', () => {
  const body = containerUpdateBodySchema.parse({ Memory: 9223372036854775807n, PidsLimit: 12n, MemorySwappiness: 10, KernelMemory: 0 });
  assert.deepEqual(resourceUpdateFromBody(body), { memory: Number.MAX_SAFE_INTEGER, pidsLimit: 12 });
});
