import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBerthError } from '../../base/errors.js';
import { freePort } from '../store/free-port.js';
import type { NodeTlsMaterial } from '../trust/index.js';
import { startClusterPortServer, type ClusterPortServer } from './cluster-port-server.js';
import { makeTestCluster, MemoryManagerBackend, MemoryNodeBackend } from './cluster-port-test-kit.js';
import { ManagerClient } from './manager-client.js';

describe('ManagerClient', () => {
  let backend: MemoryManagerBackend;
  let server: ClusterPortServer | undefined;
  let material: NodeTlsMaterial;
  const clients: ManagerClient[] = [];
  let live = '';
  let dead = '';

  before(async () => {
    const cluster = await makeTestCluster('cluster1');
    backend = new MemoryManagerBackend(cluster, 'unused', { revision: 1, tasks: [], serviceNames: {}, overlays: [] });
    server = await startClusterPortServer({ host: '127.0.0.1', port: 0, tls: await cluster.node('manager1', 'manager'), manager: backend, node: new MemoryNodeBackend(), clusterId: cluster.clusterId });
    material = await cluster.node('worker1', 'worker');
    live = `127.0.0.1:${server.port}`;
    dead = `127.0.0.1:${await freePort()}`;
  });
  after(async () => {
    for (const client of clients) client.close();
    await server?.close();
  });

  function client(managers: readonly string[]): ManagerClient {
    const made = new ManagerClient(material, managers);
    clients.push(made);
    return made;
  }

  it('fails over from a manager that does not answer to one that does', async () => {
    const link = client([dead, live]);
    assert.deepEqual(await link.heartbeat(), { periodMs: 5000, role: 'worker' });
    assert.deepEqual(await link.heartbeat(), { periodMs: 5000, role: 'worker' });
    assert.deepEqual(backend.heartbeats, ['worker1', 'worker1']);
  });

  it('is unavailable (managers-unreachable) when no manager answers, naming each', async () => {
    const link = client([dead]);
    await assert.rejects(link.heartbeat(), (err) => isBerthError(err, 'unavailable') && err.reason === 'managers-unreachable' && err.message.includes(dead));
  });

  it('takes a new list of managers', async () => {
    const link = client([dead]);
    link.setManagers([live]);
    assert.deepEqual(await link.assignments(0, new AbortController().signal), { revision: 1, tasks: [], serviceNames: {}, overlays: [] });
  });
});
