import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BerthError } from '../../base/errors.js';
import { x509 } from '../../pki/x509.js';
import { caIssuerInfo } from './ca-certificate.js';
import { createClusterCa, ETCD_CA_COMMON_NAME } from './cluster-ca.js';
import { generateNodeKey } from './node-key.js';
import { issueNodeCertificate } from './node-certificate.js';

const NOW = new Date('2030-01-02T03:04:05Z');

/** What the X.509 library reads as the subject and public key: caIssuerInfo must show the same bytes. */
function libraryIssuerInfo(certPem: string): { subject: string; publicKey: string } {
  const parsed = new x509.X509Certificate(certPem);
  return {
    subject: Buffer.from(parsed.subjectName.toArrayBuffer()).toString('base64'),
    publicKey: Buffer.from(parsed.publicKey.rawData).toString('base64'),
  };
}

describe('caIssuerInfo', () => {
  it('shows the subject and public key of the cluster CA and the etcd CA as the X.509 library reads them', async () => {
    for (const ca of [await createClusterCa('cluster-a', NOW), await createClusterCa('cluster-b', NOW, ETCD_CA_COMMON_NAME)]) {
      assert.deepEqual(caIssuerInfo(ca.certPem), libraryIssuerInfo(ca.certPem));
    }
  });

  it('reads a certificate with long subject and SAN fields (long-form DER lengths)', async () => {
    const ca = await createClusterCa('c'.repeat(60), NOW);
    const key = await generateNodeKey();
    const certPem = await issueNodeCertificate(ca, {
      nodeId: 'n'.repeat(60), role: 'manager', clusterId: 'c'.repeat(60), publicKeyPem: key.publicKeyPem,
      ipAddresses: ['10.0.0.1', '127.0.0.1'], dnsNames: Array.from({ length: 20 }, (_, i) => `host-${i}.example.test`), now: NOW,
    });
    assert.deepEqual(caIssuerInfo(certPem), libraryIssuerInfo(certPem));
  });

  it('refuses what is not a certificate', () => {
    assert.throws(() => caIssuerInfo('not a certificate'), (err: unknown) => err instanceof BerthError && err.reason === 'invalid-certificate');
  });
});
