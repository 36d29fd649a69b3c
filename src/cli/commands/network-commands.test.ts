import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ipamPools } from './network-commands.js';

test('--subnet/--gateway/--ip-range: one pool per subnet, each gateway and range with the subnet of its family', () => {
  assert.deepEqual(ipamPools(['10.1.0.0/24', 'fd00:1::/64'], ['fd00:1::fe'], ['10.1.0.128/25']), [
    { Subnet: '10.1.0.0/24', IPRange: '10.1.0.128/25' },
    { Subnet: 'fd00:1::/64', Gateway: 'fd00:1::fe' },
  ]);
  assert.deepEqual(ipamPools([], [], []), []);
  assert.throws(() => ipamPools(['10.1.0.0/24'], ['fd00:1::1'], []), /--gateway fd00:1::1 needs a --subnet of its address family/);
  assert.throws(() => ipamPools([], [], ['10.1.0.0/25']), /--ip-range 10\.1\.0\.0\/25 needs a --subnet/);
});
