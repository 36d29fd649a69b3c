import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isBerthError } from '../../base/errors.js';
import { makeService, makeTask } from '../../../test/support/cluster-fixtures.js';
import { newDataKey, type DataKey } from '../trust/secret-sealing.js';
import { startClusterPortServer, type ClusterPortServer } from './cluster-port-server.js';
import { makeTestCluster, MemoryManagerBackend, MemoryNodeBackend, type TestCluster } from './cluster-port-test-kit.js';
import { fetchDataKeys } from './data-key-client.js';

/** A manager backend that holds data keys. */
class KeyHoldingBackend extends MemoryManagerBackend {
  keys: readonly DataKey[] = [newDataKey(new Date(0)), newDataKey(new Date(0))];
  dataKeys(): Promise<readonly DataKey[]> { return Promise.resolve(this.keys); }
}

describe('the data-keys route of the cluster port', () => {
  let cluster: TestCluster;
  let backend: KeyHoldingBackend;
  let server: ClusterPortServer | undefined;
  let addr = '';

  before(async () => {
    cluster = await makeTestCluster('cluster1');
    backend = new KeyHoldingBackend(cluster, 'unused', { revision: 1, tasks: [makeTask('t1', makeService('s1'))], serviceNames: {}, overlays: [] });
    server = await startClusterPortServer({ host: '127.0.0.1', port: 0, tls: await cluster.node('manager1', 'manager'), manager: backend, node: new MemoryNodeBackend(), clusterId: cluster.clusterId });
    addr = `127.0.0.1:${server.port}`;
  });
  after(async () => { await server?.close(); });

  it('gives a manager the keys', async () => {
    assert.deepEqual(await fetchDataKeys(await cluster.node('manager2', 'manager'), [addr]), backend.keys);
  });

  it('refuses a worker: the keys never reach one', async () => {
    await assert.rejects(fetchDataKeys(await cluster.node('worker1', 'worker'), [addr]), (err) => isBerthError(err, 'unavailable') && /manager-route|only managers/.test(err.message));
  });
});
