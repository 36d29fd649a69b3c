import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type BerthError, isBerthError } from '../../base/errors.js';
import { generateNodeKey, makeJoinToken, newJoinSecret, readNodeCertificate } from '../trust/index.js';
import { callClusterPort } from './cluster-port-call.js';
import { startClusterPortServer, type ClusterPortServer } from './cluster-port-server.js';
import { makeTestCluster, MemoryManagerBackend, MemoryNodeBackend, type TestCluster } from './cluster-port-test-kit.js';
import { fetchClusterCa, requestJoin } from './join-client.js';
import { CLUSTER_ROUTES, type JoinCall } from './protocol.js';

const DESCRIPTION = { hostname: 'joiner', platform: { os: 'linux', arch: 'x86_64' }, resources: { nanoCpus: 1e9, memoryBytes: 2 ** 30 }, engineLabels: {} };

function rejectsWith(kind: BerthError['kind'], reason: string): (err: unknown) => boolean {
  return (err) => isBerthError(err, kind) && err.reason === reason;
}

describe('joining through the cluster port', () => {
  const secret = newJoinSecret();
  let cluster: TestCluster;
  let other: TestCluster;
  let backend: MemoryManagerBackend;
  let server: ClusterPortServer | undefined;
  let addr = '';

  before(async () => {
    cluster = await makeTestCluster('cluster1');
    other = await makeTestCluster('cluster2');
    backend = new MemoryManagerBackend(cluster, secret, { revision: 1, tasks: [], serviceNames: {}, overlays: [] });
    server = await startClusterPortServer({ host: '127.0.0.1', port: 0, tls: await cluster.node('manager1', 'manager'), manager: backend, node: new MemoryNodeBackend(), clusterId: cluster.clusterId });
    addr = `127.0.0.1:${server.port}`;
  });
  after(async () => { await server?.close(); });

  async function joinCall(token: string): Promise<JoinCall> {
    const key = await generateNodeKey();
    return { token, publicKeyPem: key.publicKeyPem, description: DESCRIPTION, addr: '', port: 2377 };
  }

  it('fetches the CA when its digest is the expected one', async () => {
    assert.equal(await fetchClusterCa(addr, cluster.digest), cluster.ca.certPem);
  });

  it('refuses a CA whose digest is not the expected one', async () => {
    await assert.rejects(fetchClusterCa(addr, other.digest), (err) => rejectsWith('permission-denied', 'ca-mismatch')(err)
      && err instanceof Error && err.message === `the manager at ${addr} presents a CA that does not match the join token`);
  });

  it('joins with the right token and gets a certificate of the cluster for its key', async () => {
    const answer = await requestJoin(addr, cluster.ca.certPem, await joinCall(makeJoinToken(cluster.ca.certPem, secret)));
    const identity = readNodeCertificate(answer.certPem, cluster.ca.certPem);
    assert.deepEqual([identity.nodeId, identity.role, identity.clusterId], [answer.nodeId, 'worker', 'cluster1']);
    assert.equal(backend.joins.at(-1)?.peerAddress, '127.0.0.1');
  });

  it('is refused with a wrong token, the backend\'s error intact', async () => {
    await assert.rejects(requestJoin(addr, cluster.ca.certPem, await joinCall(makeJoinToken(cluster.ca.certPem, newJoinSecret()))),
      (err) => rejectsWith('permission-denied', 'join-token-rejected')(err) && err instanceof Error && err.message === 'the join token is not valid for this cluster');
  });

  it('refuses a join body that is not a JoinCall, naming the field', async () => {
    const body = { ...(await joinCall(makeJoinToken(cluster.ca.certPem, secret))), port: 'many' };
    await assert.rejects(callClusterPort(addr, { method: 'POST', path: CLUSTER_ROUTES.join, body, tls: { ca: cluster.ca.certPem } }),
      (err) => rejectsWith('invalid-argument', 'invalid-join-call')(err) && err instanceof Error && err.message.includes('field port'));
  });

  it('does not trust a manager whose certificate another CA issued', async () => {
    await assert.rejects(requestJoin(addr, other.ca.certPem, await joinCall(makeJoinToken(other.ca.certPem, secret))),
      rejectsWith('permission-denied', 'manager-certificate-untrusted'));
  });
});
