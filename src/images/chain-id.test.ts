import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chainIds } from './chain-id.js';
import { parseDigest } from '../base/digest.js';

test('chain ids follow the OCI definition', () => {
  const a = parseDigest(`sha256:${'1'.repeat(64)}`);
  const b = parseDigest(`sha256:${'2'.repeat(64)}`);
  const [first, second] = chainIds([a, b]);
  assert.equal(first, a);
  assert.equal(second, `sha256:${createHash('sha256').update(`${a} ${b}`).digest('hex')}`);
  assert.deepEqual(chainIds([]), []);
});
