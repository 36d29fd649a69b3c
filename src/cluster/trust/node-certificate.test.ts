import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { BerthError } from '../../base/errors.js';
import { createClusterCa, type ClusterCa } from './cluster-ca.js';
import { issueNodeCertificate, readNodeCertificate, type NodeCertificateRequest } from './node-certificate.js';
import { generateNodeKey } from './node-key.js';

const NOW = new Date('2030-01-02T03:04:05Z');

function rejectsWith(kind: string, reason: string): (err: unknown) => boolean {
  return (err) => err instanceof BerthError && err.kind === kind && err.reason === reason;
}

async function request(overrides: Partial<NodeCertificateRequest> = {}): Promise<NodeCertificateRequest> {
  const key = await generateNodeKey();
  return {
    nodeId: 'node-1', role: 'worker', clusterId: 'cluster-a', publicKeyPem: key.publicKeyPem,
    ipAddresses: ['10.0.0.7', '127.0.0.1'], dnsNames: ['node-1.local'], now: NOW, ...overrides,
  };
}

describe('cluster CA and node certificates', () => {
  let ca: ClusterCa;
  let other: ClusterCa;

  it('makes a CA: CN=berth-cluster-ca, O=<cluster id>, CA, valid 20 years', async () => {
    ca = await createClusterCa('cluster-a', NOW);
    other = await createClusterCa('cluster-a', NOW);
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.subject, 'O=cluster-a\nCN=berth-cluster-ca');
    assert.equal(cert.ca, true);
    assert.equal(new Date(cert.validTo).getUTCFullYear(), 2050);
    assert.match(ca.keyPem, /^-----BEGIN PRIVATE KEY-----/);
  });

  it('issues a node certificate that reads back against its CA', async () => {
    const certPem = await issueNodeCertificate(ca, await request({ role: 'manager' }));
    const identity = readNodeCertificate(certPem, ca.certPem);
    assert.deepEqual(identity, { nodeId: 'node-1', role: 'manager', clusterId: 'cluster-a', notAfter: new Date('2030-04-02T03:04:05Z') });
    const cert = new X509Certificate(certPem);
    assert.equal(cert.subjectAltName, 'IP Address:10.0.0.7, IP Address:127.0.0.1, DNS:node-1.local');
    assert.deepEqual(cert.keyUsage, ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    assert.equal(cert.ca, false);
  });

  it('refuses a node certificate under another CA of the same cluster id', async () => {
    const certPem = await issueNodeCertificate(ca, await request());
    assert.throws(() => readNodeCertificate(certPem, other.certPem), rejectsWith('permission-denied', 'certificate-untrusted'));
  });

  it('refuses the CA itself and garbage', () => {
    assert.throws(() => readNodeCertificate(ca.certPem, ca.certPem), rejectsWith('permission-denied', 'not-a-node-certificate'));
    assert.throws(() => readNodeCertificate('not a certificate', ca.certPem), rejectsWith('invalid-argument', 'invalid-certificate'));
    assert.throws(() => readNodeCertificate(ca.certPem, 'garbage'), rejectsWith('invalid-argument', 'invalid-certificate'));
  });

  it('keeps validDays, and never past the CA', async () => {
    const short = await issueNodeCertificate(ca, await request({ validDays: 1 }));
    assert.deepEqual(readNodeCertificate(short, ca.certPem).notAfter, new Date('2030-01-03T03:04:05Z'));
    const long = await issueNodeCertificate(ca, await request({ validDays: 365 * 30 }));
    assert.equal(readNodeCertificate(long, ca.certPem).notAfter.toISOString(), new Date(new X509Certificate(ca.certPem).validTo).toISOString());
  });

  it('refuses bad requests, naming what is wrong', async () => {
    const cases: [Partial<NodeCertificateRequest>, string][] = [
      [{ nodeId: '' }, 'invalid-node-id'],
      [{ clusterId: 'cluster-b' }, 'cluster-mismatch'],
      [{ ipAddresses: ['10.0.0.300'] }, 'invalid-ip-address'],
      [{ dnsNames: ['bad name'] }, 'invalid-dns-name'],
      [{ validDays: 0 }, 'invalid-validity'],
      [{ publicKeyPem: 'nope' }, 'invalid-public-key'],
    ];
    for (const [overrides, reason] of cases) {
      await assert.rejects(issueNodeCertificate(ca, await request(overrides)), rejectsWith('invalid-argument', reason), reason);
    }
    await assert.rejects(issueNodeCertificate({ certPem: ca.certPem, keyPem: 'nope' }, await request()), rejectsWith('invalid-argument', 'invalid-ca-key'));
    await assert.rejects(createClusterCa(' ', NOW), rejectsWith('invalid-argument', 'invalid-cluster-id'));
  });
});
