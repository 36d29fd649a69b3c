import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectEtcd } from './etcd-client.js';
import { etcdOperation, timedCall, type EtcdCallTiming, type EtcdOperation } from './etcd-call-timing.js';

/** A timing whose clock moves only when the test says, and the observations it got. */
function manualTiming(): EtcdCallTiming & { advance(ms: number): void; readonly seen: [EtcdOperation, number][] } {
  let now = 1_000;
  const seen: [EtcdOperation, number][] = [];
  return { now: () => now, observe: (operation, seconds) => { seen.push([operation, seconds]); }, advance: (ms) => { now += ms; }, seen };
}

test('etcd calls map to few operations: a one-key range is get, a prefix range is range', () => {
  assert.equal(etcdOperation('KV', 'range', { key: Buffer.from('/berth/node/a') }), 'get');
  assert.equal(etcdOperation('KV', 'range', { key: Buffer.from('/berth/node/'), range_end: Buffer.from('/berth/node0') }), 'range');
  assert.equal(etcdOperation('KV', 'range', { key: 'a', range_end: '' }), 'get');
  assert.equal(etcdOperation('KV', 'put', {}), 'put');
  assert.equal(etcdOperation('KV', 'deleteRange', {}), 'delete');
  assert.equal(etcdOperation('KV', 'txn', {}), 'txn');
  assert.equal(etcdOperation('KV', 'compact', {}), 'compact');
  assert.equal(etcdOperation('Lease', 'leaseGrant', {}), 'lease');
  assert.equal(etcdOperation('Lease', 'leaseRevoke', {}), 'lease');
  assert.equal(etcdOperation('Cluster', 'memberList', {}), 'member');
  assert.equal(etcdOperation('Maintenance', 'status', {}), 'maintenance');
  assert.equal(etcdOperation('Auth', 'authenticate', {}), 'auth');
  assert.equal(etcdOperation('Watch', 'watch', {}), 'other');
});

test('timedCall reports the time of an answered and of a failed call, and passes both through', async () => {
  const timing = manualTiming();
  const answer = await timedCall(timing, 'put', () => { timing.advance(12); return Promise.resolve('ok'); });
  assert.equal(answer, 'ok');
  await assert.rejects(timedCall(timing, 'txn', () => { timing.advance(3_000); return Promise.reject(new Error('deadline exceeded')); }), /deadline exceeded/);
  assert.deepEqual(timing.seen, [['put', 0.012], ['txn', 3]]);
});

test('a client made with timing times each call that goes through it, by operation', async () => {
  const timing = manualTiming();
  // Nothing connects until a call is made: the mock answers instead of a server.
  const client = connectEtcd(['http://127.0.0.1:1'], { timing });
  try {
    client.mock({
      exec: <T>(service: string, method: string): Promise<T> => {
        timing.advance(service === 'Lease' ? 4 : 2);
        const answers: Record<string, unknown> = {
          range: { kvs: [], count: '0', more: false, header: { revision: '7' } },
          put: { header: { revision: '8' } },
          leaseGrant: { ID: '42', TTL: '5', header: { revision: '8' } },
        };
        return Promise.resolve(answers[method] as T);
      },
      withConnection: () => Promise.reject(new Error('no streams in this test')),
      markFailed: () => undefined,
      callOptionsFactory: undefined,
    });
    await client.get('/berth/node/a').exec();
    await client.getAll().prefix('/berth/node/').exec();
    await client.put('/berth/node/a').value('{}').exec();
    await client.leaseClient.leaseGrant({ TTL: 5 });
  } finally {
    client.close();
  }
  assert.deepEqual(timing.seen, [['get', 0.002], ['range', 0.002], ['put', 0.002], ['lease', 0.004]]);
});

test('a client made without timing is etcd3\'s own', () => {
  const client = connectEtcd(['http://127.0.0.1:1']);
  try {
    assert.equal(client.constructor.name, 'Etcd3');
  } finally {
    client.close();
  }
});
