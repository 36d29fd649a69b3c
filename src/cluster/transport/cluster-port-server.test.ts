import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type BerthError, isBerthError } from '../../base/errors.js';
import type { Assignments } from '../agent/agent-ports.js';
import { generateNodeKey, readNodeCertificate, type NodeTlsMaterial } from '../trust/index.js';
import { makeService, makeTask } from '../../../test/support/cluster-fixtures.js';
import { callClusterPort } from './cluster-port-call.js';
import { startClusterPortServer, type ClusterPortServer } from './cluster-port-server.js';
import { forgeForeignClusterMaterial, makeTestCluster, MemoryManagerBackend, MemoryNodeBackend, type TestCluster } from './cluster-port-test-kit.js';
import { ManagerClient } from './manager-client.js';
import { CLUSTER_ROUTES } from './protocol.js';

function rejectsWith(kind: BerthError['kind'], reason: string): (err: unknown) => boolean {
  return (err) => isBerthError(err, kind) && err.reason === reason;
}

const service = makeService('web1');
const ASSIGNED: Assignments = { revision: 4, tasks: [makeTask('task1', service, { nodeId: 'worker1' })], serviceNames: { web1: 'web1' }, overlays: [] };

describe('the member routes of the cluster port', () => {
  let cluster: TestCluster;
  let backend: MemoryManagerBackend;
  let server: ClusterPortServer | undefined;
  let worker: ManagerClient | undefined;
  let addr = '';

  before(async () => {
    cluster = await makeTestCluster('cluster1');
    backend = new MemoryManagerBackend(cluster, 'unused', ASSIGNED);
    server = await startClusterPortServer({ host: '127.0.0.1', port: 0, tls: await cluster.node('manager1', 'manager'), manager: backend, node: new MemoryNodeBackend(), clusterId: cluster.clusterId });
    addr = `127.0.0.1:${server.port}`;
    worker = new ManagerClient(await cluster.node('worker1', 'worker'), [addr]);
  });
  after(async () => {
    worker?.close();
    await server?.close();
  });

  it('lets a member with a node certificate beat, read its assignments and report', async () => {
    assert.deepEqual(await worker!.heartbeat(), { periodMs: 5000, role: 'worker' });
    assert.deepEqual(await worker!.assignments(0, new AbortController().signal), ASSIGNED);
    const status = { state: 'running' as const, message: 'started', timestamp: new Date(0).toISOString(), containerId: 'c1' };
    await worker!.report([{ taskId: 'task1', status }]);
    assert.deepEqual(backend.heartbeats, ['worker1']);
    assert.deepEqual(backend.reports, [{ nodeId: 'worker1', reports: [{ taskId: 'task1', status }] }]);
  });

  it('passes a role call with the node and the role its certificate names, and answers the new certificate', async () => {
    const key = await generateNodeKey();
    const answer = await worker!.changeRole({ publicKeyPem: key.publicKeyPem });
    assert.equal(answer.role, 'manager');
    assert.deepEqual(backend.roleChanges, [{ nodeId: 'worker1', currentRole: 'worker' }]);
    assert.equal(readNodeCertificate(answer.certPem, cluster.ca.certPem).role, 'manager');
    await assert.rejects(worker!.changeRole({ publicKeyPem: '' }), rejectsWith('invalid-argument', 'invalid-role-call'));
  });

  it('refuses a report that is not one, naming the field', async () => {
    await assert.rejects(worker!.report([{ taskId: 'task1', status: { state: 'sleeping' } } as never]),
      (err) => rejectsWith('invalid-argument', 'invalid-status-report')(err) && err instanceof Error && err.message.includes('reports.0.status.state'));
  });

  async function memberCall(tls: Partial<NodeTlsMaterial>): Promise<unknown> {
    return callClusterPort(addr, { method: 'POST', path: CLUSTER_ROUTES.heartbeat, tls: { ca: cluster.ca.certPem, ...(tls.keyPem !== undefined && { key: tls.keyPem }), ...(tls.certPem !== undefined && { cert: tls.certPem }) } });
  }

  it('refuses a caller without a certificate (401)', async () => {
    await assert.rejects(memberCall({}), (err) => rejectsWith('unauthenticated', 'client-certificate-required')(err) && (err as BerthError).details.status === 401);
  });

  it('refuses a certificate of another CA (403)', async () => {
    const stranger = await (await makeTestCluster('cluster2')).node('worker9', 'worker');
    await assert.rejects(memberCall(stranger), (err) => rejectsWith('permission-denied', 'certificate-untrusted')(err) && (err as BerthError).details.status === 403);
  });

  it('refuses a certificate of the right CA that names another cluster (403)', async () => {
    const forged = await forgeForeignClusterMaterial(cluster.ca, 'cluster2');
    await assert.rejects(memberCall(forged), (err) => isBerthError(err, 'permission-denied') && (err).details.status === 403);
  });

  it('never passed a refused caller to the backend', () => {
    assert.deepEqual(backend.heartbeats, ['worker1']);
  });

  it('ends a long poll when the caller aborts it, and the backend sees the abort', async () => {
    const caller = new AbortController();
    const poll = worker!.assignments(ASSIGNED.revision, caller.signal);
    await backend.longPollStarted;
    caller.abort();
    await assert.rejects(poll, rejectsWith('canceled', 'request-canceled'));
    await backend.longPollAborted;
  });
});

describe('a cluster port serving another cluster id than its certificates name', () => {
  let server: ClusterPortServer | undefined;
  let worker: ManagerClient | undefined;

  after(async () => {
    worker?.close();
    await server?.close();
  });

  it('refuses the members of the cluster its CA names', async () => {
    const cluster = await makeTestCluster('cluster1');
    const backend = new MemoryManagerBackend(cluster, 'unused', ASSIGNED);
    server = await startClusterPortServer({ host: '127.0.0.1', port: 0, tls: await cluster.node('manager1', 'manager'), manager: backend, node: new MemoryNodeBackend(), clusterId: 'cluster2' });
    worker = new ManagerClient(await cluster.node('worker1', 'worker'), [`127.0.0.1:${server.port}`]);
    await assert.rejects(worker.heartbeat(), rejectsWith('permission-denied', 'cluster-mismatch'));
    assert.deepEqual(backend.heartbeats, []);
  });
});

describe('a backend that fails with something other than a BerthError', () => {
  let server: ClusterPortServer | undefined;
  let worker: ManagerClient | undefined;

  after(async () => {
    worker?.close();
    await server?.close();
  });

  it('answers 500 internal without the failure\'s text', async () => {
    const cluster = await makeTestCluster('cluster1');
    class FailingBackend extends MemoryManagerBackend {
      override heartbeat(): Promise<{ readonly periodMs: number; readonly role: 'worker' }> {
        return Promise.reject(new Error('the store at 10.0.0.5 refused'));
      }
    }
    const backend = new FailingBackend(cluster, 'unused', ASSIGNED);
    server = await startClusterPortServer({ host: '127.0.0.1', port: 0, tls: await cluster.node('manager1', 'manager'), manager: backend, node: new MemoryNodeBackend(), clusterId: cluster.clusterId });
    worker = new ManagerClient(await cluster.node('worker1', 'worker'), [`127.0.0.1:${server.port}`]);
    await assert.rejects(worker.heartbeat(), (err) => rejectsWith('internal', 'internal-error')(err) && !(err as BerthError).message.includes('10.0.0.5'));
  });
});
