import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { networkSpecSchema } from '../objects/network.js';
import { planNetwork, type NetworkPool } from './network-pool.js';

const spec = (name: string, ipam: { subnet?: string; gateway?: string } = {}): ReturnType<typeof networkSpecSchema.parse> => networkSpecSchema.parse({ name, ipam });

test('a new network takes the first free /24 of 10.0.0.0/8 from 10.0.1.0, its .1 as gateway, and the lowest free VXLAN id', () => {
  const empty: NetworkPool = { networks: {} };
  assert.deepEqual(planNetwork(empty, spec('a')), { subnet: '10.0.1.0/24', gateway: '10.0.1.1', vni: 4097 });
  const pool: NetworkPool = { networks: { x: { name: 'a', subnet: '10.0.1.0/24', vni: 4097 }, y: { name: 'b', subnet: '10.0.2.0/23', vni: 4099 } } };
  assert.deepEqual(planNetwork(pool, spec('c')), { subnet: '10.0.4.0/24', gateway: '10.0.4.1', vni: 4098 });
});

test('a given subnet and gateway are kept; overlaps, names in use and bad input are refused naming what is wrong', () => {
  const pool: NetworkPool = { networks: { x: { name: 'web', subnet: '10.0.1.0/24', vni: 4097 } } };
  assert.deepEqual(planNetwork(pool, spec('db', { subnet: '192.168.50.0/24', gateway: '192.168.50.254' })), { subnet: '192.168.50.0/24', gateway: '192.168.50.254', vni: 4098 });
  const refused = (s: ReturnType<typeof spec>, kind: string, message: RegExp): void => {
    assert.throws(() => planNetwork(pool, s), (err: unknown) => isBerthError(err, kind as 'conflict') && message.test(err.message));
  };
  refused(spec('web'), 'conflict', /network with name web already exists/);
  refused(spec('db', { subnet: '10.0.0.0/16' }), 'conflict', /subnet 10.0.0.0\/16 overlaps network web \(10.0.1.0\/24\)/);
  refused(spec('db', { subnet: '10.0.9.1/24' }), 'invalid-argument', /host bits are set/);
  refused(spec('db', { subnet: 'nonsense' }), 'invalid-argument', /--subnet nonsense: want an IPv4 subnet/);
  refused(spec('db', { subnet: '10.0.9.0/24', gateway: '10.0.8.1' }), 'invalid-argument', /--gateway 10.0.8.1: want a host address of 10.0.9.0\/24/);
  refused(spec('db', { gateway: '10.0.9.1' }), 'invalid-argument', /--gateway needs --subnet/);
});
