// The cluster store on one real etcd member: the shared contract, and a supervised member that
// keeps its data across stop/start and across a crash it is restarted from.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Etcd3 } from 'etcd3';
import { isBerthError } from '../../../src/base/errors.js';
import { EtcdClusterStore } from '../../../src/cluster/store/etcd-cluster-store.js';
import { EtcdMember } from '../../../src/cluster/store/etcd-member.js';
import { clusterStoreContract, take, type ContractSubject } from '../../support/cluster-store-contract.js';
import { EtcdLab, eventually, skipReason } from './etcd-fixtures.js';

const skip = skipReason();

/** Runs `fn` until it stops failing with unavailable (a client reconnecting after a restart), bounded. */
async function retrying<T>(fn: () => Promise<T>, boundMs = 30_000): Promise<T> {
  const deadline = Date.now() + boundMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isBerthError(err, 'unavailable') || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

describe('etcd cluster store (one member)', { skip }, () => {
  let lab: EtcdLab;
  let client: Etcd3;
  let store: EtcdClusterStore;
  let round = 0;

  before(async () => {
    lab = await EtcdLab.create();
    await lab.startCluster(1);
    client = lab.client();
  });
  after(async () => { await lab.cleanup(); });
  beforeEach(() => {
    round += 1;
    store = new EtcdClusterStore(client, { prefix: `/t${round}/` });
  });

  clusterStoreContract('etcd', (): ContractSubject => ({
    store,
    makeFence: async () => {
      const key = `/fence/${round}`;
      const put = await client.put(key).value('leader').exec();
      return { key, createRevision: Number(put.header.revision) };
    },
    dropFence: async (fence) => { await client.delete().key(fence.key).exec(); },
  }));

  it('keeps its data across stop and start, and across a crash it is restarted from', async () => {
    const member = [...lab.members.values()][0] as EtcdMember;
    const before = await store.create('node', 'kept', { n: 1 });
    // A watch open across the restart resumes where it was: it misses nothing and repeats nothing.
    const watching = take(store.watch({ kind: 'node', fromRevision: before.version }), 3, 60_000);
    await member.stop();
    const again = await EtcdMember.start(member.options);
    lab.members.set('m0', again);
    assert.deepEqual(await retrying(() => store.get('node', 'kept')), before);
    await retrying(() => store.create('node', 'after-restart', { n: 2 }));

    const pid = again.pid;
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGKILL');
    await eventually('the member to be restarted', () => again.restarts === 1 && again.pid !== undefined && again.pid !== pid);
    await again.whenHealthy();
    assert.deepEqual(await retrying(() => store.get('node', 'kept')), before);
    await retrying(() => store.create('node', 'after-crash', { n: 3 }));
    assert.deepEqual((await watching).map((e) => e.id), ['kept', 'after-restart', 'after-crash']);
  });
});
