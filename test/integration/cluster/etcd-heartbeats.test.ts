// Node heartbeats as etcd leases on a real member: a beat makes a node alive; beats keep it alive
// past its TTL (each renews the key's lease, or binds the key to a fresh one for another TTL);
// without beats etcd deletes the key when the lease runs out, and a watcher sees the node's lease
// end. Loopback only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Etcd3 } from 'etcd3';
import { EtcdHeartbeats } from '../../../src/cluster/store/etcd-heartbeats.js';
import { EtcdLab, skipReason } from './etcd-fixtures.js';

describe('heartbeats on etcd leases', { skip: skipReason() }, () => {
  let lab: EtcdLab;
  let client: Etcd3;
  before(async () => {
    lab = await EtcdLab.create();
    await lab.startCluster(1);
    client = lab.client();
  });
  after(async () => { await lab.cleanup(); });

  it('a beaten node is alive; revoked, it is not; beats renew the lease; a lease that runs out is seen ending', async () => {
    const heartbeats = new EtcdHeartbeats(client, `/hb-${process.pid}/`);
    const stop = new AbortController();
    const changes = heartbeats.changes(stop.signal)[Symbol.asyncIterator]();
    await heartbeats.beat('n1', 2);
    assert.deepEqual((await changes.next()).value, { nodeId: 'n1', alive: true });
    await heartbeats.beat('n2', 2);
    assert.deepEqual((await changes.next()).value, { nodeId: 'n2', alive: true });
    assert.deepEqual([...(await heartbeats.alive())].sort(), ['n1', 'n2']);
    await heartbeats.revoke('n2');
    assert.deepEqual((await changes.next()).value, { nodeId: 'n2', alive: false });
    // Beats renew n1's lease (the same one) and report nothing new: it stays alive.
    const leaseOf = async (): Promise<string | undefined> => (await client.get(`/hb-${process.pid}/n1`).exec()).kvs[0]?.lease;
    const first = await leaseOf();
    for (let i = 0; i < 3; i++) await heartbeats.beat('n1', 2);
    assert.equal(await leaseOf(), first, 'renewed, not replaced');
    // A beat for another TTL binds the key to a fresh lease; the next of the old TTL, to another.
    await heartbeats.beat('n1', 3);
    const longer = await leaseOf();
    assert.notEqual(longer, first);
    await heartbeats.beat('n1', 2);
    assert.notEqual(await leaseOf(), longer);
    // Without beats, etcd ends n1's last lease (after its TTL) and deletes the key.
    assert.deepEqual((await changes.next()).value, { nodeId: 'n1', alive: false });
    assert.deepEqual([...(await heartbeats.alive())], []);
    stop.abort();
  });
});
