// Two etcd members over mutual TLS (clients and peers) with certificates of the cluster CA: a node
// of the cluster reads and writes; a client without a certificate, or with one of another CA, is
// refused; a member restarted after a crash comes back over TLS.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Etcd3, GRPCUnavailableError } from 'etcd3';
import { connectEtcd } from '../../../src/cluster/store/etcd-client.js';
import { EtcdClusterStore } from '../../../src/cluster/store/etcd-cluster-store.js';
import { EtcdMember } from '../../../src/cluster/store/etcd-member.js';
import { freePort } from '../../../src/cluster/store/free-port.js';
import { createClusterCa, createNodeMaterial, writeTlsFiles, type ClusterCa, type NodeTlsMaterial } from '../../../src/cluster/trust/index.js';
import { EtcdLab, eventually, skipReason } from './etcd-fixtures.js';

const skip = skipReason();
const NOW = new Date();
/** Bounds each call of a refused client, so that it ends with an error instead of retrying on. */
const CALL_TIMEOUT_MS = 5_000;

/** The connection failed in the TLS handshake (not a timeout): etcd3 reports it as unavailable with the TLS error. */
function refusedBy(tlsError: RegExp): (err: unknown) => boolean {
  return (err) => err instanceof GRPCUnavailableError && tlsError.test(err.message);
}

describe('etcd over mutual TLS', { skip }, () => {
  let lab: EtcdLab;
  let ca: ClusterCa;
  let member: EtcdMember;
  let second: EtcdMember;
  const clients: Etcd3[] = [];

  const material = (authority: ClusterCa, nodeId: string): Promise<NodeTlsMaterial> =>
    createNodeMaterial(authority, { nodeId, role: 'manager', clusterId: 'cluster-a', ipAddresses: ['127.0.0.1'], dnsNames: [], now: NOW });
  const track = (client: Etcd3): Etcd3 => { clients.push(client); return client; };

  before(async () => {
    lab = await EtcdLab.create();
    ca = await createClusterCa('cluster-a', NOW);
    const names = ['m0', 'm1'];
    const peers = await Promise.all(names.map(async (name) => ({ name, peerUrl: `https://127.0.0.1:${await freePort()}` })));
    [member, second] = await Promise.all(peers.map(async ({ name, peerUrl }) => {
      const started = await EtcdMember.start({
        name,
        dataDir: join(lab.dir, name),
        clientUrl: `https://127.0.0.1:${await freePort()}`,
        peerUrl,
        initialCluster: peers,
        clusterState: 'new',
        clusterToken: `berth-test-${lab.dir.slice(-6)}`,
        tls: await writeTlsFiles(join(lab.dir, `tls-${name}`), await material(ca, `etcd-${name}`)),
      });
      lab.members.set(name, started);
      return started;
    })) as [EtcdMember, EtcdMember];
  });
  after(async () => {
    for (const client of clients) client.close();
    await lab.cleanup();
  });

  it('is healthy over https with its own certificate, and serves a node of the cluster', async () => {
    assert.match(member.clientUrl, /^https:/);
    const client = track(connectEtcd([member.clientUrl], { tls: await material(ca, 'manager-1'), callTimeoutMs: CALL_TIMEOUT_MS }));
    await client.put('/tls/key').value('written');
    assert.equal(await client.get('/tls/key').string(), 'written');

    const store = new EtcdClusterStore(client, { prefix: '/tls-store/' });
    const created = await store.create('node', 'n1', { over: 'tls' });
    assert.deepEqual(await store.get('node', 'n1'), created);
  });

  it('replicates between its members over peer TLS', async () => {
    const tls = await material(ca, 'manager-2');
    const writer = track(connectEtcd([member.clientUrl], { tls, callTimeoutMs: CALL_TIMEOUT_MS }));
    const reader = track(connectEtcd([second.clientUrl], { tls, callTimeoutMs: CALL_TIMEOUT_MS }));
    await writer.put('/tls/replicated').value('yes');
    assert.equal(await reader.get('/tls/replicated').string(), 'yes');
  });

  it('comes back over TLS after a crash', async () => {
    const pid = second.pid;
    assert.ok(pid !== undefined);
    process.kill(pid, 'SIGKILL');
    await eventually('the member to be restarted', () => second.restarts === 1 && second.pid !== undefined && second.pid !== pid);
    await second.whenHealthy();
    const client = track(connectEtcd([second.clientUrl], { tls: await material(ca, 'manager-3'), callTimeoutMs: CALL_TIMEOUT_MS }));
    assert.equal(await client.get('/tls/replicated').string(), 'yes');
  });

  it('refuses a client without a certificate', async () => {
    const client = track(new Etcd3({
      hosts: [member.clientUrl],
      credentials: { rootCertificate: Buffer.from(ca.certPem) },
      defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + CALL_TIMEOUT_MS }),
    }));
    await assert.rejects(client.get('/tls/key').string(), refusedBy(/bad certificate/));
  });

  it('refuses a client with a certificate of another CA', async () => {
    const other = await createClusterCa('cluster-a', NOW);
    const stranger = { ...(await material(other, 'stranger')), caCertPem: ca.certPem };
    const client = track(connectEtcd([member.clientUrl], { tls: stranger, callTimeoutMs: CALL_TIMEOUT_MS }));
    await assert.rejects(client.get('/tls/key').string(), refusedBy(/bad certificate/));
  });

  it('is refused by a client that trusts another CA', async () => {
    const other = await createClusterCa('cluster-a', NOW);
    const client = track(connectEtcd([member.clientUrl], { tls: await material(other, 'elsewhere'), callTimeoutMs: CALL_TIMEOUT_MS }));
    await assert.rejects(client.get('/tls/key').string(), refusedBy(/unable to verify/));
  });

  it('refuses to start with a URL whose scheme does not match its TLS', async () => {
    await assert.rejects(EtcdMember.start({ ...member.options, name: 'm1', clientUrl: 'http://127.0.0.1:1', dataDir: join(lab.dir, 'm1') }),
      (err: Error & { reason?: string }) => err.reason === 'etcd-url-scheme' && err.message.includes('clientUrl http://127.0.0.1:1'));
  });
});
