import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createServer, connect, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { createCertificateAuthority, issueCertificate } from './certificates.js';

const now = new Date('2026-12-07T00:00:00Z');

describe('certificates', () => {
  it('issues a server and a client certificate that verify against the CA in a real TLS handshake', async () => {
    const ca = await createCertificateAuthority({ commonName: 'berth-test-ca', now: new Date() });
    const server = await issueCertificate({ ca, usage: 'server', commonName: 'berthd', ipAddresses: ['127.0.0.1'], dnsNames: ['localhost'], now: new Date() });
    const client = await issueCertificate({ ca, usage: 'client', commonName: 'alice', organization: 'operator', now: new Date() });
    const tls = createServer({ key: server.keyPem, cert: server.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (socket) => {
      const peer = socket.getPeerCertificate();
      socket.end([peer.subject.CN, peer.subject.O].map(String).join('/'));
    });
    await new Promise<void>((resolve) => { tls.listen(0, '127.0.0.1', resolve); });
    try {
      const { port } = tls.address() as AddressInfo;
      const answer = await new Promise<string>((resolve, reject) => {
        const socket: TLSSocket = connect({ host: '127.0.0.1', port, ca: ca.certPem, key: client.keyPem, cert: client.certPem }, () => {
          let text = '';
          socket.on('data', (chunk: Buffer) => { text += chunk.toString(); });
          socket.on('end', () => { resolve(text); });
        });
        socket.on('error', reject);
      });
      assert.equal(answer, 'alice/operator');
    } finally {
      tls.close();
    }
  });

  it('names the subject, SANs and usage, and never outlives the CA', async () => {
    const ca = await createCertificateAuthority({ commonName: 'ca', now, validDays: 10 });
    const leaf = await issueCertificate({ ca, usage: 'server', commonName: 'host', ipAddresses: ['10.0.0.1'], now, validDays: 365 });
    const cert = new X509Certificate(leaf.certPem);
    assert.match(cert.subjectAltName ?? '', /IP Address:10\.0\.0\.1/);
    assert.ok(cert.checkIssued(new X509Certificate(ca.certPem)));
    assert.ok(new Date(cert.validTo).getTime() <= new Date(new X509Certificate(ca.certPem).validTo).getTime());
  });

  it('refuses bad input with invalid-argument naming it', async () => {
    const ca = await createCertificateAuthority({ commonName: 'ca', now });
    await assert.rejects(issueCertificate({ ca, usage: 'server', commonName: 'h', ipAddresses: ['not-an-ip'], now }), /"not-an-ip" is not an IP address/);
    await assert.rejects(createCertificateAuthority({ commonName: '', now }), { kind: 'invalid-argument', reason: 'invalid-common-name' });
  });
});
